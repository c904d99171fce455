/**
 * YAML templates: the document's syntax tree turned into the plain JSON values a JSON template
 * would have, with CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub [...]`)
 * written as their long forms (`{ Ref: X }`, `{ 'Fn::GetAtt': [A, B] }`, `{ 'Fn::Sub': [...] }`).
 *
 * The `yaml` package parses; the tags are not registered with it but read off the tree: an
 * unknown tag stays on its node (with a warning), so one walk converts every node whatever
 * its kind (scalar, sequence, mapping) and reports a misspelt tag (`!GetAttr`) at its line, as
 * AWS reports it ("YAML not well-formed"). Standard tags (`!!str`, `!!int`) are the parser's.
 * The core schema (YAML 1.2) keeps `2010-09-09` a string, as CloudFormation reads it; the
 * YAML 1.1 booleans CloudFormation also reads (unquoted `yes`, `No`, `ON`, `off`) are booleans
 * (so `Value: YES` is "true" there, a known surprise kept for fidelity).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type ParsedNode } from 'yaml';
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';

/** The short-form tags, by the long form each stands for. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  ...Object.fromEntries(
    ['Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'And', 'Or', 'Not', 'FindInMap', 'GetAZs', 'ImportValue',
      'Base64', 'Cidr', 'Transform', 'Length', 'ToJsonString', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'ValueOf',
      'ValueOfAll', 'RefAll', 'ForEach'].map((name) => [`!${name}`, `Fn::${name}`]),
  ),
};

/** YAML 1.1's booleans beyond YAML 1.2's true/false (SnakeYAML's set, without y/n). */
const YAML_11_BOOLEAN = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** `Template format error: YAML not well-formed. (line 3, column 5)`: AWS's message, its positions 1-based. */
export function yamlNotWellFormed(line: number, column: number): never {
  throw templateError(`Template format error: YAML not well-formed. (line ${line}, column ${column})`);
}

/** Parses a YAML template body into JSON values; ValidationError with the position of the first problem. */
export function parseYaml(body: string): PropertyValue {
  const doc = parseDocument(body, { uniqueKeys: true, merge: true, prettyErrors: true, strict: false });
  const [error] = doc.errors;
  if (error) {
    const pos = error.linePos?.[0];
    yamlNotWellFormed(pos?.line ?? 1, pos?.col ?? 1);
  }
  return toValue(doc.contents as ParsedNode | null, doc, body);
}

function position(body: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = body.indexOf('\n'); i !== -1 && i < offset; i = body.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function toValue(node: ParsedNode | Node | null | undefined, doc: Document, body: string, depth = 0): PropertyValue {
  if (node === null || node === undefined) return null;
  // aliases of aliases could loop; CloudFormation templates are far shallower than this
  if (depth > 500) yamlNotWellFormed(1, 1);
  if (isAlias(node)) return toValue(node.resolve(doc) as Node | undefined, doc, body, depth + 1);
  const tag = node.tag;
  let value: PropertyValue;
  if (isScalar(node)) {
    value = scalarValue(node.value, tag);
    // CloudFormation's YAML reads the YAML 1.1 booleans: an unquoted `yes`, `No`, `ON`, `off` is a boolean there
    if (tag === undefined && node.type === 'PLAIN' && typeof value === 'string' && YAML_11_BOOLEAN.test(value)) value = /^(?:yes|on)$/i.test(value);
  } else if (isSeq(node)) {
    value = node.items.map((item) => toValue(item as Node, doc, body, depth + 1));
  } else if (isMap(node)) {
    const object: Record<string, PropertyValue> = {};
    const merged: Record<string, PropertyValue>[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      const name = isScalar(key) ? String(key.value) : JSON.stringify(toValue(key as Node, doc, body, depth + 1));
      const member = toValue(pair.value as Node | null, doc, body, depth + 1);
      // `<<: *anchor` (or a list of them): the anchored maps' keys, under the map's own
      if (isScalar(key) && key.source === '<<' && typeof key.value !== 'string') {
        for (const source of Array.isArray(member) ? member : [member]) {
          if (source !== null && typeof source === 'object' && !Array.isArray(source)) merged.push(source);
        }
        continue;
      }
      object[name] = member;
    }
    for (const source of merged) for (const [name, member] of Object.entries(source)) if (!(name in object)) object[name] = member;
    value = object;
  } else {
    return null;
  }
  if (tag === undefined || tag.startsWith('tag:yaml.org,2002:')) return value;
  const long = SHORT_FORMS[tag];
  if (long === undefined) {
    const offset = node.range?.[0] ?? 0;
    const { line, column } = position(body, offset);
    // the tag precedes its node; point at the tag, as a YAML parser that refuses it would
    const tagAt = body.lastIndexOf(tag, offset);
    const at = tagAt >= 0 ? position(body, tagAt) : { line, column };
    yamlNotWellFormed(at.line, at.column);
  }
  if (long === 'Fn::GetAtt' && typeof value === 'string') {
    // `!GetAtt Resource.Attribute`: the resource's name has no dot, the attribute may (`Endpoint.Address`)
    const dot = value.indexOf('.');
    return { [long]: dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if (long === 'Fn::GetAZs' && value === null) return { [long]: '' };
  return { [long]: value };
}

function scalarValue(value: unknown, tag: string | undefined): PropertyValue {
  if (value === null || value === undefined) return tag !== undefined && SHORT_FORMS[tag] !== undefined ? '' : null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
