/**
 * The Conditions section evaluated for one stack: each condition once, on demand, so that a
 * condition may refer to others in any order (`!Condition IsProd` inside `!And`); a condition
 * that reaches itself again is a cycle, refused before anything is created.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';
import type { PseudoParameters, Template } from './index.js';
import { evaluateCondition, NotStatic, type EvaluationContext } from './intrinsics.js';
import { hasLanguageExtensions } from './validate.js';

/** Evaluates every condition of `template` with the stack's parameters (Ref values) and pseudo parameters. */
export function evaluateConditions(template: Template, parameters: ReadonlyMap<string, PropertyValue>, pseudo: PseudoParameters): Record<string, boolean> {
  const declared = template.Conditions ?? {};
  const values: Record<string, boolean> = {};
  const evaluating: string[] = [];
  const condition = (name: string, where: string): boolean => {
    if (name in values) return values[name]!;
    if (!(name in declared)) throw templateError(`Template error: unresolved condition dependency ${name} in ${where}`);
    if (evaluating.includes(name)) {
      const cycle = evaluating.slice(evaluating.indexOf(name));
      throw templateError(`Template format error: Circular dependency between conditions: [${cycle.join(', ')}]`);
    }
    evaluating.push(name);
    let result: boolean;
    try {
      result = evaluateCondition(declared[name]!, ctx, 'Condition');
    } catch (error) {
      // what only a created stack answers: nothing a condition may read
      if (error instanceof NotStatic && error.message === 'Fn::ImportValue') throw templateError('Template error: Cannot use Fn::ImportValue in Conditions');
      if (error instanceof NotStatic) throw templateError('Template format error: Conditions can only be boolean operations on parameters and other conditions');
      throw error;
    }
    evaluating.pop();
    values[name] = result;
    return result;
  };
  const ctx: EvaluationContext = {
    template,
    pseudo,
    parameters,
    condition,
    // conditions may not refer to resources (validate.ts refuses it): none exist for them
    resources: new Set(),
    languageExtensions: hasLanguageExtensions(template),
  };
  for (const name of Object.keys(declared)) condition(name, 'Condition');
  return values;
}
