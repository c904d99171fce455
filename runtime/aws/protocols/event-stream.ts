/**
 * The AWS event stream encoding (application/vnd.amazon.eventstream), for operations whose
 * output payload is an event stream (Lambda InvokeWithResponseStream, S3 SelectObjectContent,
 * Logs StartLiveTail): each event is one message of
 *
 *   total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)
 *
 * with string headers `:message-type`, `:event-type` and `:content-type`.
 *
 * LIMITATION: a provider returns its events as an array and they are framed into one
 * response body: the framing is exact, but events are not sent as they are produced.
 */
import { crc32 } from 'node:zlib';
import type { ServiceModel, Shape } from '../models/service-model.js';

const STRING_TYPE = 7;

/** One event message with string headers. */
export function encodeEventMessage(headers: Readonly<Record<string, string>>, payload: Uint8Array): Buffer {
  const encoded = Object.entries(headers).map(([name, value]) => {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(STRING_TYPE, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    return h;
  });
  const headerBytes = Buffer.concat(encoded);
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

/**
 * Frames a provider's events (`[{ EventName: { ...members } }, ...]`) for an event-stream
 * shape: a member marked `eventpayload` is the raw payload (bytes, text, or a structure
 * serialized with `writeStructure`); otherwise the event's members are.
 */
export function encodeEventStream(
  service: ServiceModel,
  shape: Shape,
  events: Iterable<Record<string, unknown>>,
  writeStructure: (shape: Shape, value: unknown) => Uint8Array,
): Buffer {
  const out: Buffer[] = [];
  for (const event of events) {
    const [name, value] = Object.entries(event)[0] ?? [];
    if (!name || !shape.members?.[name]) continue;
    const eventShape = service.resolve(shape.members[name]!);
    const members = service.members(eventShape);
    const payloadMember = members.find(([, m]) => m.eventpayload === true);
    let payload: Uint8Array;
    let contentType: string;
    const data = (value ?? {}) as Record<string, unknown>;
    if (payloadMember) {
      const [memberName, m] = payloadMember;
      const v = data[memberName];
      if (m.type === 'blob') {
        payload = v === undefined ? new Uint8Array() : typeof v === 'string' ? Buffer.from(v, 'utf8') : (v as Uint8Array);
        contentType = 'application/octet-stream';
      } else if (m.type === 'string') {
        payload = Buffer.from(String(v ?? ''), 'utf8');
        contentType = 'text/plain';
      } else {
        payload = writeStructure(m, v ?? {});
        contentType = 'application/json';
      }
    } else {
      payload = writeStructure(eventShape, data);
      contentType = 'application/json';
    }
    out.push(encodeEventMessage({ ':event-type': name, ':message-type': 'event', ':content-type': contentType }, payload));
  }
  return Buffer.concat(out);
}
