/**
 * The Rules section: assertions on the parameters, checked before anything is created. A
 * rule's RuleCondition (when it has one) decides whether its assertions apply; an assertion
 * that does not hold refuses the stack with its AssertDescription as the message. The rule
 * functions evaluated are Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::Equals,
 * Fn::And, Fn::Or, Fn::Not and Fn::If over Refs to parameters (the CDK's CheckBootstrapVersion
 * is `Fn::Not [Fn::Contains [[1..5], Ref BootstrapVersion]]`, read with the SSM-resolved
 * value). Fn::ValueOf, Fn::ValueOfAll and Fn::RefAll read the account's resources (VPCs,
 * subnets) and are not evaluated: a rule using them is refused as a malformed condition.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';
import { evaluateCondition, NotStatic, type EvaluationContext } from './intrinsics.js';

const isObject = (value: PropertyValue | undefined): value is Record<string, PropertyValue> =>
  value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

/** Checks every rule of `rules`; throws ValidationError with the failing assertion's description. */
export function checkRules(rules: Readonly<Record<string, PropertyValue>> | undefined, ctx: EvaluationContext): void {
  try {
    checkEach(rules, ctx);
  } catch (error) {
    // Fn::GetAZs, Fn::ImportValue: a rule reads parameters only
    if (error instanceof NotStatic) throw templateError('Template format error: Rules can only refer to parameters');
    throw error;
  }
}

function checkEach(rules: Readonly<Record<string, PropertyValue>> | undefined, ctx: EvaluationContext): void {
  for (const [name, rule] of Object.entries(rules ?? {})) {
    if (!isObject(rule)) throw templateError(`Template format error: Every Rules member must be an object: ${name}`);
    if (rule.RuleCondition !== undefined && !evaluateCondition(rule.RuleCondition, ctx, `Rule ${name}`)) continue;
    const assertions = rule.Assertions;
    if (!Array.isArray(assertions)) throw templateError(`Template format error: Rule ${name} must contain an Assertions list`);
    for (const assertion of assertions) {
      if (!isObject(assertion) || assertion.Assert === undefined) throw templateError(`Template format error: Every Assertions member of rule ${name} must contain an Assert`);
      if (evaluateCondition(assertion.Assert, ctx, `Rule ${name}`)) continue;
      const description = assertion.AssertDescription;
      throw templateError(typeof description === 'string' && description !== '' ? description : `Template error: Assertion of rule ${name} failed`);
    }
  }
}
