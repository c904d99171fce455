/**
 * The rest-xml codec against the real AWS CLI and @aws-sdk/client-s3, through test-only
 * providers that echo what they were given (S3 and Route 53 have no provider yet): request
 * documents (payload structures, flattened lists, namespaces) must arrive parsed exactly, and
 * response documents (attributes, namespaces, flattened lists, header-bound members, status
 * codes) must reach the clients decoded exactly.
 */
import { DeleteObjectsCommand, GetBucketAclCommand, GetBucketLocationCommand, GetBucketTaggingCommand, PutBucketTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { aws } from '../support/aws-cli.js';
import { clientConfig } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

const seen: Record<string, any> = {};
const tags = new Map<string, Array<{ Key: string; Value: string }>>();

const registry: ProviderRegistry = {
  s3: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          PutBucketTagging(_ctx, input) {
            seen.PutBucketTagging = input;
            tags.set(input.Bucket, input.Tagging.TagSet);
            return {};
          },
          GetBucketTagging(_ctx, input) {
            const set = tags.get(input.Bucket);
            if (!set) throw new ServiceError('NoSuchTagSet', 'The TagSet does not exist', { status: 404, fields: { BucketName: input.Bucket } });
            return { TagSet: set };
          },
          DeleteObjects(_ctx, input) {
            seen.DeleteObjects = input;
            return {
              Deleted: input.Delete.Objects.filter((o: { Key: string }) => o.Key !== 'locked').map((o: { Key: string }) => ({ Key: o.Key })),
              Errors: [{ Key: 'locked', Code: 'AccessDenied', Message: 'Access Denied' }],
            };
          },
          async PutObject(ctx, input) {
            // a streaming payload: the provider reads it, and trailing checksums land once it ends
            const body = Buffer.concat(await (input.Body as Readable).toArray());
            seen.PutObject = { ...input, Body: body.toString('utf8') };
            seen.PutObjectExpect = ctx.headers.expect;
            return { ETag: '"etag"' };
          },
          GetBucketLocation(_ctx, input) {
            return { LocationConstraint: input.Bucket === 'in-us-east-1' ? undefined : 'eu-west-1' };
          },
          GetBucketAcl() {
            return {
              Owner: { ID: 'owner-id', DisplayName: 'me' },
              Grants: [
                { Grantee: { Type: 'CanonicalUser', ID: 'owner-id', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
                { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
              ],
            };
          },
        },
      }),
    }),
  },
  route53: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          CreateHostedZone(_ctx, input) {
            seen.CreateHostedZone = input;
            return {
              HostedZone: { Id: '/hostedzone/Z1', Name: input.Name, CallerReference: input.CallerReference, Config: { Comment: input.HostedZoneConfig?.Comment, PrivateZone: false }, ResourceRecordSetCount: 2 },
              ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date('2026-01-02T03:04:05Z') },
              DelegationSet: { NameServers: ['ns1.example.com', 'ns2.example.com'] },
              Location: 'https://route53.amazonaws.com/2013-04-01/hostedzone/Z1',
            };
          },
        },
      }),
    }),
  },
};

let runtime: Runtime;
let endpoint: string;
let s3: S3Client;

beforeAll(async () => {
  const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent' });
  runtime = new Runtime(config, { registry, announce: () => undefined });
  await runtime.start();
  endpoint = `http://127.0.0.1:${runtime.addresses[0]!.port}`;
  s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
});
afterAll(async () => {
  await runtime?.stop();
});

describe('rest-xml through @aws-sdk/client-s3', () => {
  it('a payload document in, a body document out', async () => {
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'b1', Tagging: { TagSet: [{ Key: 'a & <b>', Value: ' spaced ' }, { Key: 'k2', Value: '' }] } }));
    expect(seen.PutBucketTagging).toMatchObject({
      Bucket: 'b1',
      ChecksumAlgorithm: 'CRC32', // a header-bound member next to the payload
      Tagging: { TagSet: [{ Key: 'a & <b>', Value: ' spaced ' }, { Key: 'k2', Value: '' }] },
    });
    const r = await s3.send(new GetBucketTaggingCommand({ Bucket: 'b1' }));
    expect(r.TagSet).toEqual([{ Key: 'a & <b>', Value: ' spaced ' }, { Key: 'k2', Value: '' }]);
  });

  it('flattened lists both ways', async () => {
    const r = await s3.send(new DeleteObjectsCommand({ Bucket: 'b1', Delete: { Objects: [{ Key: 'x/1' }, { Key: 'locked', VersionId: 'v1' }], Quiet: false } }));
    expect(seen.DeleteObjects.Delete).toEqual({ Objects: [{ Key: 'x/1' }, { Key: 'locked', VersionId: 'v1' }], Quiet: false });
    expect(r.Deleted).toEqual([{ Key: 'x/1' }]);
    expect(r.Errors).toEqual([{ Key: 'locked', Code: 'AccessDenied', Message: 'Access Denied' }]);
  });

  it('character references arrive decoded, and a literal one stays literal', async () => {
    // the SDK writes CR and LF in a key as &#x0D;&#x0A;; `&#65;` typed by a user travels as &amp;#65;
    const keys = ['line\r\nbreak', 'tab\there', 'literal &#65; text'];
    await s3.send(new DeleteObjectsCommand({ Bucket: 'b1', Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    expect(seen.DeleteObjects.Delete.Objects).toEqual(keys.map((Key) => ({ Key })));
  });

  it('attributes with namespace prefixes (xsi:type)', async () => {
    const r = await s3.send(new GetBucketAclCommand({ Bucket: 'b1' }));
    expect(r.Owner).toEqual({ ID: 'owner-id', DisplayName: 'me' });
    expect(r.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: 'owner-id', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
    ]);
  });

  it('GetBucketLocation: the document is one element, its text the location', async () => {
    const raw = await fetch(`${endpoint}/b1?location`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' } });
    expect(await raw.text()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'b1' }))).LocationConstraint).toBe('eu-west-1');
    // us-east-1 is an empty element
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'in-us-east-1' }))).LocationConstraint).toBeUndefined();
  });

  it('S3 errors in their own document, with extra fields', async () => {
    const e = await sdkError(s3.send(new GetBucketTaggingCommand({ Bucket: 'untagged' })));
    expect(e).toMatchObject({ name: 'NoSuchTagSet', message: 'The TagSet does not exist', status: 404 });
  });

  it('malformed XML -> 400 MalformedXML, and the server keeps serving', async () => {
    const put = (body: string) =>
      fetch(`${endpoint}/b1?tagging`, {
        method: 'PUT',
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
        body,
      });
    for (const body of ['<Tagging><TagSet>', '<Tagging></TagSet></Tagging>', 'not xml', '<!DOCTYPE x [<!ENTITY a "b">]><Tagging/>']) {
      const r = await put(body);
      expect(r.status, body).toBe(400);
      expect(await r.text(), body).toContain('<Code>MalformedXML</Code>');
    }
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'b1' }))).TagSet).toHaveLength(2);
  });
});

describe('S3 uploads in the aws-chunked encoding', () => {
  it('a streamed body from SDK v3 arrives decoded, its trailing checksum verified and passed on', async () => {
    const body = Readable.from([Buffer.from('hello '), Buffer.from('chunked '), Buffer.from('world')]);
    await s3.send(new PutObjectCommand({ Bucket: 'b1', Key: 'dir/file.txt', Body: body, ContentLength: 19, ChecksumAlgorithm: 'CRC32C' }));
    expect(seen.PutObject).toMatchObject({ Bucket: 'b1', Key: 'dir/file.txt', Body: 'hello chunked world', ContentLength: 19, ChecksumCRC32C: expect.any(String) });
    expect(seen.PutObject.ContentEncoding).toBeUndefined();
  });

  it('a 3 MiB body (the SDK sends Expect: 100-continue above 2 MB) arrives whole', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'x');
    big.write('start', 0);
    big.write('end', big.length - 3);
    await s3.send(new PutObjectCommand({ Bucket: 'b1', Key: 'big', Body: big }));
    expect(seen.PutObject.Body.length).toBe(big.length);
    expect(seen.PutObject.Body.startsWith('start')).toBe(true);
    expect(seen.PutObject.Body.endsWith('end')).toBe(true);
    expect(seen.PutObjectExpect).toBe('100-continue');
  });

  it('a wrong trailing checksum -> 400 BadDigest, nothing reaches the provider', async () => {
    seen.PutObject = undefined;
    const r = await fetch(`${endpoint}/b1/k`, {
      method: 'PUT',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '5',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      body: '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n',
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('<Code>BadDigest</Code>');
    expect(seen.PutObject).toBeUndefined();
  });
});

describe('rest-xml through the AWS CLI', () => {
  it('s3api put-bucket-tagging / get-bucket-tagging', async () => {
    const put = await aws(endpoint, ['s3api', 'put-bucket-tagging', '--bucket', 'b2', '--tagging', 'TagSet=[{Key=env,Value=dev}]']);
    expect(put.code, put.stderr).toBe(0);
    const get = await aws(endpoint, ['s3api', 'get-bucket-tagging', '--bucket', 'b2']);
    expect(get.json).toEqual({ TagSet: [{ Key: 'env', Value: 'dev' }] });
  });

  it('s3api get-bucket-location reads the root element', async () => {
    expect((await aws(endpoint, ['s3api', 'get-bucket-location', '--bucket', 'b1'])).json).toEqual({ LocationConstraint: 'eu-west-1' });
    expect((await aws(endpoint, ['s3api', 'get-bucket-location', '--bucket', 'in-us-east-1'])).json).toEqual({ LocationConstraint: null });
  });

  it('route53 create-hosted-zone: namespaced request document, 201, Location header, timestamps', async () => {
    const r = await aws(endpoint, ['route53', 'create-hosted-zone', '--name', 'example.com', '--caller-reference', 'ref-1', '--hosted-zone-config', 'Comment=hello']);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.CreateHostedZone).toEqual({ Name: 'example.com', CallerReference: 'ref-1', HostedZoneConfig: { Comment: 'hello' } });
    expect(r.json).toEqual({
      Location: 'https://route53.amazonaws.com/2013-04-01/hostedzone/Z1',
      HostedZone: { Id: '/hostedzone/Z1', Name: 'example.com', CallerReference: 'ref-1', Config: { Comment: 'hello', PrivateZone: false }, ResourceRecordSetCount: 2 },
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: '2026-01-02T03:04:05Z' },
      DelegationSet: { NameServers: ['ns1.example.com', 'ns2.example.com'] },
    });
  });
});
