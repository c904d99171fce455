/**
 * ECR tagging: TagResource, UntagResource, ListTagsForResource on repositories (by ARN), and the
 * tag checks CreateRepository shares. A string that is not a repository ARN is
 * InvalidParameterException ("Invalid ARN"), a repository ARN of another registry or of a
 * repository that does not exist RepositoryNotFoundException; more than 50 tags
 * TooManyTagsException; an `aws:` key or a malformed tag InvalidTagParameterException.
 * Repositories are offered to the Resource Groups Tagging API (`ecr:repository`) with the same rules.
 */
import { parseArn } from '../../aws/arns.js';
import { findTagViolation, mergeTags, removeTagKeys, tagListOf, tagMapOf, type Tag, type TagMap } from '../../aws/tags.js';
import type { OperationContext, TaggedResource, TaggedResources } from '../provider.js';
import type { EcrApi } from './api.generated.js';
import { ecrError, invalidParameter, repositoryNotFound } from './errors.js';
import type { EcrStateAccess, StoredRepository } from './state.js';

/** `tags` merged over `existing` and checked as ECR checks them, as a map. */
export function checkTags(tags: readonly Tag[], existing: TagMap = {}): TagMap {
  const merged = mergeTags(tagListOf(existing), tags);
  const violation = findTagViolation(tags.filter((t, i) => tags.findIndex((u) => u.Key === t.Key) === i));
  if (merged.length > 50 || violation?.rule === 'too-many') throw ecrError('TooManyTagsException', 'Tag limit exceeded: a repository can have at most 50 tags');
  if (violation?.rule === 'reserved-prefix') throw ecrError('InvalidTagParameterException', "Invalid parameter at 'tags' failed to satisfy constraint: 'Tag keys cannot start with the reserved prefix aws:'");
  if (violation) throw ecrError('InvalidTagParameterException', "Invalid parameter at 'tags' failed to satisfy constraint: 'Tag keys and values must match the allowed characters and lengths'");
  return tagMapOf(merged);
}

function repositoryByArn(state: EcrStateAccess, ctx: OperationContext, text: string): StoredRepository {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'ecr' || !arn.resource.startsWith('repository/')) throw invalidParameter('resourceArn', 'Invalid ARN');
  const name = arn.resource.slice('repository/'.length);
  const repository = arn.accountId === ctx.accountId && arn.region === ctx.region ? state.of(ctx).repositories[name] : undefined;
  if (!repository) throw repositoryNotFound(name, arn.accountId);
  return repository;
}

/** The tagging handlers. */
export function tagOperations(state: EcrStateAccess) {
  return {
    TagResource(ctx, input) {
      const repository = repositoryByArn(state, ctx, input.resourceArn);
      repository.tags = checkTags(input.tags, repository.tags);
      state.changed(ctx, repository.name);
      return {};
    },
    UntagResource(ctx, input) {
      const repository = repositoryByArn(state, ctx, input.resourceArn);
      repository.tags = tagMapOf(removeTagKeys(tagListOf(repository.tags), input.tagKeys));
      state.changed(ctx, repository.name);
      return {};
    },
    ListTagsForResource(ctx, input) {
      return { tags: tagListOf(repositoryByArn(state, ctx, input.resourceArn).tags) };
    },
  } satisfies Partial<EcrApi>;
}

/** Repositories for the Resource Groups Tagging API, with TagResource's rules. */
export function ecrTaggedResources(state: EcrStateAccess): TaggedResources {
  return {
    *list(accountId, region): Iterable<TaggedResource> {
      for (const repository of Object.values(state.peek(accountId, region)?.repositories ?? {})) {
        if (Object.keys(repository.tags).length > 0) yield { arn: repository.arn, type: 'repository', tags: repository.tags };
      }
    },
    tag(ctx, arn, tags) {
      const repository = repositoryByArn(state, ctx, arn);
      repository.tags = checkTags(tagListOf(tags), repository.tags);
      state.changed(ctx, repository.name);
    },
    untag(ctx, arn, keys) {
      const repository = repositoryByArn(state, ctx, arn);
      repository.tags = tagMapOf(removeTagKeys(tagListOf(repository.tags), keys));
      state.changed(ctx, repository.name);
    },
  };
}
