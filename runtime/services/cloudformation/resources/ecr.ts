/**
 * ECR's resource type: AWS::ECR::Repository. Its Ref is the repository's name; GetAtt reads Arn
 * and RepositoryUri (the URI ECR answers, LocalStack's form here). A name the template does not
 * give is generated in lower case (ECR's names are). A new repository when RepositoryName or
 * EncryptionConfiguration change; tag mutability, scanning, the lifecycle policy, the repository
 * policy (RepositoryPolicyText, an object or JSON text) and tags change in place, a removed
 * policy is deleted. EmptyOnDelete forces the delete (which never meets an image here).
 */
import { bool, differs, ignoring, jsonText, tagList, tagsOf, type TagList } from './property-values.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resource-type.js';

/** AWS::ECR::Repository's properties. */
export interface RepositoryProperties {
  RepositoryName?: string;
  ImageTagMutability?: string;
  ImageScanningConfiguration?: { ScanOnPush?: boolean | string };
  EncryptionConfiguration?: { EncryptionType: string; KmsKey?: string };
  LifecyclePolicy?: { LifecyclePolicyText?: string; RegistryId?: string };
  RepositoryPolicyText?: PropertyValue;
  EmptyOnDelete?: boolean | string;
  Tags?: TagList;
}

const GONE = ['RepositoryNotFoundException'];

async function repositoryState(ctx: ResourceContext, name: string): Promise<ResourceState> {
  const [repository] = (await ctx.call('ecr', 'DescribeRepositories', { repositoryNames: [name] })).repositories ?? [];
  return { physicalId: name, attributes: { Arn: repository?.repositoryArn ?? '', RepositoryUri: repository?.repositoryUri ?? '' } };
}

async function setLifecyclePolicy(ctx: ResourceContext, name: string, text: string | undefined): Promise<void> {
  if (text !== undefined) await ctx.call('ecr', 'PutLifecyclePolicy', { repositoryName: name, lifecyclePolicyText: text });
  else await ignoring(['LifecyclePolicyNotFoundException'], () => ctx.call('ecr', 'DeleteLifecyclePolicy', { repositoryName: name }));
}

async function setRepositoryPolicy(ctx: ResourceContext, name: string, text: string | undefined): Promise<void> {
  if (text !== undefined) await ctx.call('ecr', 'SetRepositoryPolicy', { repositoryName: name, policyText: text });
  else await ignoring(['RepositoryPolicyNotFoundException'], () => ctx.call('ecr', 'DeleteRepositoryPolicy', { repositoryName: name }));
}

/** AWS::ECR::Repository. */
export const repository: ResourceType<RepositoryProperties> = {
  type: 'AWS::ECR::Repository',
  nameProperty: 'RepositoryName',
  createOnly: ['RepositoryName', 'EncryptionConfiguration'],
  attributes: ['Arn', 'RepositoryUri'],
  async create(ctx, props) {
    const name = props.RepositoryName ?? ctx.physicalName({ max: 256, lowerCase: true });
    const tags = tagsOf(ctx.stackTags, props.Tags);
    const encryption = props.EncryptionConfiguration;
    await ctx.call('ecr', 'CreateRepository', {
      repositoryName: name,
      ...(props.ImageTagMutability ? { imageTagMutability: props.ImageTagMutability } : {}),
      ...(props.ImageScanningConfiguration ? { imageScanningConfiguration: { scanOnPush: bool(props.ImageScanningConfiguration.ScanOnPush) ?? false } } : {}),
      ...(encryption ? { encryptionConfiguration: { encryptionType: encryption.EncryptionType, ...(encryption.KmsKey ? { kmsKey: encryption.KmsKey } : {}) } } : {}),
      ...(Object.keys(tags).length ? { tags: tagList(tags) } : {}),
    });
    try {
      if (props.LifecyclePolicy?.LifecyclePolicyText !== undefined) await setLifecyclePolicy(ctx, name, props.LifecyclePolicy.LifecyclePolicyText);
      if (props.RepositoryPolicyText !== undefined) await setRepositoryPolicy(ctx, name, jsonText(props.RepositoryPolicyText));
    } catch (error) {
      // a refused policy leaves no repository behind, as AWS's handler does
      await ignoring(GONE, () => ctx.call('ecr', 'DeleteRepository', { repositoryName: name, force: true }));
      throw error;
    }
    return repositoryState(ctx, name);
  },
  async update(ctx, current, props, previous) {
    const name = current.physicalId;
    if ((props.ImageTagMutability ?? 'MUTABLE') !== (previous.ImageTagMutability ?? 'MUTABLE')) {
      await ctx.call('ecr', 'PutImageTagMutability', { repositoryName: name, imageTagMutability: props.ImageTagMutability ?? 'MUTABLE' });
    }
    const scan = bool(props.ImageScanningConfiguration?.ScanOnPush) ?? false;
    if (scan !== (bool(previous.ImageScanningConfiguration?.ScanOnPush) ?? false)) {
      await ctx.call('ecr', 'PutImageScanningConfiguration', { repositoryName: name, imageScanningConfiguration: { scanOnPush: scan } });
    }
    if (props.LifecyclePolicy?.LifecyclePolicyText !== previous.LifecyclePolicy?.LifecyclePolicyText) await setLifecyclePolicy(ctx, name, props.LifecyclePolicy?.LifecyclePolicyText);
    if (differs(props.RepositoryPolicyText, previous.RepositoryPolicyText)) await setRepositoryPolicy(ctx, name, jsonText(props.RepositoryPolicyText));
    const { Arn } = (await repositoryState(ctx, name)).attributes;
    const tags = tagsOf(ctx.stackTags, props.Tags);
    const old = (await ctx.call('ecr', 'ListTagsForResource', { resourceArn: String(Arn) })).tags ?? [];
    const removed = old.filter((t) => !(t.Key in tags)).map((t) => t.Key);
    if (removed.length) await ctx.call('ecr', 'UntagResource', { resourceArn: String(Arn), tagKeys: removed });
    const added = tagList(tags).filter((t) => !old.some((o) => o.Key === t.Key && o.Value === t.Value));
    if (added.length) await ctx.call('ecr', 'TagResource', { resourceArn: String(Arn), tags: added });
    return repositoryState(ctx, name);
  },
  async delete(ctx, current, props) {
    await ignoring(GONE, () => ctx.call('ecr', 'DeleteRepository', { repositoryName: current.physicalId, ...(bool(props?.EmptyOnDelete) ? { force: true } : {}) }));
  },
};

/** This service's resource types, as resources/index.ts loads them. */
export const resourceTypes = [repository];
