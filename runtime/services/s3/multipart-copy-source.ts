/**
 * The source of UploadPartCopy: the x-amz-copy-source header (`bucket/key[?versionId=]`,
 * URL-encoded: keys with unicode and special characters arrive percent-encoded, and `+` is a
 * plus, not a space), the x-amz-copy-source-range, and the x-amz-copy-source-if-* conditions.
 */
import { etagMatches } from './conditions.js';
import { invalidArgument, preconditionFailed } from './errors.js';
import type { StoredObject } from './state.js';

/** `bucket/key[?versionId=...]` of x-amz-copy-source, URL-decoded. */
export function parseCopySource(source: string): { bucket: string; key: string; versionId?: string } {
  let path = source;
  let versionId: string | undefined;
  const q = source.indexOf('?');
  if (q !== -1) {
    path = source.slice(0, q);
    const params = new URLSearchParams(source.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = '';
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', source);
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

/** x-amz-copy-source-range `bytes=first-last` against a source of `size` bytes. */
export function parseCopyRange(range: string | undefined, size: number): { start: number; end: number } | undefined {
  if (range === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(range.trim());
  if (!m) {
    throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', range);
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size) throw invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', range);
  return { start, end };
}

/** The x-amz-copy-source-if-* conditions: every failure is 412, as S3 answers copies. */
export function checkCopyConditions(source: StoredObject, c: { CopySourceIfMatch?: string; CopySourceIfNoneMatch?: string; CopySourceIfModifiedSince?: Date; CopySourceIfUnmodifiedSince?: Date }): void {
  const modified = Math.floor(new Date(source.lastModified).getTime() / 1000);
  const secs = (d: Date) => Math.floor(d.getTime() / 1000);
  if (c.CopySourceIfMatch !== undefined) {
    if (!etagMatches(c.CopySourceIfMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (c.CopySourceIfUnmodifiedSince !== undefined && modified > secs(c.CopySourceIfUnmodifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (c.CopySourceIfNoneMatch !== undefined) {
    if (etagMatches(c.CopySourceIfNoneMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (c.CopySourceIfModifiedSince !== undefined && modified <= secs(c.CopySourceIfModifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}
