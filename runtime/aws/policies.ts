/**
 * IAM policy documents: parsed and validated as AWS does, into a typed document that policy
 * evaluation (IAM's engine, S3 bucket policies, session policies) reads without looking at
 * JSON again. Every service that takes a policy document parses it here.
 *
 * AWS parses policies with two grammars, and the kind of document picks one:
 *
 *   identity   what IAM attaches to users, groups and roles (CreatePolicy, CreatePolicyVersion,
 *              PutUserPolicy/PutGroupPolicy/PutRolePolicy) and STS session policies: no
 *              Principal, Resource required, Version 2012-10-17; errors such as "Syntax errors
 *              in policy." and "The policy failed legacy parsing" (policies/identity.ts)
 *   trust      a role's trust policy (CreateRole, UpdateAssumeRolePolicy): Principal required,
 *              no Resource, Version 2012-10-17 or 2008-10-17 (policies/trust.ts)
 *   resource   a policy attached to a resource (S3 buckets, SQS queues, KMS keys, ...):
 *              Principal and Resource required; the trust policy's grammar otherwise
 *
 * The wording of each message, and where it was seen coming from AWS, is written next to the
 * check in those files. A failure is a ServiceError with IAM's code, MalformedPolicyDocument
 * (400, Sender); a service with another code (S3: MalformedPolicy) passes its own factory.
 */
import { ServiceError } from './errors.js';
import { CONDITION_OPERATORS, PolicyDocumentError } from './policies/grammar.js';
import { parseIdentityPolicy } from './policies/identity.js';
import { parseTrustPolicy } from './policies/trust.js';

export { CONDITION_OPERATORS, PolicyDocumentError } from './policies/grammar.js';

/** Which grammar a document is parsed with (see the module comment). */
export type PolicyKind = 'identity' | 'trust' | 'resource';

/** The policy language versions; a document without Version is the 2008 language. */
export type PolicyVersion = '2012-10-17' | '2008-10-17';

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One test of a Condition block: `"ForAnyValue:StringLikeIfExists": { "aws:TagKeys": ["a*"] }`. */
export interface PolicyCondition {
  /** The operator as written (`ForAnyValue:StringLikeIfExists`). */
  readonly text: string;
  readonly operator: ConditionOperator;
  readonly qualifier?: 'ForAnyValue' | 'ForAllValues';
  readonly ifExists: boolean;
  /** The condition key as written (keys compare case-insensitively). */
  readonly key: string;
  /** The values, always a list; numbers and booleans as their JSON text (`true`, `10`). */
  readonly values: readonly string[];
}

/** Who a resource or trust policy statement is about. `'*'` is everyone, anonymous included. */
export type PolicyPrincipal =
  | '*'
  | {
      readonly AWS?: readonly string[];
      readonly Service?: readonly string[];
      readonly Federated?: readonly string[];
      readonly CanonicalUser?: readonly string[];
    };

/** One statement; exactly one of each Action/NotAction pair is set (Resource and Principal: at most one). */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: PolicyPrincipal;
  readonly notPrincipal?: PolicyPrincipal;
  /** Every test of the Condition block, in document order; all must hold. */
  readonly conditions: readonly PolicyCondition[];
}

/** A parsed, valid policy document. */
export interface PolicyDocument {
  readonly kind: PolicyKind;
  /** As written; undefined when the document has none. */
  readonly version?: PolicyVersion;
  readonly id?: string;
  /** A single Statement object becomes a list of one. */
  readonly statements: readonly PolicyStatement[];
}

/** IAM's error for a document it refuses: MalformedPolicyDocument, 400, Sender. */
export function malformedPolicyDocument(message: string): ServiceError {
  return new ServiceError('MalformedPolicyDocument', message, { status: 400, sender: true });
}

/**
 * Parses and validates a policy document as AWS does for a document of that kind. Throws
 * `toError(message)` (IAM's MalformedPolicyDocument unless given) with AWS's message.
 */
export function parsePolicy(text: string, kind: PolicyKind, toError: (message: string) => Error = malformedPolicyDocument): PolicyDocument {
  try {
    return kind === 'identity' ? parseIdentityPolicy(text) : parseTrustPolicy(text, kind);
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw toError(error.message);
    throw error;
  }
}

/** The message AWS gives for a document, or undefined when it is valid (for tests and tools). */
export function policyError(text: string, kind: PolicyKind): string | undefined {
  try {
    parsePolicy(text, kind, (message) => new PolicyDocumentError(message));
    return undefined;
  } catch (error) {
    if (error instanceof PolicyDocumentError) return error.message;
    throw error;
  }
}
