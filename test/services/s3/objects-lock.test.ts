/**
 * S3 Object Lock against the real runtime through @aws-sdk/client-s3: the bucket's
 * configuration and default retention, retention and legal holds on versions, the
 * x-amz-object-lock-* headers of PutObject, and the protection enforced on deletion.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
const L = 'lock-bucket';
const PLAIN = 'lock-plain';
const later = (days: number) => new Date(Date.now() + days * 86_400_000);

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: L, ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
});
afterAll(async () => {
  s3?.destroy();
  await rt?.stop();
});

const put = (Key: string, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}, Bucket = L) => s3.send(new PutObjectCommand({ Bucket, Key, Body: 'locked body', ChecksumAlgorithm: 'CRC32', ...extra }));
const del = (Key: string, VersionId: string | undefined, BypassGovernanceRetention?: boolean) => s3.send(new DeleteObjectCommand({ Bucket: L, Key, VersionId, BypassGovernanceRetention }));

describe('configuration', () => {
  it('a bucket created with Object Lock reports it; a default retention applies to new objects', async () => {
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: L }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: L, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: L }))).ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 1 });
    const v = await put('defaulted');
    const head = await s3.send(new HeadObjectCommand({ Bucket: L, Key: 'defaulted' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(Math.abs(head.ObjectLockRetainUntilDate!.getTime() - later(1).getTime())).toBeLessThan(60_000);
    expect((await sdkError(del('defaulted', v.VersionId))).name).toBe('AccessDenied');
    await del('defaulted', v.VersionId, true);
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: L, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
  });

  it('a bucket without Object Lock: no configuration, retention refused; an unversioned one cannot get it', async () => {
    const e = await sdkError(s3.send(new GetObjectLockConfigurationCommand({ Bucket: PLAIN })));
    expect([e.name, e.status]).toEqual(['ObjectLockConfigurationNotFoundError', 404]);
    const p = await sdkError(s3.send(new PutObjectLockConfigurationCommand({ Bucket: PLAIN, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })));
    expect([p.name, p.status]).toEqual(['InvalidBucketState', 409]);
    const h = await sdkError(put('x', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: later(1) }, PLAIN));
    expect([h.name, h.message]).toEqual(['InvalidRequest', 'Bucket is missing Object Lock Configuration']);
    await put('x', {}, PLAIN);
    expect((await sdkError(s3.send(new PutObjectRetentionCommand({ Bucket: PLAIN, Key: 'x', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later(1) } })))).name).toBe('InvalidRequest');
  });

  it('a versioned bucket can enable Object Lock later', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lock-later' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'lock-later', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-later', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-later' }))).ObjectLockConfiguration?.ObjectLockEnabled).toBe('Enabled');
  });

  it('refuses invalid configurations', async () => {
    for (const Rule of [{ DefaultRetention: { Mode: 'GOVERNANCE', Days: 1, Years: 1 } }, { DefaultRetention: { Mode: 'SOMETIMES', Days: 1 } }, { DefaultRetention: { Mode: 'GOVERNANCE' } }]) {
      const e = await sdkError(s3.send(new PutObjectLockConfigurationCommand({ Bucket: L, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: Rule as never } })));
      expect([e.name, e.status]).toEqual(['MalformedXML', 400]);
    }
    const zero = await sdkError(s3.send(new PutObjectLockConfigurationCommand({ Bucket: L, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 0 } } } })));
    expect(zero.name).toBe('InvalidArgument');
  });
});

describe('retention and legal hold', () => {
  it('PUT headers set retention and legal hold; both protect the version', async () => {
    const v = await put('headers', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: later(2), ObjectLockLegalHoldStatus: 'ON' });
    const ret = await s3.send(new GetObjectRetentionCommand({ Bucket: L, Key: 'headers' }));
    expect(ret.Retention?.Mode).toBe('COMPLIANCE');
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket: L, Key: 'headers' }))).LegalHold?.Status).toBe('ON');
    const e = await sdkError(del('headers', v.VersionId, true));
    expect([e.name, e.status]).toEqual(['AccessDenied', 403]);
    // deleting without a version id only adds a delete marker: allowed
    expect((await del('headers', undefined)).DeleteMarker).toBe(true);
  });

  it('GOVERNANCE: deletion and shortening need the bypass header; extending does not', async () => {
    const v = await put('gov');
    await s3.send(new PutObjectRetentionCommand({ Bucket: L, Key: 'gov', VersionId: v.VersionId, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later(2) } }));
    expect((await sdkError(del('gov', v.VersionId))).name).toBe('AccessDenied');
    await s3.send(new PutObjectRetentionCommand({ Bucket: L, Key: 'gov', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later(3) } }));
    expect((await sdkError(s3.send(new PutObjectRetentionCommand({ Bucket: L, Key: 'gov', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later(1) } })))).name).toBe('AccessDenied');
    await s3.send(new PutObjectRetentionCommand({ Bucket: L, Key: 'gov', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later(1) }, BypassGovernanceRetention: true }));
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: L, Delete: { Objects: [{ Key: 'gov', VersionId: v.VersionId }] } }));
    expect(out.Errors?.[0]).toMatchObject({ Key: 'gov', VersionId: v.VersionId, Code: 'AccessDenied' });
    const bypassed = await s3.send(new DeleteObjectsCommand({ Bucket: L, BypassGovernanceRetention: true, Delete: { Objects: [{ Key: 'gov', VersionId: v.VersionId }] } }));
    expect(bypassed.Deleted).toEqual([{ Key: 'gov', VersionId: v.VersionId }]);
  });

  it('COMPLIANCE cannot be shortened nor turned into GOVERNANCE, even with the bypass header', async () => {
    const v = await put('comp', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: later(2) });
    for (const Retention of [
      { Mode: 'COMPLIANCE' as const, RetainUntilDate: later(1) },
      { Mode: 'GOVERNANCE' as const, RetainUntilDate: later(5) },
    ]) {
      const e = await sdkError(s3.send(new PutObjectRetentionCommand({ Bucket: L, Key: 'comp', Retention, BypassGovernanceRetention: true })));
      expect([e.name, e.status]).toEqual(['AccessDenied', 403]);
    }
    await s3.send(new PutObjectRetentionCommand({ Bucket: L, Key: 'comp', Retention: { Mode: 'COMPLIANCE', RetainUntilDate: later(4) } }));
    expect((await sdkError(del('comp', v.VersionId, true))).name).toBe('AccessDenied');
  });

  it('a legal hold can be lifted, then the version deleted', async () => {
    const v = await put('hold');
    expect((await sdkError(s3.send(new GetObjectLegalHoldCommand({ Bucket: L, Key: 'hold' })))).name).toBe('NoSuchObjectLockConfiguration');
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: L, Key: 'hold', LegalHold: { Status: 'ON' } }));
    expect((await sdkError(del('hold', v.VersionId, true))).name).toBe('AccessDenied');
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: L, Key: 'hold', LegalHold: { Status: 'OFF' } }));
    expect((await del('hold', v.VersionId)).VersionId).toBe(v.VersionId);
  });

  it('refuses bad lock headers and retention requests', async () => {
    expect((await sdkError(put('bad', { ObjectLockMode: 'GOVERNANCE' }))).name).toBe('InvalidArgument');
    expect((await sdkError(put('bad', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(Date.now() - 60_000) }))).name).toBe('InvalidArgument');
    expect((await sdkError(put('bad', { ObjectLockMode: 'FOREVER' as never, ObjectLockRetainUntilDate: later(1) }))).name).toBe('InvalidArgument');
    expect((await sdkError(put('bad', { ObjectLockLegalHoldStatus: 'MAYBE' as never }))).name).toBe('InvalidArgument');
    await put('ok');
    expect((await sdkError(s3.send(new GetObjectRetentionCommand({ Bucket: L, Key: 'ok' })))).name).toBe('NoSuchObjectLockConfiguration');
    expect((await sdkError(s3.send(new PutObjectRetentionCommand({ Bucket: L, Key: 'ok', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() - 60_000) } })))).name).toBe('InvalidArgument');
    expect((await sdkError(s3.send(new PutObjectLegalHoldCommand({ Bucket: L, Key: 'ok', LegalHold: { Status: 'SOMETIMES' as never } })))).name).toBe('MalformedXML');
  });
});
