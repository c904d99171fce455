/**
 * The stored shape of parameters and their versions (plain JSON, dates as epoch
 * milliseconds), how a `name`, `name:version`, `name:label` or ARN reference finds one
 * version, and how versions become the API's Parameter, ParameterMetadata and
 * ParameterHistory structures.
 */
import { createHash } from 'node:crypto';
import type { ServiceError } from '../../aws/errors.js';
import { arnFor, globalArnFor, parseArn } from '../../aws/arns.js';
import { record } from '../../state/store.js';
import type { OperationContext } from '../provider.js';
import type { StoredPolicy } from './policies.js';
import { arnResourceOf, canonicalName, nameOfArnResource } from './names.js';
import { isPublicName } from './public-parameters.js';
import { nameError, parameterNotFound, versionNotFound, type ParameterType, type StoredTier, type Tag } from './validation.js';

export interface StoredVersion {
  version: number;
  value: string;
  type: ParameterType;
  description?: string;
  allowedPattern?: string;
  /** SecureString versions only. */
  keyId?: string;
  tier: StoredTier;
  policies: StoredPolicy[];
  dataType: string;
  /** A label sits on at most one version of a parameter. */
  labels: string[];
  /** Epoch milliseconds. */
  lastModified: number;
  lastModifiedUser: string;
}

export interface StoredParameter {
  name: string;
  /**
   * By version number (a record rather than a list, so that a new version is one small
   * change to persist, not the whole history). Integer keys enumerate in ascending order:
   * oldest first. At most 100 are kept.
   */
  versions: Record<string, StoredVersion>;
  /** The current version's number. */
  latest: number;
  tags: Tag[];
}

export interface SsmState {
  /** By exact (case-sensitive) name. */
  parameters: Record<string, StoredParameter>;
}

export function newState(): SsmState {
  return { parameters: record() };
}

/**
 * A parameter by either spelling of its name (`/x` or `x`, see names.ts). `__proto__` and
 * `constructor` are valid parameter names: only ever touch own properties.
 */
export function findParameter(state: SsmState, name: string): StoredParameter | undefined {
  const key = canonicalName(name);
  if (Object.hasOwn(state.parameters, key)) return state.parameters[key];
  // a state saved before names were canonical may hold a top-level name with its slash
  const legacy = `/${key}`;
  return !key.startsWith('/') && Object.hasOwn(state.parameters, legacy) ? state.parameters[legacy] : undefined;
}

export function storeParameter(state: SsmState, parameter: StoredParameter): void {
  Object.defineProperty(state.parameters, parameter.name, { value: parameter, enumerable: true, writable: true, configurable: true });
}

export function removeParameter(state: SsmState, name: string): boolean {
  if (!Object.hasOwn(state.parameters, name)) return false;
  delete state.parameters[name];
  return true;
}

/** Every parameter, sorted by name (the order listings and their tokens rely on). */
export function sortedParameters(state: SsmState): StoredParameter[] {
  return Object.values(state.parameters).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function current(parameter: StoredParameter): StoredVersion {
  return parameter.versions[parameter.latest]!;
}

/** The versions, oldest first. */
export function versionList(parameter: StoredParameter): StoredVersion[] {
  return Object.values(parameter.versions);
}

/** One version by number, if kept. */
export function findVersion(parameter: StoredParameter, number: number): StoredVersion | undefined {
  return Object.hasOwn(parameter.versions, number) ? parameter.versions[number] : undefined;
}

/** The oldest version kept (versions are kept without gaps, up to 100). */
export function oldestVersion(parameter: StoredParameter): StoredVersion {
  for (let n = Math.max(1, parameter.latest - 99); n <= parameter.latest; n++) {
    const version = findVersion(parameter, n);
    if (version) return version;
  }
  throw new Error(`parameter ${parameter.name} has no version`);
}

/** A parsed reference to one version of a parameter. */
export interface Reference {
  /** As the caller wrote it (InvalidParameters and error messages echo it). */
  text: string;
  /** The name without selector: as written, or the name an ARN stands for. */
  name: string;
  /** Whether the reference was an ARN (GetParameter then answers with the stored name). */
  byArn: boolean;
  version?: number;
  label?: string;
}


function withSelector(ref: Reference, selector: string | undefined): Reference | ServiceError {
  if (selector === undefined) return ref;
  if (selector === '' || selector.includes(':')) return parameterNotFound();
  if (/^\d+$/.test(selector)) return { ...ref, version: Number(selector) };
  return { ...ref, label: selector };
}

/**
 * Parses a reference; an error (not thrown) when it is malformed, so that GetParameters can
 * list it under InvalidParameters while GetParameter throws it.
 */
export function parseReference(ctx: OperationContext, text: string, allowSelector = true): Reference | ServiceError {
  const arn = parseArn(text);
  if (arn?.service === 'ssm' && arn.resource.startsWith('parameter/') && arn.resource.length > 'parameter/'.length) {
    const [resource, ...rest] = arn.resource.slice('parameter/'.length).split(':');
    // shared parameters of other accounts are not emulated; public ones have no account
    const isPublic = arn.accountId === '' && isPublicName(nameOfArnResource(resource!));
    if (arn.region !== ctx.region || (arn.accountId !== ctx.accountId && !isPublic)) return parameterNotFound();
    const selector = rest.length > 0 ? rest.join(':') : undefined;
    if (selector !== undefined && !allowSelector) return parameterNotFound();
    return withSelector({ text, name: nameOfArnResource(resource!), byArn: true }, selector);
  }
  const colon = text.indexOf(':');
  const name = colon === -1 ? text : text.slice(0, colon);
  const error = nameError(name);
  if (error) return error;
  if (colon !== -1 && !allowSelector) return parameterNotFound();
  return withSelector({ text, name, byArn: false }, colon === -1 ? undefined : text.slice(colon + 1));
}

export interface Resolved {
  parameter: StoredParameter;
  version: StoredVersion;
  /** `:3` or `:label` when the reference had a selector. */
  selector: string | undefined;
}

/** Finds the version a reference names; throws ParameterNotFound / ParameterVersionNotFound. */
export function resolve(state: SsmState, ref: Reference): Resolved {
  const parameter = findParameter(state, ref.name);
  if (!parameter) throw parameterNotFound();
  if (ref.version !== undefined) {
    const version = findVersion(parameter, ref.version);
    if (!version) throw versionNotFound(parameter.name, ref.version);
    return { parameter, version, selector: `:${ref.version}` };
  }
  if (ref.label !== undefined) {
    const label = ref.label;
    const version = versionList(parameter).find((v) => v.labels.includes(label));
    if (!version) throw parameterNotFound();
    return { parameter, version, selector: `:${label}` };
  }
  return { parameter, version: current(parameter), selector: undefined };
}

/** `arn:aws:ssm:REGION:ACCOUNT:parameter/a/b` for `/a/b`, `.../parameter/x` for `x` and `/x`. */
export function parameterArn(ctx: OperationContext, name: string): string {
  return arnFor(ctx, 'ssm', arnResourceOf(name));
}

/** Who LastModifiedUser names: the account root (callers' identities are not tracked). */
export function callerArn(ctx: OperationContext): string {
  return globalArnFor(ctx, 'iam', 'root');
}

/** The first bytes of a KMS symmetric ciphertext blob (its base64 begins `AQICAH`, as AWS's do). */
const CIPHERTEXT_HEADER = Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]);

/**
 * What a SecureString reads as without WithDecryption: a stable, opaque stand-in for the
 * ciphertext in the form AWS returns (base64 of a KMS ciphertext blob), derived from the key
 * and the value (no KMS is involved, and the value cannot be read back from it).
 */
export function sealedValue(version: StoredVersion): string {
  const keyId = version.keyId ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return Buffer.concat([CIPHERTEXT_HEADER, digest(keyId), digest(`${keyId}\u0000${version.value}`), digest(`${version.value}\u0000${keyId}`)]).toString('base64');
}

function valueOf(version: StoredVersion, decrypt: boolean): string {
  return version.type === 'SecureString' && !decrypt ? sealedValue(version) : version.value;
}

function policiesOf(version: StoredVersion): StoredPolicy[] {
  return version.policies.map((p) => ({ ...p }));
}

/**
 * The Parameter structure of GetParameter(s) and GetParametersByPath. `asNamed` is the name
 * as the caller wrote it, which GetParameter(s) echo (`/x` for a parameter kept as `x`).
 */
export function toParameter(ctx: OperationContext, parameter: StoredParameter, version: StoredVersion, decrypt: boolean, selector?: string, asNamed?: string) {
  return {
    Name: asNamed ?? parameter.name,
    Type: version.type,
    Value: valueOf(version, decrypt),
    Version: version.version,
    Selector: selector,
    LastModifiedDate: new Date(version.lastModified),
    ARN: parameterArn(ctx, parameter.name),
    DataType: version.dataType,
  };
}

/** The ParameterMetadata structure of DescribeParameters (the current version). */
export function toMetadata(ctx: OperationContext, parameter: StoredParameter) {
  const version = current(parameter);
  return {
    Name: parameter.name,
    ARN: parameterArn(ctx, parameter.name),
    Type: version.type,
    KeyId: version.keyId,
    LastModifiedDate: new Date(version.lastModified),
    LastModifiedUser: version.lastModifiedUser,
    Description: version.description,
    AllowedPattern: version.allowedPattern,
    Version: version.version,
    Tier: version.tier,
    Policies: policiesOf(version),
    DataType: version.dataType,
  };
}

/** The ParameterHistory structure of GetParameterHistory. */
export function toHistory(parameter: StoredParameter, version: StoredVersion, decrypt: boolean) {
  return {
    Name: parameter.name,
    Type: version.type,
    KeyId: version.keyId,
    LastModifiedDate: new Date(version.lastModified),
    LastModifiedUser: version.lastModifiedUser,
    Description: version.description,
    Value: valueOf(version, decrypt),
    AllowedPattern: version.allowedPattern,
    Version: version.version,
    Labels: [...version.labels],
    Tier: version.tier,
    Policies: policiesOf(version),
    DataType: version.dataType,
  };
}
