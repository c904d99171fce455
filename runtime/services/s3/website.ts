/**
 * Static website hosting: requests whose Host is `<bucket>.s3-website.<domain>` or
 * `<bucket>.s3-website-<region>.<domain>` (runtime/aws/s3-hosts.ts) are served as a website,
 * not as the REST API (reached through Provider.intercept, see cors.ts):
 *
 * - GET and HEAD only (anything else: 405 MethodNotAllowed page);
 * - unknown bucket: 404 NoSuchBucket page; bucket without website configuration: 404
 *   NoSuchWebsiteConfiguration page;
 * - RedirectAllRequestsTo: 301 to `<protocol>://<host><path>`;
 * - RoutingRules: a rule with a KeyPrefixEquals condition (or none) redirects before the
 *   object is looked up, one with HttpErrorCodeReturnedEquals 404 when the key is missing;
 *   the Location takes the rule's Protocol, HostName, ReplaceKeyWith / ReplaceKeyPrefixWith,
 *   the status its HttpRedirectCode (301 by default);
 * - `/` and keys ending in `/` serve `<key><IndexDocument.Suffix>`; a key without slash that
 *   has no object while `<key>/<suffix>` exists redirects (302) to `<key>/`;
 * - an object with x-amz-website-redirect-location: 301 to it;
 * - a missing key: the ErrorDocument with status 404, or S3's 404 NoSuchKey page (with the
 *   nested error when the error document itself is missing);
 * - the object's stored headers (Content-Type, Cache-Control, ..., x-amz-meta-*), ETag,
 *   Last-Modified; conditional GETs (304 / 412) and byte ranges (206) as GetObject has them.
 * Bodies are streamed from the blob store, never buffered whole.
 *
 * LIMITATIONS: access is not checked (S3 requires public-read objects or a bucket policy; a
 * private object here is served anyway, as LocalStack does); requests are taken to be plain
 * http for redirects that keep the request's protocol; Location keys are percent-encoded
 * per path segment.
 */
import { STATUS_CODES } from 'node:http';
import { ServiceError } from '../../aws/errors.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import { checkReadConditions } from './conditions.js';
import { parseRange } from './objects.js';
import type { S3Service } from './service.js';
import { latestVersion, type Bucket, type StoredObject } from './state.js';
import { websiteConfig, type WebsiteConfiguration } from './bucket-config.js';

const HTML = 'text/html; charset=utf-8';

type RoutingRule = NonNullable<WebsiteConfiguration['RoutingRules']>[number];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** S3's HTML error page. `nested`: the error met while fetching the custom error document. */
function errorPage(ctx: RequestContext, res: GatewayResponse, status: number, code: string, message: string, fields: Record<string, string>, nested?: string): void {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const items = Object.entries({ Code: code, Message: message, ...fields, RequestId: ctx.requestId, HostId: Buffer.from(ctx.requestId).toString('base64') })
    .map(([k, v]) => `<li>${k}: ${escapeHtml(v)}</li>`)
    .join('\n');
  const extra = nested
    ? `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: ${escapeHtml(nested)}</li>\n</ul>\n`
    : '';
  res.send(status, HTML, `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items}\n</ul>\n${extra}<hr/>\n</body>\n</html>\n`);
}

function redirect(res: GatewayResponse, status: number, location: string): void {
  res.headers.location = location;
  res.send(status, undefined, '');
}

/** The first routing rule that applies to `key` (before the lookup: errorCode undefined). */
function findRule(rules: readonly RoutingRule[] | undefined, key: string, errorCode?: number): RoutingRule | undefined {
  return rules?.find((rule) => {
    const c = rule.Condition;
    if (!c) return true;
    const prefixOk = c.KeyPrefixEquals === undefined || key.startsWith(c.KeyPrefixEquals);
    const codeOk = c.HttpErrorCodeReturnedEquals === undefined || Number(c.HttpErrorCodeReturnedEquals) === errorCode;
    return prefixOk && codeOk;
  });
}

function ruleRedirect(ctx: RequestContext, res: GatewayResponse, rule: RoutingRule, key: string): void {
  const r = rule.Redirect;
  let target = key;
  if (r.ReplaceKeyWith !== undefined) target = r.ReplaceKeyWith;
  else if (r.ReplaceKeyPrefixWith !== undefined) target = r.ReplaceKeyPrefixWith + key.slice((rule.Condition?.KeyPrefixEquals ?? '').length);
  const host = r.HostName ?? ctx.header('host') ?? '';
  redirect(res, Number(r.HttpRedirectCode ?? 301), `${r.Protocol ?? 'http'}://${host}/${encodeKey(target)}`);
}

/** The newest version of a key if it is an object (not a delete marker). */
function current(bucket: Bucket, key: string): StoredObject | undefined {
  const v = latestVersion(bucket, key);
  return v && !v.deleteMarker ? v : undefined;
}

function date(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Writes an object (or a range of it) with its stored headers; `status` 404 for the error document. */
function sendObject(s3: S3Service, ctx: RequestContext, res: GatewayResponse, object: StoredObject, status: number): void {
  const h = res.headers;
  const s = object.system;
  h['content-type'] = s.ContentType ?? 'binary/octet-stream';
  if (s.CacheControl !== undefined) h['cache-control'] = s.CacheControl;
  if (s.ContentDisposition !== undefined) h['content-disposition'] = s.ContentDisposition;
  if (s.ContentEncoding !== undefined) h['content-encoding'] = s.ContentEncoding;
  if (s.ContentLanguage !== undefined) h['content-language'] = s.ContentLanguage;
  if (s.Expires !== undefined) h.expires = s.Expires;
  for (const [name, value] of Object.entries(object.metadata)) h[`x-amz-meta-${name}`] = value;
  h.etag = object.etag;
  h['last-modified'] = new Date(object.lastModified).toUTCString();
  h['accept-ranges'] = 'bytes';
  let start = 0;
  let end = object.size - 1;
  if (status === 200) {
    checkReadConditions(object, {
      IfMatch: ctx.header('if-match'),
      IfNoneMatch: ctx.header('if-none-match'),
      IfModifiedSince: date(ctx.header('if-modified-since')),
      IfUnmodifiedSince: date(ctx.header('if-unmodified-since')),
    });
    const range = parseRange(ctx.header('range'), object.size);
    if (range) {
      ({ start, end } = range);
      status = 206;
      h['content-range'] = `bytes ${start}-${end}/${object.size}`;
    }
  }
  const length = end - start + 1;
  h['content-length'] = String(Math.max(0, length));
  const body = ctx.method === 'HEAD' || length <= 0 ? '' : s3.blobs.read(object.blobs, start, end);
  res.send(status, undefined, body);
}

function serve(s3: S3Service, ctx: RequestContext, res: GatewayResponse, bucketName: string): void {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    errorPage(ctx, res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: ctx.method, ResourceType: 'OBJECT' });
    return;
  }
  const bucket = s3.state.buckets[bucketName];
  if (!bucket) {
    errorPage(ctx, res, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucketName });
    return;
  }
  const config = websiteConfig(bucket);
  if (!config) {
    errorPage(ctx, res, 404, 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', { BucketName: bucketName });
    return;
  }
  const all = config.RedirectAllRequestsTo;
  if (all) {
    redirect(res, 301, `${all.Protocol ?? 'http'}://${all.HostName}${ctx.path}`);
    return;
  }
  let key: string;
  try {
    key = decodeURIComponent(ctx.path.slice(1));
  } catch {
    key = ctx.path.slice(1);
  }
  const rules = config.RoutingRules;
  const early = key ? findRule(rules, key) : undefined;
  if (early) {
    ruleRedirect(ctx, res, early, key);
    return;
  }
  const suffix = config.IndexDocument?.Suffix ?? 'index.html';
  const folder = key === '' || key.endsWith('/');
  const lookup = folder ? key + suffix : key;
  const object = current(bucket, lookup);
  if (!object) {
    if (!folder && current(bucket, `${key}/${suffix}`)) {
      redirect(res, 302, `${ctx.path}/`);
      return;
    }
    const late = findRule(rules, key, 404);
    if (late) {
      ruleRedirect(ctx, res, late, key);
      return;
    }
    const errorKey = config.ErrorDocument?.Key;
    const errorObject = errorKey !== undefined ? current(bucket, errorKey) : undefined;
    if (errorObject) {
      if (errorObject.websiteRedirectLocation !== undefined) redirect(res, 301, errorObject.websiteRedirectLocation);
      else sendObject(s3, ctx, res, errorObject, 404);
      return;
    }
    errorPage(ctx, res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: lookup }, errorKey);
    return;
  }
  if (object.websiteRedirectLocation !== undefined) {
    redirect(res, 301, object.websiteRedirectLocation);
    return;
  }
  sendObject(s3, ctx, res, object, 200);
}

/** Answers a website request for `bucketName`; S3's errors become its HTML error pages. */
export function serveWebsite(s3: S3Service, ctx: RequestContext, res: GatewayResponse, bucketName: string): void {
  try {
    serve(s3, ctx, res, bucketName);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (error.status === 304) {
      if (error.headers) Object.assign(res.headers, error.headers);
      res.send(304, undefined, '');
      return;
    }
    if (error.headers) Object.assign(res.headers, error.headers);
    delete res.headers['content-length'];
    delete res.headers['content-type'];
    errorPage(ctx, res, error.status, error.code, error.message, Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [k, String(v)])));
  }
}
