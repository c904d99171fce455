/**
 * The checks Publish and PublishBatch make on a message before anything is delivered, in AWS's
 * order and words (as LocalStack's snapshot tests against AWS record them): the subject, an
 * empty message, the message attributes (name, type, value; `ParameterValueInvalid`), the total
 * size (256 KiB, attributes included), MessageStructure=json (a `default` entry), and the FIFO
 * rules (MessageGroupId required, a deduplication id unless content-based deduplication).
 */
import type { MessageAttributeValue } from './api.generated.js';
import { snsError } from './errors.js';

/** The most bytes a message may have, attributes included. */
export const MAX_MESSAGE_BYTES = 262_144;
const TYPE = /^(String|Number|Binary)(\..+)?$/;
const NAME = /^[A-Za-z0-9_\-.]+$/;

function invalid(what: string): Error {
  return snsError('InvalidParameterException', `Invalid parameter: ${what}`);
}

function valueInvalid(message: string): Error {
  return snsError('InvalidParameterValueException', message);
}

/** Checks message attributes as AWS does. */
export function checkMessageAttributes(attributes: Record<string, MessageAttributeValue>): void {
  for (const [name, a] of Object.entries(attributes)) {
    if (Buffer.byteLength(name) > 256) throw valueInvalid('Length of message attribute name must be less than 256 bytes.');
    if (!NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw valueInvalid(`Invalid non-alphanumeric character '${[...name].find((c) => !/[A-Za-z0-9_\-.]/.test(c)) ?? '.'}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
    if (!TYPE.test(a.DataType)) throw valueInvalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    const binary = a.DataType.startsWith('Binary');
    const field = binary ? 'BinaryValue' : 'StringValue';
    if (a.StringValue === undefined && a.BinaryValue === undefined) throw valueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.DataType}'.`);
    const value = binary ? a.BinaryValue : a.StringValue;
    if (value === undefined) throw valueInvalid(`The message attribute '${name}' with type '${a.DataType}' must use field '${binary ? 'Binary' : 'String'}'.`);
    if (value.length === 0) throw valueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.DataType}'.`);
    if (a.DataType.startsWith('Number') && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(a.StringValue!.trim())) {
      throw valueInvalid(`An error occurred while parsing message attribute value for message attribute '${name}' with type '${a.DataType}'. Value is not a valid number.`);
    }
    void field;
  }
}

/** Bytes a message counts for its limit: the body, and each attribute's name, type and value. */
export function messageBytes(message: string, attributes: Record<string, MessageAttributeValue> | undefined): number {
  let n = Buffer.byteLength(message);
  for (const [name, a] of Object.entries(attributes ?? {})) {
    n += Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + (a.StringValue !== undefined ? Buffer.byteLength(a.StringValue) : 0) + (a.BinaryValue?.length ?? 0);
  }
  return n;
}

/** MessageStructure=json: the message per protocol (string members only), with its `default`. */
export function structuredMessage(message: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    throw invalid('Message Structure - JSON message body failed to parse');
  }
  const out: Record<string, string> = {};
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    for (const [k, v] of Object.entries(doc)) if (typeof v === 'string') out[k] = v;
  }
  if (out.default === undefined) throw invalid('Message Structure - No default entry in JSON message body');
  return out;
}

/** The checks of one message, before the topic's FIFO rules. */
export function checkMessage(m: { Message: string; Subject?: string; MessageStructure?: string; MessageAttributes?: Record<string, MessageAttributeValue> }): Record<string, string> | undefined {
  if (m.Subject !== undefined && (m.Subject === '' || m.Subject.length > 100 || /[\r\n]/.test(m.Subject))) throw invalid('Subject');
  if (m.Message === '') throw invalid('Empty message');
  if (m.MessageAttributes) checkMessageAttributes(m.MessageAttributes);
  if (messageBytes(m.Message, m.MessageAttributes) > MAX_MESSAGE_BYTES) throw invalid('Message too long');
  return m.MessageStructure === 'json' ? structuredMessage(m.Message) : undefined;
}

/** The FIFO rules of a topic for one message. */
export function checkFifo(fifo: boolean, contentBasedDeduplication: boolean, m: { MessageGroupId?: string; MessageDeduplicationId?: string }): void {
  if (fifo) {
    if (!m.MessageGroupId) throw invalid('The MessageGroupId parameter is required for FIFO topics');
    if (!contentBasedDeduplication && !m.MessageDeduplicationId) throw invalid('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  } else if (m.MessageDeduplicationId) {
    throw invalid('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
  }
}
