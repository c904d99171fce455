/**
 * Where S3 keeps bodies: files in S3's asset folder under the runtime's volume folder
 * (temporary without persistence), named by ids (never by keys, so no key reaches outside),
 * small bodies inline in the state, and nothing left at shutdown.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let s3: S3Client;
const volume = mkdtempSync(join(tmpdir(), 's3-storage-'));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(dir, p)).isFile());
}

beforeAll(async () => {
  rt = await startRuntime({ env: { LOCALSTACK_VOLUME_DIR: volume } });
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'storage' }));
});
afterAll(async () => {
  await rt?.stop();
  rmSync(volume, { recursive: true, force: true });
});

describe('S3 object bodies on disk', () => {
  const big = Buffer.alloc(200 * 1024, 'b');
  const keys = ['../../escape.txt', '/absolute/path', 'nul\u0000key', `${'deep/'.repeat(150)}x`, 'plain'];

  it('go to files named by id in the asset folder under <volume>/tmp/state, whatever the key', async () => {
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'storage', Key, Body: big }));
    const stored = files(volume);
    expect(stored).toHaveLength(keys.length);
    for (const path of stored) {
      // <volume>/tmp/state/<pid>-<random>/s3/objects/<2 hex>/<id>: nothing of the key in it
      expect(path).toMatch(/^tmp\/state\/\d+-[0-9a-f]+\/s3\/objects\/[0-9a-f]{2}\/[0-9a-f]+-[0-9a-f]{8}$/);
      expect(relative(volume, join(volume, path)).startsWith('..')).toBe(false);
    }
    for (const Key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'storage', Key }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(big)).toBe(true);
    }
  });

  it('small bodies are kept inline in the state: no file for them', async () => {
    const before = files(volume).length;
    await s3.send(new PutObjectCommand({ Bucket: 'storage', Key: 'small', Body: 'tiny' }));
    expect(files(volume).length).toBe(before);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'storage', Key: 'small' }));
    expect(await got.Body!.transformToString()).toBe('tiny');
  });

  it('a replaced body is deleted; at shutdown the store is gone', async () => {
    const before = files(volume).length;
    await s3.send(new PutObjectCommand({ Bucket: 'storage', Key: 'plain', Body: Buffer.alloc(100 * 1024, 'c') }));
    await new Promise((r) => setTimeout(r, 100));
    expect(files(volume).length).toBe(before);
    expect(await rt.stop()).toBe(0);
    expect(files(volume)).toEqual([]);
  });
});
