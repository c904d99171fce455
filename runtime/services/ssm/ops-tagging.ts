/**
 * AddTagsToResource, RemoveTagsFromResource and ListTagsForResource for the operations
 * resources (ResourceType Document, MaintenanceWindow, PatchBaseline), in front of Parameter
 * Store's handlers, which keep every other resource type (Parameter, and the InvalidResourceType
 * answer for types nothing here stores). Tags live on the resource, as a parameter's do.
 */
import type { Tag } from '../../aws/tags.js';
import type { OperationContext } from '../provider.js';
import type { SsmApi } from './api.generated.js';
import { ssmError } from './errors.js';
import { own, type Ops } from './ops-state.js';
import { mergeTags } from './validation.js';

type TagOperations = Pick<SsmApi, 'AddTagsToResource' | 'RemoveTagsFromResource' | 'ListTagsForResource'>;

const COLLECTIONS = { Document: 'documents', MaintenanceWindow: 'windows', PatchBaseline: 'baselines' } as const;

/** The tag handlers of `parameters`, extended to documents, maintenance windows and patch baselines. */
export function opsTagging(ops: Ops, parameters: TagOperations): TagOperations {
  /** The resource a tagging call names, or undefined when it is not one of ours. */
  function resource(ctx: OperationContext, type: string, id: string): { tags: Tag[]; path: [string, string] } | undefined {
    if (!Object.hasOwn(COLLECTIONS, type)) return undefined;
    const collection = COLLECTIONS[type as keyof typeof COLLECTIONS];
    const found = own<{ tags: Tag[] }>(ops.state(ctx)[collection], id);
    if (!found) throw ssmError('InvalidResourceId', "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
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
