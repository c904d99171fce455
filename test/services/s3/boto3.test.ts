/**
 * S3 through a real boto3 client against the real runtime: put/get with metadata,
 * upload_file/download_file split into parts by a small TransferConfig, the list_objects_v2
 * paginator, copy_object, delete_objects, generate_presigned_url fetched with urllib,
 * head_object of a missing key, and 16 threads writing one key at once. Each scenario runs
 * in boto3_s3.py (one Python process per scenario) and prints what boto3 saw; the asserts
 * are here. A missing boto3 fails the file under CI and skips it elsewhere.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePython } from '../../support/python.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'boto3_s3.py');

let rt: RuntimeProcess;
let work: string;

/** Runs one scenario of boto3_s3.py; a ClientError comes back as `error`. */
function scenario(name: string): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [DRIVER, rt.endpoint, name, work],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`boto3 scenario ${name} failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout));
      },
    );
  });
}

describe.skipIf(!havePython('boto3') && !process.env.CI)('S3 through boto3', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    rt = await startRuntime();
    work = mkdtempSync(join(tmpdir(), 's3-boto3-'));
  });
  afterAll(async () => {
    await rt?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('create_bucket, put_object with metadata, get_object', async () => {
    const r = await scenario('put_get');
    expect(r.error).toBeUndefined();
    expect(r.body).toBe('hello boto3');
    expect(r.contentType).toBe('text/plain');
    expect(r.contentLength).toBe(11);
    // user metadata names come back lower-cased, values as sent
    expect(r.metadata).toEqual({ owner: 'alice', 'mixed-case': 'Value 1' });
    // a single PUT's ETag is the MD5 of the body
    expect(r.putETag).toBe(`"${createHash('md5').update('hello boto3').digest('hex')}"`);
    expect(r.eTag).toBe(r.putETag);
    expect(r.buckets).toContain('boto-basic');
  });

  it('upload_file and download_file with a multipart TransferConfig are byte-exact', async () => {
    const r = await scenario('transfer');
    expect(r.error).toBeUndefined();
    // 12 MiB + 4321 bytes in 5 MiB parts: 3 parts
    expect(r.eTag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(r.contentLength).toBe(r.size);
    expect(r.downloadedSize).toBe(r.size);
    expect(r.downloadedSha256).toBe(r.sourceSha256);
  });

  it('the list_objects_v2 paginator walks every page once', async () => {
    const r = await scenario('paginate');
    expect(r.error).toBeUndefined();
    const pages = r.pages as Array<{ keys: string[]; keyCount: number; isTruncated: boolean; sizes: number[] }>;
    expect(pages.map((p) => p.keyCount)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.isTruncated)).toEqual([true, true, false]);
    const all = pages.flatMap((p) => p.keys);
    expect(all).toEqual(Array.from({ length: 25 }, (_, i) => `k/${String(i).padStart(3, '0')}`));
    expect(pages.flatMap((p) => p.sizes)).toEqual(all.map((k) => k.length));
  });

  it('copy_object keeps or replaces metadata per MetadataDirective', async () => {
    const r = await scenario('copy');
    expect(r.error).toBeUndefined();
    expect(r.kept).toEqual({ body: 'copy me', metadata: { a: '1' }, contentType: 'text/plain', eTag: r.keptETag });
    expect(r.replaced).toEqual({ body: 'copy me', metadata: { b: '2' }, contentType: 'application/x-test' });
    // same bytes, same MD5
    expect(r.replacedETag).toBe(r.keptETag);
  });

  it('delete_objects reports every key, missing ones too, and removes only those', async () => {
    const r = await scenario('delete_objects');
    expect(r.error).toBeUndefined();
    expect(r.deleted).toEqual(['a', 'b', 'c', 'never-existed']);
    expect(r.errors).toEqual([]);
    expect(r.quietDeleted).toEqual([]);
    expect(r.left).toEqual(['keep']);
  });

  it('generate_presigned_url gives a URL that urllib fetches: 200 and the bytes', async () => {
    const r = await scenario('presign');
    expect(r.error).toBeUndefined();
    expect(r.url).toContain(`${rt.endpoint}/boto-presign/p/file.bin?`);
    expect(r.status).toBe(200);
    expect(r.length).toBe(3000);
    expect(r.sameBytes).toBe(true);
  });

  it('head_object of a missing key raises ClientError 404', async () => {
    const r = await scenario('head_missing');
    expect(r).toEqual({ raised: true, class: 'ClientError', code: '404', status: 404 });
  });

  it('16 concurrent writers of one key: a GET returns exactly one of the bodies, whole', async () => {
    const r = await scenario('concurrent_writers');
    expect(r.error).toBeUndefined();
    expect(r.putETags).toEqual(r.sourceMd5s);
    expect(r.gotLength).toBe(256 * 1024);
    const winner = (r.sources as string[]).indexOf(r.got);
    expect(winner).toBeGreaterThanOrEqual(0);
    // and its ETag is that body's, not another writer's
    expect(r.gotETag).toBe(r.sourceMd5s[winner]);
  });
});
