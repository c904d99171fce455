/**
 * S3 through the real AWS CLI against the real runtime: the high-level `aws s3` commands (mb,
 * ls, cp both ways for a small file and a 100 MiB one that the CLI splits into 8 MiB parts,
 * sync both ways with --delete, rm --recursive, rb, presign) and `aws s3api` for versioning,
 * tagging, a hand-made multipart upload and CORS, plus the error paths a user sees
 * (NoSuchBucket, NoSuchKey). Files are compared byte for byte through their SHA-256.
 *
 * Each block works in a bucket of its own. A missing CLI fails the file under CI and skips it
 * elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, type CliResult } from '../../support/aws-cli.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
const haveCli = works('aws', ['--version']) || works('python3', ['-m', 'awscli', '--version']);

const MiB = 1024 * 1024;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every file under `dir`: relative path -> SHA-256. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = sha256(p);
    }
  };
  walk(dir);
  return out;
}

/** A file of `size` random bytes, written 1 MiB at a time. */
function randomFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let left = size; left > 0; left -= MiB) writeSync(fd, randomBytes(Math.min(MiB, left)));
  } finally {
    closeSync(fd);
  }
}

let rt: RuntimeProcess;
let scratch: string;

/** The CLI against the runtime; a failing command fails with its stderr in the message. */
async function ok(args: string[]): Promise<CliResult> {
  const r = await aws(rt.endpoint, args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}\n${r.stderr}`);
  return r;
}

// each CLI call starts a Python process: a second or more on a busy machine
describe.skipIf(!haveCli && !process.env.CI)('S3 through the AWS CLI', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    rt = await startRuntime();
    scratch = mkdtempSync(join(tmpdir(), 's3-cli-'));
  });
  afterAll(async () => {
    await rt?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('aws s3: buckets and copies', () => {
    const bucket = 'cli-copies';

    it('s3 mb creates a bucket that s3 ls lists', async () => {
      const mb = await ok(['s3', 'mb', `s3://${bucket}`]);
      expect(mb.stdout).toContain(`make_bucket: ${bucket}`);
      const ls = await ok(['s3', 'ls']);
      const names = ls.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).at(-1));
      expect(names).toContain(bucket);
      // each line is "YYYY-MM-DD hh:mm:ss name"
      expect(ls.stdout).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} ${bucket}$`, 'm'));
    });

    it('cp of a small file up and down is byte-exact', async () => {
      const src = join(scratch, 'small.txt');
      writeFileSync(src, `hello from the AWS CLI ${randomBytes(8).toString('hex')}\n`);
      const up = await ok(['s3', 'cp', src, `s3://${bucket}/dir/small.txt`]);
      expect(up.stdout).toContain(`upload: `);
      const back = join(scratch, 'small.back');
      await ok(['s3', 'cp', `s3://${bucket}/dir/small.txt`, back]);
      expect(sha256(back)).toBe(sha256(src));
    });

    it('cp of a 100 MiB file goes up in 8 MiB parts and comes back byte-exact', async () => {
      const src = join(scratch, 'large.bin');
      randomFile(src, 100 * MiB);
      await ok(['s3', 'cp', '--no-progress', src, `s3://${bucket}/large.bin`]);
      // a multipart ETag: "<md5 of the part MD5s>-<parts>"; 100 MiB in 8 MiB parts is 13
      const head = await ok(['s3api', 'head-object', '--bucket', bucket, '--key', 'large.bin']);
      expect(head.json.ContentLength).toBe(100 * MiB);
      expect(head.json.ETag).toMatch(/^"[0-9a-f]{32}-13"$/);
      const back = join(scratch, 'large.back');
      await ok(['s3', 'cp', '--no-progress', `s3://${bucket}/large.bin`, back]);
      expect(statSync(back).size).toBe(100 * MiB);
      expect(sha256(back)).toBe(sha256(src));
      unlinkSync(src);
      unlinkSync(back);
    }, 240_000);

    it('presign gives a URL that undici fetches: 200 and the object', async () => {
      const body = `presigned ${randomBytes(8).toString('hex')}`;
      const src = join(scratch, 'presign.txt');
      writeFileSync(src, body);
      await ok(['s3', 'cp', src, `s3://${bucket}/presign.txt`]);
      const url = (await ok(['s3', 'presign', `s3://${bucket}/presign.txt`, '--expires-in', '300'])).stdout.trim();
      expect(url).toMatch(/X-Amz-Signature=|Signature=/);
      const r = await request(url);
      expect(r.statusCode).toBe(200);
      expect(await r.body.text()).toBe(body);
    });
  });

  describe('aws s3: sync, ls --recursive, rm --recursive, rb', () => {
    const bucket = 'cli-sync';
    let local: string;
    let copy: string;

    beforeAll(async () => {
      local = join(scratch, 'sync-src');
      copy = join(scratch, 'sync-dst');
      mkdirSync(join(local, 'sub', 'deeper'), { recursive: true });
      writeFileSync(join(local, 'a.txt'), 'a\n');
      writeFileSync(join(local, 'sub', 'b.txt'), 'bee\n');
      writeFileSync(join(local, 'sub', 'deeper', 'c.bin'), randomBytes(70_000));
      writeFileSync(join(local, 'sub', 'deeper', 'empty'), '');
      // a minute old: sync re-uploads a file whose mtime is after the object's LastModified,
      // which S3 (and we) give in whole seconds, so a file written in the same second as its
      // upload would look newer than its copy to the second sync
      const before = new Date(Date.now() - 60_000);
      for (const file of ['a.txt', 'sub/b.txt', 'sub/deeper/c.bin', 'sub/deeper/empty']) utimesSync(join(local, file), before, before);
      await ok(['s3', 'mb', `s3://${bucket}`]);
    });

    it('sync uploads a nested folder; a second sync copies nothing', async () => {
      const first = await ok(['s3', 'sync', '--no-progress', local, `s3://${bucket}/tree`]);
      expect(first.stdout.match(/^upload: /gm)?.length).toBe(4);
      const second = await ok(['s3', 'sync', '--no-progress', local, `s3://${bucket}/tree`]);
      expect(second.stdout.trim()).toBe('');
    });

    it('ls --recursive lists every key with its size', async () => {
      const ls = await ok(['s3', 'ls', '--recursive', `s3://${bucket}/`]);
      // "YYYY-MM-DD hh:mm:ss   <size> <key>"
      const entries = Object.fromEntries(
        ls.stdout
          .trim()
          .split('\n')
          .map((l) => /^\S+ \S+\s+(\d+) (.+)$/.exec(l)!)
          .map((m) => [m[2], Number(m[1])]),
      );
      expect(entries).toEqual({ 'tree/a.txt': 2, 'tree/sub/b.txt': 4, 'tree/sub/deeper/c.bin': 70_000, 'tree/sub/deeper/empty': 0 });
      // without --recursive: the common prefix only
      const top = await ok(['s3', 'ls', `s3://${bucket}/`]);
      expect(top.stdout.trim()).toMatch(/^PRE tree\/$/);
    });

    it('sync downloads into another folder byte-exact; a second sync copies nothing', async () => {
      await ok(['s3', 'sync', '--no-progress', `s3://${bucket}/tree`, copy]);
      expect(tree(copy)).toEqual(tree(local));
      const again = await ok(['s3', 'sync', '--no-progress', `s3://${bucket}/tree`, copy]);
      expect(again.stdout.trim()).toBe('');
    });

    it('sync --delete removes keys whose file is gone, and nothing else', async () => {
      unlinkSync(join(local, 'sub', 'b.txt'));
      const r = await ok(['s3', 'sync', '--no-progress', '--delete', local, `s3://${bucket}/tree`]);
      expect(r.stdout).toContain(`delete: s3://${bucket}/tree/sub/b.txt`);
      expect(r.stdout).not.toContain('upload:');
      const ls = await ok(['s3', 'ls', '--recursive', `s3://${bucket}/`]);
      expect(ls.stdout).not.toContain('tree/sub/b.txt');
      expect(ls.stdout).toContain('tree/sub/deeper/c.bin');
      // and the other way: the local copy loses the file too
      await ok(['s3', 'sync', '--no-progress', '--delete', `s3://${bucket}/tree`, copy]);
      expect(existsSync(join(copy, 'sub', 'b.txt'))).toBe(false);
      expect(tree(copy)).toEqual(tree(local));
    });

    it('rm --recursive empties the prefix; rb removes the bucket', async () => {
      const rm = await ok(['s3', 'rm', '--recursive', `s3://${bucket}/tree`]);
      expect(rm.stdout.match(/^delete: /gm)?.length).toBe(3);
      const ls = await aws(rt.endpoint, ['s3', 'ls', '--recursive', `s3://${bucket}/`]);
      expect(ls.stdout.trim()).toBe('');
      const rb = await ok(['s3', 'rb', `s3://${bucket}`]);
      expect(rb.stdout).toContain(`remove_bucket: ${bucket}`);
      const head = await aws(rt.endpoint, ['s3api', 'head-bucket', '--bucket', bucket]);
      expect(head.code).not.toBe(0);
      expect(head.stderr).toMatch(/404|Not Found/);
    });
  });

  describe('aws s3api', () => {
    it('versioning: put-bucket-versioning, then list-object-versions shows every version', async () => {
      const bucket = 'cli-versions';
      await ok(['s3api', 'create-bucket', '--bucket', bucket]);
      await ok(['s3api', 'put-bucket-versioning', '--bucket', bucket, '--versioning-configuration', 'Status=Enabled']);
      expect((await ok(['s3api', 'get-bucket-versioning', '--bucket', bucket])).json).toEqual({ Status: 'Enabled' });
      const file = join(scratch, 'v.txt');
      const ids: string[] = [];
      for (const text of ['one', 'two']) {
        writeFileSync(file, text);
        const put = await ok(['s3api', 'put-object', '--bucket', bucket, '--key', 'doc.txt', '--body', file]);
        expect(put.json.VersionId).toEqual(expect.any(String));
        ids.push(put.json.VersionId);
      }
      expect(ids[0]).not.toBe(ids[1]);
      const list = await ok(['s3api', 'list-object-versions', '--bucket', bucket]);
      const versions = list.json.Versions as Array<{ Key: string; VersionId: string; IsLatest: boolean; Size: number }>;
      expect(versions.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
        ['doc.txt', ids[1], true, 3],
        ['doc.txt', ids[0], false, 3],
      ]);
      // the older version is still readable by id
      const out = join(scratch, 'v.back');
      await ok(['s3api', 'get-object', '--bucket', bucket, '--key', 'doc.txt', '--version-id', ids[0]!, out]);
      expect(readFileSync(out, 'utf8')).toBe('one');
    });

    it('tagging: put-object-tagging, get-object-tagging', async () => {
      const bucket = 'cli-tags';
      await ok(['s3api', 'create-bucket', '--bucket', bucket]);
      const file = join(scratch, 't.txt');
      writeFileSync(file, 'tagged');
      await ok(['s3api', 'put-object', '--bucket', bucket, '--key', 't.txt', '--body', file]);
      await ok(['s3api', 'put-object-tagging', '--bucket', bucket, '--key', 't.txt', '--tagging', 'TagSet=[{Key=project,Value=alpha},{Key=team,Value=storage}]']);
      const got = await ok(['s3api', 'get-object-tagging', '--bucket', bucket, '--key', 't.txt']);
      // S3 does not promise an order
      const tags = [...(got.json.TagSet as Array<{ Key: string }>)].sort((a, b) => a.Key.localeCompare(b.Key));
      expect(tags).toEqual([
        { Key: 'project', Value: 'alpha' },
        { Key: 'team', Value: 'storage' },
      ]);
    });

    it('multipart: create-multipart-upload, upload-part x2, complete-multipart-upload with a parts file', async () => {
      const bucket = 'cli-multipart';
      await ok(['s3api', 'create-bucket', '--bucket', bucket]);
      const part1 = join(scratch, 'part1');
      const part2 = join(scratch, 'part2');
      randomFile(part1, 5 * MiB);
      writeFileSync(part2, randomBytes(1234));
      const created = await ok(['s3api', 'create-multipart-upload', '--bucket', bucket, '--key', 'joined.bin']);
      const uploadId = created.json.UploadId as string;
      expect(uploadId).toEqual(expect.any(String));
      const parts: Array<{ ETag: string; PartNumber: number }> = [];
      for (const [n, path] of [part1, part2].entries()) {
        const r = await ok(['s3api', 'upload-part', '--bucket', bucket, '--key', 'joined.bin', '--upload-id', uploadId, '--part-number', String(n + 1), '--body', path]);
        // a part's ETag is the MD5 of its bytes
        expect(r.json.ETag).toBe(`"${createHash('md5').update(readFileSync(path)).digest('hex')}"`);
        parts.push({ ETag: r.json.ETag, PartNumber: n + 1 });
      }
      const partsFile = join(scratch, 'parts.json');
      writeFileSync(partsFile, JSON.stringify({ Parts: parts }));
      const done = await ok(['s3api', 'complete-multipart-upload', '--bucket', bucket, '--key', 'joined.bin', '--upload-id', uploadId, '--multipart-upload', `file://${partsFile}`]);
      const md5s = Buffer.concat([part1, part2].map((p) => createHash('md5').update(readFileSync(p)).digest()));
      expect(done.json.ETag).toBe(`"${createHash('md5').update(md5s).digest('hex')}-2"`);
      const out = join(scratch, 'joined.back');
      await ok(['s3api', 'get-object', '--bucket', bucket, '--key', 'joined.bin', out]);
      expect(sha256(out)).toBe(createHash('sha256').update(readFileSync(part1)).update(readFileSync(part2)).digest('hex'));
      // the upload is gone once completed
      const parts2 = await aws(rt.endpoint, ['s3api', 'list-parts', '--bucket', bucket, '--key', 'joined.bin', '--upload-id', uploadId]);
      expect(parts2.code).not.toBe(0);
      expect(parts2.stderr).toContain('NoSuchUpload');
    });

    it('CORS: put-bucket-cors, get-bucket-cors', async () => {
      const bucket = 'cli-cors';
      await ok(['s3api', 'create-bucket', '--bucket', bucket]);
      const rules = {
        CORSRules: [
          { AllowedOrigins: ['https://example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
          { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
        ],
      };
      const file = join(scratch, 'cors.json');
      writeFileSync(file, JSON.stringify(rules));
      await ok(['s3api', 'put-bucket-cors', '--bucket', bucket, '--cors-configuration', `file://${file}`]);
      const got = await ok(['s3api', 'get-bucket-cors', '--bucket', bucket]);
      expect(got.json).toEqual(rules);
    });
  });

  describe('errors a user sees', () => {
    it('s3 ls of a missing bucket exits non-zero with NoSuchBucket', async () => {
      const r = await aws(rt.endpoint, ['s3', 'ls', 's3://missing-bucket']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('NoSuchBucket');
    });

    it('s3api get-object of a missing key fails with NoSuchKey and writes no file', async () => {
      const bucket = 'cli-errors';
      await ok(['s3api', 'create-bucket', '--bucket', bucket]);
      const out = join(scratch, 'never');
      const r = await aws(rt.endpoint, ['s3api', 'get-object', '--bucket', bucket, '--key', 'missing.txt', out]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('NoSuchKey');
      expect(existsSync(out)).toBe(false);
      // the server is still up
      expect((await ok(['s3api', 'head-bucket', '--bucket', bucket])).code).toBe(0);
    });
  });
});
