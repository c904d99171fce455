/**
 * How the engine reaches the template language (template/index.ts), and the one place that
 * turns an API request into a prepared template: the body (TemplateBody, or TemplateURL read
 * from S3 through the in-process client), the parameters (UsePreviousValue), the pseudo
 * parameters of the stack, SSM for parameter types and dynamic references.
 *
 * The language is one injectable object (`TemplateLanguage`), so that the engine is built and
 * tested on its own: the provider takes template/index.ts by default, tests may hand it
 * stand-in functions.
 */
import { ServiceError } from '../../aws/errors.js';
import type { ProviderContext } from '../provider.js';
import type { ResourceType } from './resources/resource-type.js';
import type { CfnStore, Place } from './state.js';
import * as templates from './template/index.js';
import type { PreparedTemplate, PseudoParameters, Template } from './template/index.js';
import { templateError } from './template/index.js';
import { partitionOf } from '../../aws/arns.js';

/** The template language's functions (template/index.ts). */
export interface TemplateLanguage {
  parseTemplate: typeof templates.parseTemplate;
  /** The macros CloudFormation runs before anything reads the template (SAM); none when absent. */
  expandTransforms?: typeof templates.expandTransforms;
  prepareTemplate: typeof templates.prepareTemplate;
  resolveValue: typeof templates.resolveValue;
}

/** The real one. */
export const TEMPLATE_LANGUAGE: TemplateLanguage = {
  parseTemplate: templates.parseTemplate,
  expandTransforms: templates.expandTransforms,
  prepareTemplate: templates.prepareTemplate,
  resolveValue: templates.resolveValue,
};

/** What every CloudFormation module works with. */
export interface CfnDeps {
  readonly store: CfnStore;
  readonly context: ProviderContext;
  readonly language: TemplateLanguage;
  /** The emulated type named `type`, or undefined (resources/index.ts by default). */
  readonly resourceType: (type: string) => Promise<ResourceType | undefined>;
}

/** The API's parameter list as given. */
export interface ParameterInput {
  ParameterKey?: string;
  ParameterValue?: string;
  UsePreviousValue?: boolean;
}

/**
 * What UsePreviousValue reads of a stack: the value each parameter had, whether it was given or
 * came from its Default (the CDK sends BootstrapVersion with UsePreviousValue on every update,
 * a parameter it never gives), and the given values the template no longer declares.
 */
export function previousParameters(stack: { readonly parameters: readonly { key: string; value: string }[]; readonly parameterInput: Readonly<Record<string, string>> }): Record<string, string> {
  const values: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(stack.parameterInput)) values[key] = value;
  for (const p of stack.parameters) values[p.key] = p.value;
  return values;
}

/** Parameter values by key: given ones, and previous ones where UsePreviousValue says so. */
export function parameterValues(given: readonly ParameterInput[] | undefined, previous: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const values: Record<string, string> = Object.create(null);
  for (const p of given ?? []) {
    if (!p.ParameterKey) continue;
    if (p.UsePreviousValue) {
      const before = previous?.[p.ParameterKey];
      if (before === undefined) throw templateError(`Invalid input for parameter key ${p.ParameterKey}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      values[p.ParameterKey] = before;
    } else if (p.ParameterValue !== undefined) values[p.ParameterKey] = p.ParameterValue;
  }
  return values;
}

/** The S3 bucket and key a TemplateURL names (virtual-hosted or path style, AWS's or ours). */
export function parseTemplateUrl(url: string): { bucket: string; key: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const hosted = /^(.+)\.s3[.-]/.exec(parsed.hostname);
  if (hosted && !/^s3[.-]/.test(parsed.hostname)) return path ? { bucket: hosted[1]!, key: path } : undefined;
  const slash = path.indexOf('/');
  return slash > 0 ? { bucket: path.slice(0, slash), key: path.slice(slash + 1) } : undefined;
}

/** The template text of a request: TemplateBody, or the object TemplateURL names. */
export async function templateText(deps: CfnDeps, at: Place, input: { TemplateBody?: string; TemplateURL?: string }): Promise<string> {
  if (input.TemplateBody !== undefined && input.TemplateURL !== undefined) throw templateError('Specify exactly one of TemplateBody or TemplateUrl.');
  if (input.TemplateBody !== undefined) return input.TemplateBody;
  if (input.TemplateURL === undefined) throw templateError('Either Template URL or Template Body must be specified.');
  const location = parseTemplateUrl(input.TemplateURL);
  if (!location) throw templateError('TemplateURL must be a supported URL.');
  try {
    const object = await deps.context.client.call('s3', 'GetObject', { Bucket: location.bucket, Key: location.key }, { ...at, principal: 'cloudformation.amazonaws.com' });
    return await bodyText(object.Body);
  } catch (error) {
    if (error instanceof ServiceError) throw templateError(`S3 error: ${error.message}`);
    throw error;
  }
}

async function bodyText(body: Uint8Array | NodeJS.ReadableStream | undefined): Promise<string> {
  if (body === undefined) return '';
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A parsed template with its transforms run (SAM), as CloudFormation processes it before it
 * checks types and capabilities: what GetTemplate's Processed stage shows. SAM's managed
 * policy names are looked up among IAM's AWS managed policies (ListPolicies, Scope AWS),
 * once per template and only when a name needs it.
 */
export async function processTemplate(deps: CfnDeps, at: Place, template: Template): Promise<Template> {
  if (!deps.language.expandTransforms) return template;
  let names: Promise<Map<string, string>> | undefined;
  const managedPolicies = async (): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    let marker: string | undefined;
    do {
      const page = await deps.context.client.call('iam', 'ListPolicies', { Scope: 'AWS', MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }, { ...at, principal: 'cloudformation.amazonaws.com' });
      for (const policy of page.Policies ?? []) if (policy.PolicyName && policy.Arn) out.set(policy.PolicyName, policy.Arn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return out;
  };
  return deps.language.expandTransforms(template, {
    partition: partitionOf(at.region),
    managedPolicyArn: async (name) => (await (names ??= managedPolicies())).get(name),
  });
}

/** The pseudo parameters of a stack. */
export function pseudoParameters(at: Place, stackName: string, stackId: string, notificationArns: readonly string[]): PseudoParameters {
  const partition = partitionOf(at.region);
  return { accountId: at.accountId, region: at.region, partition, urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com', stackName, stackId, notificationArns };
}

/** Prepares a template for a stack, with SSM reachable for parameter types and dynamic references. */
export function prepare(deps: CfnDeps, at: Place, template: Template, options: { parameters: Record<string, string>; stackName: string; stackId: string; notificationArns: readonly string[]; previous?: PreparedTemplate }): Promise<PreparedTemplate> {
  return deps.language.prepareTemplate(template, {
    parameters: options.parameters,
    pseudo: pseudoParameters(at, options.stackName, options.stackId, options.notificationArns),
    previous: options.previous,
    resolvers: {
      async ssmParameter(name) {
        try {
          const out = await deps.context.client.call('ssm', 'GetParameter', { Name: name, WithDecryption: true }, { ...at, principal: 'cloudformation.amazonaws.com' });
          return out.Parameter?.Value ?? '';
        } catch (error) {
          if (error instanceof ServiceError) throw templateError(`Unable to fetch parameters [${name}] from parameter store for this account.`);
          throw error;
        }
      },
    },
  });
}
