/**
 * IAM's resources for the Resource Groups Tagging API (Provider.taggedResources), as AWS
 * documents them: "IAM users and roles can only be used in TagResources and UntagResources
 * operations. The GetResources operation does not currently support IAM users and roles."
 * So nothing is listed, and a user or role ARN (its path included) is tagged and untagged
 * with the rules of TagUser / TagRole (common.ts checkTags); any other ARN is an entity
 * IAM does not have.
 */
import { parseArn } from '../../aws/arns.js';
import { tagListOf } from '../../aws/tags.js';
import type { OperationContext, TaggedResources } from '../provider.js';
import { addTags, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type StoredRole, type StoredUser } from './state.js';

/** The user or role an ARN names in the caller's account, with where it is kept. */
function entityOf(iam: Iam, ctx: OperationContext, arn: string): { entity: StoredUser | StoredRole; collection: 'users' | 'roles'; key: string } {
  const parts = parseArn(arn);
  const type = parts?.resource.slice(0, parts.resource.indexOf('/'));
  if (parts && parts.service === 'iam' && parts.accountId === ctx.accountId && (type === 'user' || type === 'role')) {
    const key = keyOf(parts.resource.slice(parts.resource.lastIndexOf('/') + 1));
    const collection = type === 'user' ? 'users' : 'roles';
    const entity = iam.store.of(ctx)[collection][key];
    if (entity && entity.arn === arn) return { entity, collection, key };
  }
  throw iamError('NoSuchEntityException', `The entity ${arn} cannot be found.`);
}

/** Tag and untag IAM users and roles by ARN; GetResources lists none of them. */
export function iamTaggedResources(iam: Iam): TaggedResources {
  return {
    list: () => [],
    tag(ctx, arn, tags) {
      const { entity, collection, key } = entityOf(iam, ctx, arn);
      entity.tags = addTags(entity.tags, tagListOf(tags as Record<string, string>));
      iam.store.changed(ctx, collection, key);
    },
    untag(ctx, arn, keys) {
      const { entity, collection, key } = entityOf(iam, ctx, arn);
      for (const k of keys) delete entity.tags[k];
      iam.store.changed(ctx, collection, key);
    },
  };
}
