/**
 * SSM's resource type: AWS::SSM::Parameter (Ref: the parameter's name; GetAtt Type, Value; a
 * new parameter when Name changes). Tags are a JSON object of key to value, as the
 * CloudFormation schema writes them for this type; the stack's tags go under them.
 */
import { ServiceError } from '../../../aws/errors.js';
import type { ResourceContext, ResourceState, ResourceType } from './resource-type.js';

/** AWS::SSM::Parameter's properties. */
export interface ParameterProperties {
  Name?: string;
  Type: string;
  Value: string;
  Description?: string;
  Tier?: string;
  AllowedPattern?: string;
  DataType?: string;
  Policies?: string;
  Tags?: Record<string, string>;
}

function stateOf(name: string, props: ParameterProperties): ResourceState {
  return { physicalId: name, attributes: { Type: props.Type, Value: String(props.Value) } };
}

function put(ctx: ResourceContext, name: string, props: ParameterProperties, overwrite: boolean) {
  const tags = { ...ctx.stackTags, ...props.Tags };
  return ctx.call('ssm', 'PutParameter', {
    Name: name,
    Value: String(props.Value),
    Type: props.Type,
    ...(props.Description !== undefined ? { Description: props.Description } : {}),
    ...(props.Tier !== undefined ? { Tier: props.Tier } : {}),
    ...(props.AllowedPattern !== undefined ? { AllowedPattern: props.AllowedPattern } : {}),
    ...(props.DataType !== undefined ? { DataType: props.DataType } : {}),
    ...(props.Policies !== undefined ? { Policies: props.Policies } : {}),
    ...(overwrite ? { Overwrite: true } : Object.keys(tags).length ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value: String(Value) })) } : {}),
  });
}

export const parameter: ResourceType<ParameterProperties> = {
  type: 'AWS::SSM::Parameter',
  required: ['Type', 'Value'],
  createOnly: ['Name'],
  nameProperty: 'Name',
  attributes: ['Type', 'Value'],
  async create(ctx, props) {
    const name = props.Name ?? ctx.physicalName({ max: 2048 });
    await put(ctx, name, props, false);
    return stateOf(name, props);
  },
  async update(ctx, current, props) {
    const name = current.physicalId;
    await put(ctx, name, props, true);
    // the parameter's tags become the stack's and the template's, whatever they were
    const tags: Record<string, string> = { ...ctx.stackTags, ...props.Tags };
    const listed = await ctx.call('ssm', 'ListTagsForResource', { ResourceType: 'Parameter', ResourceId: name });
    const old: Record<string, string> = Object.fromEntries((listed.TagList ?? []).map((t) => [t.Key, t.Value]));
    const removed = Object.keys(old).filter((k) => !(k in tags));
    if (removed.length) await ctx.call('ssm', 'RemoveTagsFromResource', { ResourceType: 'Parameter', ResourceId: name, TagKeys: removed });
    const added = Object.entries(tags).filter(([k, v]) => old[k] !== v);
    if (added.length) await ctx.call('ssm', 'AddTagsToResource', { ResourceType: 'Parameter', ResourceId: name, Tags: added.map(([Key, Value]) => ({ Key, Value: String(Value) })) });
    return stateOf(name, props);
  },
  async delete(ctx, current) {
    try {
      await ctx.call('ssm', 'DeleteParameter', { Name: current.physicalId });
    } catch (error) {
      if (!(error instanceof ServiceError && error.code === 'ParameterNotFound')) throw error;
    }
  },
};

export const resourceTypes = [parameter];
