/**
 * The AWS event stream encoding (application/vnd.amazon.eventstream), for operations whose
 * output is an event stream (Lambda InvokeWithResponseStream, S3 SelectObjectContent, Logs
 * StartLiveTail, Kinesis SubscribeToShard): each event is one message of
 *
 *   total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)
 *
 * Messages carry `:message-type` (event, exception or error) and, by type, `:event-type`,
 * `:exception-type` or `:error-code`/`:error-message`, plus `:content-type`; event members
 * marked `eventheader` travel as typed headers, the one marked `eventpayload` as the raw
 * payload, the others as a serialized structure.
 *
 * A provider returns the events as an array (framed into one body) or as an async iterable
 * (each event written as it is produced, with backpressure). A ServiceError thrown by the
 * iterable ends the stream with an exception message when the stream models that error, or
 * an error message when it does not.
 */
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { ServiceError } from '../errors.js';
import type { OperationModel, ServiceModel, Shape } from '../models/service-model.js';
import { toDate } from './scalars.js';

/** Header value types of the encoding. */
const enum HeaderType {
  True = 0,
  False = 1,
  Byte = 2,
  Short = 3,
  Integer = 4,
  Long = 5,
  ByteArray = 6,
  String = 7,
  Timestamp = 8,
}

type HeaderValue = { type: HeaderType; value: unknown };

function encodeHeader(name: string, { type, value }: HeaderValue): Buffer {
  const n = Buffer.from(name, 'utf8');
  let v: Buffer;
  switch (type) {
    case HeaderType.True:
    case HeaderType.False:
      v = Buffer.alloc(0);
      break;
    case HeaderType.Byte:
      v = Buffer.alloc(1);
      v.writeInt8(Number(value));
      break;
    case HeaderType.Short:
      v = Buffer.alloc(2);
      v.writeInt16BE(Number(value));
      break;
    case HeaderType.Integer:
      v = Buffer.alloc(4);
      v.writeInt32BE(Number(value));
      break;
    case HeaderType.Long:
    case HeaderType.Timestamp:
      v = Buffer.alloc(8);
      v.writeBigInt64BE(BigInt(Math.trunc(Number(value))));
      break;
    case HeaderType.ByteArray:
    case HeaderType.String: {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value as Uint8Array);
      v = Buffer.alloc(2 + bytes.length);
      v.writeUInt16BE(bytes.length, 0);
      bytes.copy(v, 2);
      break;
    }
  }
  const h = Buffer.alloc(1 + n.length + 1 + v.length);
  h.writeUInt8(n.length, 0);
  n.copy(h, 1);
  h.writeUInt8(type, 1 + n.length);
  v.copy(h, 2 + n.length);
  return h;
}

/** One message; plain strings are string headers. */
export function encodeEventMessage(headers: Readonly<Record<string, string | HeaderValue>>, payload: Uint8Array): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => encodeHeader(name, typeof value === 'string' ? { type: HeaderType.String, value } : value)),
  );
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)) >>> 0, 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)) >>> 0, total - 4);
  return message;
}

/** The typed header for an `eventheader` member. */
function headerOf(m: Shape, v: unknown): HeaderValue {
  switch (m.type) {
    case 'boolean':
      return { type: v ? HeaderType.True : HeaderType.False, value: v };
    case 'byte':
      return { type: HeaderType.Byte, value: v };
    case 'short':
      return { type: HeaderType.Short, value: v };
    case 'integer':
      return { type: HeaderType.Integer, value: v };
    case 'long':
      return { type: HeaderType.Long, value: v };
    case 'blob':
      return { type: HeaderType.ByteArray, value: typeof v === 'string' ? Buffer.from(v, 'utf8') : v };
    case 'timestamp':
      return { type: HeaderType.Timestamp, value: toDate(v).getTime() };
    default:
      return { type: HeaderType.String, value: String(v) };
  }
}

/** How a protocol serializes a structure inside a message (JSON, XML, CBOR). */
export interface EventPayloadWriter {
  /** The bytes of a structure value. */
  write(shape: Shape, value: unknown, name: string): Uint8Array;
  /** The `:content-type` of those bytes. */
  readonly contentType: string;
}

/**
 * Frames the events of an event-stream union shape. `initial`, for RPC protocols (json,
 * cbor), is the `initial-response` message carrying the output's other members.
 */
export class EventStreamEncoder {
  /** Per event: the structure of the members that are neither header nor payload. */
  private readonly bodyShapes = new Map<string, Shape>();

  constructor(
    private readonly service: ServiceModel,
    private readonly shape: Shape,
    private readonly writer: EventPayloadWriter,
  ) {}

  /** `{ EventName: { ...members } }` as one message (an exception message for modelled errors). */
  event(event: Record<string, unknown>): Buffer | undefined {
    const [name, value] = Object.entries(event)[0] ?? [];
    const member = name === undefined ? undefined : this.shape.members?.[name];
    if (!member) return undefined; // not an event of this stream: nothing a client could decode
    const eventShape = this.service.resolve(member);
    const data = (value ?? {}) as Record<string, unknown>;
    if (eventShape.exception) {
      return encodeEventMessage(
        { ':message-type': 'exception', ':exception-type': name!, ':content-type': this.writer.contentType },
        this.writer.write(eventShape, data, name!),
      );
    }
    const headers: Record<string, string | HeaderValue> = { ':event-type': name!, ':message-type': 'event' };
    const members = this.service.members(eventShape);
    // an event with no members in XML (S3 Select's End and Cont): two headers, no payload, as S3 documents
    if (members.length === 0 && this.writer.contentType === 'text/xml') return encodeEventMessage(headers, new Uint8Array());
    let payload: Uint8Array | undefined;
    let contentType = this.writer.contentType;
    const rest: Record<string, unknown> = {};
    for (const [memberName, m] of members) {
      const v = data[memberName];
      if (m.eventheader) {
        if (v !== undefined && v !== null) headers[m.locationName ?? memberName] = headerOf(m, v);
      } else if (m.eventpayload) {
        if (m.type === 'blob') {
          payload = v === undefined || v === null ? new Uint8Array() : typeof v === 'string' ? Buffer.from(v, 'utf8') : (v as Uint8Array);
          contentType = 'application/octet-stream';
        } else if (m.type === 'string') {
          payload = Buffer.from(String(v ?? ''), 'utf8');
          contentType = 'text/plain';
        } else {
          payload = this.writer.write(m, v ?? {}, m.locationName ?? name!);
        }
      } else if (v !== undefined) {
        rest[memberName] = v;
      }
    }
    if (payload === undefined) {
      let bodyShape = this.bodyShapes.get(name!);
      if (!bodyShape) {
        const bodyMembers = members.filter(([, m]) => !m.eventheader && !m.eventpayload);
        bodyShape = { ...eventShape, members: Object.fromEntries(bodyMembers.map(([n]) => [n, eventShape.members![n]!])) };
        this.bodyShapes.set(name!, bodyShape);
      }
      payload = this.writer.write(bodyShape, rest, name!);
    }
    headers[':content-type'] = contentType;
    return encodeEventMessage(headers, payload);
  }

  /** The message that ends a stream on a failure: an exception when modelled, else an error. */
  failure(error: unknown): Buffer {
    const e = error instanceof ServiceError ? error : new ServiceError('InternalFailure', 'The event stream failed', { status: 500, sender: false });
    const member = this.shape.members?.[e.code];
    if (member && this.service.resolve(member).exception) {
      return this.event({ [e.code]: { message: e.message, Message: e.message, ...e.fields } })!;
    }
    return encodeEventMessage({ ':message-type': 'error', ':error-code': e.code, ':error-message': e.message }, new Uint8Array());
  }

  /**
   * The response body: one buffer for an array of events, a stream for an async iterable.
   * `initial` is prepended as the `initial-response` event (RPC protocols).
   */
  body(events: unknown, initial?: Uint8Array): Buffer | Readable {
    const first = initial ? [encodeEventMessage({ ':event-type': 'initial-response', ':message-type': 'event', ':content-type': this.writer.contentType }, initial)] : [];
    if (events !== null && typeof events === 'object' && Symbol.asyncIterator in events) {
      const source = events as AsyncIterable<Record<string, unknown>>;
      const frame = (event: Record<string, unknown>) => this.event(event);
      const fail = (error: unknown) => this.failure(error);
      return Readable.from(
        (async function* () {
          yield* first;
          try {
            for await (const event of source) {
              const message = frame(event);
              if (message) yield message;
            }
          } catch (error) {
            yield fail(error);
          }
        })(),
        { objectMode: false },
      );
    }
    const out = [...first];
    for (const event of Array.isArray(events) ? (events as Array<Record<string, unknown>>) : []) {
      const message = this.event(event);
      if (message) out.push(message);
    }
    return Buffer.concat(out);
  }
}

/** The output member that is an event stream, with its encoder for one protocol. */
export interface EventStreamPlan {
  readonly member: string;
  readonly encoder: EventStreamEncoder;
}

/**
 * The event-stream member of an operation's output (compiled once per operation and
 * protocol), or undefined when the output is not an event stream.
 */
export function eventStreamPlan(op: OperationModel, protocol: string, writer: () => EventPayloadWriter): EventStreamPlan | undefined {
  return (
    op.plan(`${protocol}.event-stream`, () => {
      const shape = op.output;
      if (!shape) return null;
      for (const [name, m] of op.service.members(shape)) {
        if (m.eventstream) return { member: name, encoder: new EventStreamEncoder(op.service, m, writer()) };
      }
      return null;
    }) ?? undefined
  );
}

/** A per-shape cache for the structure writers of event payloads. */
export function cachedPayloadWriter<W>(compile: (shape: Shape) => W): (shape: Shape) => W {
  const cache = new WeakMap<Shape, W>();
  return (shape) => {
    let w = cache.get(shape);
    if (w === undefined) {
      w = compile(shape);
      cache.set(shape, w);
    }
    return w;
  };
}

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';
