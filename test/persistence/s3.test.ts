/**
 * S3 with PERSISTENCE=1, reset and export, through @aws-sdk/client-s3: buckets, keys named
 * after Object.prototype members, bodies small (kept in the state) and large (files in S3's
 * asset folder), across kill -9, a graceful stop, an export into a fresh runtime and a reset.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { clientConfig } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';
import { post, start, volume } from '../support/state.js';

function s3(endpoint: string): S3Client {
  return new S3Client({ ...clientConfig(endpoint), forcePathStyle: true, maxAttempts: 1 });
}

const BUCKET = 'kept';
/** key -> body: small ones live in the state, the 300 KiB one in a file. */
const OBJECTS: Record<string, Buffer> = {
  'docs/readme.txt': Buffer.from('hello'),
  // computed, so that it is an own key (a literal `__proto__:` would set the prototype)
  ['__proto__']: Buffer.from('proto'),
  constructor: Buffer.from('ctor'),
  toString: Buffer.from('str'),
  'big/blob.bin': randomBytes(300 * 1024),
};
const KEYS = Object.keys(OBJECTS).sort();
if (!KEYS.includes('__proto__')) throw new Error('the fixture lost its __proto__ key');

async function writeObjects(endpoint: string): Promise<void> {
  const client = s3(endpoint);
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const key of Object.keys(OBJECTS)) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: OBJECTS[key] }));
}

/** The files (not folders) under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function expectObjects(endpoint: string): Promise<void> {
  const client = s3(endpoint);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(KEYS);
  for (const key of KEYS) {
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(digest(await got.Body!.transformToByteArray()), key).toBe(digest(OBJECTS[key]!));
  }
}

describe('S3 state', () => {
  it('survives kill -9 (ON_REQUEST), then a graceful stop; bodies in a stable folder', async () => {
    const v = volume();
    const a = await start(v, { PERSISTENCE: '1' });
    await writeObjects(a.endpoint);
    await a.stop('SIGKILL');
    expect(filesUnder(join(v, 'state', 's3', 'assets', 'objects')).length).toBeGreaterThan(0);
    const b = await start(v, { PERSISTENCE: '1' });
    await expectObjects(b.endpoint);
    expect(await b.stop()).toBe(0);
    const c = await start(v, { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: 'ON_SHUTDOWN' });
    await expectObjects(c.endpoint);
    await c.stop();
  });

  for (const strategy of ['ON_SHUTDOWN', 'SCHEDULED', 'MANUAL'] as const) {
    it(`survives a restart with SNAPSHOT_SAVE_STRATEGY=${strategy}`, async () => {
      const v = volume();
      const env = { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: strategy, SNAPSHOT_FLUSH_INTERVAL: '1' };
      const a = await start(v, env);
      await writeObjects(a.endpoint);
      if (strategy === 'ON_SHUTDOWN') {
        expect(await a.stop('SIGTERM')).toBe(0);
      } else {
        if (strategy === 'MANUAL') expect((await post(a.endpoint, '/_localstack/state/save')).status).toBe(200);
        // the snapshot file appears by the rename that ends a save; then the process may die
        const deadline = Date.now() + 10_000;
        while (!existsSync(join(v, 'state', 's3', 'snapshot'))) {
          if (Date.now() > deadline) throw new Error('no snapshot of s3 was written');
          await new Promise((r) => setTimeout(r, 50));
        }
        await a.stop('SIGKILL');
      }
      const b = await start(v, env);
      await expectObjects(b.endpoint);
      await b.stop();
    });
  }

  it('every acknowledged PutObject of several connections is there after kill -9 mid-flight, body and all', async () => {
    const v = volume();
    const rt = await start(v, { PERSISTENCE: '1', STATE_AUDIT: '0' });
    await s3(rt.endpoint).send(new CreateBucketCommand({ Bucket: 'busy' }));
    const acked = new Map<string, string>();
    let stop = false;
    const workers = Array.from({ length: 4 }, async (_, w) => {
      const client = s3(rt.endpoint);
      for (let i = 0; !stop; i++) {
        const key = `w${w}/k${i}`;
        // every fifth body is large enough for a file of its own
        const body = randomBytes(i % 5 === 0 ? 80 * 1024 : 512);
        try {
          await client.send(new PutObjectCommand({ Bucket: 'busy', Key: key, Body: body }));
          acked.set(key, digest(body));
        } catch {
          return;
        }
      }
    });
    while (acked.size < 200) await new Promise((r) => setTimeout(r, 5));
    await rt.stop('SIGKILL');
    stop = true;
    await Promise.all(workers);
    const again = await start(v, { PERSISTENCE: '1', STATE_AUDIT: '0' });
    const client = s3(again.endpoint);
    for (const [key, sum] of acked) {
      const got = await client.send(new GetObjectCommand({ Bucket: 'busy', Key: key }));
      expect(digest(await got.Body!.transformToByteArray()), key).toBe(sum);
    }
    await again.stop();
  });

  it('moves with an export into a fresh runtime on another port, bodies included', async () => {
    const a = await start(volume());
    await writeObjects(a.endpoint);
    const archive = Buffer.from(await (await fetch(`${a.endpoint}/_localstack/state/export?services=s3`)).arrayBuffer());
    await a.stop();
    const b = await start(volume(), { PERSISTENCE: '1' });
    expect(await post(b.endpoint, '/_localstack/state/import', archive)).toEqual({ status: 200, json: { status: 'ok', services: ['s3'] } });
    await expectObjects(b.endpoint);
    await b.stop();
  });

  it('is emptied by a reset of s3, files and saved state included', async () => {
    const v = volume();
    const rt = await start(v, { PERSISTENCE: '1' });
    await writeObjects(rt.endpoint);
    expect((await post(rt.endpoint, '/_localstack/state/s3/reset')).status).toBe(200);
    expect(await sdkError(s3(rt.endpoint).send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({ name: 'NoSuchBucket' });
    // (the body store may keep its empty fan-out folders)
    expect(filesUnder(join(v, 'state', 's3', 'assets', 'objects'))).toEqual([]);
    expect(existsSync(join(v, 'state', 's3', 'snapshot'))).toBe(false);
    await rt.stop('SIGKILL');
    const again = await start(v, { PERSISTENCE: '1' });
    expect(await sdkError(s3(again.endpoint).send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({ name: 'NoSuchBucket' });
    await again.stop();
  });
});
