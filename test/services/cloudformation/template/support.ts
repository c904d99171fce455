/**
 * What the template tests share: a stack's pseudo parameters, resolvers reading a table of
 * SSM parameters and secrets, refs answering for resources as the engine would (physical id
 * `<id>-physical`, attribute `<id>.<attribute>`), and a helper that returns a thrown error's
 * code and message.
 */
import { ServiceError } from '../../../../runtime/aws/errors.js';
import type { PropertyValue } from '../../../../runtime/services/cloudformation/resources/resource-type.js';
import {
  parseTemplate,
  prepareTemplate,
  resolveValue,
  type PreparedTemplate,
  type PseudoParameters,
  type ResourceRefs,
  type TemplateResolvers,
} from '../../../../runtime/services/cloudformation/template/index.js';

export const PSEUDO: PseudoParameters = {
  accountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
  stackName: 'demo',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/demo/6a8d0f70-0000-11ee-8000-0a1b2c3d4e5f',
  notificationArns: ['arn:aws:sns:us-east-1:123456789012:a', 'arn:aws:sns:us-east-1:123456789012:b'],
};

/** Resolvers over fixed tables; every call is recorded in `calls`. */
export function resolvers(ssm: Record<string, string> = {}, secrets?: Record<string, string>): TemplateResolvers & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async ssmParameter(name: string) {
      calls.push(`ssm:${name}`);
      const value = ssm[name];
      if (value === undefined) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
      return value;
    },
    ...(secrets
      ? {
          async secret(reference: string) {
            calls.push(`secret:${reference}`);
            const value = secrets[reference];
            if (value === undefined) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
            return value;
          },
        }
      : {}),
  };
}

/** Refs as the engine answers them once resources exist. */
export const REFS: ResourceRefs = {
  ref: (id) => `${id}-physical`,
  getAtt: (id, attribute) => (attribute === 'Ipv6CidrBlocks' ? ['2001:db8:1234:1a00::/56'] : attribute === 'CidrBlock' ? '10.0.0.0/16' : `${id}.${attribute}`),
  importValue: (name) => {
    if (name === 'AccountSubnetIDs') return 'subnet-1,subnet-2,subnet-3';
    if (name === 'missing') throw new ServiceError('ValidationError', `No export named ${name} found.`);
    return `imported:${name}`;
  },
  availabilityZones: (region) => ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
};

/** Parses and prepares `body` with `parameters`. */
export async function prepare(body: string, parameters: Record<string, string> = {}, ssm: Record<string, string> = {}): Promise<PreparedTemplate> {
  return prepareTemplate(parseTemplate(body), { parameters, pseudo: PSEUDO, resolvers: resolvers(ssm) });
}

/** Prepares `body` and resolves resource `R`'s property `P`. */
export async function resolved(body: string, parameters: Record<string, string> = {}): Promise<PropertyValue | undefined> {
  const prepared = await prepare(body, parameters);
  return (resolveValue(prepared.resources.get('R')!.properties, prepared, REFS) as Record<string, PropertyValue>).P;
}

/** The code and message of what `run` throws (or rejects with); undefined when it does not. */
export async function failure(run: () => unknown): Promise<{ code: string; message: string } | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (error instanceof ServiceError) return { code: error.code, message: error.message };
    throw error;
  }
}
