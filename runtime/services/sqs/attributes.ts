/**
 * Queue attributes: the settable ones with AWS's ranges and defaults, the read-only ones
 * computed on read (ARN, Approximate* counts, timestamps in epoch seconds), in the order AWS
 * lists them for `All`. Messages AWS words: "Invalid value for the parameter X." and
 * "Unknown Attribute X." (as LocalStack's snapshot tests, recorded against AWS, show).
 */
import { sqsError } from './errors.js';
import type { StoredQueue } from './state.js';

/** The largest message AWS accepts (1 MiB since August 2025), also MaximumMessageSize's default. */
export const MAX_MESSAGE_SIZE = 1_048_576;

const RANGES: Record<string, [number, number, string]> = {
  DelaySeconds: [0, 900, '0'],
  MaximumMessageSize: [1024, MAX_MESSAGE_SIZE, String(MAX_MESSAGE_SIZE)],
  MessageRetentionPeriod: [60, 1_209_600, '345600'],
  ReceiveMessageWaitTimeSeconds: [0, 20, '0'],
  VisibilityTimeout: [0, 43_200, '30'],
  KmsDataKeyReusePeriodSeconds: [60, 86_400, '300'],
};
const JSON_ATTRIBUTES = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy']);
const BOOLEAN_ATTRIBUTES = new Set(['SqsManagedSseEnabled', 'ContentBasedDeduplication']);
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const ENUMS: Record<string, string[]> = { DeduplicationScope: ['messageGroup', 'queue'], FifoThroughputLimit: ['perQueue', 'perMessageGroupId'] };

/** Every attribute name GetQueueAttributes knows, in the order AWS answers `All`. */
export const READABLE = [
  'QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp', 'LastModifiedTimestamp', 'VisibilityTimeout', 'MaximumMessageSize', 'MessageRetentionPeriod', 'DelaySeconds',
  'Policy', 'ReceiveMessageWaitTimeSeconds', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit',
];
const SETTABLE = new Set([...Object.keys(RANGES), ...JSON_ATTRIBUTES, ...BOOLEAN_ATTRIBUTES, 'KmsMasterKeyId', 'FifoQueue', ...Object.keys(ENUMS)]);

function invalid(name: string) {
  return sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
}

/**
 * Checks attributes given to CreateQueue (`creating`) or SetQueueAttributes, and returns them
 * normalized. FifoQueue only at creation, and only `true` on a name ending in `.fifo`.
 */
export function validateAttributes(input: Record<string, string>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!SETTABLE.has(name) || (name === 'FifoQueue' && !creating)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    if (FIFO_ONLY.has(name) && !fifo) {
      // AWS names the high-throughput pair's rule, and calls ContentBasedDeduplication unknown
      throw sqsError('InvalidAttributeName', name in ENUMS ? `You can specify the ${name} only when FifoQueue is set to true.` : `Unknown Attribute ${name}.`);
    }
    const range = RANGES[name];
    if (range) {
      if (!/^\d+$/.test(value.trim()) || Number(value) < range[0] || Number(value) > range[1]) throw invalid(name);
      out[name] = String(Number(value));
    } else if (BOOLEAN_ATTRIBUTES.has(name) || name === 'FifoQueue') {
      if (!/^(true|false)$/i.test(value)) throw invalid(name);
      out[name] = value.toLowerCase();
    } else if (JSON_ATTRIBUTES.has(name)) {
      if (value === '') out[name] = value;
      else out[name] = validateJsonAttribute(name, value);
    } else if (ENUMS[name]) {
      if (!ENUMS[name]!.includes(value)) throw invalid(name);
      out[name] = value;
    } else out[name] = value;
  }
  if (out.FifoQueue === 'false' && fifo) throw invalid('FifoQueue');
  if (out.FifoQueue === 'true' && !fifo) {
    throw sqsError('InvalidParameterValue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.');
  }
  return out;
}

function validateJsonAttribute(name: string, value: string): string {
  if (name === 'RedriveAllowPolicy') return validateRedriveAllowPolicy(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid(name);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(name);
  if (name === 'RedrivePolicy') {
    const p = parsed as Record<string, unknown>;
    const count = Number(p.maxReceiveCount);
    if (typeof p.deadLetterTargetArn !== 'string' || !Number.isInteger(count) || count < 1 || count > 1000) {
      throw sqsError('InvalidParameterValue', `Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map or is missing deadLetterTargetArn or maxReceiveCount.`);
    }
    // AWS answers maxReceiveCount as a number whatever the client sent
    return JSON.stringify({ deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count });
  }
  return value;
}

const REDRIVE_PERMISSIONS = ['allowAll', 'denyAll', 'byQueue'];
const MAX_SOURCE_QUEUE_ARNS = 10;

/**
 * RedriveAllowPolicy: `redrivePermission` allowAll | denyAll | byQueue, and `sourceQueueArns`
 * (1 to 10 ARNs) only with byQueue, as AWS words its refusals.
 */
function validateRedriveAllowPolicy(value: string): string {
  let policy: Record<string, unknown> = {};
  try {
    policy = JSON.parse(value) as Record<string, unknown>;
  } catch {
    // answered below as an unsupported format
  }
  const refuse = (reason: string) => sqsError('InvalidParameterValue', `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${reason}`);
  const arns = policy.sourceQueueArns;
  const wellFormed = typeof policy === 'object' && policy !== null && !Array.isArray(policy) && typeof policy.redrivePermission === 'string' && REDRIVE_PERMISSIONS.includes(policy.redrivePermission)
    && Object.keys(policy).every((key) => key === 'redrivePermission' || key === 'sourceQueueArns')
    && (arns === undefined || (Array.isArray(arns) && arns.every((arn) => typeof arn === 'string')));
  if (!wellFormed) {
    throw sqsError('InvalidParameterValue', 'Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can\'t create the redrive allow policy, as it’s in an unsupported format.');
  }
  const count = (arns as string[] | undefined)?.length ?? 0;
  if (policy.redrivePermission !== 'byQueue') {
    if (arns !== undefined) throw refuse('To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
  } else if (count === 0) {
    throw refuse('When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
  } else if (count > MAX_SOURCE_QUEUE_ARNS) {
    throw refuse(`The maximum number of source queue ARNs you can specify is ${MAX_SOURCE_QUEUE_ARNS}.`);
  }
  return value;
}

/**
 * The high-throughput pair, as the queue will have it (`effective`: defaults, then the queue's
 * attributes, then the ones given): FifoThroughputLimit=perMessageGroupId only with
 * DeduplicationScope=messageGroup.
 */
export function checkThroughputPair(effective: Record<string, string>): void {
  if (effective.FifoThroughputLimit === 'perMessageGroupId' && effective.DeduplicationScope !== 'messageGroup') throw invalid('FifoThroughputLimit');
}

/** Whether a dead-letter queue's RedriveAllowPolicy lets a source queue (by ARN) name it. */
export function redriveAllowed(deadLetterQueue: StoredQueue, sourceArn: string): boolean {
  const text = deadLetterQueue.attributes.RedriveAllowPolicy;
  if (!text) return true;
  const policy = JSON.parse(text) as { redrivePermission: string; sourceQueueArns?: string[] };
  if (policy.redrivePermission === 'denyAll') return false;
  return policy.redrivePermission !== 'byQueue' || (policy.sourceQueueArns ?? []).includes(sourceArn);
}

/** The attributes of a new queue: AWS's defaults under what was given. */
export function withDefaults(given: Record<string, string>, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, range] of Object.entries(RANGES)) if (name !== 'KmsDataKeyReusePeriodSeconds') out[name] = range[2];
  out.SqsManagedSseEnabled = given.KmsMasterKeyId ? 'false' : 'true';
  if (fifo) Object.assign(out, { FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
  Object.assign(out, given);
  if (out.KmsMasterKeyId && out.KmsDataKeyReusePeriodSeconds === undefined) out.KmsDataKeyReusePeriodSeconds = '300';
  return out;
}

/** The messages of a queue by state, as the Approximate* attributes count them. */
export function counts(queue: StoredQueue, now: number): { visible: number; inFlight: number; delayed: number } {
  let visible = 0;
  let inFlight = 0;
  let delayed = 0;
  const retention = Number(queue.attributes.MessageRetentionPeriod) * 1000;
  for (const m of queue.messages) {
    // past its retention period a message is gone, even before a receive drops it
    if (now - m.sent >= retention) continue;
    if (m.visibleAt <= now) visible++;
    else if (m.receiveCount > 0) inFlight++;
    else delayed++;
  }
  return { visible, inFlight, delayed };
}

/** GetQueueAttributes: the names asked (or `All`), in AWS's order; InvalidAttributeName for an unknown one. */
export function readAttributes(queue: StoredQueue, names: readonly string[], now: number): Record<string, string> {
  for (const name of names) if (name !== 'All' && !READABLE.includes(name)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
  const all = names.includes('All');
  const c = counts(queue, now);
  const computed: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(c.visible),
    ApproximateNumberOfMessagesNotVisible: String(c.inFlight),
    ApproximateNumberOfMessagesDelayed: String(c.delayed),
    CreatedTimestamp: String(Math.floor(queue.created / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModified / 1000)),
  };
  const out: Record<string, string> = {};
  for (const name of READABLE) {
    if (!all && !names.includes(name)) continue;
    const value = computed[name] ?? queue.attributes[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
