/**
 * Parameter policies (Expiration, ExpirationNotification, NoChangeNotification): checked the
 * way PutParameter checks them and stored as given, so that DescribeParameters and
 * GetParameterHistory can return them (ParameterInlinePolicy: PolicyText, PolicyType,
 * PolicyStatus). The form is a JSON array of `{Type, Version: "1.0", Attributes}`; at most
 * one policy of each type, at most 10 in all; Advanced tier only (validation.ts, resolveTier).
 * An overwrite without Policies keeps the previous ones and `[]` removes them, as PutParameter's
 * reference says. The error texts are those AWS's API reference gives each exception.
 * Policies are recorded, never enforced: PolicyStatus stays Pending.
 */
import { ServiceError } from '../../aws/errors.js';
import { ssmError } from './errors.js';

/** One policy as ParameterInlinePolicy returns it. */
export interface StoredPolicy {
  PolicyText: string;
  PolicyType: string;
  PolicyStatus: string;
}

const POLICY_TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification'];
const MAX_POLICIES = 10;
const UNITS = ['Days', 'Hours'];

function invalidType(): ServiceError {
  return ssmError(
    'InvalidPolicyTypeException',
    "The policy type isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.",
  );
}

/** AWS's wording, which names neither the policy nor the attribute (`detail` documents the rule here). */
function invalidAttribute(_detail: string): ServiceError {
  return ssmError('InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown): boolean {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^[1-9]\d*$/.test(text);
}

function checkAttributes(type: string, attributes: Record<string, unknown>): void {
  switch (type) {
    case 'Expiration': {
      const timestamp = attributes.Timestamp;
      if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) {
        throw invalidAttribute('Expiration requires a Timestamp attribute in ISO 8601 format.');
      }
      return;
    }
    case 'ExpirationNotification':
    case 'NoChangeNotification': {
      const amount = type === 'ExpirationNotification' ? 'Before' : 'After';
      if (!positiveInteger(attributes[amount])) throw invalidAttribute(`${type} requires a positive integer ${amount} attribute.`);
      if (attributes.Unit !== undefined && !UNITS.includes(String(attributes.Unit))) {
        throw invalidAttribute(`${type} Unit must be one of: ${UNITS.join(', ')}.`);
      }
      return;
    }
  }
}

/** Parses and checks PutParameter's Policies (a JSON array); returns what is stored. */
export function parsePolicies(text: string): StoredPolicy[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidType();
  }
  if (!Array.isArray(parsed)) throw invalidType();
  const list: unknown[] = parsed;
  if (list.length > MAX_POLICIES) {
    throw ssmError(
      'PoliciesLimitExceededException',
      `You specified more than the maximum number of allowed policies for the parameter. The maximum is ${MAX_POLICIES}.`,
    );
  }
  const seen = new Set<string>();
  return list.map((policy) => {
    if (!isObject(policy) || typeof policy.Type !== 'string' || !POLICY_TYPES.includes(policy.Type)) throw invalidType();
    if (policy.Version !== '1.0') throw invalidAttribute('The policy Version must be 1.0.');
    if (!isObject(policy.Attributes)) throw invalidAttribute(`${policy.Type} requires an Attributes object.`);
    checkAttributes(policy.Type, policy.Attributes);
    if (seen.has(policy.Type)) {
      throw ssmError(
        'IncompatiblePolicyException',
        `There is a conflict in the policies specified for this parameter. You can't, for example, specify two ${policy.Type} policies for a parameter. Review your policies, and try again.`,
      );
    }
    seen.add(policy.Type);
    return { PolicyText: JSON.stringify(policy), PolicyType: policy.Type, PolicyStatus: 'Pending' };
  });
}
