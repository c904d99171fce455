/**
 * The `json` protocol (1.0 and 1.1): POST /, X-Amz-Target, JSON bodies; plus the pieces
 * rest-json shares (the compiled JSON body reader and writer).
 */
import { ServiceError, validationException } from '../errors.js';
import type { OperationModel, ServiceModel, Shape } from '../models/service-model.js';
import type { ProtocolCodec } from './codec.js';
import { compileCached } from './compile-cache.js';
import { cachedPayloadWriter, EVENT_STREAM_CONTENT_TYPE, eventStreamPlan, type EventPayloadWriter } from './event-stream.js';
import { decodeBase64, encodeBase64, formatTimestamp, memberPath, parseTimestamp, setMapEntry, type TimestampFormat } from './scalars.js';

/**
 * Reads one JSON value of a shape: checks its type, converts timestamps and blobs. Constraints
 * (required members among them) are runtime/aws/validation.ts's.
 */
type Reader = (value: unknown, path: string, errors: string[]) => unknown;
/** Converts one provider value of a shape to its JSON wire form. */
type Writer = (value: unknown) => unknown;

export function serializationException(message: string): ServiceError {
  return new ServiceError('SerializationException', message);
}

function tokenName(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (value instanceof Date) return 'VALUE_TIMESTAMP';
  if (value instanceof Uint8Array) return 'VALUE_BYTES';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
    case 'boolean':
      return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
    default:
      return 'START_OBJECT';
  }
}

function mismatch(value: unknown, expected: string): ServiceError {
  return serializationException(`${tokenName(value)} can not be converted to ${expected}`);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const FLOAT_WORDS: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * A member's key in a JSON document: its locationName, unless that names an HTTP binding (a
 * rest-json member bound to a header, label or query parameter, which a json request of the
 * same model, as Athena's older clients send, carries in the body under the member's name).
 */
function jsonName(name: string, m: Shape): string {
  return m.location === undefined ? (m.locationName ?? name) : name;
}

/** Compiles JSON body readers for the shapes of one service (cached per shape). */
export function compileJsonReader(service: ServiceModel, root: Shape): Reader {
  const cache = new Map<Shape, Reader>();

  function compile(shape: Shape): Reader {
    return compileCached(cache, shape, build);
  }

  function build(shape: Shape): Reader {
    switch (shape.type) {
      case 'structure': {
        if (shape.document) return (v) => v;
        const members = service.members(shape).map(([name, m]) => ({
          name,
          wire: jsonName(name, m),
          read: compile(m),
        }));
        const isUnion = shape.union === true;
        return (value, path, errors) => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            throw mismatch(value, 'a structure');
          }
          const src = value as Record<string, unknown>;
          const out: Record<string, unknown> = {};
          let set = 0;
          for (const m of members) {
            const v = src[m.wire];
            if (v === undefined || v === null) continue;
            out[m.name] = m.read(v, memberPath(path, m.name), errors);
            set++;
          }
          if (isUnion && set > 1) throw serializationException(`Only one member of union '${path || 'input'}' may be set`);
          return out;
        };
      }
      case 'list': {
        const read = compile(service.resolve(shape.member ?? {}));
        return (value, path, errors) => {
          if (!Array.isArray(value)) throw mismatch(value, 'a list');
          const out = new Array<unknown>(value.length);
          for (let i = 0; i < value.length; i++) {
            const v = value[i];
            // a null item stays null: runtime/aws/validation.ts refuses it unless the list is sparse
            out[i] = v === null || v === undefined ? null : read(v, `${path}.${i + 1}.member`, errors);
          }
          return out;
        };
      }
      case 'map': {
        const readKey = compile(service.resolve(shape.key ?? {}));
        const readValue = compile(service.resolve(shape.value ?? {}));
        return (value, path, errors) => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) throw mismatch(value, 'a map');
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(value)) {
            readKey(k, path, errors);
            setMapEntry(out, k, v === null ? null : readValue(v, `${path}.${k}`, errors));
          }
          return out;
        };
      }
      case 'string':
      case 'character':
        return (v) => {
          if (typeof v !== 'string') throw mismatch(v, 'a String');
          return v;
        };
      case 'boolean':
        return (v) => {
          if (typeof v !== 'boolean') throw mismatch(v, 'a Boolean');
          return v;
        };
      case 'integer':
      case 'short':
      case 'byte':
        return (v) => {
          if (typeof v !== 'number' || !Number.isInteger(v)) throw mismatch(v, 'an Integer');
          if (v < INT32_MIN || v > INT32_MAX) throw serializationException(`Numeric value (${v}) out of range of int`);
          return v;
        };
      case 'long':
      case 'biginteger':
        return (v) => {
          if (typeof v === 'bigint') return Number(v); // CBOR integers beyond 2^53
          if (typeof v !== 'number' || !Number.isInteger(v)) throw mismatch(v, 'a Long');
          return v;
        };
      case 'float':
      case 'double':
      case 'bigdecimal':
        return (v) => {
          if (typeof v === 'number') return v;
          if (typeof v === 'string' && v in FLOAT_WORDS) return FLOAT_WORDS[v];
          throw mismatch(v, 'a Double');
        };
      case 'timestamp':
        return (v) => {
          if (v instanceof Date) return v; // CBOR's tag 1 arrives decoded
          if (typeof v !== 'number' && typeof v !== 'string') throw mismatch(v, 'a Timestamp');
          const d = parseTimestamp(v);
          if (!d) throw serializationException(`Unable to parse '${String(v)}' as a timestamp`);
          return d;
        };
      case 'blob':
        return (v) => {
          if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength); // CBOR byte strings
          if (typeof v !== 'string') throw mismatch(v, 'a Blob');
          const b = decodeBase64(v);
          if (!b) throw serializationException('Base64 encoded blob is invalid');
          return b;
        };
      default:
        return (v) => v;
    }
  }

  return compile(root);
}

/** True when a shape (deeply) holds something JSON.stringify cannot write as is. */
function needsWriter(service: ServiceModel, shape: Shape, seen = new Set<Shape>()): boolean {
  if (seen.has(shape)) return false;
  seen.add(shape);
  switch (shape.type) {
    case 'timestamp':
    case 'blob':
      return true;
    case 'structure':
      return !shape.document && service.members(shape).some(([n, m]) => jsonName(n, m) !== n || needsWriter(service, m, seen));
    case 'list':
      return needsWriter(service, service.resolve(shape.member ?? {}), seen);
    case 'map':
      return needsWriter(service, service.resolve(shape.value ?? {}), seen);
    default:
      return false;
  }
}

/**
 * Compiles the JSON writer of a shape. Most shapes hold only strings, numbers and booleans:
 * then the writer is the identity and JSON.stringify does all the work.
 */
export function compileJsonWriter(service: ServiceModel, root: Shape, defaultTimestamp: TimestampFormat = 'unixTimestamp'): Writer {
  const cache = new Map<Shape, Writer>();
  const identity: Writer = (v) => v;

  function compile(shape: Shape): Writer {
    if (!needsWriter(service, shape)) return identity;
    return compileCached(cache, shape, build);
  }

  function build(shape: Shape): Writer {
    switch (shape.type) {
      case 'timestamp': {
        const format = shape.timestampFormat ?? defaultTimestamp;
        return (v) => formatTimestamp(v, format);
      }
      case 'blob':
        return (v) => encodeBase64(v);
      case 'structure': {
        const members = service.members(shape).map(([name, m]) => ({ name, wire: jsonName(name, m), write: compile(m) }));
        return (value) => {
          const src = value as Record<string, unknown>;
          const out: Record<string, unknown> = {};
          for (const m of members) {
            const v = src[m.name];
            if (v !== undefined && v !== null) out[m.wire] = m.write(v);
          }
          return out;
        };
      }
      case 'list': {
        const write = compile(service.resolve(shape.member ?? {}));
        return (value) => (value as unknown[]).map((v) => (v === null || v === undefined ? null : write(v)));
      }
      case 'map': {
        const write = compile(service.resolve(shape.value ?? {}));
        return (value) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(value as Record<string, unknown>)) setMapEntry(out, k, v === null ? null : write(v));
          return out;
        };
      }
      default:
        return identity;
    }
  }

  return compile(root);
}

/** Parses a JSON request body; an empty body is `{}`. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationException('Malformed JSON in request body');
  }
}

/** Reads and validates the input structure of an operation from a parsed JSON document. */
export function readJsonInput(op: OperationModel, document: unknown, key = 'json.input'): Record<string, unknown> {
  // (also the reader of rpc-v2-cbor documents: the same data model, decoded by cbor-x)
  const shape = op.input;
  if (!shape) return {};
  const read = op.plan(key, () => compileJsonReader(op.service, shape));
  const errors: string[] = [];
  let input: Record<string, unknown>;
  try {
    input = read(document, '', errors) as Record<string, unknown>;
  } catch (error) {
    // recursive shapes (DynamoDB's AttributeValue) nested deeper than the stack allows
    if (error instanceof RangeError) throw serializationException('Input nested too deeply');
    throw error;
  }
  if (errors.length > 0) throw validationException(errors);
  return input;
}

/** Serializes an operation's output to a JSON string. */
export function writeJsonOutput(op: OperationModel, output: Record<string, unknown> | undefined, key = 'json.output'): string {
  const shape = op.output;
  if (!shape || !output) return '{}';
  const write = op.plan(key, () => compileJsonWriter(op.service, shape));
  return JSON.stringify(write(output));
}

/** Event payload structures as JSON (json and rest-json event streams). */
export function jsonEventPayloads(service: ServiceModel): EventPayloadWriter {
  const writer = cachedPayloadWriter((shape: Shape) => compileJsonWriter(service, shape));
  return { contentType: 'application/json', write: (shape, value) => Buffer.from(JSON.stringify(writer(shape)(value))) };
}

/**
 * The body every JSON-family error carries. `namespace`: a service that names its errors by
 * Smithy shape id (`com.amazonaws.sqs#QueueDoesNotExist`; ServiceModel metadata
 * errorTypeNamespace), which every SDK reads by the part after `#`.
 */
export function jsonErrorBody(error: ServiceError, namespace?: string): string {
  const body: Record<string, unknown> = { __type: namespace ? `${namespace}#${error.code}` : error.code, message: error.message };
  if (error.fields) Object.assign(body, error.fields);
  return JSON.stringify(body);
}

function contentType(service: ServiceModel): string {
  return `application/x-amz-json-${service.jsonVersion}`;
}

export const jsonCodec: ProtocolCodec = {
  name: 'json',

  resolveOperation(context, service) {
    const target = context.header('x-amz-target');
    if (!target) throw new ServiceError('UnknownOperationException', 'Missing X-Amz-Target header');
    const dot = target.lastIndexOf('.');
    const op = dot === -1 ? undefined : service.operations.get(target.slice(dot + 1));
    if (!op || (service.metadata.targetPrefix && target.slice(0, dot) !== service.metadata.targetPrefix)) {
      throw new ServiceError('UnknownOperationException', `Operation ${target} is not supported.`);
    }
    return op;
  },

  parseInput(context, op) {
    return readJsonInput(op, parseJsonBody(context.body));
  },

  serializeOutput(_context, op, output, response) {
    const stream = eventStreamPlan(op, 'json', () => jsonEventPayloads(op.service));
    if (stream) {
      // the other output members travel in the stream's first message, `initial-response`
      const { [stream.member]: events, ...initial } = output;
      response.send(200, EVENT_STREAM_CONTENT_TYPE, stream.encoder.body(events, Buffer.from(writeJsonOutput(op, initial))));
      return;
    }
    response.send(200, contentType(op.service), writeJsonOutput(op, output));
  },

  serializeError(context, error, response) {
    const service = context.service;
    response.send(error.status, service ? contentType(service) : 'application/x-amz-json-1.0', jsonErrorBody(error, service?.metadata.errorTypeNamespace));
    response.headers['x-amzn-errortype'] = error.code;
    if (service?.index.queryCompatible) {
      response.headers['x-amzn-query-error'] = `${error.queryCode ?? error.code};${error.sender ? 'Sender' : 'Receiver'}`;
    }
  },
};
