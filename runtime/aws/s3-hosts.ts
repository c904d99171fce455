/**
 * THE parser of S3's host names: which hosts address S3 at all (service detection), which
 * name a bucket as a virtual host (the rewrite to path style), which are website endpoints
 * (static website hosting), and so which bucket and key a request addresses (bucket CORS).
 * One module, so that the gateway and the provider never disagree about a request.
 *
 * Host names are compared without their port, case-insensitively:
 *   <bucket>.s3-website.<domain>, <bucket>.s3-website-<region>.<domain>   a website, never
 *                                                     the REST API (the path is the key)
 *   <bucket>.s3.<LOCALSTACK_HOST name>               bucket.s3.localhost.localstack.cloud
 *   <bucket>.s3.<region>.<LOCALSTACK_HOST name>      bucket.s3.eu-west-1.localhost.localstack.cloud
 *   <bucket>.s3[.<region>].localhost.localstack.cloud, <bucket>.s3[.<region>].amazonaws.com,
 *   <bucket>.s3-<region>.amazonaws.com (the legacy dash form)            virtual hosts
 *   <bucket>[.s3].localhost                          what SDKs send with endpoint http://localhost:PORT
 * `s3.localhost.localstack.cloud`, `s3.amazonaws.com`, `localhost`, IPs are path style. Bucket
 * names may hold dots (`my.bucket.s3.localhost.localstack.cloud`).
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An AWS region name (us-east-1, us-gov-west-1, eu-central-2, ...). */
const REGION = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}';
const WEBSITE_HOST = /^(.+?)\.s3-website[.-]/;

/** The host name of a Host header: without its port, lower-case (IPv6 literals keep their brackets). */
export function hostName(host: string | undefined): string {
  if (!host) return '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return name.toLowerCase();
}

/** The bucket a website endpoint names (`<bucket>.s3-website[.-]...`), or undefined. */
export function websiteBucket(name: string): string | undefined {
  return WEBSITE_HOST.exec(name)?.[1];
}

/**
 * The service a host name alone says a request is for (detection's host rule), before
 * endpoint prefixes are tried: S3 for website endpoints and `*.s3.*` / `s3.*`, S3 Control
 * for `s3-control.` hosts among those; undefined otherwise. `<bucket>.localhost` is S3 too,
 * but only once no endpoint prefix matched (`sqs.localhost` is SQS): see localhostBucket.
 */
export function s3ServiceOfHost(name: string): 's3' | 's3control' | undefined {
  if (name.includes('.s3-website.') || name.includes('.s3-website-')) return 's3';
  if (name.includes('.s3.') || name.startsWith('s3.')) return name.startsWith('s3-control.') ? 's3control' : 's3';
  return undefined;
}

/** The bucket of `<bucket>.localhost` (not `s3.localhost`, nor `<x>.s3.localhost`'s `<x>.s3`), or undefined. */
export function localhostBucket(name: string): string | undefined {
  if (!name.endsWith('.localhost')) return undefined;
  const bucket = name.slice(0, -'.localhost'.length);
  return bucket !== 's3' && bucket !== '' && !bucket.endsWith('.s3') && websiteBucket(name) === undefined ? bucket : undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The bucket and key of a path-style path (`/bucket/key`, raw), or undefined for `/`. */
export function pathAddress(path: string): { bucket: string; key: string } | undefined {
  if (path.length < 2) return undefined;
  const slash = path.indexOf('/', 1);
  const bucket = decode(slash === -1 ? path.slice(1) : path.slice(1, slash));
  return bucket ? { bucket, key: slash === -1 ? '' : decode(path.slice(slash + 1)) } : undefined;
}

/** What a request addresses: a bucket (and key) of the REST API, or a website. */
export interface S3Address {
  readonly bucket: string;
  /** The object key, decoded ('' for the bucket itself). */
  readonly key: string;
  /** How the bucket was named: by a virtual host, by the path, or by a website endpoint. */
  readonly style: 'virtual' | 'path' | 'website';
}

/** The host rules for one LOCALSTACK_HOST (its name is a virtual-host domain besides AWS's own). */
export class S3Hosts {
  private readonly virtual: RegExp;

  constructor(localstackHost: string) {
    const domains = [...new Set([hostName(localstackHost), 'localhost.localstack.cloud', 'amazonaws.com', 'localhost'])].map(escape).join('|');
    // the bucket is everything before `.s3.` (greedy: a bucket name may itself hold dots)
    this.virtual = new RegExp(`^(.+)\\.s3(?:\\.(?:${REGION})|-(?:${REGION}))?\\.(?:${domains})$`);
  }

  /** The bucket a virtual-hosted-style request addresses (never a website's), or undefined. */
  virtualBucket(host: string | undefined): string | undefined {
    const name = hostName(host);
    if (name === '' || websiteBucket(name) !== undefined) return undefined;
    return this.virtual.exec(name)?.[1] ?? localhostBucket(name);
  }

  /**
   * The bucket and key of a request as the client sent it (before the gateway's rewrite of
   * virtual hosts to path style): from the host for a website or a virtual host, else from
   * the path. Undefined when no bucket is addressed (`GET /` on a path-style host).
   */
  address(host: string | undefined, path: string): S3Address | undefined {
    const name = hostName(host);
    const site = websiteBucket(name);
    if (site !== undefined) return { bucket: site, key: decode(path.slice(1)), style: 'website' };
    const bucket = this.virtualBucket(name);
    if (bucket !== undefined) return { bucket, key: decode(path.slice(1)), style: 'virtual' };
    const byPath = pathAddress(path);
    return byPath && { ...byPath, style: 'path' };
  }

  /**
   * The same once the gateway has rewritten a virtual host to path style (S3's gateway step
   * rewrite-virtual-host): only websites keep the bucket in the host.
   */
  rewrittenAddress(host: string | undefined, path: string): S3Address | undefined {
    const site = websiteBucket(hostName(host));
    if (site !== undefined) return { bucket: site, key: decode(path.slice(1)), style: 'website' };
    const byPath = pathAddress(path);
    return byPath && { ...byPath, style: 'path' };
  }
}
