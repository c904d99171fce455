/**
 * Compiled XML writers for output shapes (query, ec2 and, later, rest-xml). Each shape is
 * compiled once into a closure that appends to an array of strings.
 */
import type { ServiceModel, Shape } from '../models/service-model.js';
import { compileCached } from './compile-cache.js';
import { encodeBase64, escapeXml, escapeXmlAttribute, formatTimestamp, toDate, type TimestampFormat } from './scalars.js';

/** Appends `<tag>value</tag>` (or the flattened/attribute form the shape asks for). */
export type XmlWriter = (value: unknown, tag: string, out: string[]) => void;

export interface XmlDialect {
  /** ec2 never flattens lists (its models name list items `item` where EC2 does). */
  readonly ec2: boolean;
  readonly timestampFormat: TimestampFormat;
  /** ISO 8601 times always with milliseconds (S3 writes `.000Z`, where others drop a zero fraction). */
  readonly millis?: boolean;
}

/** ` xmlns="uri"` or ` xmlns:prefix="uri"` for a shape's xmlNamespace trait. */
export function namespaceAttribute(ns: Shape['xmlNamespace']): string {
  if (!ns) return '';
  if (typeof ns === 'string') return ` xmlns="${ns}"`;
  if (!ns.uri) return '';
  return ns.prefix ? ` xmlns:${ns.prefix}="${ns.uri}"` : ` xmlns="${ns.uri}"`;
}

/**
 * Members in the order the shape's xmlOrder trait (botocore's) names them, the others after
 * them in model order: where a service writes its elements in another order than its model
 * lists them (S3's ListBucketResult starts with Name, its Owner with ID; patches.json).
 */
function inXmlOrder<T>(shape: Shape, members: Array<[string, T]>): Array<[string, T]> {
  const order = shape.xmlOrder;
  if (!order || order.length === 0) return members;
  const rank = (name: string) => {
    const at = order.indexOf(name);
    return at === -1 ? order.length : at;
  };
  return members.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m[0]) - rank(b.m[0]) || a.i - b.i).map(({ m }) => m);
}

export function compileXmlWriter(service: ServiceModel, root: Shape, dialect: XmlDialect): XmlWriter {
  const cache = new Map<Shape, XmlWriter>();

  function compile(shape: Shape): XmlWriter {
    return compileCached(cache, shape, build);
  }

  /** The member's XML name and whether it is written inline (flattened) into its parent. */
  function memberInfo(name: string, m: Shape): { tag: string; write: XmlWriter; flat: boolean } {
    const flat = !dialect.ec2 && m.flattened === true && (m.type === 'list' || m.type === 'map');
    // queryName outside ec2: the XML name of a member of a json model that speaks query too (SQS)
    const own = (!dialect.ec2 && m.queryName) || m.locationName;
    if (flat && m.type === 'list') {
      const item = service.resolve(m.member ?? {});
      const tag = item.locationName ?? own ?? name;
      const write = compile(item);
      return {
        tag,
        flat,
        write: (v, t, o) => {
          for (const x of v as unknown[]) write(x, t, o);
        },
      };
    }
    return { tag: own ?? name, write: compile(m), flat };
  }

  function build(shape: Shape): XmlWriter {
    switch (shape.type) {
      case 'structure': {
        const all = inXmlOrder(shape, service.members(shape)).map(([name, m]) => ({ name, attribute: m.xmlAttribute === true, ...memberInfo(name, m) }));
        const elements = all.filter((m) => !m.attribute);
        const attributes = all.filter((m) => m.attribute);
        const ns = namespaceAttribute(shape.xmlNamespace);
        return (value, tag, out) => {
          const src = value as Record<string, unknown>;
          let open = `<${tag}${ns}`;
          for (const a of attributes) {
            const v = src[a.name];
            if (v !== undefined && v !== null) open += ` ${a.tag}="${escapeXmlAttribute(String(v))}"`;
          }
          out.push(`${open}>`);
          for (const m of elements) {
            const v = src[m.name];
            if (v !== undefined && v !== null) m.write(v, m.tag, out);
          }
          out.push(`</${tag}>`);
        };
      }
      case 'list': {
        const item = service.resolve(shape.member ?? {});
        // as botocore and the Smithy protocols read it: ec2's models say `item` on nearly every list,
        // and the few that do not (InstanceTypes' Accelerators) are sent with <member>
        const itemTag = item.locationName ?? 'member';
        const write = compile(item);
        return (value, tag, out) => {
          out.push(`<${tag}>`);
          for (const v of value as unknown[]) write(v, itemTag, out);
          out.push(`</${tag}>`);
        };
      }
      case 'map': {
        const keyShape = service.resolve(shape.key ?? {});
        const valueShape = service.resolve(shape.value ?? {});
        const keyTag = keyShape.locationName ?? 'key';
        const valueTag = valueShape.locationName ?? 'value';
        const writeValue = compile(valueShape);
        const flat = !dialect.ec2 && shape.flattened === true;
        return (value, tag, out) => {
          if (!flat) out.push(`<${tag}>`);
          for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            out.push(flat ? `<${tag}>` : '<entry>', `<${keyTag}>${escapeXml(k)}</${keyTag}>`);
            writeValue(v, valueTag, out);
            out.push(flat ? `</${tag}>` : '</entry>');
          }
          if (!flat) out.push(`</${tag}>`);
        };
      }
      case 'timestamp': {
        const format = shape.timestampFormat ?? dialect.timestampFormat;
        const millis = dialect.millis === true && format === 'iso8601';
        return (v, tag, out) => {
          out.push(`<${tag}>${millis ? toDate(v).toISOString() : formatTimestamp(v, format)}</${tag}>`);
        };
      }
      case 'blob':
        return (v, tag, out) => {
          out.push(`<${tag}>${encodeBase64(v)}</${tag}>`);
        };
      case 'boolean':
        return (v, tag, out) => {
          out.push(`<${tag}>${v ? 'true' : 'false'}</${tag}>`);
        };
      case 'float':
      case 'double': {
        return (v, tag, out) => {
          const n = Number(v);
          const text = Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : String(n);
          out.push(`<${tag}>${text}</${tag}>`);
        };
      }
      default:
        return (v, tag, out) => {
          out.push(`<${tag}>${escapeXml(String(v))}</${tag}>`);
        };
    }
  }

  return compile(root);
}

/**
 * Writes the members of a structure (without its own element) — the body of a query
 * `<OpResult>` or an ec2 response.
 */
export function compileXmlMembersWriter(service: ServiceModel, shape: Shape, dialect: XmlDialect): (value: Record<string, unknown>, out: string[]) => void {
  const whole = compileXmlWriter(service, shape, dialect);
  return (value, out) => {
    const start = out.length;
    whole(value, '\u0000', out);
    // drop the wrapper element the structure writer added around its members
    out[start] = '';
    out[out.length - 1] = '';
  };
}
