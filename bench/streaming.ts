/**
 * Large bodies through the gateway: a streamed upload and download of `bytes` (1 GiB by
 * default) through the real @aws-sdk/client-s3 against the runtime with a stand-in S3
 * provider (bench/fixtures/blob-runtime.ts: uploads are hashed and dropped, downloads are a
 * generated pattern, so the figure is the gateway's and the protocol layer's, not a disk's),
 * in MB/s next to a plain file copy of the same size on the same disk in the same run, and the
 * runtime's peak RSS over each transfer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, 'fixtures', 'blob-runtime.js');
const MiB = 1024 * 1024;

export interface StreamingResult {
  bytes: number;
  /** MB/s (10^6 bytes) */
  fileCopyMBps: number;
  uploadMBps: number;
  downloadMBps: number;
  /** Peak RSS (VmHWM) before the transfers, and its growth over each. */
  rssBaseMiB: number;
  uploadRssGrowthMiB: number;
  downloadRssGrowthMiB: number;
}

export function peakRssMiB(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** `size` bytes in 1 MiB pieces of one reused buffer: the generator costs next to nothing. */
export function source(size: number): Readable {
  const piece = Buffer.alloc(MiB, 0x5a);
  let left = size;
  return new Readable({
    highWaterMark: MiB,
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(MiB, left);
      left -= n;
      this.push(n === MiB ? piece : piece.subarray(0, n));
    },
  });
}

export async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function startFixture(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GATEWAY_LISTEN: `127.0.0.1:${port}`, INIT_HOOKS_DIR: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^Ready\.$/m.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the fixture runtime exited with ${code}`)));
  });
  return child;
}

/** The baseline for large bodies: MB/s of a stream copy of a `bytes` file on the disk tmpdir is on. */
export async function fileCopyMBps(bytes: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-copy-'));
  try {
    await pipeline(source(bytes), createWriteStream(join(dir, 'a')));
    const seconds = await timed(() => pipeline(createReadStream(join(dir, 'a'), { highWaterMark: MiB }), createWriteStream(join(dir, 'b'))));
    return bytes / 1e6 / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureStreaming(bytes: number, port: number): Promise<StreamingResult> {
  const copyMBps = await fileCopyMBps(bytes);

  const child = await startFixture(port);
  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  try {
    const put = (size: number) => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'blob', Body: source(size), ContentLength: size }));
    const get = async (size: number) => {
      const r = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `pattern-${size}` }));
      let n = 0;
      for await (const chunk of r.Body as Readable) n += (chunk as Buffer).length;
      if (n !== size) throw new Error(`download: ${n} of ${size} bytes`);
    };
    await put(8 * MiB); // warm up: model, codecs, checksum libraries
    await get(8 * MiB);
    const rssBase = peakRssMiB(child.pid!);
    const uploadSeconds = await timed(async () => {
      const r = await put(bytes);
      if (r.VersionId !== `bytes-${bytes}`) throw new Error(`upload: the provider saw ${r.VersionId}`);
    });
    const afterUpload = peakRssMiB(child.pid!);
    const downloadSeconds = await timed(() => get(bytes));
    const afterDownload = peakRssMiB(child.pid!);
    return {
      bytes,
      fileCopyMBps: copyMBps,
      uploadMBps: bytes / 1e6 / uploadSeconds,
      downloadMBps: bytes / 1e6 / downloadSeconds,
      rssBaseMiB: rssBase,
      uploadRssGrowthMiB: afterUpload - rssBase,
      downloadRssGrowthMiB: afterDownload - afterUpload,
    };
  } finally {
    s3.destroy();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
