/**
 * The grammar of policies that name a principal: a role's trust policy (kind `trust`:
 * CreateRole's AssumeRolePolicyDocument, UpdateAssumeRolePolicy) and a policy attached to a
 * resource (kind `resource`: bucket, queue, key and topic policies).
 *
 * Its errors are worded differently from the identity grammar's ("Missing required field X",
 * "Has prohibited field X"); checks run statement by statement, in this order:
 *
 *   not JSON, or not an object          "This policy contains invalid Json"
 *   no Statement                        "Missing required field Statement"
 *   no Effect                           "Missing required field Effect"
 *   no Principal nor NotPrincipal       "Missing required field Principal"
 *   a principal of an unknown type, or an AWS principal that is no account, ARN or "*"
 *                                       `Invalid principal in policy: "AWS":"value"`
 *   no Action nor NotAction             "Missing required field Action"
 *   trust: Resource or NotResource      "Has prohibited field Resource"
 *   resource: no Resource/NotResource   "Missing required field Resource"
 *   trust: an action that is no STS role-assumption action
 *        "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"
 *   any other shape or name             "Syntax errors in policy."
 *
 * Sources: AWS's answers seen in reports: "This policy contains invalid Json" (CreateRole:
 * AWSCookbook/Security#2, recorded against AWS in LocalStack's test_iam snapshot), "Has
 * prohibited field Resource" (CreateRole: devopsacademyau/academy#1368), `Invalid principal in
 * policy: "AWS":"arn:..."` (CreateRole and UpdateAssumeRolePolicy: opstrace/opstrace#88,
 * databrickslabs/ucx#2269), "Missing required field Statement" (PutBucketPolicy, LocalStack's
 * test_s3_api snapshot), "Missing required field Principal" (a bucket policy:
 * humanmade/S3-Uploads#191). "Missing required field Effect" / "Action" / "Resource" follow
 * that wording for the other required fields; the trust-action message is LocalStack's.
 * Not checked, for want of AWS's wording: repeated Sids, NotPrincipal in a trust policy.
 * Whether a named principal exists (AWS refuses a role ARN that does not) is for the caller
 * to check against its state: this module knows shapes only.
 */
import type { PolicyDocument, PolicyKind, PolicyPrincipal, PolicyStatement, PolicyVersion } from '../policies.js';
import { DOCUMENT_ELEMENTS, fail, has, isObject, parseJson, readConditions, readPrincipal, STATEMENT_ELEMENTS, statementList, stringList, VERSIONS, type Json, type JsonObject } from './grammar.js';

const SYNTAX = 'Syntax errors in policy.';

/** The actions a trust policy may grant (STS's role-assumption and session actions). */
const TRUST_ACTIONS: ReadonlySet<string> = new Set([
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:DecodeAuthorizationMessage',
  'sts:GetAccessKeyInfo',
  'sts:GetCallerIdentity',
  'sts:GetFederationToken',
  'sts:GetServiceBearerToken',
  'sts:GetSessionToken',
  'sts:SetSourceIdentity',
  'sts:TagSession',
]);

/** An AWS principal by shape: everyone, an account id, or an IAM/STS ARN (account or `aws`). */
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:[a-z-]+:(iam|sts)::(\d{12}|aws):.+)$/s;

/** `"AWS":"value"`: how AWS names the principal it refuses. */
function invalidPrincipal(type: string, value: string): never {
  fail(`Invalid principal in policy: ${JSON.stringify(type)}:${JSON.stringify(value)}`);
}

function checkPrincipal(raw: Json | undefined): PolicyPrincipal {
  const principal = readPrincipal(raw);
  if (principal === undefined) {
    if (isObject(raw)) {
      // name the first member that is wrong, as AWS does; otherwise the shape is what is wrong
      for (const [type, value] of Object.entries(raw)) {
        const values = stringList(value);
        if (values?.length && !['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type)) invalidPrincipal(type, values[0]!);
      }
    }
    fail(SYNTAX);
  }
  if (principal !== '*') for (const value of principal.AWS ?? []) if (!AWS_PRINCIPAL.test(value)) invalidPrincipal('AWS', value);
  return principal;
}

function readStatement(raw: Json, kind: Exclude<PolicyKind, 'identity'>): PolicyStatement {
  if (!isObject(raw)) fail(SYNTAX);
  if (Object.keys(raw).some((name) => !STATEMENT_ELEMENTS.has(name))) fail(SYNTAX);
  for (const name of ['Action', 'Resource', 'Principal']) if (has(raw, name) && has(raw, `Not${name}`)) fail(SYNTAX);
  if (!has(raw, 'Effect')) fail('Missing required field Effect');
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') fail(SYNTAX);
  if (!has(raw, 'Principal') && !has(raw, 'NotPrincipal')) fail('Missing required field Principal');
  const principal = checkPrincipal(has(raw, 'Principal') ? raw.Principal : raw.NotPrincipal);
  if (!has(raw, 'Action') && !has(raw, 'NotAction')) fail('Missing required field Action');
  const hasResource = has(raw, 'Resource') || has(raw, 'NotResource');
  if (kind === 'trust' && hasResource) fail('Has prohibited field Resource');
  if (kind === 'resource' && !hasResource) fail('Missing required field Resource');

  const list = (name: string): string[] | undefined => {
    if (!has(raw, name)) return undefined;
    const values = stringList(raw[name]);
    if (!values || values.length === 0) fail(SYNTAX);
    return values;
  };
  const action = list('Action');
  const notAction = list('NotAction');
  const resource = list('Resource');
  const notResource = list('NotResource');
  const conditions = has(raw, 'Condition') ? readConditions(raw.Condition) : [];
  if (!conditions) fail(SYNTAX);
  if (has(raw, 'Sid') && typeof raw.Sid !== 'string') fail(SYNTAX);
  if (kind === 'trust' && !(action ?? notAction)!.every((a) => TRUST_ACTIONS.has(a))) {
    fail('Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity');
  }
  return {
    ...(typeof raw.Sid === 'string' ? { sid: raw.Sid } : {}),
    effect: raw.Effect,
    ...(action ? { action } : { notAction }),
    ...(resource ? { resource } : notResource ? { notResource } : {}),
    ...(has(raw, 'Principal') ? { principal } : { notPrincipal: principal }),
    conditions,
  };
}

/** Parses a trust or resource policy; throws PolicyDocumentError with AWS's message. */
export function parseTrustPolicy(text: string, kind: Exclude<PolicyKind, 'identity'>): PolicyDocument {
  const doc = parseJson(text);
  if (!isObject(doc)) fail('This policy contains invalid Json');
  if (Object.keys(doc).some((name) => !DOCUMENT_ELEMENTS.has(name))) fail(SYNTAX);
  if (has(doc, 'Version') && !(typeof doc.Version === 'string' && VERSIONS.has(doc.Version))) fail(SYNTAX);
  if (has(doc, 'Id') && typeof doc.Id !== 'string') fail(SYNTAX);
  if (!has(doc, 'Statement')) fail('Missing required field Statement');
  const raw = statementList(doc.Statement);
  if (!raw || raw.length === 0) fail(SYNTAX);
  const statements = raw.map((s) => readStatement(s, kind));
  return {
    kind,
    ...(has(doc, 'Version') ? { version: doc.Version as PolicyVersion } : {}),
    ...(typeof (doc as JsonObject).Id === 'string' ? { id: doc.Id as string } : {}),
    statements,
  };
}
