/**
 * Conditional requests as S3 evaluates them (RFC 7232 order): If-Match, then
 * If-Unmodified-Since (ignored when If-Match is present), If-None-Match, then
 * If-Modified-Since (ignored when If-None-Match is present): If-Match true with
 * If-Unmodified-Since false reads the object; If-None-Match false with If-Modified-Since true
 * is 304. Times compare at whole seconds, as Last-Modified has no more.
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

const NOT_IMPLEMENTED = 'A header you provided implies functionality that is not implemented';

/** 501 NotImplemented for a conditional header S3 does not take, with S3's additionalMessage. */
function unsupported(header: string, additionalMessage: string): ServiceError {
  return s3Error('NotImplemented', NOT_IMPLEMENTED, { fields: { Header: header, additionalMessage } });
}

/**
 * The conditions of a write (PutObject, CompleteMultipartUpload; DeleteObject's If-Match):
 * If-None-Match `*` fails when the key exists, If-Match when its ETag differs or when there
 * is no such key. What S3 does not take answers 501 NotImplemented naming the header: both
 * headers at once, an If-None-Match other than `*`, and If-Match `*` (which only DeleteObject,
 * `matchAny`, takes as "any ETag").
 */
export function checkWriteConditions(current: StoredObject | undefined, c: { IfMatch?: string; IfNoneMatch?: string }, key: string, matchAny = false): void {
  if (c.IfMatch !== undefined && c.IfNoneMatch !== undefined) throw unsupported('If-Match,If-None-Match', 'Multiple conditional request headers present in the request');
  const exists = current !== undefined && !current.deleteMarker;
  if (c.IfNoneMatch !== undefined) {
    if (c.IfNoneMatch.trim() !== '*') throw unsupported('If-None-Match', "We don't accept the provided value of If-None-Match header for this API");
    if (exists) throw preconditionFailed('If-None-Match');
  }
  if (c.IfMatch !== undefined) {
    if (c.IfMatch.trim() === '*' && !matchAny) throw unsupported('If-Match', "We don't accept the provided value of If-Match header for this API");
    if (!exists) throw s3Error('NoSuchKey', 'The specified key does not exist.', { fields: { Key: key } });
    if (!etagMatches(c.IfMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}
