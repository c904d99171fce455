/**
 * The protocol codecs by name, and the choice of protocol for a request to a service that
 * speaks several (rule 7 of detection: CBOR > JSON > query > rest).
 */
import type { ServiceModel } from '../models/service-model.js';
import type { ProtocolName } from '../models/types.js';
import type { RequestContext } from '../../request-context.js';
import type { ProtocolCodec } from './codec.js';
import { jsonCodec } from './json.js';
import { ec2Codec, looksLikeQuery, queryCodec } from './query.js';
import { restJsonCodec } from './rest-json.js';
import { restXmlCodec } from './rest-xml.js';

export const CODECS: Readonly<Partial<Record<ProtocolName, ProtocolCodec>>> = {
  query: queryCodec,
  ec2: ec2Codec,
  json: jsonCodec,
  'rest-json': restJsonCodec,
  'rest-xml': restXmlCodec,
};

/** smithy-rpc-v2-cbor is loaded with its first request (few clients speak it). */
let cborCodec: ProtocolCodec | undefined;

/** The protocol this request speaks to `service`. */
export function selectProtocol(context: RequestContext, service: ServiceModel): ProtocolName {
  const protocols = service.metadata.protocols;
  if (!protocols || protocols.length < 2) return service.protocol;
  const has = (p: ProtocolName) => protocols.includes(p);
  if (has('smithy-rpc-v2-cbor') && context.header('smithy-protocol') === 'rpc-v2-cbor') return 'smithy-rpc-v2-cbor';
  const type = context.header('content-type') ?? '';
  if (has('json') && (type.startsWith('application/x-amz-json') || context.header('x-amz-target') !== undefined)) return 'json';
  if (has('query') && looksLikeQuery(context)) return 'query';
  return protocols.find((p) => p === 'rest-json' || p === 'rest-xml') ?? service.protocol;
}

/** The codec for a protocol, when it is loaded (see loadCodec). */
export function codecFor(protocol: ProtocolName): ProtocolCodec | undefined {
  return protocol === 'smithy-rpc-v2-cbor' ? cborCodec : CODECS[protocol];
}

/** The codec for a protocol, loading it first if it is loaded on demand. */
export async function loadCodec(protocol: ProtocolName): Promise<ProtocolCodec | undefined> {
  if (protocol === 'smithy-rpc-v2-cbor') cborCodec ??= (await import('./rpc-v2-cbor.js')).rpcV2CborCodec;
  return codecFor(protocol);
}
