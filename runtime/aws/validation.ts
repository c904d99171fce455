/**
 * Input validation from the model, as AWS's front end (Coral) does it before a request
 * reaches the service: required members, types, lengths (strings, blobs, lists, maps), value
 * ranges, patterns and enums, every violation of a request reported in one error, members in
 * model order, in Coral's words:
 *
 *   2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy
 *   constraint: Member must have length greater than or equal to 2; Value null at 'roleArn'
 *   failed to satisfy constraint: Member must not be null
 *
 * Paths name members in lower camel case, list items `.N.member` and map entries `.key`;
 * a sensitive member's value is not shown ("Value at 'password' ..."), a blob shows as Java
 * prints a ByteBuffer. Scalar list items and map keys and values are judged together, as
 * Coral does ("Member must satisfy constraint: [...]", "Map keys must satisfy constraint:
 * [...]").
 *
 * Each operation's checks are compiled once into closures (`OperationModel.plan`), and an
 * operation whose input has no constraint at all costs one property read per request. The
 * gateway runs it after parsing (handlers/dispatch-operation.ts) unless the service's registry
 * entry opts out; code outside the gateway (the in-process client) calls `validateInput`.
 */
import { logger } from '../logger.js';
import { ServiceError } from './errors.js';
import { javaPatternToRegExp } from './java-regex.js';
import type { OperationModel, ServiceModel, Shape } from './models/service-model.js';
import type { ProtocolName } from './models/types.js';
import { memberPath } from './protocols/scalars.js';

/** How a service's input is validated (see ProviderRegistration.validation). */
export interface ValidationOptions {
  /** The error code; by default the protocol's: ValidationError for query and ec2, else ValidationException. */
  readonly code?: string;
  /**
   * Whether enum values are checked (default true). `false` for a service whose front end
   * lets any value through to the service, which answers its own error (SQS: an unknown
   * attribute name is InvalidAttributeName, and ReceiveMessage's AttributeNames takes
   * system attribute names the model's enum does not list).
   */
  readonly enums?: boolean;
}

/** Checks a present (non-null) value; pushes Coral's messages. */
type Check = (value: unknown, path: string, errors: string[]) => void;

const log = logger('validation');
const NO_CHECKS = null;

/** The default error code of a protocol's front end. */
export function validationCode(protocol: ProtocolName): string {
  return protocol === 'query' || protocol === 'ec2' ? 'ValidationError' : 'ValidationException';
}

/** What validateInput is told besides the operation and its input. */
export interface ValidateOptions extends ValidationOptions {
  /** The protocol the request spoke, which picks the error code (default: the service's own). */
  readonly protocol?: ProtocolName;
  /**
   * Whether values are checked against their member's type too. The gateway's codecs have
   * made sure of that already (with the protocol's own errors); input built in code has not.
   * Default true.
   */
  readonly types?: boolean;
}

/**
 * Validates an operation's input (as the codecs parse it: member names, Dates, Buffers) against
 * its model; undefined when it passes, else the error AWS answers.
 */
export function validateInput(op: OperationModel, input: Record<string, unknown>, options: ValidateOptions = {}): ServiceError | undefined {
  const typed = options.types !== false;
  const enums = options.enums !== false;
  const check = op.plan(`validation${typed ? '.typed' : ''}${enums ? '' : '.no-enums'}`, (o) => compileOperation(o, typed, enums));
  if (check === NO_CHECKS) return undefined;
  const errors: string[] = [];
  check(input, '', errors);
  if (errors.length === 0) return undefined;
  const n = errors.length;
  const code = options.code ?? validationCode(options.protocol ?? op.service.protocol);
  return new ServiceError(code, `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
}

function compileOperation(op: OperationModel, typed: boolean, enums: boolean): Check | null {
  const input = op.input;
  if (!input) return NO_CHECKS;
  return compilerOf(op.service, typed, enums)(input) ?? NO_CHECKS;
}

type Compiler = (shape: Shape) => Check | undefined;

/** Compilers per service (with and without type checks, enum checks): shapes are shared among its operations, and so are their checks. */
const compilers = new WeakMap<ServiceModel, Map<string, Compiler>>();

function compilerOf(service: ServiceModel, typed: boolean, enums: boolean): Compiler {
  let byKind = compilers.get(service);
  if (!byKind) {
    byKind = new Map();
    compilers.set(service, byKind);
  }
  const kind = `${typed}/${enums}`;
  let compiler = byKind.get(kind);
  if (!compiler) byKind.set(kind, (compiler = shapeCompiler(service, typed, enums)));
  return compiler;
}

/** How a value shows in a message, as Coral (Java) prints it. */
function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${show(v)}`).join(', ')}}`;
  return String(value);
}

function fail(errors: string[], value: unknown, shape: Shape, path: string, constraint: string): void {
  const shown = value === null || value === undefined ? 'null ' : shape.sensitive ? '' : `'${show(value)}' `;
  errors.push(`Value ${shown}at '${path}' failed to satisfy constraint: ${constraint}`);
}

/** Unicode code points of a string, counted only when the UTF-16 length cannot decide. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const NUMERIC = new Set(['integer', 'long', 'short', 'byte', 'float', 'double', 'bigdecimal', 'biginteger']);
const TYPE_NAMES: Readonly<Record<string, string>> = { string: 'a string', boolean: 'a boolean', timestamp: 'a timestamp', blob: 'a blob', list: 'a list', map: 'a map', structure: 'a structure' };

/** Whether a value is of a shape's type, in the runtime's representation. */
function typeTest(shape: Shape): ((v: unknown) => boolean) | undefined {
  switch (shape.type) {
    case 'string':
    case 'character':
      // a jsonvalue string arrives parsed (a header of base64 JSON)
      return shape.jsonvalue ? undefined : (v) => typeof v === 'string';
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'timestamp':
      return (v) => v instanceof Date;
    case 'blob':
      // a streaming payload is a stream
      return shape.streaming ? undefined : (v) => v instanceof Uint8Array || typeof v === 'string';
    case 'list':
      return (v) => Array.isArray(v);
    case 'map':
    case 'structure':
      return shape.document ? undefined : (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return NUMERIC.has(shape.type) ? (v) => typeof v === 'number' || typeof v === 'bigint' : undefined;
  }
}

/** A pattern's compiled form, and the patterns that have none (logged once each). */
const regexCache = new Map<string, RegExp | null>();

function patternOf(pattern: string): RegExp | undefined {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    regex = javaPatternToRegExp(pattern) ?? null;
    regexCache.set(pattern, regex);
    if (regex === null) log.debug(`pattern not checked (no JavaScript form): ${pattern}`);
  }
  return regex ?? undefined;
}

/** The constraint descriptions of a scalar shape, as Coral lists them for list items and map keys. */
function describe(shape: Shape): string[] {
  const out: string[] = [];
  const word = NUMERIC.has(shape.type) ? 'value' : 'length';
  if (shape.max !== undefined) out.push(`Member must have ${word} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) out.push(`Member must have ${word} greater than or equal to ${shape.min}`);
  if (shape.pattern !== undefined && patternOf(shape.pattern)) out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.enum) out.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  return out;
}

/**
 * The constraint test of a scalar value, or undefined when the shape has none: returns the
 * violated constraints' texts.
 */
function scalarTest(shape: Shape, enums: boolean): ((v: unknown) => string[] | undefined) | undefined {
  const { min, max } = shape;
  const regex = shape.pattern !== undefined ? patternOf(shape.pattern) : undefined;
  const allowed = enums && shape.enum ? new Set(shape.enum) : undefined;
  const numeric = NUMERIC.has(shape.type);
  const sized = shape.type === 'string' || shape.type === 'blob';
  const hasRange = (min !== undefined || max !== undefined) && (numeric || sized);
  if (!hasRange && !regex && !allowed) return undefined;
  const enumText = allowed ? `Member must satisfy enum value set: [${shape.enum!.join(', ')}]` : '';
  return (v) => {
    let out: string[] | undefined;
    if (hasRange) {
      let size: number | undefined;
      if (numeric) size = Number(v);
      else if (typeof v === 'string') {
        // code points: UTF-16 length bounds them from above, and from below by half
        const needExact = (max !== undefined && v.length > max) || (min !== undefined && v.length < 2 * min);
        size = needExact ? codePoints(v) : v.length;
      } else if (v instanceof Uint8Array) size = v.byteLength;
      if (size !== undefined) {
        const word = numeric ? 'value' : 'length';
        if (min !== undefined && size < min) (out ??= []).push(`Member must have ${word} greater than or equal to ${min}`);
        else if (max !== undefined && size > max) (out ??= []).push(`Member must have ${word} less than or equal to ${max}`);
      }
    }
    if (regex && typeof v === 'string' && !regex.test(v)) (out ??= []).push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    if (allowed && typeof v === 'string' && !allowed.has(v)) (out ??= []).push(enumText);
    return out;
  };
}

function isScalar(shape: Shape): boolean {
  return shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
}

function shapeCompiler(service: ServiceModel, typed: boolean, enums: boolean): Compiler {
  const cache = new Map<Shape, Check | undefined>();
  /** Shapes being compiled: a recursive reference gets a forwarder to the finished check. */
  const pending = new Map<Shape, { check?: Check }>();

  function compile(shape: Shape): Check | undefined {
    if (cache.has(shape)) return cache.get(shape);
    const open = pending.get(shape);
    if (open) return (v, p, e) => open.check?.(v, p, e);
    const slot: { check?: Check } = {};
    pending.set(shape, slot);
    const check = build(shape);
    slot.check = check;
    pending.delete(shape);
    cache.set(shape, check);
    return check;
  }

  /** The check of a value and, before it, of its type. */
  function withType(shape: Shape, check: Check | undefined): Check | undefined {
    const test = typed ? typeTest(shape) : undefined;
    if (!test) return check;
    const expected = TYPE_NAMES[shape.type] ?? 'a number';
    return (v, path, errors) => {
      if (!test(v)) {
        fail(errors, v, shape, path, `Member must be ${expected}`);
        return;
      }
      check?.(v, path, errors);
    };
  }

  function build(shape: Shape): Check | undefined {
    switch (shape.type) {
      case 'structure':
        return shape.document ? undefined : withType(shape, structure(shape));
      case 'list':
        return withType(shape, list(shape));
      case 'map':
        return withType(shape, map(shape));
      default: {
        const test = scalarTest(shape, enums);
        return withType(
          shape,
          test &&
            ((v, path, errors) => {
              const failed = test(v);
              if (failed) for (const constraint of failed) fail(errors, v, shape, path, constraint);
            }),
        );
      }
    }
  }

  function structure(shape: Shape): Check | undefined {
    const required = new Set(shape.required ?? []);
    const members = service.members(shape).map(([name, m]) => ({ name, required: required.has(name), check: compile(m), shape: m }));
    if (members.every((m) => !m.required && !m.check)) return undefined;
    return (value, path, errors) => {
      const src = value as Record<string, unknown>;
      for (const m of members) {
        const v = src[m.name];
        if (v === undefined || v === null) {
          if (m.required) errors.push(`Value null at '${memberPath(path, m.name)}' failed to satisfy constraint: Member must not be null`);
        } else if (m.check) {
          m.check(v, memberPath(path, m.name), errors);
        }
      }
    };
  }

  /** Size bounds of a list or map ("length" in Coral's words). */
  function sizeTest(shape: Shape): ((n: number) => string | undefined) | undefined {
    const { min, max } = shape;
    if (min === undefined && max === undefined) return undefined;
    return (n) => {
      if (min !== undefined && n < min) return `Member must have length greater than or equal to ${min}`;
      if (max !== undefined && n > max) return `Member must have length less than or equal to ${max}`;
      return undefined;
    };
  }

  function list(shape: Shape): Check | undefined {
    const item = service.resolve(shape.member ?? {});
    const size = sizeTest(shape);
    const sparse = shape.sparse === true;
    const scalar = isScalar(item);
    // scalar items are judged together: one message for the list, naming the item's constraints
    const itemTest = scalar ? scalarTest(item, enums) : undefined;
    const itemCheck = scalar ? withType(item, undefined) : compile(item);
    const together = itemTest && `Member must satisfy constraint: [${describe(item).join(', ')}]`;
    return (value, path, errors) => {
      const items = value as unknown[];
      const tooMany = size?.(items.length);
      if (tooMany) fail(errors, items, shape, path, tooMany);
      let itemsFailed = false;
      for (let i = 0; i < items.length; i++) {
        const v = items[i];
        if (v === null || v === undefined) {
          if (!sparse) errors.push(`Value null at '${path}.${i + 1}.member' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        itemCheck?.(v, `${path}.${i + 1}.member`, errors);
        if (itemTest && !itemsFailed && itemTest(v)) itemsFailed = true;
      }
      if (itemsFailed) fail(errors, items, item.sensitive ? item : shape, path, together!);
    };
  }

  function map(shape: Shape): Check | undefined {
    const keyShape = service.resolve(shape.key ?? {});
    const valueShape = service.resolve(shape.value ?? {});
    const size = sizeTest(shape);
    const sparse = shape.sparse === true;
    const keyTest = scalarTest(keyShape, enums);
    const keysText = keyTest && `Map keys must satisfy constraint: [${describe(keyShape).join(', ')}]`;
    const scalarValues = isScalar(valueShape);
    const valueTest = scalarValues ? scalarTest(valueShape, enums) : undefined;
    const valuesText = valueTest && `Map value must satisfy constraint: [${describe(valueShape).join(', ')}]`;
    const valueCheck = scalarValues ? withType(valueShape, undefined) : compile(valueShape);
    return (value, path, errors) => {
      const entries = Object.entries(value as Record<string, unknown>);
      const tooMany = size?.(entries.length);
      if (tooMany) fail(errors, value, shape, path, tooMany);
      let keysFailed = false;
      let valuesFailed = false;
      for (const [k, v] of entries) {
        if (keyTest && !keysFailed && keyTest(k)) keysFailed = true;
        if (v === null || v === undefined) {
          if (!sparse) errors.push(`Value null at '${path}.${k}' failed to satisfy constraint: Map value must not be null`);
          continue;
        }
        valueCheck?.(v, `${path}.${k}`, errors);
        if (valueTest && !valuesFailed && valueTest(v)) valuesFailed = true;
      }
      if (keysFailed) fail(errors, value, keyShape.sensitive ? keyShape : shape, path, keysText!);
      if (valuesFailed) fail(errors, value, valueShape.sensitive ? valueShape : shape, path, valuesText!);
    };
  }

  return compile;
}
