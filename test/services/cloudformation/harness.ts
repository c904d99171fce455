/**
 * The CloudFormation engine's tests, apart from the template language (template/, tested on its
 * own; test/services/cloudformation/end-to-end.test.ts runs both together): the provider takes
 * its template language as one injectable object, and these tests hand it a stand-in written
 * here for JSON templates with Parameters (Default, NoEcho), Ref, Fn::GetAtt, Fn::Join,
 * Fn::ImportValue, DependsOn, DeletionPolicy and Outputs with Export, so that a failure points at
 * the engine. Everything else (the engine, the operations, the resource types, SQS, SSM, SNS,
 * S3) is the real code, in a runtime started in this process and driven by the SDK over a socket.
 */
import { ServiceError } from '../../../runtime/aws/errors.js';
import { createCloudformationProvider, type CloudformationOptions } from '../../../runtime/services/cloudformation/provider.js';
import type { TemplateLanguage } from '../../../runtime/services/cloudformation/language.js';
import type { PropertyValue, ResourceType } from '../../../runtime/services/cloudformation/resources/resource-type.js';
import { resourceType } from '../../../runtime/services/cloudformation/resources/index.js';
import type { PlannedResource, PreparedTemplate, PseudoParameters, Template } from '../../../runtime/services/cloudformation/template/index.js';
import { PROVIDERS, type ProviderRegistry } from '../../../runtime/services/registry.js';

const invalid = (message: string) => new ServiceError('ValidationError', message, { status: 400 });

/** The pseudo parameters each prepared template was made with. */
const pseudoOf = new WeakMap<PreparedTemplate, PseudoParameters>();

/** Every logical id a value refers to through Ref or Fn::GetAtt. */
function references(value: PropertyValue | undefined, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) references(v, into);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') into.add(v);
      else if (k === 'Fn::GetAtt' && Array.isArray(v)) into.add(String(v[0]));
      else references(v, into);
    }
  }
  return into;
}

/** The stand-in template language. */
export const STAND_IN: TemplateLanguage = {
  parseTemplate(body) {
    let parsed: Template;
    try {
      parsed = JSON.parse(body) as Template;
    } catch {
      throw invalid('Template format error: JSON not well-formed.');
    }
    if (!parsed.Resources || typeof parsed.Resources !== 'object') throw invalid('Template format error: At least one Resources member must be defined.');
    return parsed;
  },
  async prepareTemplate(template, options) {
    const parameters = Object.entries(template.Parameters ?? {}).map(([key, p]) => {
      const value = options.parameters[key] ?? (p['Default'] === undefined ? undefined : String(p['Default']));
      if (value === undefined) throw invalid(`Parameters: [${key}] must have values`);
      return { key, value, noEcho: p['NoEcho'] === true || p['NoEcho'] === 'true' };
    });
    for (const key of Object.keys(options.parameters)) if (!template.Parameters?.[key]) throw invalid(`Parameters: [${key}] do not exist in the template`);
    const ids = Object.keys(template.Resources);
    const planned = new Map<string, PlannedResource>();
    for (const id of ids) {
      const r = template.Resources[id]!;
      const dependsOn = new Set<string>(r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn]);
      for (const ref of references(r.Properties ?? {}, new Set())) if (template.Resources[ref]) dependsOn.add(ref);
      for (const ref of references(r.Properties ?? {}, new Set())) {
        if (!template.Resources[ref] && !template.Parameters?.[ref] && !ref.startsWith('AWS::')) throw invalid(`Template format error: Unresolved resource dependencies [${ref}] in the Resources block of the template`);
      }
      planned.set(id, { logicalId: id, type: r.Type, properties: r.Properties ?? {}, dependsOn: [...dependsOn], deletionPolicy: (r.DeletionPolicy ?? 'Delete') as 'Delete', updateReplacePolicy: (r.UpdateReplacePolicy ?? 'Delete') as 'Delete', ...(r.Metadata ? { metadata: r.Metadata } : {}) });
    }
    // dependency order (Kahn), refusing cycles as AWS words it
    const ordered = new Map<string, PlannedResource>();
    while (ordered.size < planned.size) {
      const next = [...planned.values()].filter((p) => !ordered.has(p.logicalId) && p.dependsOn.every((d) => ordered.has(d)));
      if (next.length === 0) throw invalid(`Circular dependency between resources: [${[...planned.keys()].filter((k) => !ordered.has(k)).join(', ')}]`);
      for (const p of next) ordered.set(p.logicalId, p);
    }
    const outputs = Object.fromEntries(
      Object.entries(template.Outputs ?? {}).map(([key, o]) => {
        const exported = o['Export'] as Record<string, PropertyValue> | undefined;
        return [key, { value: o['Value']!, ...(o['Description'] !== undefined ? { description: String(o['Description']) } : {}), ...(exported ? { exportName: exported['Name']! } : {}) }];
      }),
    );
    const prepared: PreparedTemplate = { template, parameters, conditions: {}, resources: ordered, outputs };
    pseudoOf.set(prepared, options.pseudo);
    return prepared;
  },
  resolveValue(value, prepared, refs) {
    const pseudo = pseudoOf.get(prepared)!;
    const resolve = (v: PropertyValue): PropertyValue => {
      if (Array.isArray(v)) return v.map(resolve);
      if (v === null || typeof v !== 'object') return v;
      const keys = Object.keys(v);
      if (keys.length === 1) {
        const [k] = keys as [string];
        const arg = v[k]!;
        if (k === 'Ref') {
          const name = String(arg);
          const parameter = prepared.parameters.find((p) => p.key === name);
          if (parameter) return parameter.value;
          if (name === 'AWS::Region') return pseudo.region;
          if (name === 'AWS::AccountId') return pseudo.accountId;
          if (name === 'AWS::StackName') return pseudo.stackName;
          if (name === 'AWS::StackId') return pseudo.stackId;
          return refs.ref(name);
        }
        if (k === 'Fn::GetAtt' && Array.isArray(arg)) return refs.getAtt(String(arg[0]), String(arg[1]));
        if (k === 'Fn::ImportValue') return refs.importValue(String(resolve(arg)));
        if (k === 'Fn::Join' && Array.isArray(arg)) return (resolve(arg[1]!) as PropertyValue[]).map(String).join(String(arg[0]));
      }
      return Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, resolve(inner)]));
    };
    return resolve(value);
  },
};

/** A stand-in for an IAM type (IAM's resource types come from another helper): needs capabilities, creates nothing. */
export const FAKE_ROLE: ResourceType = {
  type: 'AWS::IAM::Role',
  attributes: ['Arn', 'RoleId'],
  async create(ctx) {
    const name = ctx.physicalName({ max: 64 });
    return { physicalId: name, attributes: { Arn: `arn:aws:iam::${ctx.accountId}:role/${name}`, RoleId: 'AROA0000' } };
  },
  async delete() {},
};

/** The runtime's providers with CloudFormation on the stand-in language (and the fake IAM role type). */
export function registry(options: CloudformationOptions = {}): ProviderRegistry {
  const types = async (type: string) => (type === FAKE_ROLE.type ? FAKE_ROLE : resourceType(type));
  return {
    ...PROVIDERS,
    cloudformation: { load: async () => ({ createProvider: (context) => createCloudformationProvider(context, { language: STAND_IN, resourceType: types, ...options }) }) },
  };
}

/** A JSON template. */
export function template(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', ...extra, Resources: resources });
}
