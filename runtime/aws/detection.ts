/**
 * Which service does a request address? The rules of reference-protocols.md, in order:
 *
 * 1. the SigV4 signing name (header or presigned query); ambiguous names are split by
 *    X-Amz-Target, `Action`/`Version`, or the first path segment;
 * 2. the X-Amz-Target prefix, or `/service/X/operation/Y` (smithy-rpc-v2-cbor);
 * 3. path rules: SQS queue URLs, Lambda's `/2015-03-31/functions`;
 * 4. the Host: `<endpointPrefix>.`, `.lambda-url.`, `.execute-api.`, and S3's hosts (s3-hosts.ts:
 *    websites, `<bucket>.s3.`, `<bucket>.localhost`);
 * 5. the query `Action` (with `Version` to tell services apart);
 * 6. S3 fallbacks: object paths, PUT /bucket, OPTIONS /bucket..., presigned or SigV2 requests,
 *    POST ?delete, multipart/form-data POST to a bucket (browser uploads), aws-cli.
 *
 * Works from the generated index only: no model is loaded to route a request.
 */
import type { RequestContext } from '../request-context.js';
import { hostName, localhostBucket, s3ServiceOfHost } from './s3-hosts.js';
import { SERVICE_INDEX } from './models/service-index.generated.js';
import type { ServiceIndexEntry } from './models/types.js';

type Entry = ServiceIndexEntry;

function group<K>(key: (e: Entry) => K | undefined): Map<K, Entry[]> {
  const map = new Map<K, Entry[]>();
  for (const e of SERVICE_INDEX) {
    const k = key(e);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(e);
    else map.set(k, [e]);
  }
  return map;
}

const bySigningName = group((e) => e.signingName);
const byTargetPrefix = group((e) => e.targetPrefix);
const byEndpointPrefix = group((e) => e.endpointPrefix);
let byAction: Map<string, Entry[]> | undefined;

/** When nothing else tells candidates apart, these win (LocalStack routes them so). */
const PREFERRED = ['rds', 'events', 'sesv2', 'ses', 'elb', 'apigateway', 's3', 'opensearch', 'dynamodb', 'lambda'];

function actionsIndex(): Map<string, Entry[]> {
  if (!byAction) {
    byAction = new Map();
    for (const e of SERVICE_INDEX) {
      const protocols = e.protocols ?? [e.protocol];
      if (!protocols.includes('query') && !protocols.includes('ec2')) continue;
      for (const a of e.actions ?? []) {
        const list = byAction.get(a);
        if (list) list.push(e);
        else byAction.set(a, [e]);
      }
    }
  }
  return byAction;
}

function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return path.slice(1, end === -1 ? undefined : end);
}

/** Narrows `list` with `keep` unless that would leave nothing. */
function narrow(list: Entry[], keep: (e: Entry) => boolean): Entry[] {
  const kept = list.filter(keep);
  return kept.length > 0 ? kept : list;
}

function targetOf(context: RequestContext): { prefix: string; op: string } | undefined {
  const target = context.header('x-amz-target');
  if (!target) return undefined;
  const dot = target.lastIndexOf('.');
  return dot === -1 ? { prefix: target, op: '' } : { prefix: target.slice(0, dot), op: target.slice(dot + 1) };
}

/** Query parameters from the URL or a form body (the body is read before detection). */
function queryParam(context: RequestContext, name: string): string | undefined {
  const fromUrl = context.rawQuery ? context.query.get(name) : null;
  if (fromUrl !== null) return fromUrl;
  const type = context.header('content-type');
  if (context.body.length === 0 || !type?.startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(context.body.toString('utf8')).get(name) ?? undefined;
}

function disambiguate(context: RequestContext, candidates: Entry[], signingName?: string): Entry {
  let list = candidates;
  const target = targetOf(context);
  if (target) {
    list = narrow(list, (e) => e.targetPrefix === target.prefix);
    list = narrow(list, (e) => e.actions === undefined || e.actions.includes(target.op));
  } else {
    const action = queryParam(context, 'Action');
    if (action) {
      list = narrow(list, (e) => e.actions?.includes(action) === true);
      const version = queryParam(context, 'Version');
      if (version) list = narrow(list, (e) => e.apiVersion === version);
    } else {
      const seg = firstSegment(context.path);
      list = narrow(list, (e) => e.pathPrefixes?.includes(seg) === true);
    }
  }
  if (list.length === 1) return list[0]!;
  const named = list.find((e) => e.name === signingName);
  if (named) return named;
  for (const p of PREFERRED) {
    const e = list.find((x) => x.name === p);
    if (e) return e;
  }
  return list[0]!;
}

const SQS_QUEUE_PATH = /^\/\d{12}\/[^/]+\/?$/;

function byHost(context: RequestContext): string | undefined {
  const host = context.header('host');
  if (!host) return undefined;
  const name = hostName(host);
  if (name.includes('.lambda-url.')) return 'lambda';
  if (name.includes('.execute-api.')) return 'apigateway';
  const s3 = s3ServiceOfHost(name);
  if (s3) return s3;
  const dot = name.indexOf('.');
  if (dot === -1) return undefined;
  // endpoint prefixes may hold dots themselves ("streams.dynamodb")
  for (let end = dot; end !== -1; end = name.indexOf('.', end + 1)) {
    const candidates = byEndpointPrefix.get(name.slice(0, end));
    if (candidates) return disambiguate(context, candidates).name;
  }
  // `<bucket>.localhost`: what SDKs address with endpoint http://localhost:PORT and virtual hosts
  if (localhostBucket(name) !== undefined) return 's3';
  return undefined;
}

function s3Fallback(context: RequestContext): boolean {
  const { method, path } = context;
  if ((method === 'GET' || method === 'HEAD') && path.length > 1) return true;
  if (method === 'PUT' && path.length > 1) return true;
  // a CORS preflight carries no credentials: to a bucket or object path it is S3's
  if (method === 'OPTIONS' && path.length > 1) return true;
  if (method === 'POST' && /(^|&)delete(=|&|$)/.test(context.rawQuery)) return true;
  // browser uploads (PostObject): an HTML form posted to a bucket, often with no credentials
  if (method === 'POST' && context.header('content-type')?.toLowerCase().startsWith('multipart/form-data')) return true;
  if (context.rawQuery.includes('X-Amz-Credential=') || context.rawQuery.includes('AWSAccessKeyId=')) return true;
  if (context.header('authorization')?.startsWith('AWS ')) return true;
  if (context.header('user-agent')?.startsWith('aws-cli/') && !context.header('x-amz-target')) return true;
  return false;
}

/** The botocore name of the service a request addresses, or undefined. */
export function detectService(context: RequestContext): string | undefined {
  // 1. signing name
  if (context.signingName) {
    const candidates = bySigningName.get(context.signingName);
    if (candidates) return candidates.length === 1 ? candidates[0]!.name : disambiguate(context, candidates, context.signingName).name;
  }
  // 2. X-Amz-Target, or the rpc-v2-cbor path
  const target = targetOf(context);
  if (target) {
    const candidates = byTargetPrefix.get(target.prefix);
    if (candidates) return disambiguate(context, candidates).name;
  }
  const cbor = /^\/service\/([^/]+)\/operation\/[^/]+$/.exec(context.path);
  if (cbor) {
    const candidates = byTargetPrefix.get(cbor[1]!);
    if (candidates) return candidates[0]!.name;
  }
  // 3. path rules
  if (context.method === 'POST' && SQS_QUEUE_PATH.test(context.path)) return 'sqs';
  if (context.path.startsWith('/2015-03-31/functions')) return 'lambda';
  // 4. host
  const fromHost = byHost(context);
  if (fromHost) return fromHost;
  // 5. query Action
  const action = queryParam(context, 'Action');
  if (action) {
    const candidates = actionsIndex().get(action);
    if (candidates) return disambiguate(context, candidates).name;
  }
  // 6. S3 fallbacks
  if (s3Fallback(context)) return 's3';
  return undefined;
}
