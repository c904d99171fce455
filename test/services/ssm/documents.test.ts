/**
 * SSM documents through @aws-sdk/client-ssm against the real runtime: create (JSON and YAML),
 * versions, default version, format conversion, listings, deletion, sharing, tags, the
 * AWS-owned documents, and the errors AWS answers bad input with.
 */
import {
  AddTagsToResourceCommand,
  CreateDocumentCommand,
  DeleteDocumentCommand,
  DescribeDocumentCommand,
  DescribeDocumentPermissionCommand,
  GetDocumentCommand,
  ListDocumentsCommand,
  ListDocumentVersionsCommand,
  ListTagsForResourceCommand,
  ModifyDocumentPermissionCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
  type CreateDocumentCommandInput,
} from '@aws-sdk/client-ssm';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let ssm: SSMClient;

beforeAll(async () => {
  rt = await startRuntime();
  ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

/** A Command document (schema 2.2) running `echo <text>`. */
function commandContent(text: string): string {
  return JSON.stringify({
    schemaVersion: '2.2',
    description: `Says ${text}`,
    parameters: { Message: { type: 'String', description: 'What to say', default: 'hello' }, Count: { type: 'String', default: 3 } },
    mainSteps: [{ action: 'aws:runShellScript', name: 'say', inputs: { runCommand: [`echo ${text}`] } }],
  });
}

const YAML_AUTOMATION = `schemaVersion: '0.3'
description: Restarts an instance
parameters:
  InstanceId:
    type: String
    description: The instance
mainSteps:
  - name: stop
    action: aws:changeInstanceState
    inputs:
      InstanceIds: ['{{ InstanceId }}']
      DesiredState: stopped
`;

const create = (input: Partial<CreateDocumentCommandInput> & { Name: string }) => ssm.send(new CreateDocumentCommand({ Content: commandContent(input.Name), DocumentType: 'Command', ...input }));

describe('CreateDocument, DescribeDocument, GetDocument', () => {
  it('reads the hash, schema version, description, parameters and platforms out of JSON content', async () => {
    const content = commandContent('one');
    const { DocumentDescription: d } = await create({ Name: 'doc-json', Content: content, Tags: [{ Key: 'team', Value: 'ops' }] });
    expect(d).toMatchObject({
      Hash: createHash('sha256').update(content).digest('hex'),
      HashType: 'Sha256',
      Name: 'doc-json',
      Owner: '000000000000',
      Status: 'Creating',
      DocumentVersion: '1',
      Description: 'Says one',
      Parameters: [
        { Name: 'Message', Type: 'String', Description: 'What to say', DefaultValue: 'hello' },
        { Name: 'Count', Type: 'String', DefaultValue: '3' },
      ],
      PlatformTypes: ['Linux', 'MacOS'],
      DocumentType: 'Command',
      SchemaVersion: '2.2',
      LatestVersion: '1',
      DefaultVersion: '1',
      DocumentFormat: 'JSON',
      Tags: [{ Key: 'team', Value: 'ops' }],
    });
    expect(d!.CreatedDate).toBeInstanceOf(Date);
    const { Document } = await ssm.send(new DescribeDocumentCommand({ Name: 'doc-json' }));
    expect(Document).toMatchObject({ Status: 'Active', Hash: d!.Hash, Tags: [{ Key: 'team', Value: 'ops' }] });
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'arn:aws:ssm:us-east-1:000000000000:document/doc-json' }))).Document?.Name).toBe('doc-json');
    await expectSdkError(ssm.send(new DescribeDocumentCommand({ Name: 'arn:aws:ssm:us-east-1:111122223333:document/doc-json' })), 'InvalidDocument');
    const got = await ssm.send(new GetDocumentCommand({ Name: 'doc-json' }));
    expect(got).toMatchObject({ Name: 'doc-json', DocumentVersion: '1', Status: 'Active', Content: content, DocumentType: 'Command', DocumentFormat: 'JSON' });
  });

  it('keeps YAML content as written and converts it to JSON and back on request', async () => {
    const { DocumentDescription: d } = await create({ Name: 'doc-yaml', Content: YAML_AUTOMATION, DocumentType: 'Automation', DocumentFormat: 'YAML' });
    expect(d).toMatchObject({ SchemaVersion: '0.3', DocumentType: 'Automation', DocumentFormat: 'YAML', PlatformTypes: ['Windows', 'Linux', 'MacOS'], Parameters: [{ Name: 'InstanceId', Type: 'String', Description: 'The instance' }] });
    expect((await ssm.send(new GetDocumentCommand({ Name: 'doc-yaml' }))).Content).toBe(YAML_AUTOMATION);
    const asJson = await ssm.send(new GetDocumentCommand({ Name: 'doc-yaml', DocumentFormat: 'JSON' }));
    expect(asJson.DocumentFormat).toBe('JSON');
    expect(JSON.parse(asJson.Content!)).toEqual(parseYaml(YAML_AUTOMATION));
    const backToYaml = await ssm.send(new GetDocumentCommand({ Name: 'doc-json', DocumentFormat: 'YAML' }));
    expect(parseYaml(backToYaml.Content!)).toEqual(JSON.parse(commandContent('one')));
  });

  it('takes Session and Policy documents with their schema versions', async () => {
    const session = JSON.stringify({ schemaVersion: '1.0', description: 'Port forwarding', sessionType: 'Port', parameters: { portNumber: { type: 'String', default: '80' } }, properties: { portNumber: '{{ portNumber }}' } });
    expect((await create({ Name: 'doc-session', Content: session, DocumentType: 'Session' })).DocumentDescription).toMatchObject({ DocumentType: 'Session', SchemaVersion: '1.0', Parameters: [{ Name: 'portNumber', Type: 'String', DefaultValue: '80' }] });
    const policy = `schemaVersion: 2.0\ndescription: Inventory\nmainSteps:\n  - action: aws:softwareInventory\n    name: collect\n    inputs:\n      applications: Enabled\n`;
    expect((await create({ Name: 'doc-policy', Content: policy, DocumentType: 'Policy', DocumentFormat: 'YAML' })).DocumentDescription).toMatchObject({ DocumentType: 'Policy', SchemaVersion: '2.0', DocumentFormat: 'YAML' });
    await expectSdkError(create({ Name: 'doc-session-bad', Content: session.replace('1.0', '2.2'), DocumentType: 'Session' }), 'InvalidDocumentSchemaVersion');
  });

  it('answers AWS errors for bad input, and keeps serving', async () => {
    await expectSdkError(create({ Name: 'doc-json' }), 'DocumentAlreadyExists', 'Document with same name doc-json already exists');
    await expectSdkError(create({ Name: 'doc-bad', Content: '{not json' }), 'InvalidDocumentContent', 'The content for the document is not valid.');
    await expectSdkError(create({ Name: 'doc-bad', Content: '[1, 2]' }), 'InvalidDocumentContent', 'The content for the document is not valid.');
    await expectSdkError(create({ Name: 'doc-bad', Content: JSON.stringify({ mainSteps: [] }) }), 'InvalidDocumentContent');
    await expectSdkError(create({ Name: 'doc-bad', Content: JSON.stringify({ schemaVersion: '0.3', mainSteps: [] }) }), 'InvalidDocumentSchemaVersion');
    await expectSdkError(create({ Name: 'doc-big', Content: JSON.stringify({ schemaVersion: '2.2', description: 'x'.repeat(70_000), mainSteps: [] }) }), 'MaxDocumentSizeExceeded', 'The size limit of a document is 64 KB.');
    await expectSdkError(create({ Name: 'AWS-Mine' }), 'ValidationException', 'Invalid document name AWS-Mine');
    await expectSdkError(create({ Name: 'bad name!' }), 'ValidationException', /Member must satisfy regular expression pattern/);
    await expectSdkError(ssm.send(new DescribeDocumentCommand({ Name: 'no-such-doc' })), 'InvalidDocument', 'The specified document does not exist.');
    await expectSdkError(ssm.send(new GetDocumentCommand({ Name: 'doc-json', DocumentVersion: '9' })), 'InvalidDocument', 'The specified document does not exist.');
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'doc-json' }))).Document?.Name).toBe('doc-json');
  });
});

describe('versions', () => {
  it('UpdateDocument adds versions; the default stays until UpdateDocumentDefaultVersion moves it', async () => {
    await create({ Name: 'doc-versions', VersionName: 'first' });
    const { DocumentDescription: v2 } = await ssm.send(new UpdateDocumentCommand({ Name: 'doc-versions', Content: commandContent('two'), DocumentVersion: '$LATEST', VersionName: 'second' }));
    expect(v2).toMatchObject({ Status: 'Updating', DocumentVersion: '2', VersionName: 'second', LatestVersion: '2', DefaultVersion: '1', Description: 'Says two' });
    const yaml = `schemaVersion: '2.2'\ndescription: Says three\nmainSteps:\n  - action: aws:runPowerShellScript\n    name: say\n    inputs:\n      runCommand: [echo three]\n`;
    const { DocumentDescription: v3 } = await ssm.send(new UpdateDocumentCommand({ Name: 'doc-versions', Content: yaml, DocumentFormat: 'YAML', DocumentVersion: '2' }));
    expect(v3).toMatchObject({ DocumentVersion: '3', DocumentFormat: 'YAML', PlatformTypes: ['Windows', 'Linux'], LatestVersion: '3', DefaultVersion: '1' });

    expect((await ssm.send(new GetDocumentCommand({ Name: 'doc-versions' }))).DocumentVersion).toBe('1');
    expect((await ssm.send(new GetDocumentCommand({ Name: 'doc-versions', VersionName: 'second' }))).DocumentVersion).toBe('2');
    expect((await ssm.send(new GetDocumentCommand({ Name: 'doc-versions', DocumentVersion: '$LATEST' }))).Content).toBe(yaml);
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'doc-versions', DocumentVersion: '2' }))).Document).toMatchObject({ DocumentVersion: '2', VersionName: 'second' });

    expect(await ssm.send(new UpdateDocumentDefaultVersionCommand({ Name: 'doc-versions', DocumentVersion: '2' }))).toMatchObject({ Description: { Name: 'doc-versions', DefaultVersion: '2', DefaultVersionName: 'second' } });
    expect((await ssm.send(new GetDocumentCommand({ Name: 'doc-versions' }))).DocumentVersion).toBe('2');

    const { DocumentVersions } = await ssm.send(new ListDocumentVersionsCommand({ Name: 'doc-versions' }));
    expect(DocumentVersions!.map((v) => [v.DocumentVersion, v.VersionName, v.IsDefaultVersion, v.DocumentFormat, v.Status])).toEqual([
      ['1', 'first', false, 'JSON', 'Active'],
      ['2', 'second', true, 'JSON', 'Active'],
      ['3', undefined, false, 'YAML', 'Active'],
    ]);
    const page = await ssm.send(new ListDocumentVersionsCommand({ Name: 'doc-versions', MaxResults: 2 }));
    expect(page.DocumentVersions).toHaveLength(2);
    const rest = await ssm.send(new ListDocumentVersionsCommand({ Name: 'doc-versions', MaxResults: 2, NextToken: page.NextToken }));
    expect(rest.DocumentVersions!.map((v) => v.DocumentVersion)).toEqual(['3']);
    expect(rest.NextToken).toBeUndefined();
  });

  it('refuses duplicate content, duplicate version names and stale versions', async () => {
    await expectSdkError(
      ssm.send(new UpdateDocumentCommand({ Name: 'doc-versions', Content: commandContent('doc-versions'), DocumentVersion: '$LATEST' })),
      'DuplicateDocumentContent',
      'The content of the association document matches another document. Change the content of the document and try again.',
    );
    await expectSdkError(ssm.send(new UpdateDocumentCommand({ Name: 'doc-versions', Content: commandContent('x'), VersionName: 'first' })), 'DuplicateDocumentVersionName', 'The specified version name is a duplicate.');
    await expectSdkError(ssm.send(new UpdateDocumentCommand({ Name: 'doc-versions', Content: commandContent('x'), DocumentVersion: '1' })), 'InvalidDocumentVersion', 'The document version is not valid or does not exist.');
    await expectSdkError(ssm.send(new UpdateDocumentCommand({ Name: 'no-such-doc', Content: commandContent('x') })), 'InvalidDocument');
    await expectSdkError(ssm.send(new UpdateDocumentDefaultVersionCommand({ Name: 'doc-versions', DocumentVersion: '7' })), 'InvalidDocumentVersion');
  });

  it('stops at 1000 versions with DocumentVersionLimitExceeded', async () => {
    await create({ Name: 'doc-many' });
    // in batches: each update without DocumentVersion adds a version whatever the latest is
    for (let i = 2; i <= 1000; i += 20) {
      const batch = Array.from({ length: Math.min(20, 1001 - i) }, (_, j) => ssm.send(new UpdateDocumentCommand({ Name: 'doc-many', Content: commandContent(`v${i + j}`) })));
      await Promise.all(batch);
    }
    await expectSdkError(
      ssm.send(new UpdateDocumentCommand({ Name: 'doc-many', Content: commandContent('v1001'), DocumentVersion: '$LATEST' })),
      'DocumentVersionLimitExceeded',
      'The document has too many versions. Delete one or more document versions and try again.',
    );
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'doc-many' }))).Document?.LatestVersion).toBe('1000');
  }, 120_000);

  it('DeleteDocument removes one version (never the default) or the whole document', async () => {
    await create({ Name: 'doc-delete' });
    await ssm.send(new UpdateDocumentCommand({ Name: 'doc-delete', Content: commandContent('d2'), DocumentVersion: '$LATEST' }));
    await ssm.send(new UpdateDocumentCommand({ Name: 'doc-delete', Content: commandContent('d3'), DocumentVersion: '$LATEST' }));
    await expectSdkError(ssm.send(new DeleteDocumentCommand({ Name: 'doc-delete', DocumentVersion: '1' })), 'InvalidDocumentOperation', "Default version of the document can't be deleted.");
    await ssm.send(new DeleteDocumentCommand({ Name: 'doc-delete', DocumentVersion: '3' }));
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'doc-delete' }))).Document).toMatchObject({ LatestVersion: '2', DefaultVersion: '1' });
    await ssm.send(new DeleteDocumentCommand({ Name: 'doc-delete' }));
    await expectSdkError(ssm.send(new GetDocumentCommand({ Name: 'doc-delete' })), 'InvalidDocument');
    await expectSdkError(ssm.send(new DeleteDocumentCommand({ Name: 'doc-delete' })), 'InvalidDocument');
  });
});

describe('ListDocuments', () => {
  it('lists the account documents (Owner Self), AWS-owned ones (Owner Amazon) or all, by type and name', async () => {
    await create({ Name: 'list-a' });
    await create({ Name: 'list-b', Content: YAML_AUTOMATION, DocumentFormat: 'YAML', DocumentType: 'Automation' });
    const names = async (filters: Array<{ Key: string; Values: string[] }>) => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await ssm.send(new ListDocumentsCommand({ Filters: filters, MaxResults: 2, NextToken: token }));
        out.push(...page.DocumentIdentifiers!.map((d) => `${d.Name}:${d.Owner}`));
        token = page.NextToken;
      } while (token);
      return out;
    };
    expect(await names([{ Key: 'Owner', Values: ['Self'] }, { Key: 'Name', Values: ['list-'] }])).toEqual(['list-a:000000000000', 'list-b:000000000000']);
    expect(await names([{ Key: 'Owner', Values: ['Amazon'] }])).toEqual(['AWS-ApplyPatchBaseline:Amazon', 'AWS-RunPatchBaseline:Amazon', 'AWS-RunPowerShellScript:Amazon', 'AWS-RunShellScript:Amazon']);
    expect(await names([{ Key: 'DocumentType', Values: ['Automation'] }])).toEqual(['doc-yaml:000000000000', 'list-b:000000000000']);
    const all = await names([]);
    expect(all).toContain('AWS-RunShellScript:Amazon');
    expect(all).toContain('list-a:000000000000');
    const { DocumentIdentifiers } = await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Name', Values: ['list-a'] }] }));
    expect(DocumentIdentifiers![0]).toMatchObject({ Name: 'list-a', Owner: '000000000000', PlatformTypes: ['Linux', 'MacOS'], DocumentVersion: '1', DocumentType: 'Command', SchemaVersion: '2.2', DocumentFormat: 'JSON', Tags: [] });
    const legacy = await ssm.send(new ListDocumentsCommand({ DocumentFilterList: [{ key: 'Name', value: 'list-a' }, { key: 'Owner', value: 'Self' }] }));
    expect(legacy.DocumentIdentifiers!.map((d) => d.Name)).toEqual(['list-a']);
    await expectSdkError(ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Colour', Values: ['red'] }] })), 'InvalidFilterKey');
    await expectSdkError(ssm.send(new ListDocumentsCommand({ NextToken: 'bogus' })), 'InvalidNextToken');
  });
});

describe('AWS-owned documents', () => {
  it('exist, read-only, with their parameters', async () => {
    const { Document } = await ssm.send(new DescribeDocumentCommand({ Name: 'AWS-RunShellScript' }));
    expect(Document).toMatchObject({ Name: 'AWS-RunShellScript', Owner: 'Amazon', DocumentType: 'Command', SchemaVersion: '2.2', PlatformTypes: ['Linux', 'MacOS'], Status: 'Active' });
    expect(Document!.Parameters!.map((p) => p.Name)).toEqual(['commands', 'workingDirectory', 'executionTimeout']);
    for (const name of ['AWS-RunPowerShellScript', 'AWS-RunPatchBaseline', 'AWS-ApplyPatchBaseline']) {
      const got = await ssm.send(new GetDocumentCommand({ Name: name }));
      expect(JSON.parse(got.Content!).parameters).toBeDefined();
    }
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'AWS-RunPatchBaseline' }))).Document!.Parameters!.map((p) => p.Name)).toEqual(['Operation', 'SnapshotId', 'InstallOverrideList', 'RebootOption']);
    await expectSdkError(ssm.send(new UpdateDocumentCommand({ Name: 'AWS-RunShellScript', Content: commandContent('x') })), 'InvalidDocument');
    await expectSdkError(ssm.send(new DeleteDocumentCommand({ Name: 'AWS-RunShellScript' })), 'InvalidDocument');
  });
});

describe('sharing', () => {
  it('ModifyDocumentPermission shares with accounts or with all, and DescribeDocumentPermission lists them', async () => {
    await create({ Name: 'doc-shared' });
    const describeShares = () => ssm.send(new DescribeDocumentPermissionCommand({ Name: 'doc-shared', PermissionType: 'Share' }));
    expect(await describeShares()).toMatchObject({ AccountIds: [], AccountSharingInfoList: [] });
    await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc-shared', PermissionType: 'Share', AccountIdsToAdd: ['111111111111', '222222222222'] }));
    expect(await describeShares()).toMatchObject({
      AccountIds: ['111111111111', '222222222222'],
      AccountSharingInfoList: [
        { AccountId: '111111111111', SharedDocumentVersion: '$DEFAULT' },
        { AccountId: '222222222222', SharedDocumentVersion: '$DEFAULT' },
      ],
    });
    await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc-shared', PermissionType: 'Share', AccountIdsToRemove: ['111111111111'] }));
    expect((await describeShares()).AccountIds).toEqual(['222222222222']);
    await expectSdkError(ssm.send(new DeleteDocumentCommand({ Name: 'doc-shared' })), 'InvalidDocumentOperation', /still shared/);
    await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc-shared', PermissionType: 'Share', AccountIdsToAdd: ['all'], SharedDocumentVersion: '$LATEST' }));
    expect((await describeShares()).AccountSharingInfoList).toEqual([{ AccountId: 'all', SharedDocumentVersion: '$LATEST' }]);
    await expectSdkError(
      ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc-shared', PermissionType: 'Share', AccountIdsToAdd: ['all', '333333333333'] })),
      'DocumentPermissionLimit',
      'Accounts can either be all or a group of AWS accounts',
    );
    await expectSdkError(ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc-shared', PermissionType: 'Share', AccountIdsToAdd: ['12'] })), 'ValidationException');
    await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc-shared', PermissionType: 'Share', AccountIdsToRemove: ['all'] }));
    expect((await describeShares()).AccountIds).toEqual([]);
    await ssm.send(new DeleteDocumentCommand({ Name: 'doc-shared' }));
  });
});

describe('tags', () => {
  it('AddTagsToResource, ListTagsForResource and RemoveTagsFromResource with ResourceType Document', async () => {
    await create({ Name: 'doc-tags' });
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Document', ResourceId: 'doc-tags', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Document', ResourceId: 'doc-tags', TagKeys: ['a'] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'doc-tags' }))).TagList).toEqual([{ Key: 'b', Value: '2' }]);
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'doc-tags' }))).Document!.Tags).toEqual([{ Key: 'b', Value: '2' }]);
    await expectSdkError(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'no-such-doc' })), 'InvalidResourceId');
    await expectSdkError(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Document', ResourceId: 'AWS-RunShellScript', Tags: [{ Key: 'a', Value: '1' }] })), 'InvalidResourceId');
  });
});
