/**
 * SSM documents, maintenance windows and patch baselines through the Resource Groups Tagging
 * API (@aws-sdk/client-resource-groups-tagging-api): listed with their ARNs and types
 * (`ssm:document`, `ssm:maintenancewindow`, `ssm:patchbaseline`), tagged and untagged by ARN with
 * the same effect as SSM's own AddTagsToResource, and a missing resource reported per ARN.
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, TagResourcesCommand, UntagResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateDocumentCommand, CreateMaintenanceWindowCommand, CreatePatchBaselineCommand, ListTagsForResourceCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let ssm: SSMClient;
let tagging: ResourceGroupsTaggingAPIClient;
let windowId: string;
let baselineId: string;

const ARN = 'arn:aws:ssm:us-east-1:000000000000';

beforeAll(async () => {
  rt = await startRuntime();
  ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  tagging = new ResourceGroupsTaggingAPIClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  const content = JSON.stringify({ schemaVersion: '2.2', description: 'tagged', mainSteps: [] });
  await ssm.send(new CreateDocumentCommand({ Name: 'tagged-doc', Content: content, DocumentType: 'Command', Tags: [{ Key: 'team', Value: 'red' }] }));
  await ssm.send(new CreateDocumentCommand({ Name: 'untagged-doc', Content: content, DocumentType: 'Command' }));
  windowId = (await ssm.send(new CreateMaintenanceWindowCommand({ Name: 'tagged-window', Schedule: 'rate(1 day)', Duration: 2, Cutoff: 1, AllowUnassociatedTargets: false, Tags: [{ Key: 'team', Value: 'blue' }] }))).WindowId!;
  baselineId = (await ssm.send(new CreatePatchBaselineCommand({ Name: 'untagged-baseline' }))).BaselineId!;
  await ssm.send(new PutParameterCommand({ Name: '/tagged/param', Value: 'v', Type: 'String', Tags: [{ Key: 'team', Value: 'red' }] }));
});
afterAll(async () => {
  await rt?.stop();
});

describe('SSM operations resources in the Resource Groups Tagging API', () => {
  it('GetResources lists tagged documents and windows beside parameters, filtered by type and tag', async () => {
    const all = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ssm'] }));
    expect(all.ResourceTagMappingList).toEqual([
      { ResourceARN: `${ARN}:document/tagged-doc`, Tags: [{ Key: 'team', Value: 'red' }] },
      { ResourceARN: `${ARN}:maintenancewindow/${windowId}`, Tags: [{ Key: 'team', Value: 'blue' }] },
      { ResourceARN: `${ARN}:parameter/tagged/param`, Tags: [{ Key: 'team', Value: 'red' }] },
    ]);
    const documents = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ssm:document'] }));
    expect(documents.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([`${ARN}:document/tagged-doc`]);
    const red = await tagging.send(new GetResourcesCommand({ TagFilters: [{ Key: 'team', Values: ['red'] }], ResourceTypeFilters: ['ssm:document', 'ssm:maintenancewindow'] }));
    expect(red.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([`${ARN}:document/tagged-doc`]);
  });

  it('TagResources and UntagResources change what ListTagsForResource answers, and report a missing resource', async () => {
    const tagged = await tagging.send(
      new TagResourcesCommand({ ResourceARNList: [`${ARN}:patchbaseline/${baselineId}`, `${ARN}:document/untagged-doc`, `${ARN}:document/no-such-doc`], Tags: { env: 'dev' } }),
    );
    expect(Object.keys(tagged.FailedResourcesMap ?? {})).toEqual([`${ARN}:document/no-such-doc`]);
    expect(tagged.FailedResourcesMap![`${ARN}:document/no-such-doc`]).toMatchObject({ ErrorCode: 'InvalidParameterException' });
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'PatchBaseline', ResourceId: baselineId }))).TagList).toEqual([{ Key: 'env', Value: 'dev' }]);
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'untagged-doc' }))).TagList).toEqual([{ Key: 'env', Value: 'dev' }]);

    const untagged = await tagging.send(new UntagResourcesCommand({ ResourceARNList: [`${ARN}:maintenancewindow/${windowId}`], TagKeys: ['team'] }));
    expect(untagged.FailedResourcesMap ?? {}).toEqual({});
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'MaintenanceWindow', ResourceId: windowId }))).TagList).toEqual([]);
    const types = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ssm:patchbaseline', 'ssm:maintenancewindow'] }));
    expect(types.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([`${ARN}:patchbaseline/${baselineId}`]);
  });
});
