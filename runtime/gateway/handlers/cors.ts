/**
 * CORS for browser SDKs: preflights are answered here, origins are checked (localhost and
 * LocalStack's domains, plus EXTRA_CORS_ALLOWED_ORIGINS; off with DISABLE_CORS_CHECKS), and
 * responses to cross-origin requests carry the CORS headers (off with DISABLE_CORS_HEADERS).
 *
 * A provider may claim a request's CORS for itself (`claims`, see Provider.claimsCors: S3 for
 * a bucket with a CORS configuration, as LocalStack does): then none of this applies to it.
 */
import type { RuntimeConfig } from '../../config.js';
import type { Handler, ResponseHandler } from '../chain.js';
import type { RequestContext } from '../../request-context.js';

const ALLOWED_METHODS = 'HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH';
const ALLOWED_HEADERS = [
  'authorization', 'cache-control', 'content-length', 'content-md5', 'content-type', 'etag', 'location',
  'x-amz-acl', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-request-id', 'x-amz-security-token',
  'x-amz-tagging', 'x-amz-target', 'x-amz-user-agent', 'x-amz-version-id', 'x-amzn-requestid',
  'x-localstack-target', 'amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-checksum-crc32',
  'x-amz-checksum-crc32c', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256', 'x-amz-sdk-checksum-algorithm',
  'x-amz-decoded-content-length', 'x-amz-expected-bucket-owner', 'x-amz-api-version',
];
const EXPOSE_HEADERS = [
  'etag', 'x-amz-version-id', 'x-amz-request-id', 'x-amz-id-2', 'x-amzn-requestid', 'x-amzn-errortype',
  'x-amz-delete-marker', 'x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-sha1',
  'x-amz-checksum-sha256', 'x-amz-server-side-encryption', 'x-amz-function-error', 'x-amz-log-result',
  'x-amz-executed-version', 'x-amzn-query-error', 'content-length', 'date', 'location',
];
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', 'localhost.localstack.cloud', 'app.localstack.cloud']);

export function createCorsHandlers(
  config: RuntimeConfig,
  claims: (ctx: RequestContext, allowedByDefault: boolean) => boolean = () => false,
): { enforceCors: Handler; addCorsHeaders: ResponseHandler } {
  /** Requests whose CORS a provider handles itself. */
  const claimed = new WeakSet<RequestContext>();
  const extraOrigins = new Set(config.extraCorsAllowedOrigins);
  const allowHeaders = [...ALLOWED_HEADERS, ...config.extraCorsAllowedHeaders].join(',');
  const exposeHeaders = [...EXPOSE_HEADERS, ...config.extraCorsExposeHeaders].join(',');

  function originAllowed(origin: string): boolean {
    if (config.disableCorsChecks || extraOrigins.has('*') || extraOrigins.has(origin)) return true;
    try {
      const host = new URL(origin).hostname;
      return LOCAL_HOSTS.has(host) || host.endsWith('.localhost.localstack.cloud');
    } catch {
      return false;
    }
  }

  function setHeaders(res: Parameters<Handler>[2], origin: string, requested?: string): void {
    res.headers['access-control-allow-origin'] = origin;
    res.headers['access-control-allow-credentials'] = 'true';
    res.headers['access-control-allow-methods'] = ALLOWED_METHODS;
    res.headers['access-control-allow-headers'] = requested ? `${allowHeaders},${requested}` : allowHeaders;
    res.headers['access-control-expose-headers'] = exposeHeaders;
    res.headers.vary = 'Origin';
  }

  const enforceCors: Handler = (chain, ctx, res) => {
    const origin = ctx.header('origin');
    if (!origin) return;
    const allowed = originAllowed(origin);
    if (claims(ctx, allowed)) {
      claimed.add(ctx);
      return;
    }
    if (!allowed) {
      res.send(403, 'text/plain', `CORS origin not allowed: ${origin}`);
      chain.respond();
      return;
    }
    if (ctx.method === 'OPTIONS' && ctx.header('access-control-request-method')) {
      if (!config.disableCorsHeaders) setHeaders(res, origin, ctx.header('access-control-request-headers'));
      res.headers['access-control-max-age'] = '86400';
      res.send(200, undefined, '');
      chain.respond();
    }
  };

  const addCorsHeaders: ResponseHandler = (_chain, ctx, res) => {
    const origin = ctx.header('origin');
    if (!origin || config.disableCorsHeaders || res.headers['access-control-allow-origin'] || claimed.has(ctx)) return;
    if (originAllowed(origin)) setHeaders(res, origin);
  };

  return { enforceCors, addCorsHeaders };
}
