/**
 * The request context: ONE object that fills up as a request moves through the handler
 * chain (see gateway/app.ts). Each field says which handler sets it.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { OperationModel, ServiceModel } from './aws/models/service-model.js';
import type { ProtocolName } from './aws/models/types.js';

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
const EMPTY = Buffer.alloc(0);

/** The response the chain builds; the server writes it once the chain is done. */
export class GatewayResponse {
  status = 200;
  readonly headers: Record<string, string | string[]> = {};
  /** A stream is piped to the client (with Content-Length when a header gives it, else chunked). */
  body: string | Buffer | Readable = '';

  /** Sets status, content type and body in one go. */
  send(status: number, contentType: string | undefined, body: string | Buffer | Readable): void {
    this.status = status;
    if (contentType) this.headers['content-type'] = contentType;
    this.body = body;
  }

  json(status: number, value: unknown): void {
    this.send(status, 'application/json', JSON.stringify(value));
  }
}

/**
 * HTTP/2 request headers as HTTP/1.1 would have them: no pseudo-headers, and `host` from
 * `:authority` (detection and virtual-host routing read `host`).
 */
function http1Headers(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':')) out[name] = value;
  const authority = headers[':authority'];
  if (out.host === undefined && typeof authority === 'string') out.host = authority;
  return out;
}

export class RequestContext {
  /** The raw Node request (streams, socket). */
  readonly request: IncomingMessage;
  readonly method: string;
  /** Request headers, lower-cased names (Node's IncomingHttpHeaders). */
  readonly headers: IncomingHttpHeaders;
  /**
   * The path, NOT percent-decoded (REST routing matches raw paths): as sent, except that an
   * S3 virtual-host request has its bucket put in front (S3's gateway step
   * rewriteVirtualHost, services/s3/gateway/).
   */
  path: string;
  /** The query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Start time in ms (performance.now()), for the request log. */
  readonly startedAt = performance.now();

  /** A unique id per request, returned as x-amzn-RequestId / RequestId. Set by assignRequestId. */
  requestId = '';
  /** The decoded request body (bounded, gzip removed). Set by readFormBody / readRequestBody. */
  body: Buffer = EMPTY;
  /**
   * The body as a stream, for an operation whose input streams (then `body` stays empty
   * unless the server had already read it); aws-chunked framing removed. Set by
   * readRequestBody, wrapped by decodeAwsChunkedBody.
   */
  bodyStream: Readable | undefined;

  /** From the SigV4 credential scope (header or presigned query). Set by parseCredentialScope. */
  accessKeyId: string | undefined;
  /** The SigV4 signing name from the credential scope. Set by parseCredentialScope. */
  signingName: string | undefined;
  /** The account the request acts in, derived from the access key id. Set by parseCredentialScope. */
  accountId = DEFAULT_ACCOUNT_ID;
  /** The region from the credential scope (us-east-1 when unknown). Set by parseCredentialScope. */
  region = DEFAULT_REGION;

  /** botocore name of the addressed service. Set by detectService. */
  serviceName: string | undefined;
  /** The loaded model of that service. Set by startService. */
  service: ServiceModel | undefined;
  /** The protocol the client spoke (multi-protocol services answer in kind). Set by resolveOperation. */
  protocol: ProtocolName | undefined;
  /** The addressed operation. Set by resolveOperation. */
  operation: OperationModel | undefined;
  /** Parsed and validated input, keyed by model member names. Set by parseInput. */
  input: Record<string, unknown> | undefined;
  /** What the provider returned. Set by dispatchOperation. */
  output: Record<string, unknown> | undefined;
  /** The error being turned into a response, if any. Set by the chain. */
  error: unknown;

  private queryParams: URLSearchParams | undefined;

  constructor(request: IncomingMessage) {
    this.request = request;
    this.method = request.method ?? 'GET';
    this.headers = request.httpVersionMajor >= 2 ? http1Headers(request.headers) : request.headers;
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    this.path = q === -1 ? url : url.slice(0, q);
    this.rawQuery = q === -1 ? '' : url.slice(q + 1);
  }

  /** Parsed query string (lazily: most requests never look). */
  get query(): URLSearchParams {
    this.queryParams ??= new URLSearchParams(this.rawQuery);
    return this.queryParams;
  }

  /**
   * A request header (lower-case name). Node joins repeated request headers into one string;
   * only set-cookie stays an array, and no AWS request carries one.
   */
  header(name: string): string | undefined {
    return this.headers[name] as string | undefined;
  }
}
