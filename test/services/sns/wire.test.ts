/**
 * SNS at the level of the wire: status, headers and the WHOLE document of each answer
 * (test/support/wire.ts), as AWS's API reference shows them (query XML), and the JSON form
 * (Accept: application/json). SDKs are lenient (they skip members they do not know and default
 * the ones missing); snapshot tests and Terraform providers are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, query } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const V = '2010-03-31';
const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const ARN = 'arn:aws:sns:us-east-1:000000000000';
const sns = (action: string, params: Record<string, string> = {}, json = false) => query('sns', action, V, params, { json });
const XML = { 'content-type': /^text\/xml/, 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const META = '<ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata>';

describe('sns on the wire', () => {
  it('CreateTopic: the whole answer, XML and JSON', async () => {
    await expectAnswer(rt.endpoint, sns('CreateTopic', { Name: 'wire' }), {
      status: 200, headers: XML,
      xml: `<CreateTopicResponse xmlns="${NS}"><CreateTopicResult><TopicArn>${ARN}:wire</TopicArn></CreateTopicResult>${META}</CreateTopicResponse>`,
    });
    await expectAnswer(rt.endpoint, sns('CreateTopic', { Name: 'wire' }, true), {
      status: 200, headers: { 'content-type': /^application\/json/ },
      json: { CreateTopicResponse: { CreateTopicResult: { TopicArn: `${ARN}:wire` }, ResponseMetadata: { RequestId: expect.any(String) } } },
    });
  });

  it('GetTopicAttributes: entries of key and value', async () => {
    await expectAnswer(rt.endpoint, sns('CreateTopic', { Name: 'attrs', 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'Shown' }), { status: 200, headers: XML, xml: `<CreateTopicResponse xmlns="${NS}"><CreateTopicResult><TopicArn>${ARN}:attrs</TopicArn></CreateTopicResult>${META}</CreateTopicResponse>` });
    const entry = (key: string, value: string) => `<entry><key>${key}</key><value>${value}</value></entry>`;
    await expectAnswer(rt.endpoint, sns('GetTopicAttributes', { TopicArn: `${ARN}:attrs` }), {
      status: 200, headers: XML,
      xml: `<GetTopicAttributesResponse xmlns="${NS}"><GetTopicAttributesResult><Attributes>
        ${entry('Policy', '{{/^\\{"Version":"2008-10-17","Id":"__default_policy_ID".*\\}$/}}')}
        ${entry('Owner', '000000000000')}
        ${entry('SubscriptionsPending', '0')}
        ${entry('TopicArn', `${ARN}:attrs`)}
        ${entry('EffectiveDeliveryPolicy', '{{/^\\{"http":.*\\}$/}}')}
        ${entry('SubscriptionsConfirmed', '0')}
        ${entry('DisplayName', 'Shown')}
        ${entry('SubscriptionsDeleted', '0')}
      </Attributes></GetTopicAttributesResult>${META}</GetTopicAttributesResponse>`,
    });
  });

  it('ListTopics, ListTagsForResource, DeleteTopic', async () => {
    await expectAnswer(rt.endpoint, sns('CreateTopic', { Name: 'tagged', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }), { status: 200, headers: XML, xml: `<CreateTopicResponse xmlns="${NS}"><CreateTopicResult><TopicArn>${ARN}:tagged</TopicArn></CreateTopicResult>${META}</CreateTopicResponse>` });
    await expectAnswer(rt.endpoint, sns('ListTopics'), {
      status: 200, headers: XML,
      xml: `<ListTopicsResponse xmlns="${NS}"><ListTopicsResult><Topics>
        <member><TopicArn>${ARN}:attrs</TopicArn></member><member><TopicArn>${ARN}:tagged</TopicArn></member><member><TopicArn>${ARN}:wire</TopicArn></member>
      </Topics></ListTopicsResult>${META}</ListTopicsResponse>`,
    });
    await expectAnswer(rt.endpoint, sns('ListTagsForResource', { ResourceArn: `${ARN}:tagged` }), {
      status: 200, headers: XML,
      xml: `<ListTagsForResourceResponse xmlns="${NS}"><ListTagsForResourceResult><Tags><member><Key>k</Key><Value>v</Value></member></Tags></ListTagsForResourceResult>${META}</ListTagsForResourceResponse>`,
    });
    await expectAnswer(rt.endpoint, sns('DeleteTopic', { TopicArn: `${ARN}:tagged` }), { status: 200, headers: XML, xml: `<DeleteTopicResponse xmlns="${NS}">${META}</DeleteTopicResponse>` });
    await expectAnswer(rt.endpoint, sns('DeleteTopic', { TopicArn: `${ARN}:tagged` }, true), { status: 200, json: { DeleteTopicResponse: { ResponseMetadata: { RequestId: expect.any(String) } } } });
  });

  it('errors: NotFound 404 and InvalidParameter 400, XML and JSON; the server keeps serving', async () => {
    await expectAnswer(rt.endpoint, sns('GetTopicAttributes', { TopicArn: `${ARN}:missing` }), {
      status: 404, headers: XML,
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
    await expectAnswer(rt.endpoint, sns('CreateTopic', { Name: 'bad name' }, true), {
      status: 400, headers: { 'content-type': /^application\/json/ },
      json: { Error: { Code: 'InvalidParameter', Message: 'Invalid parameter: Topic Name', Type: 'Sender' }, RequestId: expect.any(String) },
    });
    await expectAnswer(rt.endpoint, sns('CreateTopic'), {
      status: 400, headers: XML,
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });

  it('Subscribe, ListSubscriptionsByTopic, Publish: whole answers, XML and JSON', async () => {
    await expectAnswer(rt.endpoint, sns('CreateTopic', { Name: 'fan' }), { status: 200, headers: XML, xml: `<CreateTopicResponse xmlns="${NS}"><CreateTopicResult><TopicArn>${ARN}:fan</TopicArn></CreateTopicResult>${META}</CreateTopicResponse>` });
    const queue = 'arn:aws:sqs:us-east-1:000000000000:q';
    await expectAnswer(rt.endpoint, sns('Subscribe', { TopicArn: `${ARN}:fan`, Protocol: 'sqs', Endpoint: queue }), {
      status: 200, headers: XML,
      xml: `<SubscribeResponse xmlns="${NS}"><SubscribeResult><SubscriptionArn>{{/^arn:aws:sns:us-east-1:000000000000:fan:[0-9a-f-]{36}$/}}</SubscriptionArn></SubscribeResult>${META}</SubscribeResponse>`,
    });
    await expectAnswer(rt.endpoint, sns('ListSubscriptionsByTopic', { TopicArn: `${ARN}:fan` }), {
      status: 200, headers: XML,
      xml: `<ListSubscriptionsByTopicResponse xmlns="${NS}"><ListSubscriptionsByTopicResult><Subscriptions><member>
        <SubscriptionArn>{{/^arn:aws:sns:us-east-1:000000000000:fan:[0-9a-f-]{36}$/}}</SubscriptionArn><Owner>000000000000</Owner><Protocol>sqs</Protocol><Endpoint>${queue}</Endpoint><TopicArn>${ARN}:fan</TopicArn>
      </member></Subscriptions></ListSubscriptionsByTopicResult>${META}</ListSubscriptionsByTopicResponse>`,
    });
    await expectAnswer(rt.endpoint, sns('Subscribe', { TopicArn: `${ARN}:fan`, Protocol: 'email', Endpoint: 'me@example.com' }, true), {
      status: 200, json: { SubscribeResponse: { SubscribeResult: { SubscriptionArn: 'pending confirmation' }, ResponseMetadata: { RequestId: expect.any(String) } } },
    });
    await expectAnswer(rt.endpoint, sns('Publish', { TopicArn: `${ARN}:fan`, Message: 'hi' }), {
      status: 200, headers: XML,
      xml: `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>{{uuid}}</MessageId></PublishResult>${META}</PublishResponse>`,
    });
    await expectAnswer(rt.endpoint, sns('Publish', { TopicArn: `${ARN}:fan`, Message: '' }), {
      status: 400, headers: XML,
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Empty message</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
  });
});
