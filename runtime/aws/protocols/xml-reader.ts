/**
 * Compiled XML readers for input shapes (rest-xml request bodies). fast-xml-parser turns the
 * document into a uniform tree (every element an array of nodes, text in `#text`,
 * attributes as `@name`, namespace prefixes removed); each shape is compiled once into a
 * closure that reads its value from such a node.
 *
 * DOCTYPE declarations are refused outright: no entity of the caller's is ever expanded.
 */
import { createRequire } from 'node:module';
import { ServiceError } from '../errors.js';
import type { ServiceModel, Shape } from '../models/service-model.js';
import { compileCached } from './compile-cache.js';
import { memberPath, SCALAR_NAMES, scalarFromText, setMapEntry } from './scalars.js';

/** An element: child elements by name (always arrays), `#text`, and `@attribute` arrays. */
export interface XmlNode {
  [name: string]: XmlNode[] | string | string[] | undefined;
}

type XmlReader = (node: XmlNode, path: string, errors: string[]) => unknown;

type FastXmlParser = typeof import('fast-xml-parser');
let xml: { parser: InstanceType<FastXmlParser['XMLParser']>; validator: FastXmlParser['XMLValidator'] } | undefined;

/** The parser is loaded on first use: most runtimes never see an XML request. */
function xmlParser(): NonNullable<typeof xml> {
  if (!xml) {
    const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      textNodeName: '#text',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      removeNSPrefix: true,
      isArray: () => true,
      alwaysCreateTextNode: true,
      processEntities: true,
      // character references too (`&#x0D;&#x0A;`: the JS SDK writes CR and LF so in keys, tag
      // values, S3 Select delimiters); it also takes HTML's named entities, which XML would refuse
      htmlEntities: true,
    });
    xml = { parser, validator: XMLValidator };
  }
  return xml;
}

export function malformedXml(): ServiceError {
  return new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

/** Parses a document and returns its root element (name and node). */
export function parseXmlDocument(text: string): { name: string; node: XmlNode } {
  let doc: Record<string, XmlNode[]>;
  try {
    const { parser, validator } = xmlParser();
    if (/<!DOCTYPE/i.test(text) || validator.validate(text) !== true) throw malformedXml();
    doc = parser.parse(text) as Record<string, XmlNode[]>;
  } catch {
    // also a document nested deeper than the parser's stack allows
    throw malformedXml();
  }
  for (const [name, nodes] of Object.entries(doc)) {
    if (name.startsWith('?')) continue;
    const node = nodes[0];
    if (node) return { name, node };
  }
  throw malformedXml();
}

function text(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const t = node['#text'];
  return typeof t === 'string' ? t : '';
}

function children(node: XmlNode, name: string): XmlNode[] | undefined {
  const c = node[name];
  return Array.isArray(c) && typeof c[0] === 'object' ? (c as XmlNode[]) : undefined;
}

function malformedValue(path: string, value: string, what: string): ServiceError {
  return new ServiceError('MalformedXML', `Value '${value}' at '${path}' is not ${what}`);
}

/** Converts the text of a scalar element (or attribute) to the member's type. */
function scalar(shape: Shape, value: string, path: string): unknown {
  const expected = SCALAR_NAMES[shape.type];
  if (!expected) return value;
  // XML text may carry whitespace around a number, boolean or date
  const v = scalarFromText(shape.type, shape.type === 'blob' ? value : value.trim());
  if (v === undefined) throw malformedValue(path, value, expected);
  return v;
}

export function compileXmlReader(service: ServiceModel, root: Shape): XmlReader {
  const cache = new Map<Shape, XmlReader>();

  function compile(shape: Shape): XmlReader {
    return compileCached(cache, shape, build);
  }

  /** How a member of a structure is found in its parent element. */
  function memberReader(name: string, m: Shape): (parent: XmlNode, path: string, errors: string[]) => unknown {
    const wire = m.locationName ?? name;
    if (m.xmlAttribute) {
      return (parent, path) => {
        const a = parent[`@${wire.includes(':') ? wire.slice(wire.indexOf(':') + 1) : wire}`];
        const v = Array.isArray(a) ? a[0] : a;
        return typeof v === 'string' ? scalar(m, v, path) : undefined;
      };
    }
    if (m.flattened && m.type === 'list') {
      const item = service.resolve(m.member ?? {});
      const itemName = item.locationName ?? wire;
      const read = compile(item);
      return (parent, path, errors) => {
        const nodes = children(parent, itemName);
        return nodes?.map((n, i) => read(n, `${path}.${i + 1}.member`, errors));
      };
    }
    if (m.flattened && m.type === 'map') {
      const read = compile(m);
      return (parent, path, errors) => {
        const nodes = children(parent, wire);
        return nodes ? read({ entry: nodes } as XmlNode, path, errors) : undefined;
      };
    }
    const read = compile(m);
    return (parent, path, errors) => {
      const node = children(parent, wire)?.[0];
      return node === undefined ? undefined : read(node, path, errors);
    };
  }

  function build(shape: Shape): XmlReader {
    switch (shape.type) {
      case 'structure': {
        const members = service.members(shape).map(([name, m]) => ({ name, read: memberReader(name, m) }));
        const required = shape.required ?? [];
        return (node, path, errors) => {
          const out: Record<string, unknown> = {};
          for (const m of members) {
            const v = m.read(node, memberPath(path, m.name), errors);
            if (v !== undefined) out[m.name] = v;
          }
          for (const name of required) {
            if (out[name] === undefined) errors.push(`Value null at '${memberPath(path, name)}' failed to satisfy constraint: Member must not be null`);
          }
          return out;
        };
      }
      case 'list': {
        const item = service.resolve(shape.member ?? {});
        const itemName = item.locationName ?? 'member';
        const read = compile(item);
        return (node, path, errors) => (children(node, itemName) ?? []).map((n, i) => read(n, `${path}.${i + 1}.member`, errors));
      }
      case 'map': {
        const keyShape = service.resolve(shape.key ?? {});
        const valueShape = service.resolve(shape.value ?? {});
        const keyName = keyShape.locationName ?? 'key';
        const valueName = valueShape.locationName ?? 'value';
        const readValue = compile(valueShape);
        return (node, path, errors) => {
          const out: Record<string, unknown> = {};
          for (const entry of children(node, 'entry') ?? []) {
            const k = text(children(entry, keyName)?.[0]);
            if (k === undefined) continue;
            const v = children(entry, valueName)?.[0];
            setMapEntry(out, k, v === undefined ? undefined : readValue(v, `${path}.${k}`, errors));
          }
          return out;
        };
      }
      default:
        return (node, path) => scalar(shape, text(node) ?? '', path);
    }
  }

  return compile(root);
}
