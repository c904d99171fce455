/**
 * What rest-json and rest-xml share: routing a request to an operation by method and
 * `requestUri` template, and the HTTP bindings of members (uri labels, query string,
 * headers, prefixed header maps, status code). The body codecs live in rest-json.ts and
 * rest-xml.ts.
 *
 * An operation's alternate routes (patches.json `alternateRoutes`) are routed like its own
 * route; a request that comes by one resolves to the OperationModel of that route, whose
 * input binds the members that route's way, so parsing needs to know nothing more.
 */
import { ServiceError } from '../errors.js';
import type { OperationModel, ServiceModel, Shape } from '../models/service-model.js';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import { decodeBase64, encodeBase64, formatTimestamp, memberPath, SCALAR_NAMES, scalarFromText, type TimestampFormat } from './scalars.js';

interface Route {
  readonly op: OperationModel;
  readonly pattern: RegExp;
  readonly labels: readonly string[];
  /** Query keys the template requires (`?uploads`, `?list-type=2`). */
  readonly query: ReadonlyArray<readonly [string, string | undefined]>;
  /**
   * Required members bound to headers and query parameters: operations that share a template
   * are told apart by them (S3's UploadPartCopy has x-amz-copy-source, AbortMultipartUpload
   * has uploadId, GetBucketAnalyticsConfiguration has id).
   */
  readonly requiredHeaders: readonly string[];
  readonly requiredQuery: readonly string[];
  readonly score: number;
}

export interface RouteMatch {
  readonly op: OperationModel;
  /** Label values, URL-decoded. */
  readonly labels: Record<string, string>;
}

const routers = new WeakMap<ServiceModel, Map<string, Route[]>>();

function compileRoute(op: OperationModel): Route {
  const [pathPart, queryPart = ''] = op.requestUri.split('?');
  const labels: string[] = [];
  let literal = 0;
  let greedy = false;
  const source = (pathPart ?? '/').replace(/\{([^}]+)\}|([^{]+)/g, (_m, label: string | undefined, text: string | undefined) => {
    if (label !== undefined) {
      if (label.endsWith('+')) {
        // greedy labels keep slashes but are never empty: `/bucket/` is the bucket, not a key
        greedy = true;
        labels.push(label.slice(0, -1));
        return '(.+)';
      }
      labels.push(label);
      return '([^/]+)';
    }
    literal += text!.length;
    return text!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  const query = queryPart
    .split('&')
    .filter(Boolean)
    .map((kv) => {
      const eq = kv.indexOf('=');
      return eq === -1 ? ([kv, undefined] as const) : ([kv.slice(0, eq), kv.slice(eq + 1)] as const);
    });
  // a trailing slash is optional both ways ("/2015-03-31/functions/" is sent without it)
  const body = source.length > 1 && source.endsWith('/') ? source.slice(0, -1) : source;
  const trailing = greedy || body === '/' ? '' : '/?';
  const score = literal * 100 + query.length * 10 + (greedy ? 0 : 5) - labels.length;
  const requiredHeaders: string[] = [];
  const requiredQuery: string[] = [];
  const input = op.input;
  for (const name of input?.required ?? []) {
    const m = op.service.resolve(input!.members![name]!);
    if (m.location === 'header') requiredHeaders.push((m.locationName ?? name).toLowerCase());
    if (m.location === 'querystring' && m.type !== 'map') requiredQuery.push(m.locationName ?? name);
  }
  return { op, pattern: new RegExp(`^${body}${trailing}$`), labels, query, requiredHeaders, requiredQuery, score };
}

/**
 * Operations with the very same request (S3's GetBucketLifecycle and its successor
 * GetBucketLifecycleConfiguration; ListBuckets and S3 Express's ListDirectoryBuckets):
 * the current one, on the regular endpoint, answers.
 */
function tieBreak(op: OperationModel): number {
  const express = (op.raw.staticContextParams as Record<string, { value?: unknown }> | undefined)?.UseS3ExpressControlEndpoint?.value === true;
  return (op.raw.deprecated === true ? 2 : 0) + (express ? 1 : 0);
}

function routerOf(service: ServiceModel): Map<string, Route[]> {
  let router = routers.get(service);
  if (router) return router;
  router = new Map();
  // an operation's alternate routes (patches.json) are routes like any other, each to the
  // OperationModel that binds members the way that route does
  for (const op of [...service.operations.values()].flatMap((o) => [o, ...o.alternates])) {
    const routes = router.get(op.method) ?? [];
    routes.push(compileRoute(op));
    router.set(op.method, routes);
  }
  for (const routes of router.values()) routes.sort((a, b) => b.score - a.score || tieBreak(a.op) - tieBreak(b.op));
  routers.set(service, router);
  return router;
}

function routeLabels(route: Route, m: RegExpExecArray): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  try {
    route.labels.forEach((name, i) => {
      labels[name] = decodeURIComponent(m[i + 1] ?? '');
    });
  } catch {
    return undefined;
  }
  return labels;
}

/**
 * Finds the operation a REST request addresses, or undefined: the most specific template
 * that matches; among equally specific ones, the one whose required header and query members
 * are all present (the more of them, the better).
 */
export function matchRoute(service: ServiceModel, method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders = {}): RouteMatch | undefined {
  const routes = routerOf(service).get(method === 'HEAD' && !routerOf(service).has('HEAD') ? 'GET' : method);
  if (!routes) return undefined;
  let best: { route: Route; labels: Record<string, string>; fit: number } | undefined;
  for (const route of routes) {
    if (best && route.score < best.route.score) break;
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (!route.query.every(([k, v]) => (v === undefined ? query.has(k) : query.get(k) === v))) continue;
    const labels = routeLabels(route, m);
    if (!labels) continue;
    const present = route.requiredHeaders.every((h) => headers[h] !== undefined) && route.requiredQuery.every((q) => query.has(q));
    const fit = present ? 1 + route.requiredHeaders.length + route.requiredQuery.length : 0;
    if (!best || fit > best.fit) best = { route, labels, fit };
  }
  return best && { op: best.route.op, labels: best.labels };
}

/** The URI label values of each routed request, kept for readHttpBindings. */
const labelsOf = new WeakMap<RequestContext, Record<string, string>>();

/** Routes a REST request to its operation (the codecs' resolveOperation). */
export function resolveRestOperation(context: RequestContext, service: ServiceModel): OperationModel {
  const match = matchRoute(service, context.method, context.path, context.query, context.headers);
  if (!match) {
    throw new ServiceError('UnknownOperationException', `No operation of ${service.name} matches ${context.method} ${context.path}`, { status: 404 });
  }
  labelsOf.set(context, match.labels);
  return match.op;
}

function malformed(where: string, value: string, what: string): ServiceError {
  return new ServiceError('SerializationException', `Value '${value}' at '${where}' is not ${what}`);
}

/** Converts one string from a label, query parameter or header to the member's type. */
function fromString(shape: Shape, text: string, where: string, timestamps: TimestampFormat): unknown {
  if (shape.type === 'string' && shape.jsonvalue) {
    const raw = decodeBase64(text);
    try {
      return JSON.parse(raw ? raw.toString('utf8') : text);
    } catch {
      throw malformed(where, text, 'base64-encoded JSON');
    }
  }
  const expected = SCALAR_NAMES[shape.type];
  if (!expected) return text;
  const v = scalarFromText(shape.type, text);
  if (v === undefined) throw malformed(where, text, shape.type === 'timestamp' ? `a timestamp (${shape.timestampFormat ?? timestamps})` : expected);
  return v;
}

type BindingReader = (context: RequestContext, labels: Record<string, string>, input: Record<string, unknown>) => void;

/** One reader per member bound to the URI, query string or headers, compiled once per operation. */
function compileBindingReaders(op: OperationModel): BindingReader[] {
  const shape = op.input;
  if (!shape) return [];
  const service = op.service;
  const readers: BindingReader[] = [];
  // keys fixed by the template (`/restapis?mode=import`) belong to no member
  const boundQueryKeys = new Set<string>(
    (op.requestUri.split('?')[1] ?? '')
      .split('&')
      .filter(Boolean)
      .map((kv) => kv.split('=')[0]!),
  );
  for (const [name, m] of service.members(shape)) {
    const wire = m.locationName ?? name;
    switch (m.location) {
      case 'uri':
        readers.push((_ctx, labels, input) => {
          const v = labels[wire];
          if (v !== undefined) input[name] = fromString(m, v, wire, 'iso8601');
        });
        break;
      case 'querystring':
        if (m.type === 'map') {
          // a query map takes every parameter no other member is bound to
          readers.push((ctx, _labels, input) => {
            const map: Record<string, unknown> = {};
            let any = false;
            for (const [k, v] of ctx.query) {
              if (boundQueryKeys.has(k)) continue;
              map[k] = v;
              any = true;
            }
            if (any) input[name] = map;
          });
        } else if (m.type === 'list') {
          boundQueryKeys.add(wire);
          const item = service.resolve(m.member ?? {});
          readers.push((ctx, _labels, input) => {
            const values = ctx.query.getAll(wire);
            if (values.length > 0) input[name] = values.map((v) => fromString(item, v, wire, 'iso8601'));
          });
        } else {
          boundQueryKeys.add(wire);
          readers.push((ctx, _labels, input) => {
            const v = ctx.rawQuery === '' ? null : ctx.query.get(wire);
            // S3 reads an empty number (ListParts `part-number-marker=`, `max-parts=`) as none given
            if (v === '' && m.type !== 'string' && ctx.serviceName === 's3') return;
            if (v !== null) input[name] = fromString(m, v, wire, 'iso8601');
          });
        }
        break;
      case 'header': {
        const header = wire.toLowerCase();
        const item = m.type === 'list' ? service.resolve(m.member ?? {}) : undefined;
        readers.push((ctx, _labels, input) => {
          const v = ctx.header(header);
          if (v === undefined) return;
          input[name] = item ? v.split(',').map((x) => fromString(item, x.trim(), wire, 'rfc822')) : fromString(m, v, wire, 'rfc822');
        });
        break;
      }
      case 'headers': {
        const prefix = wire.toLowerCase();
        readers.push((ctx, _labels, input) => {
          // names are the client's (x-amz-meta-*): no prototype, so `__proto__` is kept like any other
          const map = Object.create(null) as Record<string, string>;
          let any = false;
          for (const [k, v] of Object.entries(ctx.headers)) {
            if (k.startsWith(prefix) && v !== undefined) {
              map[k.slice(prefix.length)] = Array.isArray(v) ? v.join(',') : v;
              any = true;
            }
          }
          if (any) input[name] = map;
        });
        break;
      }
      default:
        break;
    }
  }
  return readers;
}

/**
 * Reads the members bound to the URI, query string and headers into `input`. Members with no
 * location are left to the body codec.
 */
export function readHttpBindings(context: RequestContext, op: OperationModel, input: Record<string, unknown>): void {
  const labels = labelsOf.get(context) ?? {};
  for (const read of op.plan('rest.bindings', compileBindingReaders)) read(context, labels, input);
}

/** Required members that are bound to the request line or headers and missing. */
export function missingRequired(op: OperationModel, input: Record<string, unknown>): string[] {
  const shape = op.input;
  if (!shape?.required) return [];
  return shape.required
    .filter((name) => input[name] === undefined)
    .map((name) => `Value null at '${memberPath('', name)}' failed to satisfy constraint: Member must not be null`);
}

/**
 * The body part of a structure: a synthetic structure of the members bound to neither
 * headers, URI, query nor status (keeping the structure's XML name and namespace), or
 * undefined when every member is bound elsewhere.
 */
export function bodyShape(service: ServiceModel, shape: Shape): Shape | undefined {
  const names = service.members(shape).filter(([, m]) => m.location === undefined).map(([n]) => n);
  if (names.length === 0) return undefined;
  return {
    ...shape,
    type: 'structure',
    members: Object.fromEntries(names.map((n) => [n, shape.members![n]!])),
    required: (shape.required ?? []).filter((n) => names.includes(n)),
    payload: undefined,
  };
}

type BindingWriter = (value: unknown, response: GatewayResponse) => void;

/**
 * One writer per output member bound to the status or headers, by member name. Writing walks
 * the members the output has (a GetObject answer sets about 15 of its 45 header members), not
 * every member the shape declares.
 */
function compileBindingWriters(op: OperationModel): Map<string, BindingWriter> {
  const writers = new Map<string, BindingWriter>();
  const shape = op.output;
  if (!shape) return writers;
  for (const [name, m] of op.service.members(shape)) {
    const wire = m.locationName ?? name;
    switch (m.location) {
      case 'statusCode':
        writers.set(name, (v, response) => {
          response.status = Number(v);
        });
        break;
      case 'header': {
        const header = wire.toLowerCase();
        writers.set(name, (v, response) => {
          response.headers[header] = headerValue(m, v);
        });
        break;
      }
      case 'headers':
        writers.set(name, (v, response) => {
          for (const [k, x] of Object.entries(v as Record<string, unknown>)) response.headers[`${wire}${k}`.toLowerCase()] = String(x);
        });
        break;
      default:
        break;
    }
  }
  return writers;
}

/** Writes the status and the header-bound members of an output. */
export function writeHttpBindings(op: OperationModel, output: Record<string, unknown>, response: GatewayResponse): void {
  response.status = op.responseCode;
  const writers = op.plan('rest.output-bindings', compileBindingWriters);
  if (writers.size === 0) return;
  for (const name in output) {
    const v = output[name];
    if (v === undefined || v === null) continue;
    writers.get(name)?.(v, response);
  }
}

function headerValue(m: Shape, v: unknown): string {
  if (m.type === 'timestamp') return String(formatTimestamp(v, m.timestampFormat ?? 'rfc822'));
  if (m.type === 'list') return (v as unknown[]).map(String).join(',');
  if (m.jsonvalue) return Buffer.from(JSON.stringify(v)).toString('base64');
  if (m.type === 'blob') return Buffer.isBuffer(v) ? v.toString('base64') : String(v);
  return String(v);
}

/** How a REST codec reads an operation's input document. */
export interface RestInputPlan<R> {
  /** The payload member, when the operation has one. */
  readonly payload?: { name: string; shape: Shape };
  /** Reads the document: the payload structure, or the body members. */
  readonly read?: R;
}

/**
 * The input plan of a REST operation for a body codec: a raw payload (blob, string) is
 * passed through, a structure payload or the unbound members are read with `compile`.
 * `emptyBody` is read when every member is bound elsewhere (rest-json reads `{}`).
 */
export function restInputPlan<R>(op: OperationModel, compile: (shape: Shape) => R, emptyBody?: Shape): RestInputPlan<R> {
  const shape = op.input;
  if (!shape) return {};
  if (shape.payload) {
    const m = op.service.resolve(shape.members![shape.payload]!);
    const payload = { name: shape.payload, shape: m };
    return m.type === 'structure' ? { payload, read: compile(m) } : { payload };
  }
  const body = bodyShape(op.service, shape) ?? emptyBody;
  return body ? { read: compile(body) } : {};
}

/**
 * The body for a raw (blob or string) payload value: text and bytes as they are, a stream
 * (Node Readable, or any async iterable of bytes) passed through to be piped to the client
 * without being held in memory.
 */
export function rawPayloadBody(value: unknown): string | Buffer | Readable {
  if (typeof value === 'string') return value;
  if (value instanceof Readable) return value;
  if (value !== null && typeof value === 'object' && Symbol.asyncIterator in value) {
    return Readable.from(value as AsyncIterable<Uint8Array>, { objectMode: false });
  }
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(encodeBase64(value), 'base64');
}

/**
 * A streaming input payload as the provider gets it: always a stream, whether the body is
 * being received (ctx.bodyStream) or was small enough to be read already.
 */
export function streamingBody(context: RequestContext): Readable {
  return context.bodyStream ?? Readable.from(context.body.length > 0 ? [context.body] : []);
}
