/**
 * The FIFO-only topic attributes, through @aws-sdk/client-sns over a socket to a runtime
 * process: FifoTopic is set at creation only; ContentBasedDeduplication, FifoThroughputScope
 * and ArchivePolicy are refused on a standard topic (CreateTopic and SetTopicAttributes) and
 * taken on a FIFO one, with their values checked; each refusal stores nothing, and the runtime
 * keeps serving.
 */
import { CreateTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let sns: SNSClient;
beforeAll(async () => {
  rt = await startRuntime({ env: { SERVICES: 'sns' } });
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const BAD = 'InvalidParameterException';

describe('FIFO-only topic attributes', () => {
  it('FifoTopic is set at creation only', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'plain' }));
    await expectSdkError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'true' })), BAD, 'Invalid parameter: AttributeName');
    const fifo = await sns.send(new CreateTopicCommand({ Name: 'made.fifo', Attributes: { FifoTopic: 'true' } }));
    await expectSdkError(sns.send(new SetTopicAttributesCommand({ TopicArn: fifo.TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'false' })), BAD, 'Invalid parameter: AttributeName');
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo.TopicArn }))).Attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'false' });
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.FifoTopic).toBeUndefined();
  });

  it('ContentBasedDeduplication, FifoThroughputScope and ArchivePolicy: refused on a standard topic, checked on a FIFO one', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'standard' }));
    const refusedOnStandard: [string, string, string][] = [
      ['ContentBasedDeduplication', 'true', 'Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics'],
      ['FifoThroughputScope', 'MessageGroup', 'Invalid parameter: Attributes Reason: FifoThroughputScope can only be set for FIFO topics.'],
      ['ArchivePolicy', '{"MessageRetentionPeriod":"30"}', 'Invalid parameter: ArchivePolicy Reason: Message archiving can only be set for FIFO topics'],
    ];
    for (const [name, value, message] of refusedOnStandard) {
      await expectSdkError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: name, AttributeValue: value })), BAD, message);
      await expectSdkError(sns.send(new CreateTopicCommand({ Name: `standard-${name}`, Attributes: { [name]: value } })), BAD, message);
    }
    expect((await sns.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn).filter((a) => a!.includes('standard-'))).toEqual([]);

    const fifo = (await sns.send(new CreateTopicCommand({ Name: 'archived.fifo', Attributes: { FifoTopic: 'true', ArchivePolicy: '{"MessageRetentionPeriod":"30"}', FifoThroughputScope: 'MessageGroup' } }))).TopicArn!;
    await sns.send(new SetTopicAttributesCommand({ TopicArn: fifo, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn: fifo, AttributeName: 'ArchivePolicy', AttributeValue: '{"MessageRetentionPeriod":365}' }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo }))).Attributes).toMatchObject({
      FifoTopic: 'true', ContentBasedDeduplication: 'true', FifoThroughputScope: 'MessageGroup', ArchivePolicy: '{"MessageRetentionPeriod":365}',
    });
    const refusedOnFifo: [string, string, string][] = [
      ['ContentBasedDeduplication', 'yes', 'Invalid parameter: Attributes Reason: ContentBasedDeduplication: Value yes is invalid'],
      ['FifoThroughputScope', 'Partition', 'Invalid parameter: Attributes Reason: FifoThroughputScope: Value Partition is invalid'],
      ['ArchivePolicy', 'not json', 'Invalid parameter: ArchivePolicy: failed to parse JSON'],
      ['ArchivePolicy', '{"MessageRetentionPeriod":"0"}', 'Invalid parameter: ArchivePolicy Reason: MessageRetentionPeriod must be an integer between 1 and 365 days'],
      ['ArchivePolicy', '{"MessageRetentionPeriod":366}', 'Invalid parameter: ArchivePolicy Reason: MessageRetentionPeriod must be an integer between 1 and 365 days'],
      ['ArchivePolicy', '{"RetentionDays":3}', 'Invalid parameter: ArchivePolicy Reason: Unrecognized field RetentionDays'],
    ];
    for (const [name, value, message] of refusedOnFifo) {
      await expectSdkError(sns.send(new SetTopicAttributesCommand({ TopicArn: fifo, AttributeName: name, AttributeValue: value })), BAD, message);
    }
    // nothing changed by the refusals; archiving turned off with an empty policy
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo }))).Attributes).toMatchObject({ ContentBasedDeduplication: 'true', FifoThroughputScope: 'MessageGroup', ArchivePolicy: '{"MessageRetentionPeriod":365}' });
    await sns.send(new SetTopicAttributesCommand({ TopicArn: fifo, AttributeName: 'ArchivePolicy', AttributeValue: '' }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo }))).Attributes!.ArchivePolicy).toBeUndefined();
  });
});
