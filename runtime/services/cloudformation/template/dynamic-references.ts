/**
 * Dynamic references in resource properties, resolved when the template is prepared:
 *
 *   {{resolve:ssm:name}}  {{resolve:ssm:name:version}}  {{resolve:ssm-secure:name:version}}
 *   {{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}}
 *
 * Every literal string of a resource's properties is searched, including the literal pieces of
 * Fn::Join lists and Fn::Sub strings. A reference whose text is itself assembled by a function
 * (`!Sub '{{resolve:ssm:/app/${Env}/url}}'`, `!Join ['', ['{{resolve:ssm:', !Ref Name, '}}']]`)
 * is resolved too when that function needs no resource: it is evaluated while preparing (the
 * parameters are known) and replaced by its value. One that needs a resource
 * (`${Bucket}` in the name) cannot be resolved before the resource exists, and
 * resolveValue is synchronous: such a string reaches the resource as written, unresolved.
 *
 * SSM references (`ssm` and `ssm-secure`) go through `resolvers.ssmParameter`, with a version
 * as `name:version` (GetParameter's selector syntax); Secrets Manager references through
 * `resolvers.secret`, given the text after `secretsmanager:` ({@link parseSecretReference}
 * reads it).
 */
import { ServiceError } from '../../../aws/errors.js';
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';
import type { TemplateResolvers } from './index.js';
import { evaluate, NO_VALUE, NotStatic, type EvaluationContext } from './intrinsics.js';

const REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):([^{}]+)\}\}/g;

/** A `{{resolve:secretsmanager:...}}` reference's parts. */
export interface SecretReference {
  readonly secretId: string;
  /** `SecretString`, the only kind AWS supports. */
  readonly kind: string;
  readonly jsonKey?: string;
  readonly versionStage?: string;
  readonly versionId?: string;
}

/** Reads the text after `secretsmanager:`; a secret id may be an ARN (its own seven `:`-separated parts). */
export function parseSecretReference(reference: string): SecretReference {
  const parts = reference.split(':');
  const idParts = reference.startsWith('arn:') ? 7 : 1;
  const secretId = parts.slice(0, idParts).join(':');
  const [kind, jsonKey, versionStage, versionId] = parts.slice(idParts);
  const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);
  if (kind !== undefined && kind !== '' && kind !== 'SecretString') {
    throw templateError(`Template error: dynamic reference {{resolve:secretsmanager:${reference}}} must name SecretString`);
  }
  return {
    secretId,
    kind: 'SecretString',
    ...(nonEmpty(jsonKey) ? { jsonKey: jsonKey! } : {}),
    ...(nonEmpty(versionStage) ? { versionStage: versionStage! } : {}),
    ...(nonEmpty(versionId) ? { versionId: versionId! } : {}),
  };
}

/** Whether `text` holds a dynamic reference. */
export function hasDynamicReference(text: string): boolean {
  return text.includes('{{resolve:');
}

/** Replaces every dynamic reference in `text` with its value (for a Fn::Sub string, with `${` written `${!`). */
export async function resolveDynamicReferences(text: string, resolvers: TemplateResolvers, inSub = false): Promise<string> {
  const matches = [...text.matchAll(REFERENCE)];
  if (matches.length === 0) return text;
  const values = await Promise.all(matches.map(([whole, kind, reference]) => resolveOne(whole, kind!, reference!, resolvers)));
  let i = 0;
  return text.replace(REFERENCE, () => {
    const resolved = values[i++]!;
    return inSub ? resolved.replaceAll('${', '${!') : resolved;
  });
}

async function resolveOne(whole: string, kind: string, reference: string, resolvers: TemplateResolvers): Promise<string> {
  if (kind === 'secretsmanager') {
    parseSecretReference(reference);
    if (!resolvers.secret) throw templateError(`Template error: ${whole} cannot be resolved: Secrets Manager is not available`);
    try {
      return await resolvers.secret(reference);
    } catch (error) {
      // Secrets Manager's own answer (ResourceNotFoundException ...) refuses the template
      if (error instanceof ServiceError && error.status < 500) throw templateError(error.message);
      throw error;
    }
  }
  const parts = reference.split(':');
  const version = parts.length > 1 && /^\d+$/.test(parts[parts.length - 1]!) ? parts.pop() : undefined;
  const name = parts.join(':');
  try {
    return await resolvers.ssmParameter(version === undefined ? name : `${name}:${version}`);
  } catch (error) {
    if (error instanceof ServiceError && error.status < 500) {
      throw templateError(`Unable to fetch parameters [${name}] from parameter store for this account.`);
    }
    throw error;
  }
}

/**
 * Resolves the dynamic references of a resource's properties: literal strings in place, and
 * Fn::Sub / Fn::Join holding a reference replaced by their value when `ctx` (a static
 * evaluation) can compute it.
 */
export async function resolvePropertyReferences(value: PropertyValue, resolvers: TemplateResolvers, ctx: EvaluationContext): Promise<PropertyValue> {
  if (typeof value === 'string') return hasDynamicReference(value) ? resolveDynamicReferences(value, resolvers) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolvePropertyReferences(item, resolvers, ctx)));
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Fn::Sub' || keys[0] === 'Fn::Join') && hasDynamicReference(JSON.stringify(value))) {
    const computed = staticValue(value, ctx);
    if (typeof computed === 'string') return resolveDynamicReferences(computed, resolvers);
  }
  const out: Record<string, PropertyValue> = {};
  for (const key of keys) {
    const member = value[key]!;
    if (key === 'Fn::Sub' && keys.length === 1) {
      // a resolved value inside a Fn::Sub string must not read as a variable: its `${` is written `${!`
      const template = Array.isArray(member) ? member[0] : member;
      const resolved = typeof template === 'string' ? await resolveDynamicReferences(template, resolvers, true) : template;
      out[key] = Array.isArray(member)
        ? [resolved ?? null, ...(await Promise.all(member.slice(1).map((item) => resolvePropertyReferences(item, resolvers, ctx))))]
        : (resolved ?? null);
      continue;
    }
    out[key] = await resolvePropertyReferences(member, resolvers, ctx);
  }
  return out;
}

function staticValue(value: PropertyValue, ctx: EvaluationContext): PropertyValue | undefined {
  try {
    const result = evaluate(value, ctx);
    return result === NO_VALUE ? undefined : result;
  } catch (error) {
    if (error instanceof NotStatic) return undefined;
    throw error;
  }
}
