/**
 * Parameter Store's rules at the level of the wire: `/x` and `x` name one parameter (its
 * ARN, tags and history included), parameter policies (accepted, validated, returned),
 * labels (limits, pattern, moves, InvalidLabels) and KeyId for SecureString. Whole documents
 * and AWS's error texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, jsonRpc } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const ARN = 'arn:aws:ssm:us-east-1:000000000000:parameter';
const ROOT_USER = 'arn:aws:iam::000000000000:root';
const HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const DATE = expect.any(Number);
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function ok(operation: string, input: unknown, json: unknown) {
  return expectAnswer(rt.endpoint, jsonRpc('ssm', `AmazonSSM.${operation}`, input), { status: 200, headers: HEADERS, json });
}

function fails(operation: string, input: unknown, type: string, message: string | RegExp) {
  const text = typeof message === 'string' ? message : expect.stringMatching(message);
  return expectAnswer(rt.endpoint, jsonRpc('ssm', `AmazonSSM.${operation}`, input), { status: 400, headers: HEADERS, json: { __type: type, message: text } });
}

describe('a top-level name with and without its slash', () => {
  it('is one parameter: kept as x, one ARN, one version history, one tag set', async () => {
    await ok('PutParameter', { Name: '/top', Value: 'v1', Type: 'String', Tags: [{ Key: 'k', Value: 'v' }] }, { Tier: 'Standard', Version: 1 });
    await fails('PutParameter', { Name: 'top', Value: 'v', Type: 'String' }, 'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    await ok('PutParameter', { Name: 'top', Value: 'v2', Overwrite: true }, { Tier: 'Standard', Version: 2 });
    const parameter = (name: string) => ({ Parameter: { Name: name, Type: 'String', Value: 'v2', Version: 2, LastModifiedDate: DATE, ARN: `${ARN}/top`, DataType: 'text' } });
    // GetParameter echoes the name as asked; the ARN is parameter/top either way
    await ok('GetParameter', { Name: '/top' }, parameter('/top'));
    await ok('GetParameter', { Name: 'top' }, parameter('top'));
    await ok('GetParameter', { Name: `${ARN}/top` }, parameter('top'));
    // listings show the name as kept: without the slash
    await ok('DescribeParameters', { ParameterFilters: [{ Key: 'Name', Values: ['/top'] }] }, {
      Parameters: [{ Name: 'top', ARN: `${ARN}/top`, Type: 'String', LastModifiedDate: DATE, LastModifiedUser: ROOT_USER, Version: 2, Tier: 'Standard', Policies: [], DataType: 'text' }],
    });
    await ok('GetParametersByPath', { Path: '/' }, { Parameters: [{ Name: 'top', Type: 'String', Value: 'v2', Version: 2, LastModifiedDate: DATE, ARN: `${ARN}/top`, DataType: 'text' }] });
    await ok('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: 'top', Tags: [{ Key: 'k2', Value: 'w' }] }, {});
    await ok('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/top' }, { TagList: [{ Key: 'k', Value: 'v' }, { Key: 'k2', Value: 'w' }] });
    await ok('GetParameterHistory', { Name: '/top' }, { Parameters: [expect.objectContaining({ Name: 'top', Version: 1 }), expect.objectContaining({ Name: 'top', Version: 2 })] });
    await ok('DeleteParameter', { Name: '/top' }, {});
    await fails('GetParameter', { Name: 'top' }, 'ParameterNotFound', '');
  });

  it('has one spelling one level down: a path needs its slash', async () => {
    await fails('PutParameter', { Name: 'a/b', Value: 'v', Type: 'String' }, 'ValidationException', 'Parameter name must be a fully qualified name.');
    await fails('GetParameter', { Name: 'a/b' }, 'ValidationException', 'Parameter name must be a fully qualified name.');
    await ok('PutParameter', { Name: '/a/b', Value: 'v', Type: 'String' }, { Tier: 'Standard', Version: 1 });
    await ok('GetParameter', { Name: `${ARN}/a/b` }, { Parameter: expect.objectContaining({ Name: '/a/b', ARN: `${ARN}/a/b` }) });
  });
});

describe('parameter policies', () => {
  const expiration = { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2030-12-02T21:34:33.000Z' } };
  const notification = { Type: 'ExpirationNotification', Version: '1.0', Attributes: { Before: '15', Unit: 'Days' } };
  const noChange = { Type: 'NoChangeNotification', Version: '1.0', Attributes: { After: '20', Unit: 'Days' } };
  const inline = (p: { Type: string }) => ({ PolicyText: JSON.stringify(p), PolicyType: p.Type, PolicyStatus: 'Pending' });

  it('are accepted on Advanced parameters and returned by DescribeParameters and GetParameterHistory', async () => {
    const Policies = JSON.stringify([expiration, notification, noChange]);
    await ok('PutParameter', { Name: '/pol/a', Value: 'v', Type: 'String', Tier: 'Advanced', Policies }, { Tier: 'Advanced', Version: 1 });
    const policies = [inline(expiration), inline(notification), inline(noChange)];
    await ok('DescribeParameters', { ParameterFilters: [{ Key: 'Name', Values: ['/pol/a'] }] }, {
      Parameters: [{ Name: '/pol/a', ARN: `${ARN}/pol/a`, Type: 'String', LastModifiedDate: DATE, LastModifiedUser: ROOT_USER, Version: 1, Tier: 'Advanced', Policies: policies, DataType: 'text' }],
    });
    // an overwrite without Policies keeps them; [] removes them
    await ok('PutParameter', { Name: '/pol/a', Value: 'v2', Overwrite: true }, { Tier: 'Advanced', Version: 2 });
    await ok('GetParameterHistory', { Name: '/pol/a' }, { Parameters: [expect.objectContaining({ Policies: policies }), expect.objectContaining({ Version: 2, Policies: policies })] });
    await ok('PutParameter', { Name: '/pol/a', Value: 'v3', Overwrite: true, Policies: '[]' }, { Tier: 'Advanced', Version: 3 });
    await ok('DescribeParameters', { ParameterFilters: [{ Key: 'Name', Values: ['/pol/a'] }] }, { Parameters: [expect.objectContaining({ Version: 3, Policies: [] })] });
    // Intelligent-Tiering picks Advanced for a parameter with policies
    await ok('PutParameter', { Name: '/pol/it', Value: 'v', Type: 'String', Tier: 'Intelligent-Tiering', Policies: JSON.stringify([noChange]) }, { Tier: 'Advanced', Version: 1 });
  });

  it('are validated as AWS validates them', async () => {
    const put = (Policies: string, Tier = 'Advanced') => ({ Name: '/pol/bad', Value: 'v', Type: 'String', Tier, Policies });
    await fails('PutParameter', put(JSON.stringify([expiration]), 'Standard'), 'ValidationException',
      'Parameter policies are supported only for advanced-tier parameters. Use the advanced-parameter tier and try again.');
    await fails('PutParameter', put(JSON.stringify([expiration, expiration])), 'IncompatiblePolicyException',
      "There is a conflict in the policies specified for this parameter. You can't, for example, specify two Expiration policies for a parameter. Review your policies, and try again.");
    const typeMessage = "The policy type isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.";
    await fails('PutParameter', put(JSON.stringify([{ Type: 'Rotation', Version: '1.0', Attributes: {} }])), 'InvalidPolicyTypeException', typeMessage);
    await fails('PutParameter', put('not json'), 'InvalidPolicyTypeException', typeMessage);
    await fails('PutParameter', put(JSON.stringify([{ ...expiration, Attributes: { Timestamp: 'soon' } }])), 'InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
    await fails('PutParameter', put(JSON.stringify([{ ...notification, Attributes: { Before: '-1', Unit: 'Days' } }])), 'InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
    await fails('PutParameter', put(JSON.stringify([{ ...noChange, Attributes: { After: '2', Unit: 'Weeks' } }])), 'InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
    await fails('PutParameter', put(JSON.stringify(Array.from({ length: 11 }, () => noChange))), 'PoliciesLimitExceededException',
      'You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.');
    await fails('GetParameter', { Name: '/pol/bad' }, 'ParameterNotFound', '');
  });
});

describe('labels', () => {
  beforeAll(async () => {
    await ok('PutParameter', { Name: '/lab/p', Value: 'v1', Type: 'String' }, { Tier: 'Standard', Version: 1 });
    await ok('PutParameter', { Name: '/lab/p', Value: 'v2', Overwrite: true }, { Tier: 'Standard', Version: 2 });
  });

  it('returns the labels AWS refuses in InvalidLabels and attaches the others', async () => {
    await ok('LabelParameterVersion', { Name: '/lab/p', ParameterVersion: 1, Labels: ['prod', '1st', 'aws-x', 'SSM_y', 'a/b', 'ok.v-1_2'] }, {
      InvalidLabels: ['1st', 'aws-x', 'SSM_y', 'a/b'],
      ParameterVersion: 1,
    });
    await ok('GetParameter', { Name: '/lab/p:prod' }, { Parameter: expect.objectContaining({ Value: 'v1', Version: 1, Selector: ':prod' }) });
  });

  it('moves a label to the version it is applied to, and labels the latest version when none is named', async () => {
    await ok('LabelParameterVersion', { Name: '/lab/p', Labels: ['prod'] }, { InvalidLabels: [], ParameterVersion: 2 });
    await ok('GetParameterHistory', { Name: '/lab/p' }, {
      Parameters: [expect.objectContaining({ Version: 1, Labels: ['ok.v-1_2'] }), expect.objectContaining({ Version: 2, Labels: ['prod'] })],
    });
    await ok('UnlabelParameterVersion', { Name: '/lab/p', ParameterVersion: 2, Labels: ['prod', 'never'] }, { RemovedLabels: ['prod'], InvalidLabels: ['never'] });
  });

  it('allows 10 labels on a version, and answers the version and parameter that do not exist', async () => {
    const ten = Array.from({ length: 9 }, (_, i) => `l${i}`);
    await ok('LabelParameterVersion', { Name: '/lab/p', ParameterVersion: 1, Labels: ten }, { InvalidLabels: [], ParameterVersion: 1 });
    await fails('LabelParameterVersion', { Name: '/lab/p', ParameterVersion: 1, Labels: ['eleven', 'twelve'] }, 'ParameterVersionLabelLimitExceeded',
      'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.');
    await fails('LabelParameterVersion', { Name: '/lab/p', ParameterVersion: 7, Labels: ['x'] }, 'ParameterVersionNotFound',
      'Systems Manager could not find version 7 of /lab/p. Verify the version and try again.');
    await fails('LabelParameterVersion', { Name: '/lab/none', Labels: ['x'] }, 'ParameterNotFound', '');
    await fails('LabelParameterVersion', { Name: '/lab/p', Labels: ['x'.repeat(101)] }, 'ValidationException', /^1 validation error detected: Value '\[x+\]' at 'labels' failed to satisfy constraint:/);
  });

  it('keeps a labelled oldest version, refusing the 101st version with AWS words', async () => {
    await ok('PutParameter', { Name: '/lab/many', Value: 'v1', Type: 'String' }, { Tier: 'Standard', Version: 1 });
    await ok('LabelParameterVersion', { Name: '/lab/many', ParameterVersion: 1, Labels: ['first'] }, { InvalidLabels: [], ParameterVersion: 1 });
    for (let v = 2; v <= 100; v++) await ok('PutParameter', { Name: '/lab/many', Value: `v${v}`, Overwrite: true }, { Tier: 'Standard', Version: v });
    await fails('PutParameter', { Name: '/lab/many', Value: 'v101', Overwrite: true }, 'ParameterMaxVersionLimitExceeded',
      'You attempted to create a new version of /lab/many by calling the PutParameter API with the overwrite flag. Version 1, the oldest version, ' +
        "can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.");
  });
});

describe('KeyId of SecureString parameters', () => {
  it('accepts the default alias, key ids and key ARNs, and refuses unknown aliases as KMS does', async () => {
    const key = '1234abcd-12ab-34cd-56ef-1234567890ab';
    await ok('PutParameter', { Name: '/key/default', Value: 's', Type: 'SecureString', KeyId: 'alias/aws/ssm' }, { Tier: 'Standard', Version: 1 });
    await ok('PutParameter', { Name: '/key/id', Value: 's', Type: 'SecureString', KeyId: key }, { Tier: 'Standard', Version: 1 });
    await ok('PutParameter', { Name: '/key/arn', Value: 's', Type: 'SecureString', KeyId: `arn:aws:kms:us-east-1:000000000000:key/${key}` }, { Tier: 'Standard', Version: 1 });
    await ok('DescribeParameters', { ParameterFilters: [{ Key: 'Path', Values: ['/key'] }] }, {
      Parameters: ['arn', 'default', 'id'].map((n) => expect.objectContaining({ Name: `/key/${n}`, KeyId: n === 'default' ? 'alias/aws/ssm' : n === 'id' ? key : `arn:aws:kms:us-east-1:000000000000:key/${key}` })),
    });
    const kms = (text: string) => new RegExp(`^${text} \\(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: ${UUID}; Proxy: null\\)$`);
    await fails('PutParameter', { Name: '/key/x', Value: 's', Type: 'SecureString', KeyId: 'alias/nope' }, 'InvalidKeyId',
      kms('Alias arn:aws:kms:us-east-1:000000000000:alias/nope is not found\\.'));
    await fails('PutParameter', { Name: '/key/x', Value: 's', Type: 'SecureString', KeyId: 'arn:aws:kms:us-east-1:000000000000:alias/nope' }, 'InvalidKeyId',
      kms('Alias arn:aws:kms:us-east-1:000000000000:alias/nope is not found\\.'));
    await fails('PutParameter', { Name: '/key/x', Value: 's', Type: 'SecureString', KeyId: 'not-a-key' }, 'InvalidKeyId', kms('Invalid keyId not-a-key'));
    await fails('GetParameter', { Name: '/key/x' }, 'ParameterNotFound', '');
  });
});
