/**
 * The state codec: plain data to text and back, exactly. JSON alone loses what state holds:
 * records keyed by user input are null-prototype objects (so that a key named `__proto__`,
 * `constructor` or `toString` is data, never an inherited member), timestamps are Dates,
 * bodies and hashes are binary, and numbers may be NaN, infinite or -0.
 *
 * The encoded form is JSON with a few tagged objects, versioned by STATE_FORMAT_VERSION:
 *   {"$np":1, ...}          a null-prototype object (the marker is one more key)
 *   {"$t":"date","v":ISO}    a Date (an invalid one as "v":null)
 *   {"$t":"bin","v":b64}     a Uint8Array (decoded as a Buffer)
 *   {"$t":"num","v":"NaN"}   NaN, Infinity, -Infinity, -0
 *   {"$t":"big","v":"123"}   a bigint
 *   {"$t":"undef"}           undefined inside an array (object members that are undefined
 *                            are left out, as JSON does: absent and undefined read the same)
 * A user key that starts with `$` is written with one more `$` in front, so no key of
 * user data can be taken for a tag.
 *
 * Anything else (a Map, a class instance, a function) is refused when encoded: state is plain
 * data, and a value that would not come back the same must fail loudly, not silently.
 */

/** Bumped when the encoded form changes; a reader refuses a newer version. */
export const STATE_FORMAT_VERSION = 1;

/** What state may hold. */
export type StateValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | readonly StateValue[]
  | { readonly [key: string]: StateValue };

export class StateCodecError extends Error {}

function encodeKey(key: string): string {
  return key.charCodeAt(0) === 36 /* $ */ ? `$${key}` : key;
}

function encodeNode(value: unknown, path: string): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return { $t: 'num', v: Object.is(value, -0) ? '-0' : String(value) };
    case 'bigint':
      return { $t: 'big', v: value.toString() };
    case 'undefined':
      return { $t: 'undef' };
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = encodeNode(value[i], path);
        return out;
      }
      if (value instanceof Date) {
        const time = value.getTime();
        return { $t: 'date', v: Number.isNaN(time) ? null : value.toISOString() };
      }
      if (value instanceof Uint8Array) {
        return { $t: 'bin', v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== null && proto !== Object.prototype) {
        throw new StateCodecError(`state at ${path || '(root)'} holds a ${(value as object).constructor?.name ?? 'non-plain object'}: only plain data can be kept`);
      }
      // a plain object, built by adding members in order (V8 keeps it fast, and JSON.stringify
      // with it: a null-prototype output would be a slow dictionary); only a key named
      // __proto__ must be defined rather than assigned, or it would set the prototype
      const out: Record<string, unknown> = {};
      if (proto === null) out.$np = 1;
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        const encoded = encodeNode(member, path ? `${path}.${key}` : key);
        if (key === '__proto__') setMember(out, key, encoded);
        else out[encodeKey(key)] = encoded;
      }
      return out;
    }
    default:
      throw new StateCodecError(`state at ${path || '(root)'} holds a ${typeof value}: only plain data can be kept`);
  }
}

/** The JSON-compatible form of a state value (see the module header). */
export function encodeState(value: unknown): unknown {
  return encodeNode(value, '');
}

/** A state value as text. */
export function stringifyState(value: unknown): string {
  return JSON.stringify(encodeNode(value, ''));
}

function decodeTag(node: Record<string, unknown>): unknown {
  const v = node.v;
  switch (node.$t) {
    case 'date':
      return new Date(typeof v === 'string' ? v : Number.NaN);
    case 'bin':
      return Buffer.from(String(v), 'base64');
    case 'num':
      return v === '-0' ? -0 : Number(v);
    case 'big':
      return BigInt(String(v));
    case 'undef':
      return undefined;
    default:
      throw new StateCodecError(`unknown tag ${JSON.stringify(node.$t)} in state`);
  }
}

/** Sets a member; on an object with a prototype, `__proto__` must not reach its setter. */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

function decodeNode(node: unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = decodeNode(node[i]);
    return node;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.$t === 'string') return decodeTag(record);
  const keys = Object.keys(record);
  let markers = 0;
  for (const key of keys) if (key.charCodeAt(0) === 36 /* $ */) markers++;
  const nullProto = record.$np === 1;
  if (markers === (nullProto ? 1 : 0)) {
    // the common case, decoded in place (JSON.parse made it; no copy): members decoded, and
    // the marker of a null-prototype object traded for the prototype
    for (const key of keys) {
      const member = record[key];
      if (member === null || typeof member !== 'object') continue;
      const decoded = decodeNode(member);
      if (decoded !== member) setMember(record, key, decoded);
    }
    if (nullProto) {
      delete record.$np;
      Object.setPrototypeOf(record, null);
    }
    return record;
  }
  const out: Record<string, unknown> = nullProto ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key of keys) {
    if (key.charCodeAt(0) === 36 /* $ */) {
      if (key === '$np') continue;
      // `$$x` is the user key `$x`; a single-`$` key that is not a tag marker is not ours
      if (key.charCodeAt(1) !== 36) throw new StateCodecError(`unknown marker ${JSON.stringify(key)} in state`);
      setMember(out, key.slice(1), decodeNode(record[key]));
    } else {
      setMember(out, key, decodeNode(record[key]));
    }
  }
  return out;
}

/** The state value of an encoded form (it is consumed: arrays and most objects are decoded in place). */
export function decodeState(encoded: unknown): unknown {
  return decodeNode(encoded);
}

/** The state value of a text written by stringifyState. */
export function parseState(text: string): unknown {
  return decodeNode(JSON.parse(text));
}

/** A deep copy that goes through the codec (what a restart would give back). */
export function cloneState<T>(value: T): T {
  return decodeNode(encodeNode(value, '')) as T;
}
