/**
 * The Resource Groups Tagging API through @aws-sdk/client-resource-groups-tagging-api, over
 * the resources of S3 (buckets) and SSM (parameters), tagged through their own APIs and
 * through this one: GetResources with its filters and pages, GetTagKeys, GetTagValues,
 * TagResources and UntagResources (failures per ARN), AWS's refusals, and the runtime
 * serving afterwards.
 */
import {
  GetResourcesCommand,
  type GetResourcesCommandInput,
  GetTagKeysCommand,
  GetTagValuesCommand,
  ResourceGroupsTaggingAPIClient,
  TagResourcesCommand,
  UntagResourcesCommand,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateBucketCommand, GetBucketTaggingCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { AddTagsToResourceCommand, ListTagsForResourceCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

let rt: RuntimeProcess;
let tagging: ResourceGroupsTaggingAPIClient;
let s3: S3Client;
let ssm: SSMClient;

const PARAM_ARN = 'arn:aws:ssm:us-east-1:000000000000:parameter/app/db-url';

beforeAll(async () => {
  rt = await startRuntime();
  tagging = new ResourceGroupsTaggingAPIClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: 'tagged-a' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'tagged-b' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'untagged-c' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'elsewhere', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-a', Tagging: { TagSet: [{ Key: 'team', Value: 'red' }, { Key: 'env', Value: 'dev' }] } }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-b', Tagging: { TagSet: [{ Key: 'team', Value: 'blue' }] } }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: 'elsewhere', Tagging: { TagSet: [{ Key: 'team', Value: 'red' }] } }));
  await ssm.send(new PutParameterCommand({ Name: '/app/db-url', Value: 'postgres://db', Type: 'String', Tags: [{ Key: 'team', Value: 'red' }] }));
  await ssm.send(new PutParameterCommand({ Name: 'plain', Value: 'v', Type: 'String' }));
});
afterAll(async () => {
  await rt?.stop();
});

describe('GetResources, GetTagKeys, GetTagValues', () => {
  it('lists the tagged resources of every service in the region, sorted by ARN', async () => {
    const r = await tagging.send(new GetResourcesCommand({}));
    expect(r.PaginationToken).toBe('');
    expect(r.ResourceTagMappingList).toEqual([
      { ResourceARN: 'arn:aws:s3:::tagged-a', Tags: [{ Key: 'team', Value: 'red' }, { Key: 'env', Value: 'dev' }] },
      { ResourceARN: 'arn:aws:s3:::tagged-b', Tags: [{ Key: 'team', Value: 'blue' }] },
      { ResourceARN: PARAM_ARN, Tags: [{ Key: 'team', Value: 'red' }] },
    ]);
    const eu = await new ResourceGroupsTaggingAPIClient({ ...clientConfig(rt.endpoint), region: 'eu-west-1' }).send(new GetResourcesCommand({}));
    expect(eu.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual(['arn:aws:s3:::elsewhere']);
  });

  it('filters by tag (key, any of the values), by resource type and by ARN', async () => {
    const arns = async (input: GetResourcesCommandInput) => (await tagging.send(new GetResourcesCommand(input))).ResourceTagMappingList?.map((m) => m.ResourceARN);
    expect(await arns({ TagFilters: [{ Key: 'team', Values: ['red'] }] })).toEqual(['arn:aws:s3:::tagged-a', PARAM_ARN]);
    expect(await arns({ TagFilters: [{ Key: 'team', Values: ['red', 'blue'] }, { Key: 'env' }] })).toEqual(['arn:aws:s3:::tagged-a']);
    expect(await arns({ TagFilters: [{ Key: 'team' }], ResourceTypeFilters: ['s3'] })).toEqual(['arn:aws:s3:::tagged-a', 'arn:aws:s3:::tagged-b']);
    expect(await arns({ ResourceTypeFilters: ['ssm:parameter'] })).toEqual([PARAM_ARN]);
    expect(await arns({ ResourceTypeFilters: ['s3:bucket', 'ssm'] })).toHaveLength(3);
    expect(await arns({ ResourceTypeFilters: ['ec2:instance'] })).toEqual([]);
    expect(await arns({ ResourceARNList: ['arn:aws:s3:::tagged-b', 'arn:aws:s3:::no-such-bucket'] })).toEqual(['arn:aws:s3:::tagged-b']);
  });

  it('pages with ResourcesPerPage and PaginationToken', async () => {
    const first = await tagging.send(new GetResourcesCommand({ ResourcesPerPage: 2 }));
    expect(first.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual(['arn:aws:s3:::tagged-a', 'arn:aws:s3:::tagged-b']);
    expect(first.PaginationToken).not.toBe('');
    const second = await tagging.send(new GetResourcesCommand({ ResourcesPerPage: 2, PaginationToken: first.PaginationToken }));
    expect(second.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual([PARAM_ARN]);
    expect(second.PaginationToken).toBe('');
  });

  it('GetTagKeys and GetTagValues', async () => {
    expect(await tagging.send(new GetTagKeysCommand({}))).toMatchObject({ TagKeys: ['env', 'team'], PaginationToken: '' });
    expect(await tagging.send(new GetTagValuesCommand({ Key: 'team' }))).toMatchObject({ TagValues: ['blue', 'red'], PaginationToken: '' });
    expect((await tagging.send(new GetTagValuesCommand({ Key: 'nope' }))).TagValues).toEqual([]);
  });

  it('refuses bad input with InvalidParameterException, and keeps serving', async () => {
    const perPage = await sdkError(tagging.send(new GetResourcesCommand({ ResourcesPerPage: 101 })));
    expect(perPage).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'ResourcesPerPage must be between 1 and 100' });
    const both = await sdkError(tagging.send(new GetResourcesCommand({ ResourceARNList: ['arn:aws:s3:::tagged-a'], ResourcesPerPage: 5 })));
    expect(both).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    const token = await sdkError(tagging.send(new GetResourcesCommand({ PaginationToken: 'not-a-token' })));
    expect(token).toMatchObject({ name: 'PaginationTokenExpiredException', status: 400 });
    const missing = await sdkError(tagging.send(new TagResourcesCommand({ ResourceARNList: [], Tags: { a: 'b' } })));
    expect(missing).toMatchObject({ name: 'ValidationException', status: 400 });
    expect((await tagging.send(new GetTagKeysCommand({}))).TagKeys).toContain('team');
  });
});

describe('TagResources and UntagResources', () => {
  it('tag and untag through each service, which sees the change', async () => {
    const tagged = await tagging.send(new TagResourcesCommand({ ResourceARNList: ['arn:aws:s3:::untagged-c', PARAM_ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/plain'], Tags: { owner: 'ops', team: 'green' } }));
    expect(tagged.FailedResourcesMap).toEqual({});
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'untagged-c' }))).TagSet).toEqual([{ Key: 'owner', Value: 'ops' }, { Key: 'team', Value: 'green' }]);
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db-url' }))).TagList).toEqual([{ Key: 'team', Value: 'green' }, { Key: 'owner', Value: 'ops' }]);
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'plain' }))).TagList).toEqual([{ Key: 'owner', Value: 'ops' }, { Key: 'team', Value: 'green' }]);

    const untagged = await tagging.send(new UntagResourcesCommand({ ResourceARNList: ['arn:aws:s3:::untagged-c', PARAM_ARN], TagKeys: ['owner', 'team'] }));
    expect(untagged.FailedResourcesMap).toEqual({});
    const e = await sdkError(s3.send(new GetBucketTaggingCommand({ Bucket: 'untagged-c' })));
    expect(e).toMatchObject({ name: 'NoSuchTagSet' });
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db-url' }))).TagList).toEqual([]);
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db-url', Tags: [{ Key: 'team', Value: 'red' }] }));
    await tagging.send(new UntagResourcesCommand({ ResourceARNList: ['arn:aws:ssm:us-east-1:000000000000:parameter/plain'], TagKeys: ['owner', 'team'] }));
  });

  it('reports resources that do not exist, are not supported, or break the service rules in FailedResourcesMap', async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const r = await tagging.send(
      new TagResourcesCommand({
        ResourceARNList: ['arn:aws:s3:::no-such-bucket', 'arn:aws:ssm:us-east-1:000000000000:parameter/none', 'arn:aws:sqs:us-east-1:000000000000:q', 'arn:aws:s3:::tagged-a'],
        Tags: tooMany,
      }),
    );
    expect(r.FailedResourcesMap).toEqual({
      'arn:aws:s3:::no-such-bucket': { StatusCode: 404, ErrorCode: 'InvalidParameterException', ErrorMessage: 'The specified bucket does not exist' },
      'arn:aws:ssm:us-east-1:000000000000:parameter/none': { StatusCode: 400, ErrorCode: 'InvalidParameterException', ErrorMessage: "The resource ID isn't valid. Verify that you entered the correct ID and try again." },
      'arn:aws:sqs:us-east-1:000000000000:q': { StatusCode: 400, ErrorCode: 'InvalidParameterException', ErrorMessage: expect.any(String) },
      'arn:aws:s3:::tagged-a': { StatusCode: 400, ErrorCode: 'InvalidParameterException', ErrorMessage: 'Bucket tag count cannot be greater than 50' },
    });
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-a' }))).TagSet).toHaveLength(2);
  });
});

describe('the AWS CLI', () => {
  it('tag-resources, get-resources, get-tag-values, untag-resources', async () => {
    const arn = 'arn:aws:s3:::untagged-c';
    const tag = await aws(rt.endpoint, ['resourcegroupstaggingapi', 'tag-resources', '--resource-arn-list', arn, '--tags', 'cli=yes']);
    expect(tag.code).toBe(0);
    expect(tag.json).toEqual({ FailedResourcesMap: {} });
    const got = await aws(rt.endpoint, ['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=cli,Values=yes', '--resource-type-filters', 's3:bucket']);
    expect(got.code).toBe(0);
    expect(got.json.ResourceTagMappingList).toEqual([{ ResourceARN: arn, Tags: [{ Key: 'cli', Value: 'yes' }] }]);
    expect((await aws(rt.endpoint, ['resourcegroupstaggingapi', 'get-tag-values', '--key', 'cli'])).json.TagValues).toEqual(['yes']);
    expect((await aws(rt.endpoint, ['resourcegroupstaggingapi', 'untag-resources', '--resource-arn-list', arn, '--tag-keys', 'cli'])).code).toBe(0);
    expect((await aws(rt.endpoint, ['resourcegroupstaggingapi', 'get-tag-values', '--key', 'cli'])).json.TagValues).toEqual([]);
  });
});
