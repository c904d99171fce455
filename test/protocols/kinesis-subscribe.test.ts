/**
 * Kinesis SubscribeToShard (enhanced fan-out), which aws-sdk v2's model lacks and
 * patches.json adds: the real @aws-sdk/client-kinesis, over HTTP/2 cleartext as it speaks to
 * http:// endpoints, reads the json event stream (`initial-response`, then
 * SubscribeToShardEvent messages) as the provider produces it, with records decoded exactly,
 * and a modelled exception event raised as its exception class during iteration.
 */
import {
  KinesisClient,
  ResourceInUseException,
  ResourceNotFoundException,
  SubscribeToShardCommand,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { clientConfig, withInProcessRuntime } from '../support/runtime.js';

const CONSUMER = 'arn:aws:kinesis:us-east-1:000000000000:stream/orders/consumer/app:1767225600';
const UNKNOWN_CONSUMER = 'arn:aws:kinesis:us-east-1:000000000000:stream/orders/consumer/gone:1767225600';

/** Resolves when the test lets the provider go on: proves events leave before the stream ends. */
let release: () => void = () => undefined;
const gate = () => new Promise<void>((resolve) => (release = resolve));
/** What the provider was asked for. */
let received: Record<string, unknown> | undefined;

// bytes that are no UTF-8, a NUL and every byte value at the edges: base64 in the event's JSON
const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7f, 0x0a, 0x22, 0x5c]);
const FIRST_RECORDS = [
  {
    SequenceNumber: '49590338271490256608559692538361571095921575989136588802',
    ApproximateArrivalTimestamp: new Date(1767225600123),
    Data: BINARY,
    PartitionKey: 'pk-ü/1',
    EncryptionType: 'KMS',
  },
  {
    SequenceNumber: '49590338271490256608559692538361571095921575989136588803',
    ApproximateArrivalTimestamp: new Date(1767225600999),
    Data: Buffer.from('{"order":42}'),
    PartitionKey: 'pk-2',
  },
  // an empty record: Data is required, and zero bytes are data too
  { SequenceNumber: '49590338271490256608559692538361571095921575989136588804', Data: Buffer.alloc(0), PartitionKey: 'pk-3' },
];

const registry: ProviderRegistry = {
  kinesis: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          SubscribeToShard(_ctx, input) {
            received = input;
            if (input.ConsumerARN === UNKNOWN_CONSUMER) throw new ServiceError('ResourceNotFoundException', `Consumer ${UNKNOWN_CONSUMER} not found`);
            return {
              EventStream: (async function* () {
                yield {
                  SubscribeToShardEvent: { Records: FIRST_RECORDS, ContinuationSequenceNumber: '49590338271490256608559692538361571095921575989136588804', MillisBehindLatest: 1500 },
                };
                await gate();
                // the shard was split: its last event names the children
                yield {
                  SubscribeToShardEvent: {
                    Records: [],
                    ContinuationSequenceNumber: '49590338271490256608559692538361571095921575989136588805',
                    MillisBehindLatest: 0,
                    ChildShards: [
                      { ShardId: 'shardId-000000000001', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '170141183460469231731687303715884105727' } },
                      { ShardId: 'shardId-000000000002', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '170141183460469231731687303715884105728', EndingHashKey: '340282366920938463463374607431768211455' } },
                    ],
                  },
                };
                // a second subscription took this one over
                throw new ServiceError('ResourceInUseException', `Another active subscription exists for consumer ${CONSUMER} on shard ${String(input.ShardId)}`);
              })(),
            };
          },
        },
      }),
    }),
  },
};

let endpoint: string;
withInProcessRuntime(registry, (url) => (endpoint = url));

/**
 * The client as a LocalStack user configures it: endpoint and credentials, nothing else
 * (SubscribeToShard has no host prefix, so disableHostPrefix is not needed). The raw
 * response body of each request is kept, to show which HTTP version carried it.
 */
function kinesisClient(bodies: unknown[]): KinesisClient {
  const client = new KinesisClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      bodies.push((result.response as { body?: unknown }).body);
      return result;
    },
    { step: 'build', name: 'keepResponseBody' },
  );
  return client;
}

describe('Kinesis SubscribeToShard through @aws-sdk/client-kinesis', () => {
  it('events arrive over HTTP/2 as produced, records decoded exactly, then a modelled exception event', async () => {
    const bodies: unknown[] = [];
    const kinesis = kinesisClient(bodies);
    try {
      const r = await kinesis.send(
        new SubscribeToShardCommand({
          ConsumerARN: CONSUMER,
          ShardId: 'shardId-000000000000',
          StartingPosition: { Type: 'AT_TIMESTAMP', Timestamp: new Date(1767225600500) },
        }),
      );
      // the input arrived as the model has it (the timestamp as an instant)
      expect(received).toEqual({ ConsumerARN: CONSUMER, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'AT_TIMESTAMP', Timestamp: new Date(1767225600500) } });
      // the response is an HTTP/2 stream of the client's session, not an HTTP/1.1 message
      expect(bodies).toHaveLength(1);
      expect((bodies[0] as object).constructor.name).toBe('ClientHttp2Stream');

      const events: AsyncIterator<SubscribeToShardEventStream> = r.EventStream![Symbol.asyncIterator]();
      // the first event is readable while the provider is still held at the gate
      const first = await events.next();
      expect(first.done).toBe(false);
      const value: SubscribeToShardEventStream = first.value;
      expect(Object.keys(value)).toEqual(['SubscribeToShardEvent']);
      const event = value.SubscribeToShardEvent!;
      expect(event.ContinuationSequenceNumber).toBe('49590338271490256608559692538361571095921575989136588804');
      expect(event.MillisBehindLatest).toBe(1500);
      expect(event.ChildShards).toBeUndefined();
      expect(event.Records).toHaveLength(3);
      expect(event.Records!.map((rec) => ({ ...rec, Data: Buffer.from(rec.Data!) }))).toEqual(FIRST_RECORDS);
      for (const rec of event.Records!) expect(rec.Data).toBeInstanceOf(Uint8Array);
      expect(event.Records![0]!.ApproximateArrivalTimestamp!.getTime()).toBe(1767225600123);

      release();
      const second = await events.next();
      expect(second.value).toEqual({
        SubscribeToShardEvent: {
          Records: [],
          ContinuationSequenceNumber: '49590338271490256608559692538361571095921575989136588805',
          MillisBehindLatest: 0,
          ChildShards: [
            { ShardId: 'shardId-000000000001', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '170141183460469231731687303715884105727' } },
            { ShardId: 'shardId-000000000002', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '170141183460469231731687303715884105728', EndingHashKey: '340282366920938463463374607431768211455' } },
          ],
        },
      });

      const error = await events.next().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResourceInUseException);
      expect((error as Error).message).toBe(`Another active subscription exists for consumer ${CONSUMER} on shard shardId-000000000000`);
    } finally {
      kinesis.destroy();
    }
  });

  it('a subscription refused before the stream opens fails the send with the exception class', async () => {
    const kinesis = kinesisClient([]);
    try {
      const error = await kinesis
        .send(new SubscribeToShardCommand({ ConsumerARN: UNKNOWN_CONSUMER, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect((error as ResourceNotFoundException).message).toBe(`Consumer ${UNKNOWN_CONSUMER} not found`);
      expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(400);
      expect(received).toEqual({ ConsumerARN: UNKNOWN_CONSUMER, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } });
    } finally {
      kinesis.destroy();
    }
  });
});
