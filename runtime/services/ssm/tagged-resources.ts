/**
 * SSM's tagged resources for the Resource Groups Tagging API (Provider.taggedResources):
 * parameters (`ssm:parameter`, `arn:<partition>:ssm:<region>:<account>:parameter/<name>`),
 * tagged with the rules of AddTagsToResource (at most 50 tags: TooManyTagsError), an unknown
 * parameter answered as AddTagsToResource answers it (InvalidResourceId).
 *
 * Parameters only: the other resource types SSM tags (documents, maintenance windows, patch
 * baselines) join them in ops-tagging.ts (opsTaggedResources), which provider.ts hands on.
 */
import { arnFor, parseArn } from '../../aws/arns.js';
import { removeTagKeys, tagListOf, tagMapOf } from '../../aws/tags.js';
import type { AccountRegionStore } from '../../state/store.js';
import type { OperationContext, TaggedResource, TaggedResources } from '../provider.js';
import { ssmError } from './errors.js';
import { findParameter, type SsmState, type StoredParameter } from './parameters.js';
import { mergeTags } from './validation.js';

function invalidResourceId(): Error {
  return ssmError('InvalidResourceId', "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
}

export function ssmTaggedResources(store: AccountRegionStore<SsmState>): TaggedResources {
  /** The caller's parameter an ARN names: `parameter/a/b` is `/a/b`, `parameter/x` is `/x` or `x`. */
  function parameterOf(ctx: OperationContext, arn: string): StoredParameter {
    const parsed = parseArn(arn);
    if (!parsed || parsed.region !== ctx.region || parsed.accountId !== ctx.accountId || !parsed.resource.startsWith('parameter/')) throw invalidResourceId();
    const rest = parsed.resource.slice('parameter/'.length);
    const state = store.get(ctx.accountId, ctx.region);
    const found = findParameter(state, `/${rest}`) ?? (rest.includes('/') ? undefined : findParameter(state, rest));
    if (!found) throw invalidResourceId();
    return found;
  }

  return {
    *list(accountId, region): Iterable<TaggedResource> {
      const state = store.peek(accountId, region);
      if (!state) return;
      for (const parameter of Object.values(state.parameters)) {
        if (parameter.tags.length === 0) continue;
        const resource = parameter.name.startsWith('/') ? parameter.name.slice(1) : parameter.name;
        yield { arn: arnFor({ accountId, region }, 'ssm', `parameter/${resource}`), type: 'parameter', tags: tagMapOf(parameter.tags) };
      }
    },
    tag(ctx, arn, tags) {
      const parameter = parameterOf(ctx, arn);
      parameter.tags = mergeTags(parameter.tags, tagListOf(tags));
      store.changed(ctx.accountId, ctx.region, 'parameters', parameter.name);
    },
    untag(ctx, arn, keys) {
      const parameter = parameterOf(ctx, arn);
      parameter.tags = removeTagKeys(parameter.tags, keys);
      store.changed(ctx.accountId, ctx.region, 'parameters', parameter.name);
    },
  };
}
