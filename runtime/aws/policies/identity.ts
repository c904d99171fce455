/**
 * The identity-policy grammar: what IAM accepts as a managed or inline policy (CreatePolicy,
 * CreatePolicyVersion, Put{User,Group,Role}Policy), and STS as a session policy.
 *
 * IAM checks in passes, and the first pass that fails names the error, so the order below is
 * part of the behaviour:
 *
 *   1. syntax             "Syntax errors in policy."  (not JSON, unknown elements, wrong
 *                         shapes, no Effect, Action with NotAction, an empty Statement list, ...)
 *   2. principal          "Policy document should not specify a principal."
 *   3. version            "Policy document must be version 2012-10-17 or greater." (also when
 *                         Version is missing or 2008-10-17)
 *   4. legacy parsing     "The policy failed legacy parsing" (Effect not exactly Allow/Deny,
 *                         a Date condition value that is no date, a resource like `arn:aws::x`)
 *   5. Sid                "Statement IDs (SID) in a single policy must be unique."
 *   6. actions            "Policy statement must contain actions."
 *   7. resources          "Policy statement must contain resources."
 *   8. resource format    `Resource x must be in ARN format or "*".`, `Partition "p" is not
 *                         valid for resource "arn:p:...".`, region and IAM path rules
 *   9. action format      "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb,
 *                         ec2, etc.", "Actions/Condition can contain only one colon.",
 *                         "Vendor x is not valid"
 *
 * Sources: the messages and their order are those of moto's validator and its test table
 * (moto/iam/policy_validation.py, tests/test_iam/test_iam_policies.py), written against IAM;
 * LocalStack's copy (localstack/services/iam/policy_validation.py) adds the newer IAM path
 * wording (`"*", root, or start with`) and S3 access points with a region. AWS answers seen
 * in users' reports: "Syntax errors in policy." (99designs/iamy#74), "Policy document should
 * not specify a principal." (hashicorp/terraform-provider-aws#10419), "The policy failed legacy
 * parsing" (cobusbernard/hashitalks-africa-demo#1), "Policy statement must contain resources."
 * (terraform-aws-modules/terraform-aws-iam#364), `Resource x must be in ARN format or "*".`
 * (ministryofjustice/modernisation-platform-environments#590). Where step 2 sits among the
 * others is not known from AWS (a report shows it with an otherwise valid document).
 */
import { PARTITIONS } from '../arns.js';
import type { PolicyDocument, PolicyStatement, PolicyVersion } from '../policies.js';
import { validDateValue } from './dates.js';
import { DOCUMENT_ELEMENTS, fail, has, isObject, parseJson, readConditions, STATEMENT_ELEMENTS, statementList, stringList, VERSIONS, type Json, type JsonObject } from './grammar.js';

const SYNTAX = 'Syntax errors in policy.';

/** Pass 1: the document's shape. Returns the statements, or undefined when the syntax is wrong. */
function syntax(doc: Json | undefined): JsonObject[] | undefined {
  if (!isObject(doc)) return undefined;
  if (Object.keys(doc).some((name) => !DOCUMENT_ELEMENTS.has(name))) return undefined;
  if (has(doc, 'Version') && !(typeof doc.Version === 'string' && VERSIONS.has(doc.Version))) return undefined;
  if (has(doc, 'Id') && typeof doc.Id !== 'string') return undefined;
  const statements = statementList(doc.Statement);
  if (!statements || statements.length === 0) return undefined;
  for (const statement of statements) {
    if (!isObject(statement)) return undefined;
    if (Object.keys(statement).some((name) => !STATEMENT_ELEMENTS.has(name))) return undefined;
    for (const name of ['Action', 'Resource', 'Principal']) if (has(statement, name) && has(statement, `Not${name}`)) return undefined;
    const effect = statement.Effect;
    if (typeof effect !== 'string' || !['allow', 'deny'].includes(effect.toLowerCase())) return undefined;
    for (const name of ['Action', 'NotAction', 'Resource', 'NotResource']) if (has(statement, name) && !stringList(statement[name])) return undefined;
    if (has(statement, 'Condition') && !readConditions(statement.Condition)) return undefined;
    if (has(statement, 'Sid') && typeof statement.Sid !== 'string') return undefined;
  }
  return statements as JsonObject[];
}

const REGIONLESS: Readonly<Record<string, { message: (resource: string) => string; except?: string }>> = {
  iam: { message: (r) => `IAM resource ${r} cannot contain region information.` },
  s3: { message: (r) => `Resource ${r} can not contain region information.`, except: 'accesspoint/' },
};

const IAM_PATHS = ['user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/', 'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/'];

/** Splits at the first `sep` as Python's str.partition: [before, sep or '', after]. */
function split(text: string, sep = ':'): [string, string, string] {
  const i = text.indexOf(sep);
  return i === -1 ? [text, '', ''] : [text.slice(0, i), sep, text.slice(i + 1)];
}

/** What IAM says about one Resource/NotResource value, or undefined when it is well formed. */
function resourceError(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const [, colon, afterPrefix] = split(resource);
  if (colon === '') return `Resource ${resource} must be in ARN format or "*".`;
  const [partition, afterPartitionColon, rest] = split(afterPrefix);
  if (partition !== '*' && !PARTITIONS.includes(partition)) {
    const parts = rest.split(':');
    const part = (i: number) => (parts.length > i ? parts[i]! : '*');
    const first = parts[0] !== '' || parts.length > 1 ? parts[0]! : '*';
    const tail = parts.length > 3 ? parts.slice(3).join(':') : '*';
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${first}:${part(1)}:${part(2)}:${tail}".`;
  }
  if (afterPartitionColon === '') return 'Resource vendor must be fully qualified and cannot contain regexes.';
  const [service, , afterService] = split(rest); // afterService: region:account:resource
  const resourceId = split(split(afterService)[2])[2];
  const regionless = REGIONLESS[service];
  if (regionless && !afterService.startsWith(':') && !(regionless.except && resourceId.startsWith(regionless.except))) return regionless.message(resource);
  if (service === 'iam' && resourceId !== 'root' && !IAM_PATHS.some((p) => resourceId.startsWith(p))) {
    return `IAM resource path must either be "*", root, or start with ${IAM_PATHS.join(', ')}.`;
  }
  return undefined;
}

/** The legacy parser's rule for resources: enough colons for an ARN with empty parts, and a service. */
function legacyResourceOk(resource: string): boolean {
  if (resource === '*') return true;
  if ((resource.match(/:/g)?.length ?? 0) < 5 && resource.includes('::')) return false;
  return (resource.split(':')[2] ?? '') !== '';
}

/** Pass 9 for one action: `vendor:name`, `*`. */
function actionError(action: string): string | undefined {
  const parts = action.split(':');
  if (parts.length === 1 && parts[0] !== '*') return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  if (parts.length > 2) return 'Actions/Condition can contain only one colon.';
  if (parts[0] !== '*' && /[^a-zA-Z0-9\-.]/.test(parts[0]!)) return `Vendor ${parts[0]} is not valid`;
  return undefined;
}

/** Parses an identity policy; throws PolicyDocumentError with IAM's message. */
export function parseIdentityPolicy(text: string): PolicyDocument {
  const doc = parseJson(text);
  const statements = syntax(doc);
  if (!statements) fail(SYNTAX);
  const document = doc as JsonObject;
  if (statements.some((s) => has(s, 'Principal') || has(s, 'NotPrincipal'))) fail('Policy document should not specify a principal.');
  if (document.Version !== '2012-10-17') fail('Policy document must be version 2012-10-17 or greater.');

  // 4. legacy parsing; the resource format errors found on the way are reported at step 8
  const conditions = statements.map((s) => (has(s, 'Condition') ? readConditions(s.Condition)! : []));
  for (const [i, statement] of statements.entries()) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') fail('The policy failed legacy parsing');
    for (const c of conditions[i]!) if (c.operator.startsWith('Date') && !c.values.every(validDateValue)) fail('The policy failed legacy parsing');
  }
  let formatError: string | undefined;
  for (const name of ['Resource', 'NotResource']) {
    for (const statement of statements) {
      if (!has(statement, name)) continue;
      const resources = stringList(statement[name])!;
      // IAM reports the last error of the list sorted in reverse
      for (const resource of [...resources].sort().reverse()) formatError = resourceError(resource) ?? formatError;
      if (formatError === undefined && !resources.every(legacyResourceOk)) fail('The policy failed legacy parsing');
    }
  }

  const sids = new Set<string>();
  for (const { Sid: sid } of statements) {
    if (typeof sid !== 'string' || sid === '') continue;
    if (sids.has(sid)) fail('Statement IDs (SID) in a single policy must be unique.');
    sids.add(sid);
  }
  const present = (s: JsonObject, name: string) => (has(s, name) && stringList(s[name])!.length > 0) || (!has(s, name) && has(s, `Not${name}`) && stringList(s[`Not${name}`])!.length > 0);
  if (!statements.every((s) => present(s, 'Action'))) fail('Policy statement must contain actions.');
  if (!statements.every((s) => present(s, 'Resource'))) fail('Policy statement must contain resources.');
  if (formatError !== undefined) fail(formatError);
  for (const name of ['Action', 'NotAction']) {
    for (const statement of statements) {
      if (!has(statement, name)) continue;
      for (const action of stringList(statement[name])!) {
        const error = actionError(action);
        if (error) fail(error);
      }
    }
  }

  return {
    kind: 'identity',
    version: document.Version as PolicyVersion,
    ...(typeof document.Id === 'string' ? { id: document.Id } : {}),
    statements: statements.map((s, i): PolicyStatement => ({
      ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
      effect: s.Effect as 'Allow' | 'Deny',
      ...(has(s, 'Action') ? { action: stringList(s.Action)! } : { notAction: stringList(s.NotAction)! }),
      ...(has(s, 'Resource') ? { resource: stringList(s.Resource)! } : { notResource: stringList(s.NotResource)! }),
      conditions: conditions[i]!,
    })),
  };
}
