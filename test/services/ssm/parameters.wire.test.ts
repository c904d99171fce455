/**
 * Parameter Store's main operations at the level of the wire: status, the headers AWS sends
 * (Content-Type application/x-amz-json-1.1, x-amzn-RequestId) and the whole JSON document,
 * members and values as AWS's API reference shows them; errors as `__type` and `message`
 * exactly as AWS words them. Each block works under its own name prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, jsonRpc, type WireExpectation } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const ARN = 'arn:aws:ssm:us-east-1:000000000000:parameter';
const ROOT_USER = 'arn:aws:iam::000000000000:root';
const HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ };
const DATE = expect.any(Number);

/** Calls `AmazonSSM.<operation>` and asserts a 200 with exactly `json`. */
function ok(operation: string, input: unknown, json: unknown) {
  return expectAnswer(rt.endpoint, jsonRpc('ssm', `AmazonSSM.${operation}`, input), { status: 200, headers: HEADERS, json });
}

/** Calls `AmazonSSM.<operation>` and asserts a 400 with exactly this error document. */
function fails(operation: string, input: unknown, type: string, message: string | RegExp) {
  const expected: WireExpectation = { status: 400, headers: HEADERS, json: { __type: type, message: typeof message === 'string' ? message : expect.stringMatching(message) } };
  return expectAnswer(rt.endpoint, jsonRpc('ssm', `AmazonSSM.${operation}`, input), expected);
}

describe('PutParameter, GetParameter, GetParameters', () => {
  it('answers the documented documents', async () => {
    await ok('PutParameter', { Name: '/w/db/host', Value: 'db.local', Type: 'String', Description: 'host' }, { Tier: 'Standard', Version: 1 });
    await ok('PutParameter', { Name: '/w/db/host', Value: 'db2.local', Overwrite: true }, { Tier: 'Standard', Version: 2 });
    await ok('GetParameter', { Name: '/w/db/host' }, {
      Parameter: { Name: '/w/db/host', Type: 'String', Value: 'db2.local', Version: 2, LastModifiedDate: DATE, ARN: `${ARN}/w/db/host`, DataType: 'text' },
    });
    await ok('GetParameter', { Name: '/w/db/host:1' }, {
      Parameter: { Name: '/w/db/host', Type: 'String', Value: 'db.local', Version: 1, Selector: ':1', LastModifiedDate: DATE, ARN: `${ARN}/w/db/host`, DataType: 'text' },
    });
    await ok('PutParameter', { Name: '/w/db/a-list', Value: 'a,b', Type: 'StringList' }, { Tier: 'Standard', Version: 1 });
    // alphabetical, whatever the order asked in; the unknown and malformed ones listed as asked
    await ok('GetParameters', { Names: ['/w/db/host', '/w/missing', '/w/db/a-list', 'bad/name'] }, {
      Parameters: [
        { Name: '/w/db/a-list', Type: 'StringList', Value: 'a,b', Version: 1, LastModifiedDate: DATE, ARN: `${ARN}/w/db/a-list`, DataType: 'text' },
        { Name: '/w/db/host', Type: 'String', Value: 'db2.local', Version: 2, LastModifiedDate: DATE, ARN: `${ARN}/w/db/host`, DataType: 'text' },
      ],
      InvalidParameters: ['/w/missing', 'bad/name'],
    });
  });

  it('answers errors with AWS codes and wordings, and stays up', async () => {
    await fails('GetParameter', { Name: '/w/none' }, 'ParameterNotFound', '');
    await fails('GetParameter', { Name: '/w/db/host:9' }, 'ParameterVersionNotFound', 'Systems Manager could not find version 9 of /w/db/host. Verify the version and try again.');
    await fails('PutParameter', { Name: '/w/db/host', Value: 'x', Type: 'String' }, 'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    await fails('PutParameter', { Name: 'w/db', Value: 'x', Type: 'String' }, 'ValidationException', 'Parameter name must be a fully qualified name.');
    await fails('PutParameter', { Name: '/w/new', Value: 'x' }, 'ValidationException', 'A parameter type is required when you create a parameter.');
    const invalidName =
      'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; ' +
      'each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
    await fails('GetParameter', { Name: '/w/bad name' }, 'ValidationException', invalidName);
    await fails('PutParameter', { Name: '/w//x', Value: 'x', Type: 'String' }, 'ValidationException', invalidName);
    await fails('PutParameter', { Name: '/ssm/x', Value: 'x', Type: 'String' }, 'ValidationException', invalidName);
    await fails('PutParameter', { Name: `/w${'/l'.repeat(15)}`, Value: 'x', Type: 'String' }, 'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.');
    await fails('PutParameter', { Name: '/w/t', Value: 'x', Type: 'Text' }, 'ValidationException',
      "1 validation error detected: Value 'Text' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]");
    await fails('PutParameter', { Name: '/w/dt', Value: 'x', Type: 'String', DataType: 'Text' }, 'ValidationException',
      'The following data type is not supported: Text (Data type names are all lowercase.)');
    await fails('PutParameter', { Name: '/w/ap', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' }, 'ParameterPatternMismatchException',
      'Parameter value, cannot be validated against allowedPattern: ^\\d+$');
    await fails('PutParameter', { Name: '/w/big', Value: 'x'.repeat(4097), Type: 'String' }, 'ValidationException', /^Standard tier parameters support a maximum parameter value of 4096 characters\./);
    await fails('PutParameter', { Name: '/w/tg', Value: 'x', Type: 'String', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] }, 'ValidationException',
      /^Invalid request: tags and overwrite can't be used together\./);
    await ok('GetParameter', { Name: '/w/db/a-list' }, { Parameter: expect.objectContaining({ Value: 'a,b' }) });
  });
});

describe('DescribeParameters and GetParametersByPath', () => {
  beforeAll(async () => {
    await ok('PutParameter', { Name: '/wd/app/url', Value: 'u', Type: 'String', Description: 'the url', AllowedPattern: '^u' }, { Tier: 'Standard', Version: 1 });
    await ok('PutParameter', { Name: '/wd/app/key', Value: 'k', Type: 'SecureString' }, { Tier: 'Standard', Version: 1 });
    await ok('PutParameter', { Name: '/wd/app/deep/one', Value: '1', Type: 'String' }, { Tier: 'Standard', Version: 1 });
  });

  it('describes metadata without values, the default key named', async () => {
    await ok('DescribeParameters', { ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: ['/wd/app'] }] }, {
      Parameters: [
        { Name: '/wd/app/key', ARN: `${ARN}/wd/app/key`, Type: 'SecureString', KeyId: 'alias/aws/ssm', LastModifiedDate: DATE, LastModifiedUser: ROOT_USER, Version: 1, Tier: 'Standard', Policies: [], DataType: 'text' },
        { Name: '/wd/app/url', ARN: `${ARN}/wd/app/url`, Type: 'String', LastModifiedDate: DATE, LastModifiedUser: ROOT_USER, Description: 'the url', AllowedPattern: '^u', Version: 1, Tier: 'Standard', Policies: [], DataType: 'text' },
      ],
    });
  });

  it('lists by path, one level or recursively, paging with NextToken', async () => {
    const url = { Name: '/wd/app/url', Type: 'String', Value: 'u', Version: 1, LastModifiedDate: DATE, ARN: `${ARN}/wd/app/url`, DataType: 'text' };
    const one = { Name: '/wd/app/deep/one', Type: 'String', Value: '1', Version: 1, LastModifiedDate: DATE, ARN: `${ARN}/wd/app/deep/one`, DataType: 'text' };
    await ok('GetParametersByPath', { Path: '/wd/app', ParameterFilters: [{ Key: 'Type', Values: ['String'] }] }, { Parameters: [url] });
    const first = await ok('GetParametersByPath', { Path: '/wd/app/', Recursive: true, MaxResults: 1 }, { Parameters: [one], NextToken: expect.any(String) });
    const token = (JSON.parse(first.text) as { NextToken: string }).NextToken;
    await ok('GetParametersByPath', { Path: '/wd/app/', Recursive: true, MaxResults: 5, NextToken: token }, {
      Parameters: [expect.objectContaining({ Name: '/wd/app/key', Type: 'SecureString', Value: expect.stringMatching(/^AQICAH[A-Za-z0-9+/]+=*$/) }), url],
    });
  });

  it('answers errors with AWS codes and wordings', async () => {
    await fails('GetParametersByPath', { Path: 'wd' }, 'ValidationException', /^The parameter doesn't meet the parameter name requirements\. The parameter name must begin with a forward slash "\/"\./);
    await fails('GetParametersByPath', { Path: '/wd', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }, 'InvalidFilterKey',
      'The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId].');
    await fails('DescribeParameters', { ParameterFilters: [{ Key: 'Type', Values: ['Text'] }] }, 'InvalidFilterValue',
      'The following filter value is not valid: Text. Valid values include: [String, StringList, SecureString]');
    await fails('DescribeParameters', { NextToken: 'nope' }, 'InvalidNextToken', "The specified token isn't valid.");
    await fails('DescribeParameters', { Filters: [{ Key: 'Name', Values: ['/wd'] }], ParameterFilters: [{ Key: 'Name', Values: ['/wd'] }] }, 'ValidationException',
      'You can use either Filters or ParameterFilters in a single request.');
    await fails('DescribeParameters', { ParameterFilters: [{ Key: 'Label', Values: ['x'] }] }, 'InvalidFilterKey',
      'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].');
    await fails('DescribeParameters', { ParameterFilters: [{ Key: 'Name', Option: 'Recursive', Values: ['/wd'] }] }, 'InvalidFilterOption',
      'The following filter option is not valid: Recursive. Valid options include: [BeginsWith, Equals, Contains].');
    await fails('GetParametersByPath', { Path: '/wd', MaxResults: 11 }, 'ValidationException',
      "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
    await fails('PutParameter', { Name: '/wd/empty', Value: '', Type: 'String' }, 'ValidationException',
      "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });
});

describe('GetParameterHistory, DeleteParameter(s)', () => {
  it('returns every version with its labels and policies, then deletes', async () => {
    await ok('PutParameter', { Name: '/wh/p', Value: 'v1', Type: 'String', Description: 'first' }, { Tier: 'Standard', Version: 1 });
    await ok('PutParameter', { Name: '/wh/p', Value: 'v2', Overwrite: true }, { Tier: 'Standard', Version: 2 });
    await ok('LabelParameterVersion', { Name: '/wh/p', ParameterVersion: 1, Labels: ['old'] }, { InvalidLabels: [], ParameterVersion: 1 });
    const version = (n: number, value: string, labels: string[]) => ({
      Name: '/wh/p', Type: 'String', LastModifiedDate: DATE, LastModifiedUser: ROOT_USER, Description: 'first', Value: value,
      Version: n, Labels: labels, Tier: 'Standard', Policies: [], DataType: 'text',
    });
    await ok('GetParameterHistory', { Name: '/wh/p' }, { Parameters: [version(1, 'v1', ['old']), version(2, 'v2', [])] });
    await fails('GetParameterHistory', { Name: '/wh/none' }, 'ParameterNotFound', '');

    await ok('DeleteParameter', { Name: '/wh/p' }, {});
    await fails('DeleteParameter', { Name: '/wh/p' }, 'ParameterNotFound', '');
    await ok('PutParameter', { Name: '/wh/a', Value: 'a', Type: 'String' }, { Tier: 'Standard', Version: 1 });
    await ok('DeleteParameters', { Names: ['/wh/a', '/wh/gone'] }, { DeletedParameters: ['/wh/a'], InvalidParameters: ['/wh/gone'] });
  });
});

describe('tags', () => {
  it('adds, lists and removes tags, and refuses what AWS refuses', async () => {
    await ok('PutParameter', { Name: '/wt/p', Value: 'v', Type: 'String', Tags: [{ Key: 'team', Value: 'a' }] }, { Tier: 'Standard', Version: 1 });
    await ok('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/wt/p', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }] }, {});
    await ok('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/wt/p' }, { TagList: [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }] });
    await ok('RemoveTagsFromResource', { ResourceType: 'Parameter', ResourceId: '/wt/p', TagKeys: ['team'] }, {});
    await ok('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/wt/p' }, { TagList: [{ Key: 'env', Value: 'dev' }] });

    await fails('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/wt/none' }, 'InvalidResourceId',
      "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await fails('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/wt/p', Tags: many }, 'TooManyTagsError',
      'The Targets parameter includes too many tags. Remove one or more tags and try the command again.');
  });
});
