/**
 * Event-stream outputs in every protocol that has them, decoded by the real SDK clients:
 * json (Logs StartLiveTail: `initial-response` first, then events, then a modelled exception
 * event), rest-xml (S3 SelectObjectContent: raw and XML event payloads), rest-json (Lambda
 * InvokeWithResponseStream produced as the provider goes, and an unmodelled error message).
 * Events from an async iterable reach the client as they are produced, not at the end.
 */
import { CloudWatchLogsClient, SessionTimeoutException, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client, SelectObjectContentCommand } from '@aws-sdk/client-s3';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import { EventStreamEncoder } from '../../runtime/aws/protocols/event-stream.js';
import type { ServiceModel, Shape } from '../../runtime/aws/models/service-model.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { clientConfig, withInProcessRuntime } from '../support/runtime.js';

/** Resolves when the test lets the provider go on: proves events leave before the stream ends. */
let release: () => void = () => undefined;
const gate = () => new Promise<void>((resolve) => (release = resolve));

const registry: ProviderRegistry = {
  logs: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          StartLiveTail(_ctx, input) {
            return {
              responseStream: (async function* () {
                yield { sessionStart: { requestId: 'r-1', sessionId: 's-1', logGroupIdentifiers: input.logGroupIdentifiers } };
                await gate();
                yield {
                  sessionUpdate: {
                    sessionMetadata: { sampled: false },
                    sessionResults: [{ logStreamName: 'st', logGroupIdentifier: 'g', message: 'hello <&> "x"', timestamp: 1767225600000, ingestionTime: 1767225600001 }],
                  },
                };
                throw new ServiceError('SessionTimeoutException', 'the session timed out');
              })(),
            };
          },
        },
      }),
    }),
  },
  s3: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          SelectObjectContent() {
            return {
              Payload: [
                { Records: { Payload: Buffer.from('a,b\n1,2\n') } },
                { Progress: { Details: { BytesScanned: 10, BytesProcessed: 10, BytesReturned: 8 } } },
                { Cont: {} },
                { Stats: { Details: { BytesScanned: 100, BytesProcessed: 90, BytesReturned: 8 } } },
                { End: {} },
              ],
            };
          },
        },
      }),
    }),
  },
  lambda: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          InvokeWithResponseStream(_ctx, input) {
            return {
              StatusCode: 200,
              EventStream: (async function* () {
                yield { PayloadChunk: { Payload: Buffer.from('part 1') } };
                if (input.FunctionName === 'fails') throw new ServiceError('ServiceException', 'the function went away', { status: 500 });
                yield { PayloadChunk: { Payload: Buffer.from('part 2') } };
                yield { InvokeComplete: {} };
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

describe('json event streams (Logs StartLiveTail)', () => {
  it('events arrive as produced, then a modelled exception event ends the stream as its exception class', async () => {
    // StartLiveTail has the host prefix `streaming-`, which loopback cannot resolve
    const logs = new CloudWatchLogsClient({ ...clientConfig(endpoint), disableHostPrefix: true });
    const r = await logs.send(new StartLiveTailCommand({ logGroupIdentifiers: ['arn:aws:logs:us-east-1:000000000000:log-group:g'] }));
    const it = r.responseStream![Symbol.asyncIterator]();
    // the first event is readable while the provider is still held at the gate
    const first = await it.next();
    expect(first.value).toEqual({ sessionStart: { requestId: 'r-1', sessionId: 's-1', logGroupIdentifiers: ['arn:aws:logs:us-east-1:000000000000:log-group:g'] } });
    release();
    const second = await it.next();
    expect(second.value).toEqual({
      sessionUpdate: {
        sessionMetadata: { sampled: false },
        sessionResults: [{ logStreamName: 'st', logGroupIdentifier: 'g', message: 'hello <&> "x"', timestamp: 1767225600000, ingestionTime: 1767225600001 }],
      },
    });
    const error = await it.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionTimeoutException);
    expect((error as Error).message).toBe('the session timed out');
  });
});

describe('rest-xml event streams (S3 SelectObjectContent)', () => {
  it('raw record payloads and XML stats/progress payloads', async () => {
    const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
    const r = await s3.send(
      new SelectObjectContentCommand({
        Bucket: 'b',
        Key: 'k.csv',
        Expression: 'select * from s3object',
        ExpressionType: 'SQL',
        InputSerialization: { CSV: {} },
        OutputSerialization: { CSV: {} },
      }),
    );
    const events: unknown[] = [];
    for await (const e of r.Payload!) events.push(e.Records ? { Records: Buffer.from(e.Records.Payload!).toString() } : e);
    expect(events).toEqual([
      { Records: 'a,b\n1,2\n' },
      { Progress: { Details: { BytesScanned: 10, BytesProcessed: 10, BytesReturned: 8 } } },
      { Cont: {} },
      { Stats: { Details: { BytesScanned: 100, BytesProcessed: 90, BytesReturned: 8 } } },
      { End: {} },
    ]);
  });
});

describe('rest-json event streams (Lambda InvokeWithResponseStream)', () => {
  const lambda = () => new LambdaClient(clientConfig(endpoint));

  it('events from an async iterable, in order', async () => {
    const r = await lambda().send(new InvokeWithResponseStreamCommand({ FunctionName: 'ok' }));
    const chunks: string[] = [];
    for await (const e of r.EventStream!) chunks.push(e.PayloadChunk ? Buffer.from(e.PayloadChunk.Payload!).toString() : Object.keys(e)[0]!);
    expect(chunks).toEqual(['part 1', 'part 2', 'InvokeComplete']);
  });

  it('an error the stream does not model ends it with an error message the SDK raises by code', async () => {
    const r = await lambda().send(new InvokeWithResponseStreamCommand({ FunctionName: 'fails' }));
    const chunks: string[] = [];
    const error = await (async () => {
      for await (const e of r.EventStream!) chunks.push(Buffer.from(e.PayloadChunk!.Payload!).toString());
    })().catch((e: unknown) => e);
    expect(chunks).toEqual(['part 1']);
    expect(error).toMatchObject({ name: 'ServiceException', message: 'the function went away' });
  });
});

describe('event headers', () => {
  it('eventheader members travel as typed headers, decoded by the SDK codec', () => {
    // no bundled model has eventheader members yet: a synthetic event shape stands in
    const shape: Shape = {
      type: 'structure',
      eventstream: true,
      members: {
        Tick: {
          type: 'structure',
          event: true,
          members: {
            Count: { type: 'integer', eventheader: true },
            Total: { type: 'long', eventheader: true },
            Flag: { type: 'boolean', eventheader: true },
            At: { type: 'timestamp', eventheader: true },
            Tag: { type: 'string', eventheader: true },
            Raw: { type: 'blob', eventheader: true },
            Body: { type: 'blob', eventpayload: true },
          },
        },
      },
    };
    const service = {
      resolve: (s: Shape) => s,
      members: (s: Shape) => Object.entries(s.members ?? {}),
    } as unknown as ServiceModel;
    const encoder = new EventStreamEncoder(service, shape, { contentType: 'application/json', write: () => Buffer.from('{}') });
    const bytes = encoder.event({ Tick: { Count: -7, Total: 2 ** 40, Flag: true, At: new Date(1767225600123), Tag: 'día', Raw: Buffer.from([1, 2]), Body: Buffer.from('payload') } })!;
    const codec = new EventStreamCodec(
      (b: Uint8Array) => Buffer.from(b).toString(), // toUtf8
      (s: string) => Buffer.from(s), // fromUtf8
    );
    const message = codec.decode(bytes);
    expect(Buffer.from(message.body).toString()).toBe('payload');
    const h = message.headers;
    expect(h[':event-type']).toEqual({ type: 'string', value: 'Tick' });
    expect(h[':content-type']).toEqual({ type: 'string', value: 'application/octet-stream' });
    expect(h.Count).toEqual({ type: 'integer', value: -7 });
    expect(h.Total!.type).toBe('long');
    expect(Number((h.Total!.value as { toString(): string }).toString())).toBe(2 ** 40);
    expect(h.Flag).toEqual({ type: 'boolean', value: true });
    expect(h.At).toEqual({ type: 'timestamp', value: new Date(1767225600123) });
    expect(h.Tag).toEqual({ type: 'string', value: 'día' });
    expect(Buffer.from(h.Raw!.value as Uint8Array)).toEqual(Buffer.from([1, 2]));
  });
});
