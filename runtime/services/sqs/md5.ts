/**
 * The checksums SQS returns and the SDKs verify (a wrong one fails the call client-side):
 * MD5OfMessageBody is the MD5 of the body's UTF-8 bytes; MD5OfMessageAttributes (and
 * MD5OfMessageSystemAttributes, the same algorithm) is the MD5 of the attributes sorted by
 * name, each as: name, data type (both length-prefixed, 4-byte big-endian), a transport byte
 * (1 string or number, 2 binary), and the length-prefixed value
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html).
 */
import { createHash } from 'node:crypto';
import type { StoredAttributeValue } from './state.js';

/** The hex MD5 of a text's UTF-8 bytes. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Uint8Array): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, Buffer.from(bytes)];
}

/** The MD5 of message (or system) attributes; undefined when there are none. */
export function md5OfAttributes(attributes: Record<string, StoredAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const value = attributes[name]!;
    const parts = [...lengthPrefixed(Buffer.from(name, 'utf8')), ...lengthPrefixed(Buffer.from(value.DataType, 'utf8'))];
    if (value.BinaryValue !== undefined) parts.push(Buffer.from([2]), ...lengthPrefixed(value.BinaryValue));
    else parts.push(Buffer.from([1]), ...lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    for (const part of parts) hash.update(part);
  }
  return hash.digest('hex');
}
