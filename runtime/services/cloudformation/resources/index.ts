/**
 * Which resource types the engine knows, and where each service's are: the namespace of the
 * type (`AWS::SQS`) to its module in this folder, loaded with the first stack that uses one.
 * A type not listed fails its stack as AWS fails an unknown type (or is skipped with a warning
 * under CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES=1).
 */
import type { ResourceType, ResourceTypeModule } from './resource-type.js';

/** `AWS::<Service>` to the module holding that service's resource types. */
export const RESOURCE_MODULES: Readonly<Record<string, () => Promise<ResourceTypeModule>>> = {
  'AWS::CDK': () => import('./cdk.js'),
  'AWS::SQS': () => import('./sqs.js'),
  'AWS::SSM': () => import('./ssm.js'),
};

/** The resource type named `type`, or undefined when none here emulates it. */
export async function resourceType(type: string): Promise<ResourceType | undefined> {
  const namespace = type.split('::').slice(0, 2).join('::');
  const load = RESOURCE_MODULES[namespace];
  if (!load) return undefined;
  return (await load()).resourceTypes.find((t) => t.type === type) as ResourceType | undefined;
}
