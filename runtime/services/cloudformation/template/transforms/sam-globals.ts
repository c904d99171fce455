/**
 * SAM's `Globals` section: properties every resource of a serverless type inherits, merged
 * into each one before it is expanded, as the SAM specification defines the merge: maps merged
 * key by key (recursively), lists appended (global items first, duplicates kept), anything
 * else (strings, numbers, booleans, intrinsic functions, values of different kinds) taken
 * from the resource when it sets it. A resource's `IgnoreGlobals` attribute (`*` or a list of
 * property names) opts it out. Only the properties SAM accepts in each section are allowed,
 * with SAM's own messages otherwise.
 */
import type { PropertyValue } from '../../resources/resource-type.js';
import { SamError } from './sam-errors.js';

type Json = Record<string, PropertyValue>;

/** The properties each Globals section accepts (the SAM specification's lists). */
const SUPPORTED: Readonly<Record<string, readonly string[]>> = {
  Function: [
    'Handler', 'Runtime', 'CodeUri', 'DeadLetterQueue', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Environment', 'Tags', 'PropagateTags',
    'Tracing', 'KmsKeyArn', 'AutoPublishAlias', 'AutoPublishAliasAllProperties', 'Layers', 'DeploymentPreference', 'RolePath', 'PermissionsBoundary',
    'ReservedConcurrentExecutions', 'ProvisionedConcurrencyConfig', 'AssumeRolePolicyDocument', 'EventInvokeConfig', 'FileSystemConfigs',
    'CodeSigningConfigArn', 'Architectures', 'SnapStart', 'EphemeralStorage', 'FunctionUrlConfig', 'RuntimeManagementConfig', 'LoggingConfig',
    'RecursiveLoop', 'SourceKMSKeyArn',
  ],
  Api: [
    'Auth', 'Name', 'DefinitionUri', 'CacheClusterEnabled', 'CacheClusterSize', 'MergeDefinitions', 'Variables', 'EndpointConfiguration', 'MethodSettings',
    'BinaryMediaTypes', 'MinimumCompressionSize', 'Cors', 'GatewayResponses', 'AccessLogSetting', 'CanarySetting', 'TracingEnabled', 'OpenApiVersion',
    'Domain', 'AlwaysDeploy', 'PropagateTags',
  ],
  HttpApi: ['Auth', 'AccessLogSettings', 'StageVariables', 'Tags', 'CorsConfiguration', 'DefaultRouteSettings', 'Domain', 'RouteSettings', 'FailOnWarnings', 'PropagateTags'],
  SimpleTable: ['SSESpecification'],
  StateMachine: ['PropagateTags'],
  LayerVersion: ['PublishLambdaVersion'],
};

const isMap = (value: PropertyValue | undefined): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** An intrinsic function (`{ "Ref": ... }`, `{ "Fn::...": ... }`): merged as a plain value, never key by key. */
const isIntrinsic = (value: Json): boolean => {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
};

/** The Globals section read and checked: each serverless type to its global properties. */
export function parseGlobals(section: PropertyValue | undefined): Map<string, Json> {
  const globals = new Map<string, Json>();
  if (section === undefined) return globals;
  if (!isMap(section) || Object.keys(section).length === 0) throw globalsError('It must be a non-empty dictionary');
  const names = Object.keys(SUPPORTED).sort();
  for (const [name, properties] of Object.entries(section)) {
    const supported = SUPPORTED[name];
    if (!supported) throw globalsError(`'${name}' is not supported. Must be one of the following values - [${names.map((n) => `'${n}'`).join(', ')}]`);
    if (!isMap(properties)) throw globalsError(`Value of ${name} must be a dictionary`);
    for (const key of Object.keys(properties)) {
      if (!supported.includes(key)) throw globalsError(`'${key}' is not a supported property of '${name}'. Must be one of the following values - [${supported.map((n) => `'${n}'`).join(', ')}]`);
    }
    globals.set(`AWS::Serverless::${name}`, properties);
  }
  return globals;
}

function globalsError(message: string): SamError {
  return new SamError(`'Globals' section is invalid. ${message}`);
}

/** A resource's properties with the globals of its type merged in (IgnoreGlobals honoured). */
export function withGlobals(globals: ReadonlyMap<string, Json>, logicalId: string, type: string, properties: Json, ignore: PropertyValue | undefined): Json {
  let inherited = globals.get(type);
  if (!inherited) return properties;
  if (ignore !== undefined) {
    if (ignore === '*') return properties;
    if (!Array.isArray(ignore)) throw new SamError(`Resource with id [${logicalId}] is invalid. Resource ${logicalId} has invalid resource attribute 'IgnoreGlobals'.`);
    inherited = { ...inherited };
    for (const key of ignore) {
      if (typeof key !== 'string' || !(key in inherited)) throw new SamError(`Resource with id [${logicalId}] is invalid. Resource ${logicalId} has invalid resource attribute 'IgnoreGlobals' on item '${String(key)}'.`);
      delete inherited[key];
    }
  }
  return merge(inherited, properties) as Json;
}

/** SAM's merge of a global value and a local one (see the module's description). */
export function merge(global: PropertyValue | undefined, local: PropertyValue | undefined): PropertyValue | undefined {
  if (local === undefined) return structuredClone(global);
  if (global === undefined) return local;
  if (Array.isArray(global) && Array.isArray(local)) return [...structuredClone(global), ...local];
  if (isMap(global) && isMap(local) && !isIntrinsic(global) && !isIntrinsic(local)) {
    const out: Json = {};
    for (const key of new Set([...Object.keys(global), ...Object.keys(local)])) out[key] = merge(global[key], local[key])!;
    return out;
  }
  return local;
}
