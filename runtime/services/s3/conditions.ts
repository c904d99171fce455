/**
 * Conditional requests as S3 evaluates them (RFC 7232 order): If-Match, then
 * If-Unmodified-Since (ignored when If-Match is present), If-None-Match, then
 * If-Modified-Since (ignored when If-None-Match is present). Times compare at whole seconds,
 * as Last-Modified has no more.
 */
import { ServiceError } from '../../aws/errors.js';
import { preconditionFailed, s3Error } from './errors.js';
import type { StoredObject } from './state.js';

export interface Conditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

/** Whether an If-Match / If-None-Match list names this ETag (`*` names any). */
export function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || `"${tag}"` === etag;
  });
}

function seconds(iso: string | Date): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** A 304 as S3 sends it: no body, with the object's ETag and Last-Modified. */
export function notModified(object: StoredObject): ServiceError {
  return s3Error('NotModified', 'Not Modified', {
    headers: { etag: object.etag, 'last-modified': new Date(object.lastModified).toUTCString() },
  });
}

/** Evaluates the conditions of a GET or HEAD (412 PreconditionFailed, 304 NotModified). */
export function checkReadConditions(object: StoredObject, c: Conditions): void {
  if (c.IfMatch === undefined && c.IfNoneMatch === undefined && c.IfModifiedSince === undefined && c.IfUnmodifiedSince === undefined) return;
  const modified = seconds(object.lastModified);
  if (c.IfMatch !== undefined) {
    if (!etagMatches(c.IfMatch, object.etag)) throw preconditionFailed('If-Match');
  } else if (c.IfUnmodifiedSince !== undefined && modified > seconds(c.IfUnmodifiedSince)) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (c.IfNoneMatch !== undefined) {
    if (etagMatches(c.IfNoneMatch, object.etag)) throw notModified(object);
  } else if (c.IfModifiedSince !== undefined && modified <= seconds(c.IfModifiedSince)) {
    throw notModified(object);
  }
}

/**
 * The conditions of a write (PutObject, CompleteMultipartUpload): If-None-Match `*` fails
 * when the key exists, If-Match when its ETag differs or when there is no such key.
 */
export function checkWriteConditions(current: StoredObject | undefined, c: { IfMatch?: string; IfNoneMatch?: string }, key: string): void {
  const exists = current !== undefined && !current.deleteMarker;
  if (c.IfNoneMatch !== undefined) {
    if (c.IfNoneMatch.trim() !== '*') throw s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', { fields: { Header: 'If-None-Match' } });
    if (exists) throw preconditionFailed('If-None-Match');
  }
  if (c.IfMatch !== undefined) {
    if (!exists) throw s3Error('NoSuchKey', 'The specified key does not exist.', { fields: { Key: key } });
    if (!etagMatches(c.IfMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}
