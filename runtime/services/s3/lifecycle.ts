/**
 * Lifecycle rules applied: every S3_LIFECYCLE_INTERVAL seconds (off when unset or 0), on the
 * provider's scheduler (so the passes stop with the provider, and read its clock), each
 * bucket's enabled rules expire current versions (Expiration Days / Date), remove expired
 * object delete markers (ExpiredObjectDeleteMarker), delete noncurrent versions
 * (NoncurrentVersionExpiration, keeping NewerNoncurrentVersions) and abort stale multipart
 * uploads (AbortIncompleteMultipartUpload), announcing LifecycleExpiration events as S3 does.
 * `applyLifecycle(s3, now)` is the pass itself, with the time given.
 *
 * Days count as S3 counts them: an object is due at the first midnight UTC after its
 * creation (or, for noncurrent versions, the creation of its successor) plus the days.
 * expirationOutput gives objects.ts and multipart.ts the x-amz-expiration header S3 sends
 * with GET, HEAD, PUT and CompleteMultipartUpload answers of an object a rule will expire.
 *
 * LIMITATIONS: transitions (Transitions, NoncurrentVersionTransitions) are not applied,
 * objects keep their storage class; a pass walks every object of every bucket with a
 * lifecycle configuration (fine for a local emulator's sizes, not for millions of keys).
 */
import { randomHex } from '../../aws/ids.js';
import type { Scheduler, Timer } from '../../scheduler.js';
import type { LifecycleRule } from './bucket-config.js';
import { lifecycleConfig } from './bucket-config.js';
import type { S3Service } from './service.js';
import { commitVersion, removeVersion, type Bucket, type StoredObject } from './state.js';

const DAY = 86_400_000;

/** The moment `days` days after `from` are up: the next midnight UTC after from + days. */
export function dueAfter(from: string, days: number): number {
  const t = Date.parse(from) + days * DAY;
  return Math.ceil(t / DAY) * DAY;
}

function tagsOf(rule: LifecycleRule): Array<{ Key: string; Value: string }> {
  const f = rule.Filter;
  if (!f) return [];
  if (f.Tag) return [f.Tag];
  return f.And?.Tags ?? [];
}

/** Whether a rule's filter selects an object. */
export function ruleSelects(rule: LifecycleRule, object: StoredObject): boolean {
  const f = rule.Filter;
  const prefix = rule.Prefix ?? f?.Prefix ?? f?.And?.Prefix ?? '';
  if (!object.key.startsWith(prefix)) return false;
  for (const tag of tagsOf(rule)) {
    if (!object.tags.some((t) => t.Key === tag.Key && t.Value === tag.Value)) return false;
  }
  const greater = f?.ObjectSizeGreaterThan ?? f?.And?.ObjectSizeGreaterThan;
  const less = f?.ObjectSizeLessThan ?? f?.And?.ObjectSizeLessThan;
  if (!object.deleteMarker && greater !== undefined && !(object.size > greater)) return false;
  if (!object.deleteMarker && less !== undefined && !(object.size < less)) return false;
  return true;
}

/**
 * The x-amz-expiration header of an object a lifecycle Expiration rule will expire:
 * `expiry-date="<RFC 1123>", rule-id="<ID>"`, the earliest when several rules match. Days
 * count from the object's creation as the passes count them (dueAfter: the midnight UTC after
 * LastModified + Days); a Date rule expires at its date. Only the current version of a key,
 * and only enabled rules that expire current versions (not ExpiredObjectDeleteMarker).
 * Returns `{ Expiration }` for an output, or nothing.
 */
export function expirationOutput(bucket: Bucket, object: StoredObject): { Expiration?: string } {
  if (object.deleteMarker || bucket.objects[object.key]?.[0] !== object) return {};
  let found: { due: number; id: string } | undefined;
  for (const rule of lifecycleConfig(bucket)?.Rules ?? []) {
    const e = rule.Expiration;
    if (rule.Status !== 'Enabled' || !e || (e.Days === undefined && e.Date === undefined) || !ruleSelects(rule, object)) continue;
    const due = e.Days !== undefined ? dueAfter(object.lastModified, e.Days) : new Date(e.Date!).getTime();
    if (!found || due < found.due) found = { due, id: rule.ID ?? '' };
  }
  return found ? { Expiration: `expiry-date="${new Date(found.due).toUTCString()}", rule-id="${found.id}"` } : {};
}

/** Announces a lifecycle event as S3 does: made by S3 itself, under a request id of its own. */
function announce(s3: S3Service, bucket: Bucket, name: string, object: StoredObject): void {
  s3.notify({ name, bucket, object, requestId: randomHex(8).toUpperCase(), accountId: bucket.accountId, region: bucket.region, sourceIp: 's3.amazonaws.com' });
}

/** Expires the current version of a key as S3 does for the bucket's versioning state. */
function expireCurrent(s3: S3Service, bucket: Bucket, current: StoredObject, now: number): void {
  if (bucket.versioning === undefined) {
    const removed = removeVersion(s3, bucket, current.key, current.versionId);
    if (removed) {
      s3.blobs.remove(removed.blobs);
      announce(s3, bucket, 'LifecycleExpiration:Delete', removed);
    }
    return;
  }
  const marker: StoredObject = { key: current.key, versionId: 'null', deleteMarker: true, lastModified: new Date(now).toISOString(), owner: bucket.accountId, size: 0, etag: '', blobs: [], system: {}, metadata: {}, storageClass: 'STANDARD', tags: [] };
  const replaced = commitVersion(s3, bucket, marker);
  s3.blobs.remove(replaced.flatMap((v) => v.blobs));
  announce(s3, bucket, 'LifecycleExpiration:DeleteMarkerCreated', marker);
}

/** One lifecycle pass over every bucket, at `now` (ms since the epoch). Returns what it did. */
export function applyLifecycle(s3: S3Service, now: number): { expired: number; removed: number; aborted: number } {
  const done = { expired: 0, removed: 0, aborted: 0 };
  for (const bucket of Object.values(s3.state.buckets)) {
    const rules = lifecycleConfig(bucket)?.Rules.filter((r) => r.Status === 'Enabled');
    if (!rules || rules.length === 0) continue;
    for (const key of Object.keys(bucket.objects)) {
      for (const rule of rules) {
        const versions = bucket.objects[key];
        if (!versions || versions.length === 0) break;
        const current = versions[0]!;
        const e = rule.Expiration;
        if (e && !current.deleteMarker && ruleSelects(rule, current)) {
          const due = e.Days !== undefined ? dueAfter(current.lastModified, e.Days) : e.Date !== undefined ? new Date(e.Date).getTime() : Infinity;
          if (now >= due) {
            expireCurrent(s3, bucket, current, now);
            done.expired++;
            continue;
          }
        }
        const nve = rule.NoncurrentVersionExpiration;
        if (nve?.NoncurrentDays !== undefined && versions.length > 1) {
          const keep = nve.NewerNoncurrentVersions ?? 0;
          // versions[i] became noncurrent when versions[i - 1] was written
          for (let i = versions.length - 1; i >= 1 + keep; i--) {
            const v = versions[i]!;
            if (!ruleSelects(rule, v) || now < dueAfter(versions[i - 1]!.lastModified, nve.NoncurrentDays)) continue;
            const removed = removeVersion(s3, bucket, key, v.versionId);
            if (removed) {
              s3.blobs.remove(removed.blobs);
              announce(s3, bucket, 'LifecycleExpiration:Delete', removed);
              done.removed++;
            }
          }
        }
        const left = bucket.objects[key];
        if (e?.ExpiredObjectDeleteMarker === true && left?.length === 1 && left[0]!.deleteMarker && ruleSelects(rule, left[0]!)) {
          const marker = removeVersion(s3, bucket, key, left[0]!.versionId);
          if (marker) announce(s3, bucket, 'LifecycleExpiration:Delete', marker);
          done.removed++;
        }
      }
    }
    for (const rule of rules) {
      const days = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
      if (days === undefined) continue;
      const prefix = rule.Prefix ?? rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? '';
      for (const [id, upload] of Object.entries(bucket.uploads)) {
        if (!upload.key.startsWith(prefix) || now < dueAfter(upload.initiated, days)) continue;
        s3.blobs.remove(Object.values(upload.parts).map((p) => p.blob));
        delete bucket.uploads[id];
        s3.changed(bucket, 'uploads', id);
        done.aborted++;
      }
    }
  }
  return done;
}

/**
 * Runs lifecycle passes every `seconds` seconds (S3_LIFECYCLE_INTERVAL) on the provider's
 * scheduler, at its clock's time; undefined when they are off. The timer stops with the
 * provider (the runtime cancels a provider's timers when it stops).
 */
export function startLifecycle(s3: S3Service, scheduler: Scheduler, seconds = s3.config.s3LifecycleInterval): Timer | undefined {
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return scheduler.every(seconds * 1000, () => {
    const done = applyLifecycle(s3, scheduler.clock.now());
    if (done.expired + done.removed + done.aborted > 0) s3.log.debug(`S3 lifecycle: ${done.expired} expired, ${done.removed} versions removed, ${done.aborted} uploads aborted`);
  });
}
