/**
 * S3 presigned URLs: query-string authentication with SigV4 (X-Amz-Algorithm, -Credential,
 * -Date, -Expires, -SignedHeaders, -Signature) or SigV2 (AWSAccessKeyId, Expires, Signature).
 *
 * Always checked, as S3 checks them: the parameters are complete and well-formed
 * (AuthorizationQueryParametersError / AccessDenied as S3 words them), X-Amz-Expires is at
 * most a week, and the URL has not expired (403 AccessDenied "Request has expired" with
 * X-Amz-Expires, Expires and ServerTime, as S3 writes them).
 *
 * The SigV4 signature itself is checked only with S3_SKIP_SIGNATURE_VALIDATION=0 (LocalStack
 * skips it by default), against the secret `test` for every access key (runtime/aws/sigv4.ts):
 * a wrong one is 403 SignatureDoesNotMatch with the string to sign and canonical request, and
 * x-amz-* headers the signature does not cover are 403 AccessDenied (HeadersNotSigned).
 *
 * An S3 gateway step (index.ts), before the virtual-host rewrite: a signature covers the
 * path the client sent.
 *
 * LIMITATIONS: SigV2 signatures are never checked (only their expiry); nor are SigV4a
 * (AWS4-ECDSA-P256-SHA256) signatures, nor signatures in the Authorization header. LocalStack
 * lets expired URLs through while S3_SKIP_SIGNATURE_VALIDATION=1; this runtime refuses them
 * as S3 does, whatever that setting.
 */
import type { RuntimeConfig } from '../../../config.js';
import { hexBytes, hmacHex, percentDecode, sameSignature, sha256Hex, signingKey, TEST_SECRET_ACCESS_KEY, uriEncode } from '../../../aws/sigv4.js';
import { ServiceError } from '../../../aws/errors.js';
import type { RequestContext } from '../../../request-context.js';
import type { ServiceStep } from '../../service-gateway.js';

const V4_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];
const V2_PARAMS = ['Signature', 'Expires', 'AWSAccessKeyId'];
/** S3's longest presigned URL lifetime: 7 days. */
export const MAX_EXPIRES = 604800;
const HMAC = 'AWS4-HMAC-SHA256';
/** x-amz-* headers clients add to presigned requests without signing them (as LocalStack lets them). */
const UNSIGNED_ALLOWED = new Set(['x-amz-user-agent', 'x-amz-content-sha256']);
const ECDSA = 'AWS4-ECDSA-P256-SHA256';

const STATUS = { AccessDenied: 403, AuthorizationQueryParametersError: 400, SignatureDoesNotMatch: 403 } as const;

/** An S3 error (written as S3's <Error> document by the rest-xml codec). */
function s3Error(code: keyof typeof STATUS, message: string, options: { fields?: Record<string, unknown> } = {}): ServiceError {
  return new ServiceError(code, message, { status: STATUS[code], fields: options.fields });
}

function queryError(message: string) {
  return s3Error('AuthorizationQueryParametersError', message);
}

/** `2024-05-01T12:00:00Z`: how S3 writes Expires and ServerTime in "Request has expired". */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** yyyyMMdd'T'HHmmss'Z' to epoch ms, or undefined. */
export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}

/** The raw query as decoded pairs, in order (`+` is not a space in a signed query). */
function queryPairs(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = percentDecode(eq === -1 ? part : part.slice(0, eq));
    const v = percentDecode(eq === -1 ? '' : part.slice(eq + 1));
    if (k === undefined || v === undefined) continue;
    pairs.push([k, v]);
  }
  return pairs;
}

/** The SigV4 canonical request of a presigned S3 request (S3 encodes the path once). */
export function canonicalRequest(ctx: RequestContext, signedHeaders: string, payloadHash: string): string {
  const path = ctx.path
    .split('/')
    .map((segment) => uriEncode(percentDecode(segment) ?? segment))
    .join('/');
  const query = queryPairs(ctx.rawQuery)
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';').map((h) => h.trim().toLowerCase());
  const headers = names
    .map((name) => {
      const raw = ctx.headers[name];
      const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  return `${ctx.method}\n${path}\n${query}\n${headers}\n${names.join(';')}\n${payloadHash}`;
}

function checkV4(ctx: RequestContext, q: URLSearchParams, verify: boolean): void {
  if (!V4_PARAMS.every((p) => q.has(p))) {
    throw queryError('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const algorithm = q.get('X-Amz-Algorithm')!;
  if (algorithm !== HMAC && algorithm !== ECDSA) throw queryError(`X-Amz-Algorithm only supports "${HMAC}" and "${ECDSA}"`);
  const credential = q.get('X-Amz-Credential')!.split('/');
  const scopeLength = algorithm === HMAC ? 5 : 4;
  if (credential.length !== scopeLength || credential[scopeLength - 1] !== 'aws4_request' || credential.some((part) => part === '')) {
    throw queryError('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const amzDate = q.get('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw queryError('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const expiresText = q.get('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expiresText)) throw queryError('X-Amz-Expires should be a number');
  const expires = Number(expiresText);
  if (expires < 0) throw queryError('X-Amz-Expires must be non-negative');
  if (expires > MAX_EXPIRES) throw queryError(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES}`);
  const now = Date.now();
  const expiresAt = signedAt + expires * 1000;
  if (now > expiresAt) {
    throw s3Error('AccessDenied', 'Request has expired', { fields: { 'X-Amz-Expires': expires, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) } });
  }
  if (!verify || algorithm !== HMAC) return;
  const signedHeaders = q.get('X-Amz-SignedHeaders')!;
  const signed = new Set(signedHeaders.toLowerCase().split(';'));
  const unsigned = Object.keys(ctx.headers).filter((h) => h.startsWith('x-amz-') && !UNSIGNED_ALLOWED.has(h) && !signed.has(h));
  if (unsigned.length > 0) {
    throw s3Error('AccessDenied', 'There were headers present in the request which were not signed', { fields: { HeadersNotSigned: unsigned.join(', ') } });
  }
  const [accessKeyId, date, region, service] = credential as [string, string, string, string];
  const canonical = canonicalRequest(ctx, signedHeaders, q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD');
  const stringToSign = `${HMAC}\n${amzDate}\n${date}/${region}/${service}/aws4_request\n${sha256Hex(canonical)}`;
  const expected = hmacHex(signingKey(TEST_SECRET_ACCESS_KEY, date, region, service), stringToSign);
  const provided = q.get('X-Amz-Signature')!;
  if (!sameSignature(expected, provided)) {
    throw s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      fields: {
        AWSAccessKeyId: accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: provided,
        StringToSignBytes: hexBytes(stringToSign),
        CanonicalRequest: canonical,
        CanonicalRequestBytes: hexBytes(canonical),
      },
    });
  }
}

function checkV2(q: URLSearchParams): void {
  if (!V2_PARAMS.every((p) => q.has(p))) throw s3Error('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
  const text = q.get('Expires')!;
  if (!/^\d+$/.test(text)) throw s3Error('AccessDenied', `Invalid date (should be seconds since epoch): ${text}`);
  const expiresAt = Number(text) * 1000;
  const now = Date.now();
  if (now > expiresAt) throw s3Error('AccessDenied', 'Request has expired', { fields: { Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) } });
}

/** Whether a raw query may hold presigned parameters (a cheap test before parsing it). */
function mayBePresigned(rawQuery: string): boolean {
  return rawQuery !== '' && (rawQuery.includes('X-Amz-') || rawQuery.includes('Signature=') || rawQuery.includes('Expires=') || rawQuery.includes('AWSAccessKeyId='));
}

/** Checks the presigned URL of an S3 request, if it is one. */
export function checkPresigned(config: RuntimeConfig): ServiceStep {
  const verify = !config.s3SkipSignatureValidation;
  return (ctx) => {
    if (!mayBePresigned(ctx.rawQuery) || ctx.header('authorization') !== undefined) return;
    const q = ctx.query;
    if (V4_PARAMS.some((p) => q.has(p))) checkV4(ctx, q, verify);
    else if (V2_PARAMS.some((p) => q.has(p))) checkV2(q);
  };
}
