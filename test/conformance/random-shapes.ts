/**
 * Random values for model shapes, seeded, for the conformance suite. Values are what a client
 * may legally send or a server return: every required member is set, strings that travel in a
 * URI or header are plain, numbers fit their type.
 */
import type { ServiceModel, Shape } from '../../runtime/aws/models/service-model.js';

export type Rnd = () => number;

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
const RICH = `${PLAIN} .,:;!?()[]{}<>&'"/\\=+*%$#@~^|é漢字😀\t`;

function text(rnd: Rnd, alphabet: string, min = 1, max = 12): string {
  const n = min + Math.floor(rnd() * (max - min + 1));
  let s = '';
  while ([...s].length < n) s += [...alphabet][Math.floor(rnd() * [...alphabet].length)];
  return s;
}

export interface GenOptions {
  /** Depth left before optional members stop being set. */
  depth: number;
  /** Plain strings only (URI labels, headers, query strings). */
  plain: boolean;
  /** The operation's input or output itself (may be empty). */
  root?: boolean;
  /** Generating an output (streamed members are left out). */
  output?: boolean;
  /**
   * The members the client knows of a structure, by the structure's model name; undefined
   * when it knows the structure as the model does. Members the client cannot carry (its
   * model is of another day) are left out.
   */
  known?: (shapeName: string | undefined) => ReadonlySet<string> | undefined;
}

/**
 * Members the SDKs check against their enums before sending (the bundled models carry no
 * enums): these get a value the client accepts.
 */
const ENUM_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  ChecksumAlgorithm: ['CRC32', 'CRC32C', 'SHA1', 'SHA256'],
  ChecksumMode: ['ENABLED'],
};

export function randomValue(service: ServiceModel, shape: Shape, rnd: Rnd, opts: GenOptions): unknown {
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return { k: text(rnd, PLAIN) };
      const out: Record<string, unknown> = {};
      const required = new Set(shape.required ?? []);
      const known = opts.known?.(shape.shapeName);
      const members = service.members(shape).filter(([name]) => !known || known.has(name));
      if (shape.union) {
        // an alternative that is an empty structure has no form in query (CloudWatch's SlidingWindow)
        const filled = members.filter(([, m]) => m.type !== 'structure' || m.document || Object.keys(m.members ?? {}).length > 0);
        const choices = filled.length > 0 ? filled : members;
        const [name, m] = choices[Math.floor(rnd() * choices.length)]!;
        out[name] = randomValue(service, m, rnd, { ...opts, root: false, depth: opts.depth - 1 });
        return out;
      }
      // event streams have a test of their own (test/protocols)
      const usable = members.filter(([, m]) => !(m.eventstream || m.location === 'statusCode'));
      for (const [name, m] of usable) {
        // idempotency tokens are always set: the SDK would otherwise invent one
        // (and ClientToken: the SDK's newer models mark more members as tokens than ours)
        const wanted = required.has(name) || m.idempotencyToken === true || name === 'ClientToken' || (opts.depth > 0 && rnd() < 0.6);
        if (!wanted) continue;
        const plain = opts.plain || m.location !== undefined || m.xmlAttribute === true || m.hostLabel === true;
        const choices = ENUM_MEMBERS[name];
        const pickOne = () => choices![Math.floor(rnd() * choices!.length)];
        if (choices && m.type === 'string') out[name] = pickOne();
        else if (choices && m.type === 'list') out[name] = [pickOne()];
        else out[name] = randomValue(service, m, rnd, { ...opts, root: false, depth: opts.depth - 1, plain });
      }
      // an empty structure has no form in query or XML: give nested ones one member at least
      if (Object.keys(out).length === 0 && usable.length > 0 && !opts.root) {
        const [name, m] = usable[Math.floor(rnd() * usable.length)]!;
        out[name] = randomValue(service, m, rnd, { ...opts, root: false, depth: 0, plain: opts.plain || m.location !== undefined });
      }
      return out;
    }
    case 'list': {
      const item = service.resolve(shape.member ?? {});
      const n = 1 + Math.floor(rnd() * 3);
      return Array.from({ length: n }, () => randomValue(service, item, rnd, { ...opts, root: false, depth: opts.depth - 1 }));
    }
    case 'map': {
      const value = service.resolve(shape.value ?? {});
      const out: Record<string, unknown> = {};
      // header names travel lower-cased: prefixed header maps get lower-case keys
      const alphabet = shape.location === 'headers' ? 'abcdefghijklmnopqrstuvwxyz0123456789-' : PLAIN;
      for (let i = 1 + Math.floor(rnd() * 3); i > 0; i--) out[text(rnd, alphabet, 3, 8)] = randomValue(service, value, rnd, { ...opts, root: false, depth: opts.depth - 1 });
      return out;
    }
    case 'boolean':
      return rnd() < 0.5;
    case 'integer':
    case 'short':
    case 'byte':
      return Math.floor(rnd() * 2000) - 1000;
    case 'long':
    case 'biginteger':
      return Math.floor(rnd() * 2 ** 40);
    case 'float':
    case 'double':
    case 'bigdecimal':
      return Math.round(rnd() * 1e6) / 64;
    case 'timestamp':
      // whole seconds: every wire format carries them exactly
      return new Date(Math.floor(1.6e9 + rnd() * 2e8) * 1000);
    case 'blob':
      return Uint8Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256));
    default:
      return text(rnd, opts.plain ? PLAIN : RICH);
  }
}

/** A comparable form: dates as ISO strings, bytes as base64, no undefined members. */
export function normalize(value: unknown): unknown {
  // streamed members (S3's Body) are not generated; the SDK hands back an empty stream
  if (value && typeof (value as { pipe?: unknown }).pipe === 'function') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const n = k === '$metadata' ? undefined : normalize(v);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  return value;
}
