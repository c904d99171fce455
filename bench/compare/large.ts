/**
 * The large-body scenario: one object of `bytes` uploaded and downloaded through
 * @aws-sdk/client-s3 (a generated stream each way, never held in memory by the bench), in
 * MB/s, with the peak RSS growth of the target's process group sampled during the
 * transfers. Its baseline is a stream copy of a file of the same size (streaming.ts
 * fileCopyMBps).
 */
import type { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { source, timed } from '../streaming.js';

export interface LargeResult {
  bytes: number;
  uploadMBps: number;
  downloadMBps: number;
  /** Peak RSS of the process group during the transfers, less its RSS before. */
  rssGrowthMiB?: number;
}

/** Runs one step, naming it in the error it fails with. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}

export async function largeTransfer(host: string, bytes: number, rss?: () => number): Promise<LargeResult> {
  const s3 = new S3Client({ endpoint: `http://${host}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true, maxAttempts: 1 });
  const before = rss?.();
  let peak = before ?? 0;
  const sampler = rss ? setInterval(() => (peak = Math.max(peak, rss())), 100) : undefined;
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-large' })).catch((e: Error) => {
      if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(e.name)) throw e;
    });
    const uploadSeconds = await step('upload', () =>
      timed(async () => {
        await s3.send(new PutObjectCommand({ Bucket: 'bench-large', Key: 'large', Body: source(bytes), ContentLength: bytes }));
      }),
    );
    const downloadSeconds = await step('download', () =>
      timed(async () => {
        const r = await s3.send(new GetObjectCommand({ Bucket: 'bench-large', Key: 'large' }));
        let n = 0;
        for await (const chunk of r.Body as Readable) n += (chunk as Buffer).length;
        if (n !== bytes) throw new Error(`${n} of ${bytes} bytes`);
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: 'bench-large', Key: 'large' }));
    return {
      bytes,
      uploadMBps: bytes / 1e6 / uploadSeconds,
      downloadMBps: bytes / 1e6 / downloadSeconds,
      ...(before !== undefined ? { rssGrowthMiB: Math.max(peak, rss!()) - before } : {}),
    };
  } finally {
    if (sampler) clearInterval(sampler);
    s3.destroy();
  }
}
