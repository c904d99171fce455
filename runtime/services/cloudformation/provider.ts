/**
 * AWS CloudFormation (`cloudformation`, query).
 *
 * Files by concern: state.ts (stacks by id with their resources, events, change sets,
 * exports), stacks.ts, events.ts, resources-ops.ts, change-sets.ts (+ changes.ts, the diff a
 * change set shows), templates-ops.ts, exports.ts (the operations); begin.ts (checking a
 * template and starting an operation), deploy.ts (the engine: the status machine, parallel
 * creation in dependency order, replacement, rollback, deletion), apply.ts (one resource
 * through its type), outputs.ts (outputs and exports), validation.ts (unknown types,
 * capabilities, attributes), records.ts (lookups, statuses and events), language.ts (the
 * template language, injectable, and the request's template, parameters and pseudo
 * parameters). The template language is template/; resource types are resources/.
 *
 * Deployments run in the background as promises this provider owns (`Deployments`); the state
 * is written at every status change, and a stack found in progress at start (the runtime
 * stopped mid-deployment) is settled to the failed status AWS would leave.
 *
 * Nested stacks (nested-stacks.ts) run the same engine on a child stack whose template is read
 * from S3. Custom resources (custom-resources.ts) publish their requests to their SNS ServiceToken and
 * wait for the answer at a developer endpoint of this provider (the request's ResponseURL).
 *
 * LIMITATIONS: not emulated yet: custom resources backed by Lambda (until Lambda exists),
 * resource import, stack sets, drift detection, hooks, CancelUpdateStack (updates finish in
 * milliseconds), stack policies' effect (stored only), rollback triggers, TimeoutInMinutes,
 * RoleARN (stored only; calls are made as CloudFormation), the `aws:cloudformation:*` tags on
 * resources. A change set is computed when it is created (CREATE_COMPLETE at once).
 * RollbackStack after repeated failed updates returns to the state before the last one.
 * ContinueUpdateRollback leaves what failed to roll back as it is. Missing operations answer
 * 501 InternalFailure naming them.
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { CloudformationApi } from './api.generated.js';
import { changeSetOperations } from './change-sets.js';
import { Deployments, settleInterrupted } from './deploy.js';
import { eventOperations } from './events.js';
import { exportOperations } from './exports.js';
import { TEMPLATE_LANGUAGE, type CfnDeps, type TemplateLanguage } from './language.js';
import { resourceOperations } from './resources-ops.js';
import { resourceType as knownResourceType } from './resources/index.js';
import type { ResourceType } from './resources/resource-type.js';
import { stackOperations } from './stacks.js';
import { declareState } from './state.js';
import { CustomResponses, customResourceType, customResponseEndpoint, RESPONSES_PATH } from './custom-resources.js';
import { isCustomResource } from './validation.js';
import { nestedStackType } from './nested-stacks.js';
import { templateOperations } from './templates-ops.js';

/** What a test may replace: the template language and the resource types. */
export interface CloudformationOptions {
  readonly language?: TemplateLanguage;
  readonly resourceType?: (type: string) => Promise<ResourceType | undefined>;
}

/** The provider, with its template language and resource types injectable. */
export function createCloudformationProvider(context: ProviderContext, options: CloudformationOptions = {}): Provider & { readonly deployments: Deployments } {
  const responses = new CustomResponses(context.scheduler);
  const custom = { responses, responseUrl: (token: string) => `http://${context.config.localstackHost}/_aws/cloudformation${RESPONSES_PATH}${token}` };
  const known = options.resourceType ?? knownResourceType;
  const deployments = new Deployments();
  const deps: CfnDeps = {
    store: declareState(context),
    context,
    language: options.language ?? TEMPLATE_LANGUAGE,
    resourceType: async (type) => {
      if (isCustomResource(type)) return customResourceType(type, custom);
      if (type === 'AWS::CloudFormation::Stack') return nestedStackType(deps, deployments) as unknown as ResourceType;
      return known(type);
    },
  };
  const operations = {
    ...stackOperations(deps, deployments),
    ...eventOperations(deps),
    ...resourceOperations(deps),
    ...changeSetOperations(deps, deployments),
    ...templateOperations(deps),
    ...exportOperations(deps),
  } satisfies Partial<CloudformationApi>;
  const settle = () => settleInterrupted(deps.store, () => context.clock.now());
  return {
    operations,
    deployments,
    developerEndpoint: customResponseEndpoint(responses),
    start: () => {
      deployments.stopping = false;
      settle();
    },
    stop: () => {
      deployments.stopping = true;
    },
    stateChanged: (event) => {
      if (event === 'loaded') settle();
    },
  };
}

export function createProvider(context: ProviderContext): Provider {
  return createCloudformationProvider(context);
}
