/**
 * SSM patch baselines through @aws-sdk/client-ssm against the real runtime: AWS's predefined
 * baselines, the account's own, patch groups, default baselines, tags and errors.
 */
import {
  CreatePatchBaselineCommand,
  DeletePatchBaselineCommand,
  DeregisterPatchBaselineForPatchGroupCommand,
  DescribePatchBaselinesCommand,
  DescribePatchGroupsCommand,
  GetDefaultPatchBaselineCommand,
  GetPatchBaselineCommand,
  GetPatchBaselineForPatchGroupCommand,
  ListTagsForResourceCommand,
  RegisterDefaultPatchBaselineCommand,
  RegisterPatchBaselineForPatchGroupCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UpdatePatchBaselineCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// AWS's predefined Amazon Linux 2 and Windows baselines in us-east-1
const AL2_DEFAULT = 'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0be8c61cde3be63f3';
const WINDOWS_DEFAULT = 'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-09ca3fb51f0412ec3';

const rules = { PatchRules: [{ PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION' as const, Values: ['Security'] }] }, ApproveAfterDays: 7, ComplianceLevel: 'HIGH' as const }] };

describe("AWS's predefined baselines", () => {
  it('are listed with Owner AWS, one default per operating system, and are the defaults', async () => {
    const { BaselineIdentities } = await ssm.send(new DescribePatchBaselinesCommand({ Filters: [{ Key: 'OWNER', Values: ['AWS'] }] }));
    expect(BaselineIdentities).toHaveLength(15);
    expect(BaselineIdentities!.find((b) => b.OperatingSystem === 'AMAZON_LINUX_2')).toEqual({
      BaselineId: AL2_DEFAULT,
      BaselineName: 'AWS-AmazonLinux2DefaultPatchBaseline',
      OperatingSystem: 'AMAZON_LINUX_2',
      BaselineDescription: 'Default Patch Baseline for Amazon Linux 2 Provided by AWS.',
      DefaultBaseline: true,
    });
    expect(await ssm.send(new GetDefaultPatchBaselineCommand({}))).toMatchObject({ BaselineId: WINDOWS_DEFAULT, OperatingSystem: 'WINDOWS' });
    expect(await ssm.send(new GetPatchBaselineCommand({ BaselineId: AL2_DEFAULT }))).toMatchObject({ BaselineId: AL2_DEFAULT, Name: 'AWS-AmazonLinux2DefaultPatchBaseline', OperatingSystem: 'AMAZON_LINUX_2', PatchGroups: [] });
    const first = await ssm.send(new DescribePatchBaselinesCommand({ MaxResults: 10 }));
    const rest = await ssm.send(new DescribePatchBaselinesCommand({ MaxResults: 10, NextToken: first.NextToken }));
    expect(first.BaselineIdentities).toHaveLength(10);
    expect([...first.BaselineIdentities!, ...rest.BaselineIdentities!].map((b) => b.BaselineId)).toEqual(expect.arrayContaining(BaselineIdentities!.map((b) => b.BaselineId)));
    const other = new SSMClient({ ...clientConfig(rt.endpoint), region: 'eu-west-1', maxAttempts: 1 });
    expect((await other.send(new GetDefaultPatchBaselineCommand({ OperatingSystem: 'UBUNTU' }))).BaselineId).toMatch(/^arn:aws:ssm:eu-west-1:\d{12}:patchbaseline\/pb-[0-9a-f]{17}$/);
  });
});

describe("the account's baselines", () => {
  it('CreatePatchBaseline, GetPatchBaseline, UpdatePatchBaseline, DeletePatchBaseline', async () => {
    const { BaselineId } = await ssm.send(
      new CreatePatchBaselineCommand({ Name: 'al2-security', OperatingSystem: 'AMAZON_LINUX_2', ApprovalRules: rules, Description: 'security only', ApprovedPatches: ['kernel'], Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    expect(BaselineId).toMatch(/^pb-[0-9a-f]{17}$/);
    const got = await ssm.send(new GetPatchBaselineCommand({ BaselineId }));
    expect(got).toMatchObject({
      BaselineId,
      Name: 'al2-security',
      OperatingSystem: 'AMAZON_LINUX_2',
      GlobalFilters: { PatchFilters: [] },
      ApprovalRules: rules,
      ApprovedPatches: ['kernel'],
      ApprovedPatchesComplianceLevel: 'UNSPECIFIED',
      ApprovedPatchesEnableNonSecurity: false,
      RejectedPatches: [],
      RejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
      PatchGroups: [],
      Description: 'security only',
      Sources: [],
    });
    expect(got.CreatedDate).toBeInstanceOf(Date);
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'PatchBaseline', ResourceId: BaselineId }))).TagList).toEqual([{ Key: 'env', Value: 'prod' }]);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'PatchBaseline', ResourceId: BaselineId!, TagKeys: ['env'] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'PatchBaseline', ResourceId: BaselineId }))).TagList).toEqual([]);

    const updated = await ssm.send(new UpdatePatchBaselineCommand({ BaselineId, RejectedPatches: ['telnet'], RejectedPatchesAction: 'BLOCK' }));
    expect(updated).toMatchObject({ BaselineId, Name: 'al2-security', RejectedPatches: ['telnet'], RejectedPatchesAction: 'BLOCK', ApprovedPatches: ['kernel'], Description: 'security only' });
    expect(updated).not.toHaveProperty('PatchGroups');
    const replaced = await ssm.send(new UpdatePatchBaselineCommand({ BaselineId, Replace: true, Name: 'al2-replaced' }));
    expect(replaced).toMatchObject({ Name: 'al2-replaced', ApprovedPatches: [], RejectedPatches: [], ApprovalRules: { PatchRules: [] } });
    expect(replaced.Description).toBeUndefined();

    const mine = await ssm.send(new DescribePatchBaselinesCommand({ Filters: [{ Key: 'OWNER', Values: ['Self'] }, { Key: 'NAME_PREFIX', Values: ['al2-'] }] }));
    expect(mine.BaselineIdentities).toEqual([{ BaselineId, BaselineName: 'al2-replaced', OperatingSystem: 'AMAZON_LINUX_2', DefaultBaseline: false }]);

    expect(await ssm.send(new DeletePatchBaselineCommand({ BaselineId }))).toMatchObject({ BaselineId });
    await expectSdkError(ssm.send(new GetPatchBaselineCommand({ BaselineId })), 'DoesNotExistException', `Patch Baseline ${BaselineId} does not exist.`);
    await expectSdkError(ssm.send(new UpdatePatchBaselineCommand({ BaselineId, Name: 'x1234' })), 'DoesNotExistException');
    await expectSdkError(ssm.send(new DescribePatchBaselinesCommand({ Filters: [{ Key: 'COLOUR', Values: ['x'] }] })), 'ValidationException');
  });
});

describe('patch groups and defaults', () => {
  it('registers baselines for patch groups per operating system', async () => {
    const al2 = (await ssm.send(new CreatePatchBaselineCommand({ Name: 'pg-al2', OperatingSystem: 'AMAZON_LINUX_2' }))).BaselineId!;
    const al2b = (await ssm.send(new CreatePatchBaselineCommand({ Name: 'pg-al2-other', OperatingSystem: 'AMAZON_LINUX_2' }))).BaselineId!;
    const win = (await ssm.send(new CreatePatchBaselineCommand({ Name: 'pg-win' }))).BaselineId!;
    expect(await ssm.send(new RegisterPatchBaselineForPatchGroupCommand({ BaselineId: al2, PatchGroup: 'web' }))).toMatchObject({ BaselineId: al2, PatchGroup: 'web' });
    await ssm.send(new RegisterPatchBaselineForPatchGroupCommand({ BaselineId: win, PatchGroup: 'web' }));
    await expectSdkError(
      ssm.send(new RegisterPatchBaselineForPatchGroupCommand({ BaselineId: al2b, PatchGroup: 'web' })),
      'AlreadyExistsException',
      'Patch Group baseline already has a baseline registered for OperatingSystem AMAZON_LINUX_2.',
    );
    await expectSdkError(ssm.send(new RegisterPatchBaselineForPatchGroupCommand({ BaselineId: 'pb-00000000000000000', PatchGroup: 'web' })), 'DoesNotExistException');

    expect(await ssm.send(new GetPatchBaselineForPatchGroupCommand({ PatchGroup: 'web', OperatingSystem: 'AMAZON_LINUX_2' }))).toMatchObject({ BaselineId: al2, PatchGroup: 'web', OperatingSystem: 'AMAZON_LINUX_2' });
    expect((await ssm.send(new GetPatchBaselineForPatchGroupCommand({ PatchGroup: 'db', OperatingSystem: 'AMAZON_LINUX_2' }))).BaselineId).toBe(AL2_DEFAULT);
    expect((await ssm.send(new GetPatchBaselineCommand({ BaselineId: al2 }))).PatchGroups).toEqual(['web']);

    const { Mappings } = await ssm.send(new DescribePatchGroupsCommand({}));
    expect(Mappings!.map((m) => [m.PatchGroup, m.BaselineIdentity!.BaselineId, m.BaselineIdentity!.OperatingSystem])).toEqual([
      ['web', al2, 'AMAZON_LINUX_2'],
      ['web', win, 'WINDOWS'],
    ]);
    const filtered = await ssm.send(new DescribePatchGroupsCommand({ Filters: [{ Key: 'OPERATING_SYSTEM', Values: ['WINDOWS'] }] }));
    expect(filtered.Mappings!.map((m) => m.BaselineIdentity!.BaselineId)).toEqual([win]);

    await expectSdkError(ssm.send(new DeletePatchBaselineCommand({ BaselineId: al2 })), 'ResourceInUseException');
    expect(await ssm.send(new DeregisterPatchBaselineForPatchGroupCommand({ BaselineId: al2, PatchGroup: 'web' }))).toMatchObject({ BaselineId: al2, PatchGroup: 'web' });
    await expectSdkError(ssm.send(new DeregisterPatchBaselineForPatchGroupCommand({ BaselineId: al2, PatchGroup: 'web' })), 'InvalidResourceId');
    await ssm.send(new DeletePatchBaselineCommand({ BaselineId: al2 }));
  });

  it('RegisterDefaultPatchBaseline makes a baseline the default for its operating system', async () => {
    const { BaselineId } = await ssm.send(new CreatePatchBaselineCommand({ Name: 'default-ubuntu', OperatingSystem: 'UBUNTU' }));
    expect(await ssm.send(new RegisterDefaultPatchBaselineCommand({ BaselineId }))).toEqual(expect.objectContaining({ BaselineId }));
    expect(await ssm.send(new GetDefaultPatchBaselineCommand({ OperatingSystem: 'UBUNTU' }))).toMatchObject({ BaselineId, OperatingSystem: 'UBUNTU' });
    const ubuntu = await ssm.send(new DescribePatchBaselinesCommand({ Filters: [{ Key: 'OPERATING_SYSTEM', Values: ['UBUNTU'] }] }));
    expect(ubuntu.BaselineIdentities!.filter((b) => b.DefaultBaseline).map((b) => b.BaselineId)).toEqual([BaselineId]);
    await expectSdkError(ssm.send(new DeletePatchBaselineCommand({ BaselineId })), 'ResourceInUseException');
    await expectSdkError(ssm.send(new RegisterDefaultPatchBaselineCommand({ BaselineId: 'pb-00000000000000000' })), 'DoesNotExistException');
  });
});
