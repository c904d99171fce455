/**
 * RedriveAllowPolicy against a runtime process, through @aws-sdk/client-sqs (json) and boto3:
 * the policy's own validation (redrivePermission allowAll | denyAll | byQueue, sourceQueueArns
 * 1 to 10 and only with byQueue) with AWS's messages, and its effect: a source queue whose
 * RedrivePolicy names a dead-letter queue that does not allow it is refused at CreateQueue
 * and SetQueueAttributes, nothing changes, and the runtime keeps serving. boto3 also shows how
 * botocore reads SQS's json errors (Code from x-amzn-query-error, QueryErrorCode from __type).
 */
import { execFile } from 'node:child_process';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePython } from '../../support/python.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError, sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let client: SQSClient;
beforeAll(async () => {
  rt = await startRuntime({ env: { STATE_AUDIT: '1', SQS_DELAY_RECENTLY_DELETED: '1' } });
  client = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await rt?.stop();
});

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const redrive = (dlq: string) => JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount: 3 });
async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

describe('RedriveAllowPolicy', () => {
  it("validates the policy with AWS's messages", async () => {
    const QueueUrl = await queue('rap-dlq');
    const refused = (policy: string, reason: string) =>
      expectSdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedriveAllowPolicy: policy } })), 'InvalidParameterValue',
        `Value ${policy} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${reason}`);
    const unsupported = 'Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can\'t create the redrive allow policy, as it’s in an unsupported format.';
    for (const policy of ['not json', '[]', '{}', '{"redrivePermission":"allowSome"}', '{"redrivePermission":"allowAll","extra":1}', '{"redrivePermission":"byQueue","sourceQueueArns":"arn"}']) {
      await expectSdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedriveAllowPolicy: policy } })), 'InvalidParameterValue', unsupported);
    }
    await refused(JSON.stringify({ redrivePermission: 'allowAll', sourceQueueArns: [arn('a')] }), 'To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
    await refused(JSON.stringify({ redrivePermission: 'denyAll', sourceQueueArns: [] }), 'To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
    await refused(JSON.stringify({ redrivePermission: 'byQueue' }), 'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
    await refused(JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [] }), 'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
    const eleven = Array.from({ length: 11 }, (_, i) => arn(`s${i}`));
    await refused(JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: eleven }), 'The maximum number of source queue ARNs you can specify is 10.');
    expect((await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedriveAllowPolicy'] }))).Attributes).toBeUndefined();
    const ten = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: eleven.slice(0, 10) });
    await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedriveAllowPolicy: ten } }));
    expect((await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedriveAllowPolicy'] }))).Attributes).toEqual({ RedriveAllowPolicy: ten });
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'rap-bad', Attributes: { RedriveAllowPolicy: '{"redrivePermission":"byQueue"}' } })), 'InvalidParameterValue');
    expect((await sdkError(client.send(new GetQueueUrlCommand({ QueueName: 'rap-bad' })))).name).toBe('QueueDoesNotExist');
  });

  it('denyAll: no source queue can name the queue as its dead-letter queue', async () => {
    await queue('deny-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    const reason = (source: string) => `Value ${redrive('deny-dlq')} for parameter RedrivePolicy is invalid. Reason: The RedriveAllowPolicy of the dead-letter queue ${arn('deny-dlq')} doesn't allow the source queue ${arn(source)} to specify it as its dead-letter queue.`;
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'deny-src', Attributes: { RedrivePolicy: redrive('deny-dlq') } })), 'InvalidParameterValue', reason('deny-src'));
    expect((await sdkError(client.send(new GetQueueUrlCommand({ QueueName: 'deny-src' })))).name).toBe('QueueDoesNotExist');
    const QueueUrl = await queue('deny-src');
    await expectSdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: redrive('deny-dlq'), DelaySeconds: '5' } })), 'InvalidParameterValue', reason('deny-src'));
    // nothing of the refused call was applied
    expect((await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy', 'DelaySeconds'] }))).Attributes).toEqual({ DelaySeconds: '0' });
  });

  it('byQueue: only the queues it lists; allowAll and no policy: any queue', async () => {
    await queue('by-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn('by-listed')] }) });
    await queue('by-listed', { RedrivePolicy: redrive('by-dlq') });
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'by-other', Attributes: { RedrivePolicy: redrive('by-dlq') } })), 'InvalidParameterValue',
      /^Value .* for parameter RedrivePolicy is invalid\. Reason: The RedriveAllowPolicy of the dead-letter queue arn:aws:sqs:us-east-1:000000000000:by-dlq doesn't allow the source queue arn:aws:sqs:us-east-1:000000000000:by-other/);
    const allowAll = await queue('all-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) });
    await queue('all-src', { RedrivePolicy: redrive('all-dlq') });
    await queue('none-dlq');
    await queue('none-src', { RedrivePolicy: redrive('none-dlq') });
    // the dead-letter queue's policy applies to sources set after it; an empty RedriveAllowPolicy removes it
    await client.send(new SetQueueAttributesCommand({ QueueUrl: allowAll, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) } }));
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'all-late', Attributes: { RedrivePolicy: redrive('all-dlq') } })), 'InvalidParameterValue');
    await client.send(new SetQueueAttributesCommand({ QueueUrl: allowAll, Attributes: { RedriveAllowPolicy: '' } }));
    await queue('all-late', { RedrivePolicy: redrive('all-dlq') });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });
});

const SCRIPT = `
import json, os, boto3, botocore
sqs = boto3.client('sqs', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
out = []
def error(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        err = e.response['Error']
        out.append([type(e).__name__, err['Code'], err.get('QueryErrorCode'), err.get('Type'), e.response['ResponseMetadata']['HTTPStatusCode']])
sqs.create_queue(QueueName='py-deny-dlq', Attributes={'RedriveAllowPolicy': json.dumps({'redrivePermission': 'denyAll'})})
error(lambda: sqs.create_queue(QueueName='py-src', Attributes={'RedrivePolicy': json.dumps({'deadLetterTargetArn': 'arn:aws:sqs:us-east-1:000000000000:py-deny-dlq', 'maxReceiveCount': 1})}))
error(lambda: sqs.get_queue_url(QueueName='py-missing'))
url = sqs.create_queue(QueueName='py-gone')['QueueUrl']
sqs.delete_queue(QueueUrl=url)
error(lambda: sqs.create_queue(QueueName='py-gone'))
print(json.dumps(out))
`;

describe.skipIf(!havePython('boto3') && !process.env.CI)('through boto3', () => {
  it("botocore reads the errors as it reads AWS's: Code from x-amzn-query-error, QueryErrorCode from __type", async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('python3', ['-c', SCRIPT], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ENDPOINT: rt.endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(JSON.parse(out)).toEqual([
      ['ClientError', 'InvalidParameterValue', 'InvalidParameterValueException', 'Sender', 400],
      ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 'Sender', 400],
      ['QueueDeletedRecently', 'AWS.SimpleQueueService.QueueDeletedRecently', 'QueueDeletedRecently', 'Sender', 400],
    ]);
  });
});
