/**
 * Fn::Sub strings: `${Name}`, `${Resource.Attribute}`, `${AWS::Region}` are variables,
 * `${!Literal}` writes `${Literal}`, everything else is text. Parsed once into parts, so the
 * walk that finds references and the evaluation that fills them in read the same grammar.
 */
import { templateError } from './errors.js';

/** A part of a Fn::Sub string: literal text, or a variable to fill in. */
export type SubPart = string | { readonly variable: string };

const SUB_ARGUMENTS =
  "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string";

/** AWS's message for a Fn::Sub whose arguments are neither a string nor `[string, map]`. */
export function subArgumentsError(): Error {
  return templateError(SUB_ARGUMENTS);
}

/** Splits a Fn::Sub string into its literal text and its variables. */
export function parseSub(template: string): SubPart[] {
  const parts: SubPart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('${', i);
    if (open === -1) break;
    const close = template.indexOf('}', open + 2);
    if (close === -1) break;
    text += template.slice(i, open);
    const inner = template.slice(open + 2, close);
    if (inner.startsWith('!')) {
      // `${!Literal}`: the text `${Literal}`, not a variable
      text += '${' + inner.slice(1) + '}';
    } else {
      if (text !== '') parts.push(text);
      text = '';
      parts.push({ variable: inner.trim() });
    }
    i = close + 1;
  }
  text += template.slice(i);
  if (text !== '') parts.push(text);
  return parts;
}
