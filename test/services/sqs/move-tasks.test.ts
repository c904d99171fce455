/**
 * Message move tasks that run over time, through @aws-sdk/client-sqs on a driven clock (an
 * in-process runtime on a ManualClock: the task moves on the provider's scheduler, so time
 * passes without waiting): RUNNING with its counts at MaxNumberOfMessagesPerSecond, the
 * default rate, one task per source queue, cancelling (CANCELLING, then CANCELLED), back to
 * the original source queues without a DestinationArn, FAILED when the destination goes, and
 * AWS's errors for bad input while the runtime keeps serving. Then, in runtime processes with
 * PERSISTENCE=1: a task running at a stop goes on after the restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelMessageMoveTaskCommand, CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ListMessageMoveTasksCommand, ReceiveMessageCommand, SQSClient,
  SendMessageBatchCommand, SendMessageCommand, StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, startRuntime, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError, sdkError } from '../../support/sdk-error.js';

const clock = new ManualClock(Date.now());
let client: SQSClient;
withInProcessRuntime(
  { sqs: PROVIDERS.sqs },
  (endpoint) => {
    client = new SQSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  },
  { scheduler: new RuntimeScheduler(clock) },
);
afterAll(() => client?.destroy());

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

async function queue(c: SQSClient, name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await c.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function count(c: SQSClient, QueueUrl: string): Promise<number> {
  const { Attributes } = await c.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}

/** A source queue whose `n` messages were dead-lettered into `dlq` (maxReceiveCount 1, VisibilityTimeout 0). */
async function deadLettered(c: SQSClient, source: string, dlq: string, n: number): Promise<{ sourceUrl: string; dlqUrl: string }> {
  const dlqUrl = await queue(c, dlq);
  const sourceUrl = await queue(c, source, { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount: 1 }) });
  for (let i = 0; i < n; i += 10) {
    const Entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${i + j}`, MessageBody: `${source}-${i + j}` }));
    await c.send(new SendMessageBatchCommand({ QueueUrl: sourceUrl, Entries }));
  }
  // one receive each, then the next receive moves them to the dead-letter queue
  while ((await c.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10 }))).Messages) { /* received once; the next receive dead-letters */ }
  expect(await count(c, dlqUrl)).toBe(n);
  return { sourceUrl, dlqUrl };
}

const list = async (source: string) => (await client.send(new ListMessageMoveTasksCommand({ SourceArn: arn(source), MaxResults: 10 }))).Results!;

describe('SQS message move tasks over time', () => {
  it('moves MaxNumberOfMessagesPerSecond a second, RUNNING meanwhile; a cancel makes it CANCELLING, then CANCELLED', async () => {
    const { dlqUrl } = await deadLettered(client, 'mt-src', 'mt-dlq', 5);
    const destination = await queue(client, 'mt-dest');
    const { TaskHandle } = await client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-dlq'), DestinationArn: arn('mt-dest'), MaxNumberOfMessagesPerSecond: 1 }));
    // AWS's handle: base64 of {"taskId","sourceArn"}
    expect(JSON.parse(Buffer.from(TaskHandle!, 'base64').toString('utf8'))).toEqual({ taskId: expect.stringMatching(/^[0-9a-f-]{36}$/), sourceArn: arn('mt-dlq') });
    await clock.advance(0);
    expect(await list('mt-dlq')).toEqual([{
      TaskHandle, Status: 'RUNNING', SourceArn: arn('mt-dlq'), DestinationArn: arn('mt-dest'), MaxNumberOfMessagesPerSecond: 1,
      ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 5, StartedTimestamp: expect.any(Number),
    }]);
    await clock.advance(1000);
    expect((await list('mt-dlq'))[0]).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 2 });
    // one task per source queue
    await expectSdkError(client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-dlq') })), 'InvalidParameterValue',
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    expect((await client.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).ApproximateNumberOfMessagesMoved).toBe(2);
    expect((await list('mt-dlq'))[0]).toMatchObject({ Status: 'CANCELLING', ApproximateNumberOfMessagesMoved: 2 });
    expect((await list('mt-dlq'))[0]!.TaskHandle).toBeUndefined();
    await clock.advance(0);
    expect((await list('mt-dlq'))[0]).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 5 });
    await clock.advance(10_000);
    expect([await count(client, destination), await count(client, dlqUrl)]).toEqual([2, 3]);
    // a task that is not running cannot be cancelled; a new one can start
    await expectSdkError(client.send(new CancelMessageMoveTaskCommand({ TaskHandle })), 'ResourceNotFoundException', 'Task does not exist.', 404);
    const second = await client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-dlq'), DestinationArn: arn('mt-dest'), MaxNumberOfMessagesPerSecond: 2 }));
    await clock.advance(0);
    expect((await list('mt-dlq')).map((t) => [t.Status, t.ApproximateNumberOfMessagesMoved])).toEqual([['RUNNING', 2], ['CANCELLED', 2]]);
    await clock.advance(1000);
    expect((await list('mt-dlq'))[0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 });
    expect((await list('mt-dlq'))[0]!.TaskHandle).toBeUndefined();
    expect(second.TaskHandle).not.toBe(TaskHandle);
    expect([await count(client, destination), await count(client, dlqUrl)]).toEqual([5, 0]);
  });

  it('without DestinationArn moves each message back to its source queue; without a rate, at the default rate', async () => {
    const a = await deadLettered(client, 'mt-a', 'mt-shared-dlq', 3);
    const bUrl = await queue(client, 'mt-b', { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('mt-shared-dlq'), maxReceiveCount: 1 }) });
    await client.send(new SendMessageCommand({ QueueUrl: bUrl, MessageBody: 'from b' }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: bUrl }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: bUrl }));
    expect(await count(client, a.dlqUrl)).toBe(4);
    await client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-shared-dlq') }));
    expect((await list('mt-shared-dlq'))[0]).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 0, ApproximateNumberOfMessagesToMove: 4 });
    await clock.advance(0);
    const [task] = await list('mt-shared-dlq');
    expect(task).toEqual({
      Status: 'COMPLETED', SourceArn: arn('mt-shared-dlq'), ApproximateNumberOfMessagesMoved: 4, ApproximateNumberOfMessagesToMove: 4, StartedTimestamp: expect.any(Number),
    });
    const bodies = async (QueueUrl: string) => ((await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }))).Messages ?? []).map((m) => m.Body).sort();
    expect(await bodies(a.sourceUrl)).toEqual(['mt-a-0', 'mt-a-1', 'mt-a-2']);
    expect(await bodies(bUrl)).toEqual(['from b']);
  });

  it('the default rate is 500 a second: a larger backlog takes more than one turn', async () => {
    const { dlqUrl } = await deadLettered(client, 'mt-big', 'mt-big-dlq', 520);
    const destination = await queue(client, 'mt-big-dest');
    await client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-big-dlq'), DestinationArn: arn('mt-big-dest') }));
    await clock.advance(0);
    expect((await list('mt-big-dlq'))[0]).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 500, ApproximateNumberOfMessagesToMove: 520 });
    await clock.advance(1000);
    expect((await list('mt-big-dlq'))[0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 520 });
    expect([await count(client, destination), await count(client, dlqUrl)]).toEqual([520, 0]);
  });

  it('FAILED with AWS.SimpleQueueService.NonExistentQueue when the destination is deleted while it runs', async () => {
    const { dlqUrl } = await deadLettered(client, 'mt-gone-src', 'mt-gone-dlq', 3);
    const destination = await queue(client, 'mt-gone-dest');
    await client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-gone-dlq'), DestinationArn: arn('mt-gone-dest'), MaxNumberOfMessagesPerSecond: 1 }));
    await clock.advance(0);
    await client.send(new DeleteQueueCommand({ QueueUrl: destination }));
    await clock.advance(1000);
    expect((await list('mt-gone-dlq'))[0]).toMatchObject({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue', ApproximateNumberOfMessagesMoved: 1 });
    expect(await count(client, dlqUrl)).toBe(2);
    await clock.advance(5000);
    expect(await count(client, dlqUrl)).toBe(2);
  });

  it("answers bad input with AWS's errors and keeps serving", async () => {
    await deadLettered(client, 'mt-bad-src', 'mt-bad-dlq', 1);
    for (const rate of [0, 501]) {
      await expectSdkError(client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-bad-dlq'), MaxNumberOfMessagesPerSecond: rate })), 'InvalidParameterValue',
        `Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.`);
    }
    await expectSdkError(client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-nope') })), 'ResourceNotFoundException',
      'The resource that you specified for the SourceArn parameter doesn\'t exist.', 404);
    await expectSdkError(client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-bad-src') })), 'InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
    await expectSdkError(client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('mt-bad-dlq'), DestinationArn: arn('mt-nope') })), 'ResourceNotFoundException',
      'The resource that you specified for the DestinationArn parameter doesn\'t exist.', 404);
    await expectSdkError(client.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'not a handle' })), 'InvalidParameterValue', 'Value for parameter TaskHandle is invalid.');
    const handle = (taskId: string, sourceArn: string) => Buffer.from(JSON.stringify({ taskId, sourceArn })).toString('base64');
    await expectSdkError(client.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle('10f57157-fc38-4da9-a113-4de7e12d05dd', arn('mt-nope')) })), 'ResourceNotFoundException',
      'The resource that you specified for the SourceArn parameter doesn\'t exist.', 404);
    await expectSdkError(client.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle('10f57157-fc38-4da9-a113-4de7e12d05aa', arn('mt-bad-dlq')) })), 'ResourceNotFoundException',
      'Task does not exist.', 404);
    expect((await sdkError(client.send(new ListMessageMoveTasksCommand({ SourceArn: arn('mt-nope') })))).status).toBe(404);
    expect(await list('mt-bad-dlq')).toEqual([]);
  });
});

const volume = mkdtempSync(join(tmpdir(), 'ls-sqs-move-tasks-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

describe('a message move task across a restart (PERSISTENCE=1)', () => {
  it('a task RUNNING when the runtime stops goes on in the next one', async () => {
    const env = { PERSISTENCE: '1', SERVICES: 'sqs', EAGER_SERVICE_LOADING: '1' };
    const first = await startRuntime({ env, volume });
    try {
      const c = new SQSClient({ ...clientConfig(first.endpoint), maxAttempts: 1 });
      await deadLettered(c, 'rs-src', 'rs-dlq', 40);
      await queue(c, 'rs-dest');
      // 1 a second: 40 messages take far longer than this runtime lives
      await c.send(new StartMessageMoveTaskCommand({ SourceArn: arn('rs-dlq'), DestinationArn: arn('rs-dest'), MaxNumberOfMessagesPerSecond: 1 }));
      await vi.waitFor(async () => expect((await c.send(new ListMessageMoveTasksCommand({ SourceArn: arn('rs-dlq') }))).Results![0]!.ApproximateNumberOfMessagesMoved).toBeGreaterThan(0));
      c.destroy();
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await startRuntime({ env, volume });
    try {
      const c = new SQSClient({ ...clientConfig(second.endpoint), maxAttempts: 1 });
      const [task] = (await c.send(new ListMessageMoveTasksCommand({ SourceArn: arn('rs-dlq') }))).Results!;
      expect(task).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesToMove: 40 });
      const before = task!.ApproximateNumberOfMessagesMoved!;
      // it moves on here: more moved than at the restart, and the counts still add up
      await vi.waitFor(async () => {
        const [now] = (await c.send(new ListMessageMoveTasksCommand({ SourceArn: arn('rs-dlq') }))).Results!;
        expect(now!.ApproximateNumberOfMessagesMoved).toBeGreaterThan(before);
      }, { timeout: 10_000, interval: 200 });
      await c.send(new CancelMessageMoveTaskCommand({ TaskHandle: task!.TaskHandle }));
      await vi.waitFor(async () => expect((await c.send(new ListMessageMoveTasksCommand({ SourceArn: arn('rs-dlq') }))).Results![0]!.Status).toBe('CANCELLED'));
      const [done] = (await c.send(new ListMessageMoveTasksCommand({ SourceArn: arn('rs-dlq') }))).Results!;
      const url = (name: string) => `http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/${name}`;
      expect([await count(c, url('rs-dest')), await count(c, url('rs-dlq'))]).toEqual([done!.ApproximateNumberOfMessagesMoved, 40 - done!.ApproximateNumberOfMessagesMoved!]);
      c.destroy();
    } finally {
      await second.stop();
    }
  });
});
