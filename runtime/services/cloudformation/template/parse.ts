/**
 * A template body into a {@link Template}: JSON when it starts with `{` (as CloudFormation
 * decides), YAML otherwise, then the document's shape checked (validate.ts) so that nothing
 * downstream meets a template AWS would have refused.
 *
 * JSON errors carry a line and column, as AWS gives them. `JSON.parse` on Node 20 does not
 * always say where it stopped, so a small scanner finds the first offending character when
 * it fails; it runs only on bodies `JSON.parse` already refused.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';
import type { Template } from './index.js';
import { validateTemplate } from './validate.js';
import { parseYaml } from './yaml-tags.js';

/** Parses and checks a template body; ValidationError with AWS's message when it is malformed. */
export function parseTemplate(body: string): Template {
  // a byte order mark is no part of the document (JSON.parse refuses it)
  const text = typeof body === 'string' ? body.replace(/^\uFEFF/, '') : '';
  if (text.trim() === '') throw templateError('Template format error: At least one Resources member must be defined.');
  const document = text.trimStart().startsWith('{') ? parseJson(text) : parseYaml(text);
  // an empty YAML document (`---`) has no Resources rather than a wrong structure
  if (document === null) throw templateError('Template format error: At least one Resources member must be defined.');
  return validateTemplate(document);
}

function parseJson(body: string): PropertyValue {
  try {
    return JSON.parse(body) as PropertyValue;
  } catch {
    const offset = jsonErrorOffset(body);
    let line = 1;
    let start = 0;
    for (let i = 0; i < offset; i++) {
      if (body.charCodeAt(i) === 10) {
        line += 1;
        start = i + 1;
      }
    }
    throw templateError(`Template format error: JSON not well-formed. (line ${line}, column ${offset - start + 1})`);
  }
}

/** The offset of the first character a JSON parser refuses in `text` (text.length when it ends too soon). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch.charCodeAt(0) < 0x20) fail();
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) fail();
      }
      i++;
    }
    fail();
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === '' || match[0] === '-') fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail();
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return text.length;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}
