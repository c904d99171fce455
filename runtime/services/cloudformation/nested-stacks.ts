/**
 * Nested stacks (AWS::CloudFormation::Stack): a resource that is a stack of its own, its
 * template read from S3 (TemplateURL, through the in-process client), its Parameters given by
 * the parent. Creating, updating and deleting it runs the child's own deployment (the same
 * engine, its own events and status) and waits for it; the child names its parent and root
 * (ParentId, RootId). Ref answers the child's stack id, Fn::GetAtt `Outputs.<key>` its outputs.
 * A child that fails is rolled back (or deleted) and fails its resource with AWS's
 * "Embedded stack ... was not successfully created" reason.
 */
import { ResourceFailure } from './apply.js';
import { beginCreate, beginDelete, beginUpdate, checkTemplate, newStack } from './begin.js';
import type { Deployments } from './deploy.js';
import { templateText, type CfnDeps } from './language.js';
import { newStackId } from './records.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resources/resource-type.js';
import type { StoredStack } from './state.js';

/** AWS::CloudFormation::Stack's properties. */
export interface NestedStackProperties {
  TemplateURL: string;
  Parameters?: Record<string, PropertyValue>;
  NotificationARNs?: string[];
  Tags?: { Key: string; Value: string }[];
  TimeoutInMinutes?: number;
}

function parametersOf(props: NestedStackProperties): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(props.Parameters ?? {})) out[key] = Array.isArray(value) ? value.join(',') : String(value);
  return out;
}

function stateOf(stack: StoredStack): ResourceState {
  return { physicalId: stack.id, attributes: Object.fromEntries(stack.outputs.map((o) => [`Outputs.${o.key}`, o.value])) };
}

/** The resource type of nested stacks, over the provider's engine. */
export function nestedStackType(deps: CfnDeps, deployments: Deployments): ResourceType<NestedStackProperties> {
  const place = (ctx: ResourceContext) => ({ accountId: ctx.accountId, region: ctx.region });
  const now = () => deps.context.clock.now();

  async function deleteChild(ctx: ResourceContext, stack: StoredStack): Promise<void> {
    if (stack.status === 'DELETE_COMPLETE') return;
    await deployments.idleFor(stack.id);
    beginDelete(deps, deployments, place(ctx), stack, []);
    await deployments.idleFor(stack.id);
  }

  return {
    type: 'AWS::CloudFormation::Stack',
    required: ['TemplateURL'],
    async create(ctx, props) {
      const at = place(ctx);
      const state = deps.store.of(at);
      const parent = state.stacks[ctx.stackId];
      const body = await templateText(deps, at, { TemplateURL: props.TemplateURL });
      const name = ctx.physicalName({ max: 128 });
      const id = newStackId(at, name);
      const parameterInput = parametersOf(props);
      const checked = await checkTemplate(deps, at, body, { parameters: parameterInput, stackName: name, stackId: id, notificationArns: props.NotificationARNs ?? [], capabilities: parent?.capabilities });
      const stack = newStack({ id, name, templateBody: body, checked, parameterInput, capabilities: parent?.capabilities, notificationArns: props.NotificationARNs, tags: props.Tags, timeoutInMinutes: props.TimeoutInMinutes }, now(), 'CREATE_IN_PROGRESS');
      if (parent) Object.assign(stack, { parentId: parent.id, rootId: parent.rootId ?? parent.id });
      state.stacks[id] = stack;
      deps.store.saveStack(at, stack);
      beginCreate(deps, deployments, at, stack, checked.prepared, 'ROLLBACK');
      await deployments.idleFor(id);
      if (stack.status !== 'CREATE_COMPLETE') {
        const reason = stack.statusReason ?? stack.status;
        await deleteChild(ctx, stack);
        throw new ResourceFailure(`Embedded stack ${id} was not successfully created: ${reason}`);
      }
      return stateOf(stack);
    },
    async update(ctx, current, props) {
      const at = place(ctx);
      const stack = deps.store.of(at).stacks[current.physicalId];
      if (!stack) throw new ResourceFailure(`Embedded stack ${current.physicalId} does not exist`);
      const body = await templateText(deps, at, { TemplateURL: props.TemplateURL });
      const parameterInput = parametersOf(props);
      const checked = await checkTemplate(deps, at, body, { parameters: parameterInput, stackName: stack.name, stackId: stack.id, notificationArns: props.NotificationARNs ?? stack.notificationArns, capabilities: stack.capabilities });
      const sameParameters = JSON.stringify(checked.parameters.map((p) => [p.key, p.value])) === JSON.stringify(stack.parameters.map((p) => [p.key, p.value]));
      if (body === stack.templateBody && sameParameters) return stateOf(stack);
      beginUpdate(deps, deployments, at, stack, { templateBody: body, checked, parameterInput, tags: props.Tags }, false);
      await deployments.idleFor(stack.id);
      if (stack.status !== 'UPDATE_COMPLETE') throw new ResourceFailure(`Embedded stack ${stack.id} was not successfully updated. Currently in ${stack.status} with reason: ${stack.statusReason ?? ''}`);
      return stateOf(stack);
    },
    async delete(ctx, current) {
      const stack = deps.store.of(place(ctx)).stacks[current.physicalId];
      if (!stack) return;
      await deleteChild(ctx, stack);
      if (stack.status !== 'DELETE_COMPLETE') throw new ResourceFailure(`Embedded stack ${stack.id} was not successfully deleted: ${stack.statusReason ?? stack.status}`);
    },
  };
}
