/**
 * S3 virtual-host addressing: a request to `<bucket>.s3.<domain>/<key>` is rewritten to the
 * path-style `/<bucket>/<key>` that S3's routes (the model's `/{Bucket}/{Key+}`) match. Runs
 * after detection (which already names S3 for such hosts) and before routing.
 *
 * Hosts taken as virtual hosts (the name compared without its port, case-insensitively):
 *   <bucket>.s3.<LOCALSTACK_HOST name>           bucket.s3.localhost.localstack.cloud
 *   <bucket>.s3.<region>.<LOCALSTACK_HOST name>  bucket.s3.eu-west-1.localhost.localstack.cloud
 *   <bucket>.s3[.<region>].localhost.localstack.cloud, <bucket>.s3[.<region>].amazonaws.com,
 *   <bucket>.s3-<region>.amazonaws.com (the legacy dash form)
 *   <bucket>[.s3].localhost                      what SDKs send with endpoint http://localhost:PORT
 * `s3.localhost.localstack.cloud`, `s3.amazonaws.com`, `localhost`, IPs stay path style. Bucket
 * names may hold dots (`my.bucket.s3.localhost.localstack.cloud`). The path is kept raw, so
 * keys keep their encoding and trailing slashes.
 */
import type { RuntimeConfig } from '../../config.js';
import type { Handler } from '../chain.js';
import type { RequestContext } from '../../request-context.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An AWS region name (us-east-1, us-gov-west-1, eu-central-2, ...). */
const REGION = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}';

/** The pattern of virtual hosts for a LocalStack host name (LOCALSTACK_HOST without port). */
export function virtualHostPattern(localstackHostName: string): RegExp {
  const domains = [...new Set([localstackHostName.toLowerCase(), 'localhost.localstack.cloud', 'amazonaws.com', 'localhost'])].map(escape).join('|');
  // the bucket is everything before `.s3.` (greedy: a bucket name may itself hold dots)
  return new RegExp(`^(.+)\\.s3(?:\\.(?:${REGION})|-(?:${REGION}))?\\.(?:${domains})$`);
}

/** The host name without its port, lower-cased (IPv6 literals keep their brackets). */
function hostName(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return name.toLowerCase();
}

/** The bucket a virtual-host request addresses, or undefined for a path-style request. */
export function virtualHostBucket(host: string | undefined, pattern: RegExp): string | undefined {
  if (!host) return undefined;
  const name = hostName(host);
  const m = pattern.exec(name);
  if (m) return m[1];
  // <bucket>.localhost, but not s3.localhost
  if (name.endsWith('.localhost')) {
    const bucket = name.slice(0, -'.localhost'.length);
    if (bucket !== 's3' && bucket !== '' && !bucket.endsWith('.s3')) return bucket;
  }
  return undefined;
}

export function rewriteS3VirtualHost(config: RuntimeConfig): Handler {
  const pattern = virtualHostPattern(hostName(config.localstackHost));
  return (_chain, ctx: RequestContext) => {
    if (ctx.serviceName !== 's3') return;
    const bucket = virtualHostBucket(ctx.header('host'), pattern);
    if (bucket === undefined) return;
    ctx.path = ctx.path === '/' || ctx.path === '' ? `/${bucket}` : `/${bucket}${ctx.path}`;
  };
}
