/**
 * Parameters: the values a stack is given, bound to the template's declarations as
 * CloudFormation binds them. A value comes from the request, else from the previous stack
 * (UsePreviousValue), else from Default; declared names left without a value, then names
 * given that the template does not declare, are refused with AWS's messages. Then each
 * value is checked against its type and constraints (AllowedValues, AllowedPattern,
 * Min/MaxLength, Min/MaxValue; ConstraintDescription replaces the reason when there is one), and
 * `AWS::SSM::Parameter::Value<...>` types are resolved from SSM (the value stays the
 * parameter's name; the SSM value is `resolvedValue`).
 *
 * A Ref to a parameter gives a string, or a list of strings for the list types
 * (`List<Number>`, `CommaDelimitedList` with its members space-trimmed, `List<AWS::EC2::...>`,
 * `AWS::SSM::Parameter::Value<List<String>>`): {@link parameterRefValue}.
 *
 * AWS-specific types (`AWS::EC2::KeyPair::KeyName`, `AWS::EC2::VPC::Id`, ...) are strings here:
 * that the named key pair or VPC exists is not checked.
 */
import { ServiceError } from '../../../aws/errors.js';
import { javaPatternToRegExp } from '../../../aws/java-regex.js';
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';
import type { PreparedTemplate, ResolvedParameter, Template, TemplateResolvers } from './index.js';

const AWS_SPECIFIC = [
  'AWS::EC2::AvailabilityZone::Name',
  'AWS::EC2::Image::Id',
  'AWS::EC2::Instance::Id',
  'AWS::EC2::KeyPair::KeyName',
  'AWS::EC2::SecurityGroup::GroupName',
  'AWS::EC2::SecurityGroup::Id',
  'AWS::EC2::Subnet::Id',
  'AWS::EC2::Volume::Id',
  'AWS::EC2::VPC::Id',
  'AWS::Route53::HostedZone::Id',
];

/** What a parameter type is: a list or a single value, numbers or strings, resolved from SSM or given. */
export interface ParameterKind {
  readonly list: boolean;
  readonly number: boolean;
  readonly ssm: boolean;
}

/** The kind of a declared parameter type; undefined for a type CloudFormation does not know. */
export function parameterKind(type: unknown): ParameterKind | undefined {
  if (typeof type !== 'string') return undefined;
  if (type === 'String' || type === 'AWS::SSM::Parameter::Name' || AWS_SPECIFIC.includes(type)) return { list: false, number: false, ssm: false };
  if (type === 'Number') return { list: false, number: true, ssm: false };
  if (type === 'List<Number>') return { list: true, number: true, ssm: false };
  if (type === 'CommaDelimitedList') return { list: true, number: false, ssm: false };
  const list = /^List<(.+)>$/.exec(type);
  if (list && AWS_SPECIFIC.includes(list[1]!)) return { list: true, number: false, ssm: false };
  const ssm = /^AWS::SSM::Parameter::Value<(.+)>$/.exec(type);
  if (ssm) {
    const inner = ssm[1]!;
    if (inner === 'String' || AWS_SPECIFIC.includes(inner)) return { list: false, number: false, ssm: true };
    const innerList = /^List<(.+)>$/.exec(inner);
    if (inner === 'CommaDelimitedList' || (innerList && (innerList[1] === 'String' || AWS_SPECIFIC.includes(innerList[1]!)))) {
      return { list: true, number: false, ssm: true };
    }
  }
  return undefined;
}

/** Splits a list parameter's value into its members, space-trimmed; an empty value is an empty list. */
export function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((member) => member.trim());
}

/** What a Ref to a bound parameter gives: its (resolved) value, split when its type is a list. */
export function parameterRefValue(parameter: ResolvedParameter, template: Template): PropertyValue {
  const value = parameter.resolvedValue ?? parameter.value;
  const kind = parameterKind(template.Parameters?.[parameter.key]?.Type);
  return kind?.list ? splitList(value) : value;
}

/** How the engine gives parameters: values by key, and the keys that keep the previous stack's value. */
export interface ParameterInput {
  readonly parameters: Readonly<Record<string, string>>;
  readonly usePreviousValues?: readonly string[];
  readonly previous?: PreparedTemplate;
  readonly resolvers: TemplateResolvers;
}

/** Binds, checks and resolves the template's parameters; ValidationError as AWS words it. */
export async function bindParameters(template: Template, input: ParameterInput): Promise<ResolvedParameter[]> {
  const declared = template.Parameters ?? {};
  const usePrevious = new Set(input.usePreviousValues ?? []);
  const values: [string, string][] = [];
  const missing: string[] = [];
  for (const [key, declaration] of Object.entries(declared)) {
    let value: string | undefined = input.parameters[key];
    if (value === undefined && usePrevious.has(key)) {
      const before = input.previous?.parameters.find((parameter) => parameter.key === key);
      if (before === undefined) {
        throw templateError(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      }
      value = before.value;
    }
    if (value === undefined && declaration.Default !== undefined) value = scalarText(declaration.Default);
    if (value === undefined) missing.push(key);
    else values.push([key, value]);
  }
  if (missing.length > 0) throw templateError(`Parameters: [${missing.join(', ')}] must have values`);
  // checked after the missing ones, as CloudFormation orders the two refusals
  const unknown = [...Object.keys(input.parameters), ...usePrevious].filter((key) => !(key in declared));
  if (unknown.length > 0) throw templateError(`Parameters: [${[...new Set(unknown)].join(', ')}] do not exist in the template`);

  const resolved = await resolveSsmTypes(template, values, input.resolvers);
  return values.map(([key, value]) => {
    const declaration = declared[key]!;
    const ssmValue = resolved.get(key);
    checkConstraints(key, ssmValue ?? value, declaration);
    const parameter: ResolvedParameter = {
      key,
      value,
      noEcho: declaration.NoEcho === true || declaration.NoEcho === 'true',
      ...(ssmValue !== undefined ? { resolvedValue: ssmValue } : {}),
    };
    return parameter;
  });
}

/** A Default or list member as text: numbers and booleans as JSON writes them, lists joined by commas. */
function scalarText(value: PropertyValue): string {
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

async function resolveSsmTypes(template: Template, values: readonly [string, string][], resolvers: TemplateResolvers): Promise<Map<string, string>> {
  const resolved = new Map<string, string>();
  const unavailable: string[] = [];
  await Promise.all(
    values.map(async ([key, name]) => {
      if (!parameterKind(template.Parameters?.[key]?.Type)?.ssm) return;
      try {
        resolved.set(key, await resolvers.ssmParameter(name));
      } catch (error) {
        if (!(error instanceof ServiceError) || error.status >= 500) throw error;
        unavailable.push(name);
      }
    }),
  );
  if (unavailable.length > 0) {
    const names = values.map(([, name]) => name).filter((name) => unavailable.includes(name));
    throw templateError(`Unable to fetch parameters [${[...new Set(names)].join(',')}] from parameter store for this account.`);
  }
  return resolved;
}

function checkConstraints(key: string, value: string, declaration: Readonly<Record<string, PropertyValue>>): void {
  const kind = parameterKind(declaration.Type)!;
  const members = kind.list ? splitList(value) : [value];
  const fail = (reason: string): never => {
    const description = declaration.ConstraintDescription;
    if (typeof description === 'string' && description !== '') throw templateError(`Parameter ${key} failed to satisfy constraint: ${description}`);
    throw templateError(`Parameter '${key}' ${reason}`);
  };
  const allowed = declaration.AllowedValues;
  if (Array.isArray(allowed)) {
    const texts = allowed.map(scalarText);
    if (members.some((member) => !texts.includes(member)) || (!kind.list && !texts.includes(value))) fail('must be one of AllowedValues');
  }
  if (typeof declaration.AllowedPattern === 'string') {
    const pattern = javaPatternToRegExp(declaration.AllowedPattern);
    if (pattern && members.some((member) => !pattern.test(member))) fail(`must match pattern ${declaration.AllowedPattern}`);
  }
  if (!kind.number) {
    const min = numberOf(declaration.MinLength);
    const max = numberOf(declaration.MaxLength);
    if (min !== undefined && members.some((member) => member.length < min)) fail(`must contain at least ${min} characters`);
    if (max !== undefined && members.some((member) => member.length > max)) fail(`must contain at most ${max} characters`);
    return;
  }
  for (const member of members) {
    const number = member.trim() === '' ? NaN : Number(member);
    if (!Number.isFinite(number)) fail('must be a number');
    const min = numberOf(declaration.MinValue);
    const max = numberOf(declaration.MaxValue);
    if (min !== undefined && number < min) fail(`must be a number not less than ${min}`);
    if (max !== undefined && number > max) fail(`must be a number not greater than ${max}`);
  }
}

function numberOf(value: PropertyValue | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
