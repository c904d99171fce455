/**
 * AWS's policy evaluation logic (IAM user guide, "Policy evaluation logic" and "Determining
 * whether a request is allowed or denied within an account"), as pure functions over parsed
 * documents (runtime/aws/policies.ts):
 *
 *   1. an explicit Deny in any policy that applies (identity, permissions boundary, session,
 *      resource, organizations' SCPs) ends the evaluation: explicitDeny;
 *   2. each level of SCPs given must allow (else implicitDeny, AllowedByOrganizations false);
 *   3. within the account, an Allow in the resource policy for the caller is enough; an
 *      Allow in the identity policies counts only when the permissions boundary and the
 *      session policies (each when present) allow too;
 *   4. across accounts (the resource's owner is not the caller's account), both the identity
 *      side and the resource policy must allow ("Cross-account policy evaluation logic");
 *   5. otherwise implicitDeny.
 *
 * A statement applies when its Action/NotAction matches the action (without regard to case),
 * its Resource/NotResource the resource (ARN parts with wildcards, case-sensitive, policy
 * variables read), its Principal/NotPrincipal the caller (resource policies) and every
 * condition holds (conditions.ts). The statements that decided are returned, as the
 * simulator's MatchedStatements: the denying ones for explicitDeny, the allowing ones of the
 * identity side (boundary and session policies included) and of the resource policy for
 * allowed, none for implicitDeny. SCPs that allow are reported as allowedByOrganizations only.
 *
 * Simplification: a resource policy naming the caller's account (`123456789012`,
 * `arn:aws:iam::123456789012:root`) grants the caller as naming the caller would; AWS treats
 * that as delegating to the account's own policies.
 */
import type { PolicyDocument, PolicyPrincipal, PolicyStatement } from '../policies.js';
import { conditionsHold } from './conditions.js';
import { contextValues, type RequestContext } from './context-keys.js';
import { actionMatches, arnMatches } from './matching.js';
import type { StatementSpan } from './positions.js';

export { conditionHolds, conditionsHold } from './conditions.js';
export { contextKeysOf, requestContext, CONTEXT_KEY_TYPES, type ContextKeyType, type ContextValue, type RequestContext } from './context-keys.js';
export { statementSpans, type Position, type StatementSpan } from './positions.js';

/** The simulator's decisions (PolicyEvaluationDecisionType). */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A policy taking part in an evaluation, with what the simulator says about it. */
export interface EvaluatedPolicy {
  /** SourcePolicyId: `PolicyInputList.1`, a policy name... */
  readonly id: string;
  /** SourcePolicyType. */
  readonly type: string;
  readonly document: PolicyDocument;
  /** Where each statement is in the document's text (positions.ts), when the text is known. */
  readonly spans?: readonly StatementSpan[];
}

/** A statement that decided. */
export interface MatchedStatement {
  readonly policy: EvaluatedPolicy;
  /** Its index in the document. */
  readonly index: number;
  readonly statement: PolicyStatement;
}

/** Who asks. */
export interface Caller {
  /** The caller's ARN (a resource policy's Principal is matched against it). */
  readonly arn?: string;
  /** The caller's account id. */
  readonly account?: string;
}

/** One request: an action on a resource (`*` when none), with its context. */
export interface EvaluationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
  readonly caller?: Caller;
  /** The account owning the resource (cross-account when it differs from the caller's). */
  readonly resourceAccount?: string;
}

/** The policies of an evaluation; a kind left undefined does not take part. */
export interface PolicySet {
  readonly identity: readonly EvaluatedPolicy[];
  readonly boundary?: readonly EvaluatedPolicy[];
  readonly session?: readonly EvaluatedPolicy[];
  readonly resource?: EvaluatedPolicy;
  /** SCP levels (root first); each level must allow. */
  readonly organizations?: readonly (readonly EvaluatedPolicy[])[];
}

/** The outcome of one request. */
export interface Evaluation {
  readonly decision: Decision;
  readonly matched: readonly MatchedStatement[];
  /** Whether the permissions boundary allows the request (when there is one). */
  readonly allowedByBoundary?: boolean;
  /** Whether the SCPs allow it (when given). */
  readonly allowedByOrganizations?: boolean;
  /** Across accounts: each side's own decision. */
  readonly crossAccount?: { readonly identity: Decision; readonly resource: Decision };
}

/** Whether a principal element names the caller. */
export function principalMatches(principal: PolicyPrincipal, caller: Caller | undefined): boolean {
  if (principal === '*') return true;
  return (principal.AWS ?? []).some((p) => {
    if (p === '*') return true;
    if (!caller) return false;
    if (caller.arn !== undefined && p === caller.arn) return true;
    return caller.account !== undefined && (p === caller.account || /^arn:[^:]+:iam::(\d{12}):root$/.exec(p)?.[1] === caller.account);
  });
}

/** Whether a statement applies to the request. */
export function statementApplies(statement: PolicyStatement, document: PolicyDocument, request: EvaluationRequest): boolean {
  const variables = document.version === '2012-10-17';
  const lookup = (key: string) => contextValues(request.context, key);
  const action = statement.action ? statement.action.some((a) => actionMatches(a, request.action)) : !statement.notAction!.some((a) => actionMatches(a, request.action));
  if (!action) return false;
  const resourceMatch = (p: string) => arnMatches(p, request.resource, { variables, lookup });
  if (statement.resource && !statement.resource.some(resourceMatch)) return false;
  if (statement.notResource && statement.notResource.some(resourceMatch)) return false;
  if (statement.principal && !principalMatches(statement.principal, request.caller)) return false;
  if (statement.notPrincipal && principalMatches(statement.notPrincipal, request.caller)) return false;
  return conditionsHold(statement.conditions, request.context, variables);
}

interface Verdict {
  readonly allows: MatchedStatement[];
  readonly denies: MatchedStatement[];
}

function judge(policies: readonly EvaluatedPolicy[], request: EvaluationRequest): Verdict {
  const verdict: Verdict = { allows: [], denies: [] };
  for (const policy of policies) {
    policy.document.statements.forEach((statement, index) => {
      if (!statementApplies(statement, policy.document, request)) return;
      (statement.effect === 'Deny' ? verdict.denies : verdict.allows).push({ policy, index, statement });
    });
  }
  return verdict;
}

const allows = (v: Verdict | undefined) => v === undefined || (v.allows.length > 0 && v.denies.length === 0);

/** Evaluates one request against a set of policies, as AWS does (see the module comment). */
export function evaluate(policies: PolicySet, request: EvaluationRequest): Evaluation {
  const identity = judge(policies.identity, request);
  const boundary = policies.boundary && judge(policies.boundary, request);
  const session = policies.session && judge(policies.session, request);
  const resource = policies.resource && judge([policies.resource], request);
  const organizations = policies.organizations?.map((level) => judge(level, request));
  const detail = {
    ...(boundary ? { allowedByBoundary: allows(boundary) } : {}),
    ...(organizations ? { allowedByOrganizations: organizations.every((level) => allows(level)) } : {}),
  };

  const denies = [identity, boundary, session, resource, ...(organizations ?? [])].flatMap((v) => v?.denies ?? []);
  if (denies.length > 0) return { decision: 'explicitDeny', matched: denies, ...detail };
  if (organizations && !detail.allowedByOrganizations) return { decision: 'implicitDeny', matched: [], ...detail };

  const identitySide = identity.allows.length > 0 && allows(boundary) && allows(session);
  const resourceSide = resource !== undefined && resource.allows.length > 0;
  const caller = request.caller?.account;
  const crossAccount = resource !== undefined && caller !== undefined && request.resourceAccount !== undefined && request.resourceAccount !== caller;
  const allowed = crossAccount ? identitySide && resourceSide : identitySide || resourceSide;
  const side = (yes: boolean): Decision => (yes ? 'allowed' : 'implicitDeny');
  const cross = crossAccount ? { crossAccount: { identity: side(identitySide), resource: side(resourceSide) } } : {};
  if (!allowed) return { decision: 'implicitDeny', matched: [], ...detail, ...cross };
  const matched = [
    ...(identitySide ? [...identity.allows, ...(boundary?.allows ?? []), ...(session?.allows ?? [])] : []),
    ...(resourceSide ? resource.allows : []),
  ];
  return { decision: 'allowed', matched, ...detail, ...cross };
}

/** The most restrictive of decisions: explicitDeny, then implicitDeny, then allowed. */
export function mostRestrictive(decisions: readonly Decision[]): Decision {
  if (decisions.includes('explicitDeny')) return 'explicitDeny';
  if (decisions.includes('implicitDeny')) return 'implicitDeny';
  return 'allowed';
}
