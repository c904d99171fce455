/**
 * The policy simulator's inputs and answers: policy texts read into EvaluatedPolicies (with
 * their statements' positions), ContextEntries into a request context (each value checked
 * against its ContextKeyType), and the engine's evaluations (runtime/aws/policy-evaluation/)
 * into EvaluationResults as AWS writes them.
 *
 * AWS answers one EvaluationResult per action ("The simulator now returns a single
 * EvaluationResult per action, regardless of how many resource ARNs are provided", IAM API
 * reference, EvaluationResult): its EvalDecision is the most restrictive of the resources',
 * and ResourceSpecificResults has each resource's own decision when ResourceArns names
 * resources. MissingContextValues lists every context key the simulated policies read that
 * ContextEntries does not give, whatever the action (as AWS answers: boto/boto3#3111).
 * SourcePolicyType is "IAM Policy" for identity policies, as AWS answers in public reports.
 */
import { parseArn } from '../../aws/arns.js';
import { parsePolicy, policyError, type PolicyKind } from '../../aws/policies.js';
import {
  CONTEXT_KEY_TYPES,
  contextKeysOf,
  mostRestrictive,
  statementSpans,
  type ContextKeyType,
  type ContextValue,
  type Evaluation,
  type EvaluatedPolicy,
  type MatchedStatement,
} from '../../aws/policy-evaluation/evaluate.js';
import { dateOf } from '../../aws/policy-evaluation/conditions.js';
import { isIP } from 'node:net';
import type { ContextEntry, EvaluationResult, ResourceSpecificResult, Statement } from './api.generated.js';
import { iamError } from './errors.js';

/** SourcePolicyType of identity policies and boundaries, and of a resource policy. */
export const IDENTITY_POLICY_TYPE = 'IAM Policy';
export const RESOURCE_POLICY_TYPE = 'Resource Policy';

/** A policy text read for simulation (MalformedPolicyDocument with IAM's message when it is not valid). */
export function simulatedPolicy(id: string, text: string, kind: PolicyKind = 'identity', type = IDENTITY_POLICY_TYPE): EvaluatedPolicy {
  return { id, type, document: parsePolicy(text, kind), spans: statementSpans(text) };
}

/**
 * The ResourcePolicy: a resource policy's grammar, or a role's trust policy (no Resource) to
 * simulate sts:AssumeRole against; MalformedPolicyDocument when it is neither.
 */
export function resourcePolicy(text: string): EvaluatedPolicy {
  const kind = policyError(text, 'resource') !== undefined && policyError(text, 'trust') === undefined ? 'trust' : 'resource';
  return simulatedPolicy('ResourcePolicy', text, kind, RESOURCE_POLICY_TYPE);
}

/** `PolicyInputList.1`, `PolicyInputList.2`...: the ids AWS gives policies passed as text. */
export function inputPolicies(list: readonly string[] | undefined, name: string): EvaluatedPolicy[] {
  return (list ?? []).map((text, i) => simulatedPolicy(`${name}.${i + 1}`, text));
}

const VALID: Readonly<Record<string, (value: string) => boolean>> = {
  numeric: (v) => /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()),
  boolean: (v) => /^(true|false)$/i.test(v),
  date: (v) => dateOf(v) !== undefined,
  ip: (v) => isIP(v.split('/')[0]!) !== 0,
  binary: (v) => /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0,
};

/**
 * ContextEntries as context values, each value checked against its ContextKeyType (a
 * `numeric` that is no number, a `date` that is no date...): InvalidInput, in our wording
 * (AWS's is not on record). An unknown ContextKeyType never gets here: the model's enum check
 * answers ValidationError first, as AWS's validation does.
 */
export function contextOf(entries: readonly ContextEntry[] | undefined): ContextValue[] {
  return (entries ?? []).map((entry) => {
    const key = entry.ContextKeyName;
    if (key === undefined || key === '') throw iamError('InvalidInputException', 'ContextKeyName is required in each ContextEntries member.');
    const values = entry.ContextKeyValues ?? [];
    const type = entry.ContextKeyType as ContextKeyType | undefined;
    if (type !== undefined && !(CONTEXT_KEY_TYPES as readonly string[]).includes(type)) {
      throw iamError('InvalidInputException', `Invalid ContextKeyType ${type} for context key ${key}.`);
    }
    const check = type && VALID[type.replace(/List$/, '')];
    const bad = check ? values.find((v) => !check(v)) : undefined;
    if (bad !== undefined) throw iamError('InvalidInputException', `Invalid value ${bad} for context key ${key} of type ${type}.`);
    return { key, values, ...(type ? { type } : {}) };
  });
}

/** The context keys the policies read that the context does not give. */
export function missingContext(policies: readonly EvaluatedPolicy[], context: readonly ContextValue[]): string[] {
  const given = new Set(context.map((c) => c.key.toLowerCase()));
  return contextKeysOf(policies.map((p) => p.document)).filter((key) => !given.has(key.toLowerCase()));
}

/** The account of an ARN (`arn:aws:iam::123456789012:root` → `123456789012`), or undefined. */
export function accountOf(arn: string | undefined): string | undefined {
  const parts = arn === undefined ? undefined : parseArn(arn);
  return parts?.accountId || undefined;
}

function statementOut(m: MatchedStatement): Statement {
  const span = m.policy.spans?.[m.index];
  return {
    SourcePolicyId: m.policy.id,
    SourcePolicyType: m.policy.type,
    ...(span ? { StartPosition: { Line: span.start.line, Column: span.start.column }, EndPosition: { Line: span.end.line, Column: span.end.column } } : {}),
  };
}

function statementsOut(matched: readonly MatchedStatement[]): Statement[] {
  const seen = new Set<string>();
  return matched.map(statementOut).filter((s) => {
    const key = JSON.stringify(s);
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

function details(evaluation: Evaluation): Record<string, string> | undefined {
  if (!evaluation.crossAccount) return undefined;
  return { [IDENTITY_POLICY_TYPE]: evaluation.crossAccount.identity, [RESOURCE_POLICY_TYPE]: evaluation.crossAccount.resource };
}

/**
 * One action's EvaluationResult from its evaluations, one per resource. `named` says whether
 * ResourceArns named resources (then ResourceSpecificResults lists them).
 */
export function evaluationResult(action: string, perResource: readonly { resource: string; evaluation: Evaluation }[], missing: string[], named: boolean): EvaluationResult {
  const decision = mostRestrictive(perResource.map((r) => r.evaluation.decision));
  const deciding = perResource.filter((r) => r.evaluation.decision === decision);
  const boundary = perResource.map((r) => r.evaluation.allowedByBoundary).filter((b): b is boolean => b !== undefined);
  const organizations = perResource.map((r) => r.evaluation.allowedByOrganizations).filter((b): b is boolean => b !== undefined);
  const crossDetails = perResource.length === 1 ? details(perResource[0]!.evaluation) : undefined;
  const result: EvaluationResult = {
    EvalActionName: action,
    EvalResourceName: perResource.length === 1 ? perResource[0]!.resource : '*',
    EvalDecision: decision,
    MatchedStatements: statementsOut(deciding.flatMap((r) => r.evaluation.matched)),
    MissingContextValues: missing,
    ...(organizations.length ? { OrganizationsDecisionDetail: { AllowedByOrganizations: organizations.every(Boolean) } } : {}),
    ...(boundary.length ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: boundary.every(Boolean) } } : {}),
    ...(named ? { EvalDecisionDetails: crossDetails ?? {} } : {}),
  };
  if (named) {
    result.ResourceSpecificResults = perResource.map(({ resource, evaluation }): ResourceSpecificResult => ({
      EvalResourceName: resource,
      EvalResourceDecision: evaluation.decision,
      MatchedStatements: statementsOut(evaluation.matched),
      MissingContextValues: missing,
      ...(details(evaluation) ? { EvalDecisionDetails: details(evaluation) } : {}),
      ...(evaluation.allowedByBoundary !== undefined ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: evaluation.allowedByBoundary } } : {}),
    }));
  }
  return result;
}
