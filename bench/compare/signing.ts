/**
 * Requests signed with SigV4 as a real SDK signs them (@smithy/signature-v4, the signer of
 * every AWS SDK for JavaScript), built once before a measurement so that the load generator
 * sends them as fast for every target. Emulators do not verify signatures by default, so a
 * signature made at the start of a run stays good for its whole length.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data) => (typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const signers = new Map<string, SignatureV4>();

function signer(service: string): SignatureV4 {
  let s = signers.get(service);
  if (!s) {
    s = new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: NodeSha256, uriEscapePath: service !== 's3' });
    signers.set(service, s);
  }
  return s;
}

/** Signs one request for `host` (host:port) as the SDK of `service` would. */
export async function sign(service: string, host: string, request: SignedRequest): Promise<SignedRequest> {
  const [path, query = ''] = request.path.split('?');
  const queryParams: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) queryParams[k] = v;
  const body = request.body ?? '';
  const headers: Record<string, string> = { ...request.headers, host };
  if (service === 's3') headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
  if (body.length > 0) headers['content-length'] = String(Buffer.byteLength(body));
  const signed = await signer(service).sign({ method: request.method, protocol: 'http:', hostname: host.split(':')[0]!, port: Number(host.split(':')[1]), path: path!, query: queryParams, headers, body });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') out[k] = String(v);
  return { method: request.method, path: request.path, headers: out, body: request.body };
}
