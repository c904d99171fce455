/**
 * AddTagsToResource, RemoveTagsFromResource and ListTagsForResource for the operations
 * resources (ResourceType Document, MaintenanceWindow, PatchBaseline), in front of Parameter
 * Store's handlers, which keep every other resource type (Parameter, and the InvalidResourceType
 * answer for types nothing here stores). Tags live on the resource, as a parameter's do.
 *
 * The same resources for the Resource Groups Tagging API (opsTaggedResources), beside the
 * parameters tagged-resources.ts offers: `ssm:document` (`arn:...:document/NAME`),
 * `ssm:maintenancewindow` (`arn:...:maintenancewindow/mw-...`) and `ssm:patchbaseline`
 * (`arn:...:patchbaseline/pb-...`).
 */
import { arnFor, parseArn } from '../../aws/arns.js';
import { removeTagKeys, tagListOf, tagMapOf, type Tag } from '../../aws/tags.js';
import type { OperationContext, TaggedResource, TaggedResources } from '../provider.js';
import type { SsmApi } from './api.generated.js';
import { ssmError } from './errors.js';
import { own, type Ops } from './ops-state.js';
import { mergeTags } from './validation.js';

type TagOperations = Pick<SsmApi, 'AddTagsToResource' | 'RemoveTagsFromResource' | 'ListTagsForResource'>;

const COLLECTIONS = { Document: 'documents', MaintenanceWindow: 'windows', PatchBaseline: 'baselines' } as const;

/** The ARN resource type (and tagging API type) of each collection. */
const ARN_TYPES = { documents: 'document', windows: 'maintenancewindow', baselines: 'patchbaseline' } as const;

function invalidResourceId(): Error {
  return ssmError('InvalidResourceId', "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
}

/** The tag handlers of `parameters`, extended to documents, maintenance windows and patch baselines. */
export function opsTagging(ops: Ops, parameters: TagOperations): TagOperations {
  /** The resource a tagging call names, or undefined when it is not one of ours. */
  function resource(ctx: OperationContext, type: string, id: string): { tags: Tag[]; path: [string, string] } | undefined {
    if (!Object.hasOwn(COLLECTIONS, type)) return undefined;
    const collection = COLLECTIONS[type as keyof typeof COLLECTIONS];
    const found = own<{ tags: Tag[] }>(ops.state(ctx)[collection], id);
    if (!found) throw invalidResourceId();
    return { tags: found.tags, path: [collection, id] };
  }

  function retag(ctx: OperationContext, type: string, id: string, tags: Tag[]): void {
    const collection = COLLECTIONS[type as keyof typeof COLLECTIONS];
    own<{ tags: Tag[] }>(ops.state(ctx)[collection], id)!.tags = tags;
    ops.changed(ctx, collection, id);
  }

  return {
    AddTagsToResource(ctx, input) {
      const r = resource(ctx, input.ResourceType, input.ResourceId);
      if (!r) return parameters.AddTagsToResource(ctx, input);
      retag(ctx, input.ResourceType, input.ResourceId, mergeTags(r.tags, input.Tags));
      return {};
    },
    RemoveTagsFromResource(ctx, input) {
      const r = resource(ctx, input.ResourceType, input.ResourceId);
      if (!r) return parameters.RemoveTagsFromResource(ctx, input);
      retag(ctx, input.ResourceType, input.ResourceId, r.tags.filter((t) => !input.TagKeys.includes(t.Key)));
      return {};
    },
    ListTagsForResource(ctx, input) {
      const r = resource(ctx, input.ResourceType, input.ResourceId);
      if (!r) return parameters.ListTagsForResource(ctx, input);
      return { TagList: r.tags.map((t) => ({ ...t })) };
    },
  };
}

/**
 * The tagging API's view of SSM: `parameters` (tagged-resources.ts) and the documents, windows
 * and baselines here, each tagged with AddTagsToResource's rules (at most 50 tags).
 */
export function opsTaggedResources(ops: Ops, parameters: TaggedResources): TaggedResources {
  /** The collection and id an ARN of ours names, or undefined when it names a parameter. */
  function target(ctx: OperationContext, arn: string): { tags: Tag[]; collection: keyof typeof ARN_TYPES; id: string } | undefined {
    const parsed = parseArn(arn);
    const slash = parsed?.resource.indexOf('/') ?? -1;
    const type = parsed && slash > 0 ? parsed.resource.slice(0, slash) : '';
    const collection = (Object.keys(ARN_TYPES) as Array<keyof typeof ARN_TYPES>).find((c) => ARN_TYPES[c] === type);
    if (!collection) return undefined;
    if (parsed!.region !== ctx.region || parsed!.accountId !== ctx.accountId) throw invalidResourceId();
    const id = parsed!.resource.slice(slash + 1);
    const found = own<{ tags: Tag[] }>(ops.store.peek(ctx.accountId, ctx.region)?.[collection] ?? {}, id);
    if (!found) throw invalidResourceId();
    return { tags: found.tags, collection, id };
  }

  function retag(ctx: OperationContext, t: { collection: keyof typeof ARN_TYPES; id: string }, tags: Tag[]): void {
    own<{ tags: Tag[] }>(ops.state(ctx)[t.collection], t.id)!.tags = tags;
    ops.changed(ctx, t.collection, t.id);
  }

  return {
    async list(accountId, region): Promise<Iterable<TaggedResource>> {
      const found: TaggedResource[] = [...(await parameters.list(accountId, region))];
      const state = ops.store.peek(accountId, region);
      for (const collection of state ? (Object.keys(ARN_TYPES) as Array<keyof typeof ARN_TYPES>) : []) {
        for (const [id, resource] of Object.entries(state![collection] as Record<string, { tags: Tag[] }>)) {
          if (resource.tags.length === 0) continue;
          found.push({ arn: arnFor({ accountId, region }, 'ssm', `${ARN_TYPES[collection]}/${id}`), type: ARN_TYPES[collection], tags: tagMapOf(resource.tags) });
        }
      }
      return found;
    },
    tag(ctx, arn, tags) {
      const t = target(ctx, arn);
      if (!t) return parameters.tag(ctx, arn, tags);
      retag(ctx, t, mergeTags(t.tags, tagListOf(tags)));
    },
    untag(ctx, arn, keys) {
      const t = target(ctx, arn);
      if (!t) return parameters.untag(ctx, arn, keys);
      retag(ctx, t, removeTagKeys(t.tags, keys));
    },
  };
}
