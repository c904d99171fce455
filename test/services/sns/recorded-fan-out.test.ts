/**
 * One message published to a topic with several SMS and platform endpoint subscribers is
 * recorded once per subscriber (it was recorded once, the last subscriber's copy overwriting
 * the others'), as LocalStack's /_aws/sns/sms-messages and platform-endpoint-messages list it;
 * @aws-sdk/client-sns over a socket to a runtime process.
 */
import { CreatePlatformApplicationCommand, CreatePlatformEndpointCommand, CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let sns: SNSClient;
beforeAll(async () => {
  rt = await startRuntime({ env: { SERVICES: 'sns' } });
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

async function list(path: string): Promise<Record<string, { MessageId: string; Message: string }[]>> {
  const body = (await (await fetch(`${rt.endpoint}/_aws/sns/${path}`)).json()) as Record<string, Record<string, { MessageId: string; Message: string }[]>>;
  return body[path.replace(/-/g, '_')]!;
}

describe('a topic message to several recorded subscribers', () => {
  it('is recorded for each SMS number and each platform endpoint', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'broadcast' }));
    for (const Endpoint of ['+15550101', '+15550102']) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint }));
    const { PlatformApplicationArn } = await sns.send(new CreatePlatformApplicationCommand({ Name: 'app', Platform: 'GCM', Attributes: { PlatformCredential: 'k' } }));
    const devices = [];
    for (const Token of ['d1', 'd2']) devices.push((await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token }))).EndpointArn!);
    for (const Endpoint of devices) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'application', Endpoint }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'to everyone' }));

    const texts = await list('sms-messages');
    expect(Object.keys(texts).sort()).toEqual(['+15550101', '+15550102']);
    for (const number of Object.keys(texts)) expect(texts[number]!.map((m) => [m.MessageId, m.Message])).toEqual([[MessageId, 'to everyone']]);
    const pushes = await list('platform-endpoint-messages');
    expect(Object.keys(pushes).sort()).toEqual([...devices].sort());
    for (const device of devices) expect(pushes[device]!.map((m) => [m.MessageId, m.Message])).toEqual([[MessageId, 'to everyone']]);
  });
});
