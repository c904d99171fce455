/**
 * AWS's two 60-second rules are off unless asked for, as in LocalStack (SQS_DELAY_PURGE_RETRY,
 * SQS_DELAY_RECENTLY_DELETED), so that test suites written for LocalStack, which purge or
 * re-create a queue at once, keep working. With the variables set the rules apply (clock.test.ts,
 * fifo-attempts.test.ts, queues.test.ts).
 */
import { CreateQueueCommand, DeleteQueueCommand, PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';

let client: SQSClient;
withInProcessRuntime({ sqs: PROVIDERS.sqs }, (endpoint) => {
  client = new SQSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});
afterAll(() => client?.destroy());

describe("LocalStack's defaults for AWS's 60-second rules", () => {
  it('PurgeQueue twice in a row, and a queue re-created at once after its deletion', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'again' }));
    await client.send(new PurgeQueueCommand({ QueueUrl }));
    await client.send(new PurgeQueueCommand({ QueueUrl }));
    await client.send(new DeleteQueueCommand({ QueueUrl }));
    expect((await client.send(new CreateQueueCommand({ QueueName: 'again' }))).QueueUrl).toBe(QueueUrl);
  });
});
