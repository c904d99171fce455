/**
 * SSM Parameter Store against the real runtime, through @aws-sdk/client-ssm and the AWS CLI.
 * Each block works under its own name prefix, so blocks do not see each other's parameters.
 */
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UnlabelParameterVersionCommand,
  type DescribeParametersCommandInput,
  type ParameterMetadata,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { expectSdkError } from '../support/sdk-error.js';

let rt: RuntimeProcess;
let ssm: SSMClient;

beforeAll(async () => {
  rt = await startRuntime();
  ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const put = (input: PutParameterCommandInput) => ssm.send(new PutParameterCommand({ Type: 'String', ...input }));
const get = (Name: string, WithDecryption?: boolean) => ssm.send(new GetParameterCommand({ Name, WithDecryption }));

async function describeAll(input: DescribeParametersCommandInput): Promise<ParameterMetadata[]> {
  const out: ParameterMetadata[] = [];
  for await (const page of paginateDescribeParameters({ client: ssm }, input)) out.push(...(page.Parameters ?? []));
  return out;
}

describe('put and get', () => {
  it('creates version 1 and returns the parameter with ARN, type, data type and date', async () => {
    expect(await put({ Name: '/pg/db/host', Value: 'db.local', Description: 'the host' })).toMatchObject({ Version: 1, Tier: 'Standard' });
    const { Parameter } = await get('/pg/db/host');
    expect(Parameter).toMatchObject({
      Name: '/pg/db/host',
      Type: 'String',
      Value: 'db.local',
      Version: 1,
      DataType: 'text',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/pg/db/host',
    });
    expect(Parameter!.LastModifiedDate).toBeInstanceOf(Date);
    expect(Parameter!.Selector).toBeUndefined();

    await put({ Name: 'pg-plain', Value: 'a,b,c', Type: 'StringList' });
    expect((await get('pg-plain')).Parameter).toMatchObject({ Type: 'StringList', Value: 'a,b,c', ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/pg-plain' });
    // a parameter can also be read by its ARN
    expect((await get('arn:aws:ssm:us-east-1:000000000000:parameter/pg/db/host')).Parameter?.Value).toBe('db.local');
  });

  it('refuses to replace without Overwrite, and overwrites into a new version keeping metadata', async () => {
    await expectSdkError(put({ Name: '/pg/db/host', Value: 'other' }), 'ParameterAlreadyExists', /set the overwrite option in the request to true/);
    expect((await get('/pg/db/host')).Parameter?.Value).toBe('db.local');
    expect(await ssm.send(new PutParameterCommand({ Name: '/pg/db/host', Value: 'db2.local', Overwrite: true }))).toMatchObject({ Version: 2 });
    const [meta] = await describeAll({ ParameterFilters: [{ Key: 'Name', Values: ['/pg/db/host'] }] });
    expect(meta).toMatchObject({ Version: 2, Type: 'String', Description: 'the host', LastModifiedUser: 'arn:aws:iam::000000000000:root' });
  });

  it('requires Type for a new parameter and forbids Tags with Overwrite', async () => {
    await expectSdkError(ssm.send(new PutParameterCommand({ Name: '/pg/untyped', Value: 'v' })), 'ValidationException', 'A parameter type is required when you create a parameter.');
    await expectSdkError(put({ Name: '/pg/tagged', Value: 'v', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] }), 'ValidationException', /tags and overwrite can't be used together/);
    await expectSdkError(put({ Name: '/pg/empty', Value: '' }), 'ValidationException', /at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    await expectSdkError(put({ Name: '/pg/badtype', Value: 'v', Type: 'Number' as never }), 'ValidationException', /Member must satisfy enum value set: \[String, StringList, SecureString\]/);
  });

  it('validates names like Parameter Store', async () => {
    for (const name of ['SSM-thing', '/ssm/x', 'bad name', '/a//b', '/a/b/', 'x@y']) {
      await expectSdkError(put({ Name: name, Value: 'v' }), 'ValidationException');
    }
    // names of AWS's own ("aws" first, any case) are refused as IAM would refuse them
    await expectSdkError(put({ Name: 'awsthing', Value: 'v' }), 'AccessDeniedException', 'No access to reserved parameter name: awsthing.');
    await expectSdkError(put({ Name: '/Aws-config', Value: 'v' }), 'AccessDeniedException', 'No access to reserved parameter name: Aws-config.');
    await expectSdkError(put({ Name: 'pg/relative', Value: 'v' }), 'ValidationException', 'Parameter name must be a fully qualified name.');
    await expectSdkError(put({ Name: '/aws/mine', Value: 'v' }), 'AccessDeniedException', 'No access to reserved parameter name: aws/mine.');
    await expectSdkError(put({ Name: 'x'.repeat(2049), Value: 'v' }), 'ValidationException', /at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048/);
    const levels = (n: number) => Array.from({ length: n }, (_, i) => `/l${i}`).join('');
    expect((await put({ Name: levels(15), Value: 'v' })).Version).toBe(1);
    await expectSdkError(put({ Name: levels(16), Value: 'v' }), 'HierarchyLevelLimitExceededException');
    expect((await put({ Name: '__proto__', Value: 'safe' })).Version).toBe(1);
    expect((await get('__proto__')).Parameter?.Value).toBe('safe');
  });

  it('checks AllowedPattern, DataType, value sizes and tiers', async () => {
    await put({ Name: '/pg/port', Value: '5432', AllowedPattern: '^\\d+$' });
    await expectSdkError(put({ Name: '/pg/port', Value: 'abc', Overwrite: true }), 'ParameterPatternMismatchException', 'Parameter value, cannot be validated against allowedPattern: ^\\d+$');
    await expectSdkError(put({ Name: '/pg/dt', Value: 'v', DataType: 'TEXT' }), 'ValidationException', 'The following data type is not supported: TEXT (Data type names are all lowercase.)');
    expect((await put({ Name: '/pg/ami', Value: 'ami-0123456789abcdef0', DataType: 'aws:ec2:image' })).Version).toBe(1);
    expect((await get('/pg/ami')).Parameter?.DataType).toBe('aws:ec2:image');

    await expectSdkError(put({ Name: '/pg/big', Value: 'x'.repeat(4097) }), 'ValidationException', /^Standard tier parameters support a maximum parameter value of 4096 characters/);
    expect(await put({ Name: '/pg/big', Value: 'x'.repeat(4097), Tier: 'Advanced' })).toMatchObject({ Version: 1, Tier: 'Advanced' });
    await expectSdkError(put({ Name: '/pg/big', Value: 'small', Tier: 'Standard', Overwrite: true }), 'ValidationException', /can't downgrade a parameter from the advanced-parameter tier/);
    await expectSdkError(put({ Name: '/pg/huge', Value: 'x'.repeat(8193), Tier: 'Advanced' }), 'ValidationException', /8192/);
    expect((await put({ Name: '/pg/it-small', Value: 'x', Tier: 'Intelligent-Tiering' })).Tier).toBe('Standard');
    expect((await put({ Name: '/pg/it-large', Value: 'x'.repeat(5000), Tier: 'Intelligent-Tiering' })).Tier).toBe('Advanced');
    await expectSdkError(put({ Name: '/pg/tier', Value: 'x', Tier: 'Premium' as never }), 'ValidationException', /enum value set: \[Standard, Advanced, Intelligent-Tiering\]/);
  });

  it('stores and returns policies, rejecting malformed ones', async () => {
    const policies = JSON.stringify([{ Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2099-01-01T00:00:00.000Z' } }]);
    expect(await put({ Name: '/pg/expiring', Value: 'v', Tier: 'Advanced', Policies: policies })).toMatchObject({ Tier: 'Advanced' });
    const [meta] = await describeAll({ ParameterFilters: [{ Key: 'Name', Values: ['/pg/expiring'] }] });
    expect(meta!.Policies).toEqual([{ PolicyType: 'Expiration', PolicyStatus: 'Pending', PolicyText: JSON.stringify(JSON.parse(policies)[0]) }]);
    await expectSdkError(put({ Name: '/pg/pol', Value: 'v', Tier: 'Advanced', Policies: 'not json' }), 'InvalidPolicyTypeException');
    await expectSdkError(put({ Name: '/pg/pol', Value: 'v', Tier: 'Advanced', Policies: '[{"Type":"Explode","Version":"1.0","Attributes":{}}]' }), 'InvalidPolicyTypeException');
    await expectSdkError(
      put({ Name: '/pg/pol', Value: 'v', Tier: 'Advanced', Policies: '[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"soon"}}]' }),
      'InvalidPolicyAttributeException',
    );
    await expectSdkError(put({ Name: '/pg/pol', Value: 'v', Tier: 'Standard', Policies: policies }), 'ValidationException', /advanced-tier/);
  });
});

describe('SecureString', () => {
  it('returns a stable opaque value without decryption and the plaintext with it', async () => {
    await put({ Name: '/sec/db/password', Value: 'hunter2', Type: 'SecureString' });
    await put({ Name: '/sec/db/token', Value: 'hunter2', Type: 'SecureString', KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' });
    const sealed = (await get('/sec/db/password')).Parameter!.Value!;
    expect(sealed).not.toContain('hunter2');
    expect((await get('/sec/db/password', false)).Parameter!.Value).toBe(sealed);
    expect((await get('/sec/db/token')).Parameter!.Value).not.toBe(sealed);
    expect((await get('/sec/db/password', true)).Parameter).toMatchObject({ Type: 'SecureString', Value: 'hunter2' });

    const byPath = await ssm.send(new GetParametersByPathCommand({ Path: '/sec/db', WithDecryption: true }));
    expect(byPath.Parameters!.map((p) => p.Value)).toEqual(['hunter2', 'hunter2']);
    const metas = await describeAll({ ParameterFilters: [{ Key: 'Path', Values: ['/sec/db'] }] });
    expect(metas.map((m) => [m.Name, m.KeyId])).toEqual([
      ['/sec/db/password', 'alias/aws/ssm'],
      ['/sec/db/token', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ]);
  });
});

describe('versions, selectors, labels and history', () => {
  beforeAll(async () => {
    for (const v of ['one', 'two', 'three']) await put({ Name: '/ver/app', Value: v, Overwrite: true, Description: `value ${v}` });
  });

  it('reads versions and labels through name:selector', async () => {
    expect((await get('/ver/app')).Parameter).toMatchObject({ Value: 'three', Version: 3 });
    expect((await get('/ver/app:1')).Parameter).toMatchObject({ Name: '/ver/app', Value: 'one', Version: 1, Selector: ':1' });
    await expectSdkError(get('/ver/app:9'), 'ParameterVersionNotFound', 'Systems Manager could not find version 9 of /ver/app. Verify the version and try again.');
    await expectSdkError(get('/ver/missing'), 'ParameterNotFound');

    expect(await ssm.send(new LabelParameterVersionCommand({ Name: '/ver/app', ParameterVersion: 2, Labels: ['prod'] }))).toMatchObject({
      InvalidLabels: [],
      ParameterVersion: 2,
    });
    expect((await get('/ver/app:prod')).Parameter).toMatchObject({ Value: 'two', Version: 2, Selector: ':prod' });
    await expectSdkError(get('/ver/app:staging'), 'ParameterNotFound');

    const many = await ssm.send(new GetParametersCommand({ Names: ['/ver/app:1', '/ver/app:prod', '/ver/app:7', '/ver/nothing', 'bad name'] }));
    expect(many.Parameters!.map((p) => [p.Value, p.Selector])).toEqual([
      ['one', ':1'],
      ['two', ':prod'],
    ]);
    expect(many.InvalidParameters).toEqual(['/ver/app:7', '/ver/nothing', 'bad name']);
    await expectSdkError(
      ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/n${i}`) })),
      'ValidationException',
      /at 'names' failed to satisfy constraint: Member must have length less than or equal to 10/,
    );
  });

  it('moves a re-applied label, reports invalid labels and enforces limits', async () => {
    const labelled = await ssm.send(
      new LabelParameterVersionCommand({ Name: '/ver/app', Labels: ['prod', 'AWSlabel', 'ssm-x', '9lives', 'a/b', 'ok_label.1-x'] }),
    );
    expect(labelled).toMatchObject({ ParameterVersion: 3, InvalidLabels: ['AWSlabel', 'ssm-x', '9lives', 'a/b'] });
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/ver/app' }));
    expect(history.Parameters!.map((p) => [p.Version, p.Value, p.Labels, p.Description])).toEqual([
      [1, 'one', [], 'value one'],
      [2, 'two', [], 'value two'],
      [3, 'three', ['prod', 'ok_label.1-x'], 'value three'],
    ]);

    const ten = Array.from({ length: 9 }, (_, i) => `l${i}`);
    await ssm.send(new LabelParameterVersionCommand({ Name: '/ver/app', ParameterVersion: 1, Labels: ten }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/ver/app', ParameterVersion: 1, Labels: ['l9'] }));
    await expectSdkError(
      ssm.send(new LabelParameterVersionCommand({ Name: '/ver/app', ParameterVersion: 1, Labels: ['l10'] })),
      'ParameterVersionLabelLimitExceeded',
      /maximum 10 labels/,
    );
    await expectSdkError(ssm.send(new LabelParameterVersionCommand({ Name: '/ver/app', Labels: ['x'.repeat(101)] })), 'ValidationException', /at 'labels'/);
    await expectSdkError(ssm.send(new LabelParameterVersionCommand({ Name: '/ver/app', ParameterVersion: 8, Labels: ['x'] })), 'ParameterVersionNotFound');
    await expectSdkError(ssm.send(new LabelParameterVersionCommand({ Name: '/ver/none', Labels: ['x'] })), 'ParameterNotFound');

    const unlabelled = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/ver/app', ParameterVersion: 1, Labels: ['l0', 'l1', 'prod'] }));
    expect(unlabelled).toEqual(expect.objectContaining({ RemovedLabels: ['l0', 'l1'], InvalidLabels: ['prod'] }));
    await expectSdkError(ssm.send(new UnlabelParameterVersionCommand({ Name: '/ver/app', ParameterVersion: 5, Labels: ['x'] })), 'ParameterVersionNotFound');
  });

  it('pages history and decrypts it on request', async () => {
    const first = await ssm.send(new GetParameterHistoryCommand({ Name: '/ver/app', MaxResults: 2 }));
    expect(first.Parameters!.map((p) => p.Version)).toEqual([1, 2]);
    const second = await ssm.send(new GetParameterHistoryCommand({ Name: '/ver/app', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Parameters!.map((p) => p.Version)).toEqual([3]);
    expect(second.NextToken).toBeUndefined();
    await expectSdkError(ssm.send(new GetParameterHistoryCommand({ Name: '/ver/app', MaxResults: 51 })), 'ValidationException', /at 'maxResults'/);
    await expectSdkError(ssm.send(new GetParameterHistoryCommand({ Name: '/ver/app', NextToken: 'garbage!' })), 'InvalidNextToken');
    await expectSdkError(ssm.send(new GetParameterHistoryCommand({ Name: '/ver/none' })), 'ParameterNotFound');

    await put({ Name: '/ver/secret', Value: 's1', Type: 'SecureString' });
    // Type, like the key, carries over when an overwrite leaves it out
    await ssm.send(new PutParameterCommand({ Name: '/ver/secret', Value: 's2', Overwrite: true }));
    const plain = await ssm.send(new GetParameterHistoryCommand({ Name: '/ver/secret', WithDecryption: true }));
    expect(plain.Parameters!.map((p) => [p.Value, p.KeyId, p.Type])).toEqual([
      ['s1', 'alias/aws/ssm', 'SecureString'],
      ['s2', 'alias/aws/ssm', 'SecureString'],
    ]);
    const sealed = await ssm.send(new GetParameterHistoryCommand({ Name: '/ver/secret' }));
    expect(sealed.Parameters!.map((p) => p.Value)).not.toContain('s1');
  });

  it('keeps 100 versions, dropping the oldest unless a label holds it', async () => {
    for (let i = 1; i <= 100; i++) await put({ Name: '/ver/many', Value: `v${i}`, Overwrite: true });
    expect((await put({ Name: '/ver/many', Value: 'v101', Overwrite: true })).Version).toBe(101);
    await expectSdkError(get('/ver/many:1'), 'ParameterVersionNotFound');
    expect((await get('/ver/many:2')).Parameter?.Value).toBe('v2');
    await ssm.send(new LabelParameterVersionCommand({ Name: '/ver/many', ParameterVersion: 2, Labels: ['keep'] }));
    await expectSdkError(put({ Name: '/ver/many', Value: 'v102', Overwrite: true }), 'ParameterMaxVersionLimitExceeded', /Version 2, the oldest version, can't be deleted/);
    expect((await get('/ver/many')).Parameter?.Version).toBe(101);
  });
});

describe('GetParametersByPath', () => {
  beforeAll(async () => {
    await put({ Name: '/tree/a', Value: 'a', Tags: [{ Key: 'team', Value: 'red' }] });
    await put({ Name: '/tree/b', Value: 'b', Type: 'StringList' });
    await put({ Name: '/tree/sub/c', Value: 'c', Tags: [{ Key: 'team', Value: 'blue' }] });
    await put({ Name: '/tree/sub/deep/d', Value: 'd' });
    await put({ Name: '/treetop', Value: 'not under /tree' });
  });

  const names = async (input: Record<string, unknown>) =>
    ((await ssm.send(new GetParametersByPathCommand({ Path: '/tree', ...input }))).Parameters ?? []).map((p) => p.Name);

  it('lists one level, or everything below with Recursive', async () => {
    expect(await names({})).toEqual(['/tree/a', '/tree/b']);
    expect(await names({ Path: '/tree/' })).toEqual(['/tree/a', '/tree/b']);
    expect(await names({ Recursive: true })).toEqual(['/tree/a', '/tree/b', '/tree/sub/c', '/tree/sub/deep/d']);
    expect(await names({ Path: '/tree/sub', Recursive: true })).toEqual(['/tree/sub/c', '/tree/sub/deep/d']);
    expect(await names({ Path: '/nothing-here', Recursive: true })).toEqual([]);
  });

  it('applies Type, tag and Label filters', async () => {
    expect(await names({ Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['StringList'] }] })).toEqual(['/tree/b']);
    expect(await names({ Recursive: true, ParameterFilters: [{ Key: 'Type', Option: 'BeginsWith', Values: ['String'] }] })).toHaveLength(4);
    expect(await names({ Recursive: true, ParameterFilters: [{ Key: 'tag:team', Values: ['blue'] }] })).toEqual(['/tree/sub/c']);
    expect(await names({ Recursive: true, ParameterFilters: [{ Key: 'tag:team' }] })).toEqual(['/tree/a', '/tree/sub/c']);
    await put({ Name: '/tree/a', Value: 'a2', Overwrite: true });
    await ssm.send(new LabelParameterVersionCommand({ Name: '/tree/a', ParameterVersion: 1, Labels: ['golden'] }));
    const labelled = await ssm.send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Label', Values: ['golden'] }] }));
    expect(labelled.Parameters!.map((p) => [p.Name, p.Value, p.Version])).toEqual([['/tree/a', 'a', 1]]);
  });

  it('rejects bad paths, filters, page sizes and tokens', async () => {
    await expectSdkError(names({ Path: 'tree' }), 'ValidationException', /must begin with a forward slash/);
    await expectSdkError(names({ Path: '/tree//x' }), 'ValidationException');
    await expectSdkError(names({ ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }), 'InvalidFilterKey', 'The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId].');
    await expectSdkError(names({ ParameterFilters: [{ Key: 'Tier', Values: ['Standard'] }] }), 'InvalidFilterKey');
    await expectSdkError(names({ ParameterFilters: [{ Key: 'Type', Option: 'Contains', Values: ['S'] }] }), 'InvalidFilterOption');
    await expectSdkError(names({ ParameterFilters: [{ Key: 'Type', Values: ['Number'] }] }), 'InvalidFilterValue');
    await expectSdkError(names({ MaxResults: 11 }), 'ValidationException', "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
    await expectSdkError(names({ NextToken: 'bm90LWEtdG9rZW4' }), 'InvalidNextToken');
  });

  it('returns every parameter exactly once through the SDK paginator', async () => {
    const expected: string[] = [];
    for (let i = 0; i < 23; i++) {
      const name = `/paged/${i % 3 === 0 ? 'x/' : ''}p${String(i).padStart(2, '0')}`;
      expected.push(name);
      await put({ Name: name, Value: `v${i}` });
    }
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 4 }, { Path: '/paged', Recursive: true })) {
      pages++;
      expect(page.Parameters!.length).toBeLessThanOrEqual(4);
      seen.push(...page.Parameters!.map((p) => p.Name!));
    }
    expect(pages).toBe(6);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('neither skips nor repeats parameters when others change between pages', async () => {
    const first = await ssm.send(new GetParametersByPathCommand({ Path: '/paged', Recursive: true, MaxResults: 5 }));
    const firstNames = first.Parameters!.map((p) => p.Name!);
    await ssm.send(new DeleteParameterCommand({ Name: firstNames[0]! }));
    await put({ Name: '/paged/a-new-first', Value: 'sorted before the cursor' });
    const rest: string[] = [];
    let token = first.NextToken;
    while (token) {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: '/paged', Recursive: true, MaxResults: 5, NextToken: token }));
      rest.push(...page.Parameters!.map((p) => p.Name!));
      token = page.NextToken;
    }
    expect(rest.filter((n) => firstNames.includes(n))).toEqual([]);
    expect(firstNames.length + rest.length).toBe(23);
  });
});

describe('DescribeParameters', () => {
  beforeAll(async () => {
    await put({ Name: '/desc/app/url', Value: 'u', Description: 'service url', AllowedPattern: '^.+$', Tags: [{ Key: 'env', Value: 'prod' }] });
    await put({ Name: '/desc/app/key', Value: 'k', Type: 'SecureString', KeyId: 'arn:aws:kms:us-east-1:000000000000:key/0987dcba-09fe-87dc-65ba-ab0987654321' });
    await put({ Name: '/desc/app/nested/list', Value: 'x,y', Type: 'StringList', Tags: [{ Key: 'env', Value: 'dev' }] });
    await put({ Name: '/desc/big', Value: 'x'.repeat(5000), Tier: 'Advanced' });
    await put({ Name: 'desc-root', Value: 'r', DataType: 'aws:ec2:image' });
  });

  const described = async (input: DescribeParametersCommandInput) => (await describeAll(input)).map((p) => p.Name);

  it('returns metadata without values', async () => {
    const [meta] = await describeAll({ ParameterFilters: [{ Key: 'Name', Values: ['desc/app/url'] }] });
    expect(meta).toMatchObject({
      Name: '/desc/app/url',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/desc/app/url',
      Type: 'String',
      Description: 'service url',
      AllowedPattern: '^.+$',
      Version: 1,
      Tier: 'Standard',
      DataType: 'text',
      Policies: [],
      LastModifiedUser: 'arn:aws:iam::000000000000:root',
    });
    expect(meta!.LastModifiedDate).toBeInstanceOf(Date);
    expect(meta).not.toHaveProperty('Value');
    expect(meta).not.toHaveProperty('KeyId');
  });

  it('filters by name, path, type, key, tier, data type and tags', async () => {
    expect(await described({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/desc/app/'] }] })).toEqual([
      '/desc/app/key',
      '/desc/app/nested/list',
      '/desc/app/url',
    ]);
    expect(await described({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['nested'] }] })).toEqual(['/desc/app/nested/list']);
    expect(await described({ ParameterFilters: [{ Key: 'Path', Values: ['/desc/app'] }] })).toEqual(['/desc/app/key', '/desc/app/url']);
    expect(await described({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc'] }] })).toHaveLength(4);
    expect(await described({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc'] }, { Key: 'Type', Values: ['SecureString'] }] })).toEqual([
      '/desc/app/key',
    ]);
    expect(await described({ ParameterFilters: [{ Key: 'KeyId', Values: ['arn:aws:kms:us-east-1:000000000000:key/0987dcba-09fe-87dc-65ba-ab0987654321'] }] })).toEqual(['/desc/app/key']);
    expect(await described({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc'] }, { Key: 'Tier', Values: ['Advanced'] }] })).toEqual([
      '/desc/big',
    ]);
    expect(await described({ ParameterFilters: [{ Key: 'DataType', Values: ['aws:ec2:image'] }, { Key: 'Name', Option: 'BeginsWith', Values: ['desc'] }] })).toEqual([
      'desc-root',
    ]);
    expect(await described({ ParameterFilters: [{ Key: 'tag:env', Values: ['prod'] }] })).toEqual(['/desc/app/url']);
    expect(await described({ ParameterFilters: [{ Key: 'tag:env' }] })).toEqual(['/desc/app/nested/list', '/desc/app/url']);
    // `tag-key` is no filter key of AWS's (the model's pattern names the keys): refused as AWS refuses it
    await expectSdkError(
      ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag-key', Values: ['env'] }] })),
      'ValidationException',
      "1 validation error detected: Value 'tag-key' at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$",
    );
    expect(await described({ Filters: [{ Key: 'Name', Values: ['/desc/app/u'] }] })).toEqual(['/desc/app/url']);
    expect(await described({ Filters: [{ Key: 'KeyId', Values: ['arn:aws:kms:us-east-1:000000000000:key/0987dcba-09fe-87dc-65ba-ab0987654321'] }] })).toEqual(['/desc/app/key']);
  });

  it('pages with MaxResults and NextToken', async () => {
    const input = { ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc'] }], MaxResults: 3 };
    const first = await ssm.send(new DescribeParametersCommand(input));
    expect(first.Parameters).toHaveLength(3);
    const second = await ssm.send(new DescribeParametersCommand({ ...input, NextToken: first.NextToken }));
    expect(second.Parameters!.map((p) => p.Name)).toEqual(['/desc/big']);
    expect(second.NextToken).toBeUndefined();
  });

  it('rejects invalid filter combinations', async () => {
    const send = (input: DescribeParametersCommandInput) => ssm.send(new DescribeParametersCommand(input));
    await expectSdkError(
      send({ Filters: [{ Key: 'Name', Values: ['a'] }], ParameterFilters: [{ Key: 'Name', Values: ['a'] }] }),
      'ValidationException',
      'You can use either Filters or ParameterFilters in a single request.',
    );
    await expectSdkError(send({ ParameterFilters: [{ Key: 'Label', Values: ['a'] }] }), 'InvalidFilterKey', /Valid filter keys include: \[Path, Name, Type, KeyId, Tier\]/);
    await expectSdkError(send({ ParameterFilters: [{ Key: 'Colour', Values: ['a'] }] }), 'ValidationException', /regular expression pattern: \^\(tag:\.\+\|Name\|Type\|KeyId\|Path\|Label\|Tier\|DataType\)\$$/);
    await expectSdkError(send({ ParameterFilters: [{ Key: 'Type', Values: ['Number'] }] }), 'InvalidFilterValue', /Valid values include: \[String, StringList, SecureString\]/);
    await expectSdkError(send({ ParameterFilters: [{ Key: 'Name', Option: 'EndsWith', Values: ['a'] }] }), 'InvalidFilterOption');
    await expectSdkError(send({ ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: ['/a'] }] }), 'InvalidFilterOption', /\[Recursive, OneLevel\]/);
    await expectSdkError(send({ ParameterFilters: [{ Key: 'Path', Values: ['/aws'] }] }), 'ValidationException', /Filters for common parameters/);
    await expectSdkError(send({ ParameterFilters: [{ Key: 'Name' }] }), 'InvalidFilterValue', 'The following filter values are missing : null for filter key Name.');
    await expectSdkError(
      send({ ParameterFilters: [{ Key: 'Type', Values: ['String'] }, { Key: 'Type', Values: ['SecureString'] }] }),
      'ValidationException',
      /filter is duplicated/,
    );
    await expectSdkError(send({ MaxResults: 51 }), 'ValidationException', /at 'maxResults'/);
    await expectSdkError(send({ NextToken: 'AAAA' }), 'InvalidNextToken');
  });
});

describe('tags', () => {
  const tags = (ResourceId: string) => ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId }));

  it('adds, replaces, lists and removes tags', async () => {
    await put({ Name: '/tags/p', Value: 'v', Tags: [{ Key: 'a', Value: '1' }] });
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }));
    expect((await tags('/tags/p')).TagList).toEqual([
      { Key: 'a', Value: '2' },
      { Key: 'b', Value: '3' },
    ]);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', TagKeys: ['a', 'zzz'] }));
    expect((await tags('/tags/p')).TagList).toEqual([{ Key: 'b', Value: '3' }]);
    // an overwrite keeps the tags
    await put({ Name: '/tags/p', Value: 'v2', Overwrite: true });
    expect((await tags('/tags/p')).TagList).toEqual([{ Key: 'b', Value: '3' }]);
  });

  it('rejects unknown resources, other resource types and more than 50 tags', async () => {
    await expectSdkError(tags('/tags/none'), 'InvalidResourceId');
    await expectSdkError(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: 'mi-0123456789abcdef0' })), 'InvalidResourceType');
    await expectSdkError(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Bucket' as never, ResourceId: 'x' })), 'ValidationException', /at 'resourceType'/);
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expectSdkError(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', Tags: many })), 'TooManyTagsError');
    await expectSdkError(put({ Name: '/tags/q', Value: 'v', Tags: many }), 'TooManyTagsError');
    await expectSdkError(put({ Name: '/tags/q', Value: 'v', Tags: [{ Key: '', Value: 'v' }] }), 'ValidationException', /at 'tags\.1\.member\.key'/);
  });
});

describe('delete', () => {
  it('deletes one parameter with its history, or several at once', async () => {
    await put({ Name: '/del/one', Value: 'v1' });
    await put({ Name: '/del/one', Value: 'v2', Overwrite: true });
    await ssm.send(new DeleteParameterCommand({ Name: '/del/one' }));
    await expectSdkError(get('/del/one'), 'ParameterNotFound');
    await expectSdkError(ssm.send(new DeleteParameterCommand({ Name: '/del/one' })), 'ParameterNotFound');
    expect((await put({ Name: '/del/one', Value: 'again' })).Version).toBe(1);

    await put({ Name: '/del/two', Value: 'v' });
    const result = await ssm.send(new DeleteParametersCommand({ Names: ['/del/one', '/del/two', '/del/ghost'] }));
    expect(result).toMatchObject({ DeletedParameters: ['/del/one', '/del/two'], InvalidParameters: ['/del/ghost'] });
    expect((await ssm.send(new GetParametersCommand({ Names: ['/del/one', '/del/two'] }))).Parameters).toEqual([]);
    await expectSdkError(ssm.send(new DeleteParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/d${i}`) })), 'ValidationException');
  });
});

describe('accounts and regions', () => {
  it('keeps parameters apart per account and per region', async () => {
    await put({ Name: '/iso/shared-name', Value: 'default account' });
    const otherAccount = new SSMClient({ ...clientConfig(rt.endpoint, '111111111111'), maxAttempts: 1 });
    const otherRegion = new SSMClient({ ...clientConfig(rt.endpoint), region: 'eu-west-1', maxAttempts: 1 });
    for (const client of [otherAccount, otherRegion]) {
      await expectSdkError(client.send(new GetParameterCommand({ Name: '/iso/shared-name' })), 'ParameterNotFound');
      expect((await client.send(new GetParametersByPathCommand({ Path: '/iso' }))).Parameters).toEqual([]);
      expect((await client.send(new DescribeParametersCommand({}))).Parameters).toEqual([]);
    }
    expect((await otherAccount.send(new PutParameterCommand({ Name: '/iso/shared-name', Value: 'other', Type: 'String' }))).Version).toBe(1);
    expect((await otherAccount.send(new GetParameterCommand({ Name: '/iso/shared-name' }))).Parameter).toMatchObject({
      Value: 'other',
      ARN: 'arn:aws:ssm:us-east-1:111111111111:parameter/iso/shared-name',
    });
    await otherRegion.send(new PutParameterCommand({ Name: '/iso/shared-name', Value: 'ireland', Type: 'String' }));
    expect((await otherRegion.send(new GetParameterCommand({ Name: '/iso/shared-name' }))).Parameter?.ARN).toBe(
      'arn:aws:ssm:eu-west-1:000000000000:parameter/iso/shared-name',
    );
    expect((await get('/iso/shared-name')).Parameter?.Value).toBe('default account');
    // an ARN of another account names nothing here
    await expectSdkError(get('arn:aws:ssm:us-east-1:111111111111:parameter/iso/shared-name'), 'ParameterNotFound');
  });
});

describe('raw JSON the SDKs never send', () => {
  it('answers null list members with a ValidationException, not a 500', async () => {
    const res = await fetch(rt.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameters',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: JSON.stringify({ Names: ['/x', null] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value null at 'names.2.member' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('AWS CLI', () => {
  it('puts, gets and lists parameters', async () => {
    const put = await aws(rt.endpoint, ['ssm', 'put-parameter', '--name', '/cli/app/name', '--value', 'from-cli', '--type', 'String']);
    expect(put.code).toBe(0);
    expect(put.json).toEqual({ Version: 1, Tier: 'Standard' });
    await aws(rt.endpoint, ['ssm', 'put-parameter', '--name', '/cli/app/secret', '--value', 'pssst', '--type', 'SecureString']);

    const got = await aws(rt.endpoint, ['ssm', 'get-parameter', '--name', '/cli/app/secret', '--with-decryption']);
    expect(got.code).toBe(0);
    expect(got.json.Parameter).toMatchObject({ Name: '/cli/app/secret', Type: 'SecureString', Value: 'pssst', Version: 1 });

    const listed = await aws(rt.endpoint, ['ssm', 'get-parameters-by-path', '--path', '/cli', '--recursive']);
    expect(listed.code).toBe(0);
    expect(listed.json.Parameters.map((p: { Name: string }) => p.Name)).toEqual(['/cli/app/name', '/cli/app/secret']);
  });

  it('exits non-zero with the error code on stderr', async () => {
    const missing = await aws(rt.endpoint, ['ssm', 'get-parameter', '--name', '/cli/absent']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(ParameterNotFound) when calling the GetParameter operation');
  });
});
