/**
 * Listings: ListObjects (V1), ListObjectsV2 and ListObjectVersions.
 *
 * Keys come in S3's order (UTF-8 bytes) from the bucket's sorted key index (key-index.ts),
 * so a page costs a seek and a walk over what it shows, plus whatever the walk skips: keys
 * whose latest version is a delete marker (not listed by ListObjects*), and the keys of a
 * common prefix before its first shown key. Once a common prefix is shown, the walk seeks
 * past every key under it.
 *
 * As S3:
 *  - max-keys 0 to 1000 (more is 1000; negative, or not a 32-bit integer, is InvalidArgument,
 *    worded per operation as S3 words it); the entries of a page are keys (or versions) and common prefixes.
 *  - V1 gives NextMarker only with a delimiter; a marker or start-after equal to a common
 *    prefix (what NextMarker is when a page ends on one) skips every key under it.
 *  - V2 continuation tokens are opaque (base64url of the last entry, with a check value):
 *    anything else is InvalidArgument "The continuation token provided is incorrect".
 *  - encoding-type=url encodes Key, Prefix, Delimiter, Marker, NextMarker, StartAfter,
 *    KeyMarker, NextKeyMarker and CommonPrefixes in the answer (percent-encoding of every
 *    byte but A-Z a-z 0-9 - _ . ~ and `/`); any other encoding type is InvalidArgument.
 *  - V2 shows owners only with fetch-owner=true; V1 and ListObjectVersions always do.
 *  - ListObjectVersions lists every version, newest first per key, delete markers in
 *    DeleteMarkers; a bucket that was never versioned shows its objects as version "null".
 *    KeyMarker and VersionIdMarker are always echoed (empty when not given); NextKeyMarker
 *    and NextVersionIdMarker only on a truncated page.
 *  - an entry with a checksum shows its ChecksumAlgorithm and ChecksumType; LastModified is
 *    listed at whole seconds (`.000Z`), as S3 lists it (GET and HEAD say it in HTTP dates).
 *  - ListObjects and ListObjectsV2 of a bucket outside us-east-1 answer x-amz-bucket-region.
 *  - an empty continuation-token (`continuation-token=`) is InvalidArgument naming the
 *    argument but not its (empty) value, as S3 answers it.
 *
 * LIMITATIONS: Versions and DeleteMarkers of a ListObjectVersions answer are written as two
 * runs, not interleaved in key order as S3 writes them (clients read them as two lists).
 * A key-marker with a well-formed version-id-marker that the key does not have continues
 * with the next key.
 */
import { decodePageToken, encodePageToken } from '../../aws/pagination.js';
import type { ListObjectVersionsOutput, ListObjectsV2Output, S3Api } from './api.generated.js';
import { s3Error } from './errors.js';
import type { SortedKeys } from './key-index.js';
import { compareKeys } from './keys.js';
import type { S3Service } from './service.js';
import { canonicalId, getBucket, type Bucket, type StoredObject } from './state.js';

const MAX_KEYS = 1000;
const INT_MAX = 2147483647;

type Contents = NonNullable<ListObjectsV2Output['Contents']>[number];
type Version = NonNullable<ListObjectVersionsOutput['Versions']>[number];
type Marker = NonNullable<ListObjectVersionsOutput['DeleteMarkers']>[number];

/** One entry of a walk: a key with its versions (newest first), or a common prefix. */
type Entry = { key: string; versions: StoredObject[] } | { prefix: string; versions?: undefined };

/**
 * max-keys as S3 reads it (the model's integer is read as a string here, see patches.json):
 * a decimal integer within 32 bits, else "not an integer"; negative is `negative(value)`.
 */
function maxKeys(text: string | undefined, negative: (value: string) => Error): number {
  if (text === undefined) return MAX_KEYS;
  const value = /^-?\d{1,20}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value > INT_MAX || value < -INT_MAX - 1) {
    throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { fields: { ArgumentName: 'max-keys', ArgumentValue: text } });
  }
  if (value < 0) throw negative(String(value));
  return Math.min(value, MAX_KEYS);
}

/** Whether the answer is URL-encoded; InvalidArgument for an encoding type S3 does not know. */
function urlEncoding(type: string | undefined): boolean {
  if (type === undefined) return false;
  if (type.toLowerCase() !== 'url') throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { fields: { ArgumentName: 'encoding-type', ArgumentValue: type } });
  return true;
}

/** S3's encoding of names in a listing: every UTF-8 byte but A-Z a-z 0-9 - _ . ~ and `/`. */
export function encodeName(name: string): string {
  return encodeURIComponent(name)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

/** The common prefix `name` rolls up into under `prefix` and `delimiter`, if any. */
function rollUp(name: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter || !name.startsWith(prefix)) return undefined;
  const at = name.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : name.slice(0, at + delimiter.length);
}

/**
 * The predicate that is true for the keys a listing starts after: those before `prefix`,
 * those up to `after`, and every key under `after` when `after` is a common prefix itself
 * (a NextMarker, NextKeyMarker or continuation token that ended a page on a common prefix).
 */
function startAfter(prefix: string, delimiter: string | undefined, after: string | undefined, skipGroup: boolean): (key: string) => boolean {
  if (after === undefined || after === '') return (k) => compareKeys(k, prefix) < 0;
  const group = skipGroup || rollUp(after, prefix, delimiter) === after;
  return (k) => compareKeys(k, prefix) < 0 || compareKeys(k, after) <= 0 || (group && k.startsWith(after));
}

/**
 * Walks the bucket's keys in order from the first for which `before` is false, within
 * `prefix`, rolling keys up into common prefixes at `delimiter`. Keys whose versions
 * `shown` rejects are skipped, and a common prefix appears only if one of its keys is shown.
 */
function* walk(index: SortedKeys, bucket: Bucket, prefix: string, delimiter: string | undefined, before: (key: string) => boolean, shown: (versions: StoredObject[]) => boolean): Generator<Entry, void, undefined> {
  let keys = index.from(before);
  let next = keys.next();
  while (!next.done) {
    const key = next.value;
    if (!key.startsWith(prefix)) return;
    const group = rollUp(key, prefix, delimiter);
    if (group !== undefined) {
      let found = false;
      for (;;) {
        const versions = bucket.objects[next.value];
        if (versions && shown(versions)) {
          found = true;
          break;
        }
        next = keys.next();
        if (next.done || !next.value.startsWith(group)) break;
      }
      if (found) {
        yield { prefix: group };
        keys = index.from((k) => compareKeys(k, group) < 0 || k.startsWith(group));
        next = keys.next();
      }
      continue;
    }
    const versions = bucket.objects[key];
    if (versions && shown(versions)) yield { key, versions };
    next = keys.next();
  }
}

const visible = (versions: StoredObject[]) => versions[0]?.deleteMarker !== true;
const any = (versions: StoredObject[]) => versions.length > 0;

// ---------------------------------------------------------------- continuation tokens

/** An opaque token naming the last entry of a page (runtime/aws/pagination.ts): [K|P, key or prefix]. */
function encodeToken(entry: Entry): string {
  return encodePageToken('ListObjectsV2', 'key' in entry ? ['K', entry.key] : ['P', entry.prefix]);
}

function decodeToken(token: string): { after: string; group: boolean } {
  if (token === '') throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { fields: { ArgumentName: 'continuation-token' } });
  const cursor = decodePageToken('ListObjectsV2', token);
  if (!Array.isArray(cursor) || cursor.length !== 2 || (cursor[0] !== 'K' && cursor[0] !== 'P') || typeof cursor[1] !== 'string') {
    throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { fields: { ArgumentName: 'continuation-token', ArgumentValue: token } });
  }
  return { after: cursor[1], group: cursor[0] === 'P' };
}

// ---------------------------------------------------------------- entries

function owner(accountId: string) {
  return { DisplayName: 'webfile', ID: canonicalId(accountId) };
}

/** RestoreStatus from the x-amz-restore value of a restored object. */
function restoreStatus(restore: string): Contents['RestoreStatus'] {
  const ongoing = /ongoing-request="(true|false)"/.exec(restore)?.[1] === 'true';
  const expiry = /expiry-date="([^"]+)"/.exec(restore)?.[1];
  const date = expiry !== undefined ? new Date(expiry) : undefined;
  return { IsRestoreInProgress: ongoing, ...(date && !Number.isNaN(date.getTime()) ? { RestoreExpiryDate: date } : {}) };
}

/** A time as listings show it: at whole seconds. */
function listed(iso: string): Date {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000);
}

function objectFields(object: StoredObject, withOwner: boolean, attributes: string[] | undefined) {
  return {
    ETag: object.etag,
    ...(object.checksum ? { ChecksumAlgorithm: [object.checksum.algorithm.toUpperCase()], ChecksumType: object.checksum.type } : {}),
    Size: object.size,
    StorageClass: object.storageClass,
    ...(withOwner ? { Owner: owner(object.owner) } : {}),
    ...(object.restore !== undefined && attributes?.includes('RestoreStatus') ? { RestoreStatus: restoreStatus(object.restore) } : {}),
  };
}

function contents(object: StoredObject, name: (s: string) => string, withOwner: boolean, attributes: string[] | undefined): Contents {
  return { Key: name(object.key), LastModified: listed(object.lastModified), ...objectFields(object, withOwner, attributes) };
}

/** x-amz-bucket-region, which S3 sends with ListObjects(V2) for a bucket outside us-east-1. */
function bucketRegion(bucket: Bucket): { BucketRegion?: string } {
  return bucket.region !== 'us-east-1' ? { BucketRegion: bucket.region } : {};
}

/** Up to `max` entries of a walk, and whether more follow. */
function page(entries: Iterator<Entry>, max: number): { shown: Entry[]; truncated: boolean } {
  const shown: Entry[] = [];
  if (max === 0) return { shown, truncated: false };
  for (let next = entries.next(); !next.done; next = entries.next()) {
    if (shown.length === max) return { shown, truncated: true };
    shown.push(next.value);
  }
  return { shown, truncated: false };
}

export function listingOperations(s3: S3Service) {

  return {
    ListObjects(ctx, input) {
      const max = maxKeys(input.MaxKeys, (value) =>
        s3Error('InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647', { fields: { ArgumentName: 'maxKeys', ArgumentValue: value } }),
      );
      const url = urlEncoding(input.EncodingType);
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const name = url ? encodeName : (s: string) => s;
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const marker = input.Marker ?? '';
      const { shown, truncated } = page(walk(s3.keys.of(bucket), bucket, prefix, delimiter, startAfter(prefix, delimiter, marker, false), visible), max);
      const keys = shown.filter((e) => e.versions !== undefined);
      const prefixes = shown.filter((e) => e.versions === undefined);
      const last = shown[shown.length - 1];
      return {
        ...bucketRegion(bucket),
        Name: bucket.name,
        Prefix: name(prefix),
        Marker: name(marker),
        ...(truncated && delimiter !== undefined && last ? { NextMarker: name('key' in last ? last.key : last.prefix) } : {}),
        MaxKeys: max,
        ...(delimiter !== undefined ? { Delimiter: name(delimiter) } : {}),
        IsTruncated: truncated,
        ...(url ? { EncodingType: 'url' } : {}),
        ...(keys.length > 0 ? { Contents: keys.map((e) => contents(e.versions![0]!, name, true, input.OptionalObjectAttributes)) } : {}),
        ...(prefixes.length > 0 ? { CommonPrefixes: prefixes.map((e) => ({ Prefix: name((e as { prefix: string }).prefix) })) } : {}),
      };
    },

    ListObjectsV2(ctx, input) {
      const max = maxKeys(input.MaxKeys, (value) =>
        s3Error('InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647', { fields: { ArgumentName: 'maxKeys', ArgumentValue: value } }),
      );
      const url = urlEncoding(input.EncodingType);
      const token = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : undefined;
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const name = url ? encodeName : (s: string) => s;
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const before = token ? startAfter(prefix, delimiter, token.after, token.group) : startAfter(prefix, delimiter, input.StartAfter, false);
      const { shown, truncated } = page(walk(s3.keys.of(bucket), bucket, prefix, delimiter, before, visible), max);
      const keys = shown.filter((e) => e.versions !== undefined);
      const prefixes = shown.filter((e) => e.versions === undefined);
      const last = shown[shown.length - 1];
      return {
        ...bucketRegion(bucket),
        Name: bucket.name,
        Prefix: name(prefix),
        ...(delimiter !== undefined ? { Delimiter: name(delimiter) } : {}),
        MaxKeys: max,
        ...(url ? { EncodingType: 'url' } : {}),
        KeyCount: shown.length,
        IsTruncated: truncated,
        ...(input.ContinuationToken !== undefined ? { ContinuationToken: input.ContinuationToken } : {}),
        ...(truncated && last ? { NextContinuationToken: encodeToken(last) } : {}),
        // a continuation token takes StartAfter's place: S3 does not echo it beside one
        ...(input.StartAfter !== undefined && input.ContinuationToken === undefined ? { StartAfter: name(input.StartAfter) } : {}),
        ...(keys.length > 0 ? { Contents: keys.map((e) => contents(e.versions![0]!, name, input.FetchOwner === true, input.OptionalObjectAttributes)) } : {}),
        ...(prefixes.length > 0 ? { CommonPrefixes: prefixes.map((e) => ({ Prefix: name((e as { prefix: string }).prefix) })) } : {}),
      };
    },

    ListObjectVersions(ctx, input) {
      const max = maxKeys(input.MaxKeys, () => s3Error('InvalidArgument', 'max-keys cannot be negative', { fields: { ArgumentName: 'max-keys' } }));
      const url = urlEncoding(input.EncodingType);
      const keyMarker = input.KeyMarker ?? '';
      const versionMarker = input.VersionIdMarker || undefined;
      if (versionMarker !== undefined) {
        if (keyMarker === '') {
          throw s3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { fields: { ArgumentName: 'version-id-marker', ArgumentValue: versionMarker } });
        }
        if (versionMarker !== 'null' && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionMarker)) {
          throw s3Error('InvalidArgument', 'Invalid version id specified', { fields: { ArgumentName: 'version-id-marker', ArgumentValue: versionMarker } });
        }
      }
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const name = url ? encodeName : (s: string) => s;
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;

      type Item = { version: StoredObject; latest: boolean } | { prefix: string };
      function* items(): Generator<Item, void, undefined> {
        // the rest of the versions of the key a previous page ended in
        if (versionMarker !== undefined && keyMarker.startsWith(prefix) && rollUp(keyMarker, prefix, delimiter) === undefined) {
          const versions = bucket.objects[keyMarker] ?? [];
          const at = versions.findIndex((v) => v.versionId === versionMarker);
          if (at !== -1) for (let i = at + 1; i < versions.length; i++) yield { version: versions[i]!, latest: i === 0 };
        }
        for (const entry of walk(s3.keys.of(bucket), bucket, prefix, delimiter, startAfter(prefix, delimiter, keyMarker, false), any)) {
          if (entry.versions === undefined) yield { prefix: entry.prefix };
          else for (let i = 0; i < entry.versions.length; i++) yield { version: entry.versions[i]!, latest: i === 0 };
        }
      }

      const shown: Item[] = [];
      let truncated = false;
      if (max > 0) {
        for (const item of items()) {
          if (shown.length === max) {
            truncated = true;
            break;
          }
          shown.push(item);
        }
      }
      const versions: Version[] = [];
      const markers: Marker[] = [];
      const prefixes: Array<{ Prefix: string }> = [];
      for (const item of shown) {
        if ('prefix' in item) {
          prefixes.push({ Prefix: name(item.prefix) });
          continue;
        }
        const v = item.version;
        const common = { Key: name(v.key), VersionId: v.versionId, IsLatest: item.latest, LastModified: listed(v.lastModified) };
        if (v.deleteMarker) markers.push({ Owner: owner(v.owner), ...common });
        else versions.push({ ...common, ...objectFields(v, true, input.OptionalObjectAttributes) });
      }
      const last = shown[shown.length - 1];
      return {
        Name: bucket.name,
        Prefix: name(prefix),
        KeyMarker: name(keyMarker),
        VersionIdMarker: versionMarker ?? '',
        ...(truncated && last
          ? 'prefix' in last
            ? { NextKeyMarker: name(last.prefix) }
            : { NextKeyMarker: name(last.version.key), NextVersionIdMarker: last.version.versionId }
          : {}),
        MaxKeys: max,
        ...(delimiter !== undefined ? { Delimiter: name(delimiter) } : {}),
        IsTruncated: truncated,
        ...(url ? { EncodingType: 'url' } : {}),
        ...(versions.length > 0 ? { Versions: versions } : {}),
        ...(markers.length > 0 ? { DeleteMarkers: markers } : {}),
        ...(prefixes.length > 0 ? { CommonPrefixes: prefixes } : {}),
      };
    },
  } satisfies Partial<S3Api>;
}
