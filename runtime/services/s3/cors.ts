/**
 * S3 bucket CORS, as S3 (and LocalStack) applies it to browser requests, and the S3
 * provider's raw-HTTP hooks (Provider.claimsCors / Provider.intercept) that put it and
 * website hosting (website.ts) in front of operation routing.
 *
 * A request to a bucket WITH a CORS configuration is S3's alone: the gateway's default CORS
 * handling stays out (claimsCors). A preflight (OPTIONS with Origin and Access-Control-
 * Request-Method) is answered from the bucket's rules: 200 with the first matching rule's
 * headers, or 403 AccessForbidden when none matches; an actual request with an Origin gets
 * the matching rule's headers on its response, whatever the operation answers, and no CORS
 * headers at all when no rule matches.
 * A bucket WITHOUT one keeps LocalStack's default behaviour (handlers/cors.ts), except for
 * an origin the default rules refuse, which S3 handles as LocalStack does: a preflight gets
 * 403 AccessForbidden "CORS is not enabled for this bucket.", other requests go through
 * without CORS headers.
 * An OPTIONS request that reaches S3 without Origin or with a missing or unknown
 * Access-Control-Request-Method is a 400 BadRequest, as in S3.
 *
 * A rule matches when the request's method (the requested one for a preflight) is among its
 * AllowedMethods, the Origin equals one of its AllowedOrigins (`*` allowed once in each, as a
 * wildcard: `http://*.example.com`), and every requested header matches one of its
 * AllowedHeaders (case-insensitive, `*` wildcard).
 *
 * Which bucket and key a request addresses is runtime/aws/s3-hosts.ts's to say, the parser
 * the gateway's virtual-host rewrite uses too: claimsCors runs before that rewrite (it sees
 * the host and path as sent), intercept after it (a virtual host's path is path style by then).
 *
 * LIMITATIONS: DISABLE_CUSTOM_CORS_S3 is not supported (bucket CORS always applies); access
 * points are not recognised.
 */
import { S3Hosts, type S3Address } from '../../aws/s3-hosts.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import { s3Error } from './errors.js';
import type { S3Service } from './service.js';
import type { Bucket } from './state.js';
import { corsRules, type CorsRule } from './bucket-config.js';

/** The methods a CORS rule may allow (and a preflight may ask for). */
const CORS_METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
import { serveWebsite } from './website.js';

const WEBSITE_HINT = /\.s3-website/i;

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const NOT_ENABLED = 'CORSResponse: CORS is not enabled for this bucket.';

/** `*` in a rule's origin or header: any run of characters. */
const patterns = new Map<string, RegExp>();
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return ignoreCase ? pattern.toLowerCase() === value : pattern === value;
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = patterns.get(cacheKey);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, ignoreCase ? 'i' : '');
    if (patterns.size > 1000) patterns.clear();
    patterns.set(cacheKey, re);
  }
  return re.test(value);
}

/** The requested headers of a preflight, lower-case. */
function requestedHeaders(ctx: RequestContext): string[] {
  const raw = ctx.header('access-control-request-headers');
  if (!raw) return [];
  return raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

/** The first rule that allows this origin, method and headers. */
export function matchRule(rules: readonly CorsRule[], origin: string, method: string, headers: readonly string[]): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.AllowedMethods.includes(method) &&
      rule.AllowedOrigins.some((o) => wildcardMatch(o, origin, false)) &&
      headers.every((h) => (rule.AllowedHeaders ?? []).some((allowed) => wildcardMatch(allowed, h, true))),
  );
}

/** The CORS headers of a matched rule (preflight and actual requests alike). */
function setRuleHeaders(res: GatewayResponse, rule: CorsRule, origin: string, requested: string[]): void {
  const wildcard = rule.AllowedOrigins.includes('*');
  res.headers['access-control-allow-origin'] = wildcard ? '*' : origin;
  if (!wildcard) res.headers['access-control-allow-credentials'] = 'true';
  res.headers['access-control-allow-methods'] = rule.AllowedMethods.join(', ');
  if (requested.length > 0) res.headers['access-control-allow-headers'] = requested.join(', ');
  if (rule.ExposeHeaders?.length) res.headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) res.headers['access-control-max-age'] = String(rule.MaxAgeSeconds);
  res.headers.vary = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
}

export function requestHooks(s3: S3Service) {
  const hosts = new S3Hosts(s3.config.localstackHost);

  /** Answers a preflight to what it addresses (undefined: no bucket), or throws S3's error. */
  function preflight(ctx: RequestContext, res: GatewayResponse, addressed: S3Address | undefined): void {
    const origin = ctx.header('origin');
    if (!origin) throw s3Error('BadRequest', 'Insufficient information. Origin request header needed.');
    const method = ctx.header('access-control-request-method');
    if (!method || !CORS_METHODS.has(method)) throw s3Error('BadRequest', `Invalid Access-Control-Request-Method: ${method ?? 'null'}`);
    const fields = { Method: method, ResourceType: addressed?.key ? 'OBJECT' : 'BUCKET' };
    const bucket = addressed === undefined ? undefined : s3.state.buckets[addressed.bucket];
    const rules = bucket ? corsRules(bucket) : undefined;
    if (!rules) throw s3Error('AccessForbidden', NOT_ENABLED, { fields });
    const headers = requestedHeaders(ctx);
    const rule = matchRule(rules, origin, method, headers);
    if (!rule) throw s3Error('AccessForbidden', NOT_ALLOWED, { fields });
    setRuleHeaders(res, rule, origin, headers);
    res.send(200, undefined, '');
  }

  /** An actual request with an Origin: the matching rule's headers, if the bucket has rules. */
  function decorate(ctx: RequestContext, res: GatewayResponse, bucket: Bucket | undefined, origin: string): void {
    const rules = bucket ? corsRules(bucket) : undefined;
    if (!rules) return;
    const rule = matchRule(rules, origin, ctx.method, []);
    if (rule) setRuleHeaders(res, rule, origin, []);
  }

  return {
    // before detection and the virtual-host rewrite: the request as the client sent it
    claimsCors(ctx: RequestContext, allowedByDefault: boolean): boolean {
      const addressed = hosts.address(ctx.header('host'), ctx.path);
      if (addressed === undefined) return false;
      const bucket = s3.state.buckets[addressed.bucket];
      if (bucket && corsRules(bucket)) return true;
      // an origin the default rules refuse: S3 answers for a bucket it knows (or a virtual host, a website)
      return !allowedByDefault && (bucket !== undefined || addressed.style !== 'path');
    },

    // after the virtual-host rewrite: a virtual host's bucket is in the path by now
    intercept(ctx: RequestContext, res: GatewayResponse): boolean {
      const origin = ctx.header('origin');
      // the common case (no website host, no Origin, not OPTIONS) costs two header reads
      const website = WEBSITE_HINT.test(ctx.header('host') ?? '');
      if (!website && !origin && ctx.method !== 'OPTIONS') return false;
      const addressed = hosts.rewrittenAddress(ctx.header('host'), ctx.path);
      if (ctx.method === 'OPTIONS') {
        preflight(ctx, res, addressed);
        return true;
      }
      if (origin && addressed) decorate(ctx, res, s3.state.buckets[addressed.bucket], origin);
      if (addressed?.style === 'website') {
        serveWebsite(s3, ctx, res, addressed.bucket);
        return true;
      }
      return false;
    },
  };
}
