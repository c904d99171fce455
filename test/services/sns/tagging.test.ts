/**
 * SNS topics through the Resource Groups Tagging API (the provider's taggedResources): tagged
 * through one API, read through the other, with SNS's rules (an unknown topic fails in
 * FailedResourcesMap with ResourceNotFound).
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, TagResourcesCommand, UntagResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateTopicCommand, ListTagsForResourceCommand, SNSClient, TagResourceCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let sns: SNSClient;
let tagging: ResourceGroupsTaggingAPIClient;

beforeAll(async () => {
  rt = await startRuntime();
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  tagging = new ResourceGroupsTaggingAPIClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

describe('sns topics in the tagging API', () => {
  it('lists tagged topics, tags and untags them', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tagged' }));
    await sns.send(new CreateTopicCommand({ Name: 'untagged' }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'team', Value: 'a' }] }));
    const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['sns:topic'] }));
    expect(listed.ResourceTagMappingList).toEqual([{ ResourceARN: TopicArn, Tags: [{ Key: 'team', Value: 'a' }] }]);
    const missing = TopicArn!.replace('tagged', 'missing');
    const tagged = await tagging.send(new TagResourcesCommand({ ResourceARNList: [TopicArn!, missing], Tags: { env: 'dev' } }));
    expect(Object.keys(tagged.FailedResourcesMap ?? {})).toEqual([missing]);
    expect(tagged.FailedResourcesMap![missing]).toMatchObject({ StatusCode: 404, ErrorMessage: 'Resource does not exist' });
    await tagging.send(new UntagResourcesCommand({ ResourceARNList: [TopicArn!], TagKeys: ['team'] }));
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
  });
});
