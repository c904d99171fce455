/**
 * The `smithy-rpc-v2-cbor` protocol: `POST /service/{Service}/operation/{Operation}` with
 * `Smithy-Protocol: rpc-v2-cbor` and a CBOR body (timestamps as tag 1 epoch seconds, blobs as
 * byte strings, NaN and infinities allowed). botocore lists it first for CloudWatch and a
 * few others; SDK v3 clients speak it when configured with AwsSmithyRpcV2CborProtocol.
 * CBOR is encoded and decoded by cbor2; input validation is the JSON reader's (same data
 * model once decoded).
 */
import { decode, encode } from 'cbor2';
import { ServiceError, validationException } from '../errors.js';
import type { OperationModel, ServiceModel, Shape } from '../models/service-model.js';
import type { ProtocolCodec } from './codec.js';
import { compileCached } from './compile-cache.js';
import { cachedPayloadWriter, EVENT_STREAM_CONTENT_TYPE, eventStreamPlan } from './event-stream.js';
import { readJsonInput, serializationException } from './json.js';
import { setMapEntry, toDate } from './scalars.js';

const CONTENT_TYPE = 'application/cbor';
const OPERATION_PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

type Writer = (value: unknown) => unknown;

/** Output values as cbor2 should encode them: no undefined members, Dates, byte strings. */
function compileCborWriter(service: ServiceModel, root: Shape): Writer {
  const cache = new Map<Shape, Writer>();
  const compile = (shape: Shape): Writer => compileCached(cache, shape, build);
  function build(shape: Shape): Writer {
    switch (shape.type) {
      case 'structure': {
        if (shape.document) return (v) => v;
        const members = service.members(shape).map(([name, m]) => ({ name, write: compile(m) }));
        return (value) => {
          const src = value as Record<string, unknown>;
          const out: Record<string, unknown> = {};
          for (const m of members) {
            const v = src[m.name];
            if (v !== undefined && v !== null) out[m.name] = m.write(v);
          }
          return out;
        };
      }
      case 'list': {
        const write = compile(service.resolve(shape.member ?? {}));
        return (value) => (value as unknown[]).map((v) => (v === undefined ? null : write(v)));
      }
      case 'map': {
        const write = compile(service.resolve(shape.value ?? {}));
        return (value) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) setMapEntry(out, k, v === null ? null : write(v));
          return out;
        };
      }
      case 'timestamp':
        return (v) => toDate(v);
      case 'blob':
        // a plain Uint8Array: cbor2 would write a Buffer through its toJSON
        return (v) => {
          const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : (v as Uint8Array);
          return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        };
      default:
        return (v) => v;
    }
  }
  return compile(root);
}

function decodeBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return decode(body);
  } catch {
    throw serializationException('Malformed CBOR in request body');
  }
}

export const rpcV2CborCodec: ProtocolCodec = {
  name: 'smithy-rpc-v2-cbor',

  resolveOperation(context, service) {
    const m = OPERATION_PATH.exec(context.path);
    const op = m ? service.operations.get(decodeURIComponent(m[2]!)) : undefined;
    if (!op || context.method !== 'POST') {
      throw new ServiceError('UnknownOperationException', `No operation of ${service.name} at ${context.method} ${context.path}`, { status: 404 });
    }
    return op;
  },

  parseInput(context, op) {
    const doc = decodeBody(context.body);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || doc instanceof Uint8Array || doc instanceof Date) {
      throw serializationException('The request body is not a CBOR map');
    }
    try {
      return readJsonInput(op, doc, 'cbor.input');
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      throw validationException([String(error)]);
    }
  },

  serializeOutput(_context, op: OperationModel, output, response) {
    const shape = op.output;
    const write = (value: Record<string, unknown>) => (shape ? op.plan('cbor.output', () => compileCborWriter(op.service, shape))(value) : {});
    const stream = eventStreamPlan(op, 'cbor', () => {
      const writer = cachedPayloadWriter((s: Shape) => compileCborWriter(op.service, s));
      return { contentType: CONTENT_TYPE, write: (s, value) => encode(writer(s)(value)) };
    });
    if (stream) {
      // the other output members travel in the stream's first message, `initial-response`
      const { [stream.member]: events, ...initial } = output;
      response.send(200, EVENT_STREAM_CONTENT_TYPE, stream.encoder.body(events, encode(write(initial))));
    } else {
      response.send(200, CONTENT_TYPE, Buffer.from(encode(write(output))));
    }
    response.headers['smithy-protocol'] = 'rpc-v2-cbor';
  },

  serializeError(context, error, response) {
    const body: Record<string, unknown> = { __type: error.code, message: error.message, ...error.fields };
    response.send(error.status, CONTENT_TYPE, Buffer.from(encode(body)));
    response.headers['smithy-protocol'] = 'rpc-v2-cbor';
    if (context.service?.index.queryCompatible) {
      response.headers['x-amzn-query-error'] = `${error.queryCode ?? error.code};${error.sender ? 'Sender' : 'Receiver'}`;
    }
  },
};
