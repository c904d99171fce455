/**
 * The SQL of a SelectObjectContent request as a checked tree. sql-parser.generated.ts (peggy,
 * from sql.peggy) builds the tree; this module gives it types, turns peggy's syntax errors
 * into S3's parse error codes, and checks what the grammar lets through but S3 refuses:
 * `*` beside other items, unknown functions, wrong arities, `f(*)` other than COUNT,
 * aggregates beside plain columns, unknown CAST types, a negative LIMIT, GROUP BY, JOIN
 * and the like; each with the code of S3's list.
 */
import { DATE_PARTS, EXTRACT_PARTS } from './dates.js';
import { selectError } from './errors.js';
import { parse as peggyParse, SyntaxError as PeggySyntaxError } from './sql-parser.generated.js';

/** A name as written: unquoted names match case-insensitively, quoted ones exactly. */
export interface Name {
  readonly name: string;
  readonly quoted: boolean;
}

export type PathStep = { readonly name: Name } | { readonly index: number };

export type Expr =
  | { readonly k: 'lit'; readonly v: unknown }
  | { readonly k: 'path'; readonly head: Name; readonly steps: readonly PathStep[] }
  | { readonly k: 'or' | 'and'; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'not' | 'neg'; readonly e: Expr }
  | { readonly k: 'is'; readonly e: Expr; readonly what: 'NULL' | 'MISSING' | 'TRUE' | 'FALSE'; readonly not: boolean }
  | { readonly k: 'like'; readonly e: Expr; readonly pattern: Expr; readonly escape?: Expr; readonly not: boolean }
  | { readonly k: 'between'; readonly e: Expr; readonly low: Expr; readonly high: Expr; readonly not: boolean }
  | { readonly k: 'in'; readonly e: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly k: 'cmp'; readonly op: '=' | '<>' | '<' | '>' | '<=' | '>='; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'arith'; readonly op: '+' | '-' | '*' | '/' | '%' | '||'; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'cast'; readonly e: Expr; readonly type: string }
  | { readonly k: 'case'; readonly operand?: Expr; readonly whens: ReadonlyArray<{ when: Expr; then: Expr }>; readonly else?: Expr }
  | Call;

export interface Call {
  readonly k: 'call';
  /** Upper case. */
  readonly name: string;
  readonly args: readonly Expr[];
  /** `COUNT(*)`. */
  readonly star?: boolean;
  /** The date part of DATE_ADD, DATE_DIFF and EXTRACT (upper case). */
  readonly part?: string;
  /** TRIM's LEADING / TRAILING / BOTH and the characters to trim. */
  readonly side?: 'LEADING' | 'TRAILING' | 'BOTH';
  readonly chars?: Expr;
}

/** `*`, `s.*` (the members of the record, or of a column's object), or an expression. */
export type SelectItem = { readonly star: true } | { readonly all: Name } | { readonly expr: Expr; readonly alias?: Name };

export interface Query {
  readonly select: readonly SelectItem[];
  readonly from: { readonly path: ReadonlyArray<PathStep | { star: true }>; readonly alias?: Name };
  readonly where?: Expr;
  readonly limit?: number;
  /** Whether the SELECT list is made of aggregates (one answer row). */
  readonly aggregate: boolean;
}

/** The aggregate functions and the scalar functions with their arities [min, max]. */
export const AGGREGATES = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);
const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  LOWER: [1, 1],
  UPPER: [1, 1],
  CHAR_LENGTH: [1, 1],
  CHARACTER_LENGTH: [1, 1],
  SUBSTRING: [2, 3],
  TRIM: [1, 1],
  COALESCE: [1, 64],
  NULLIF: [2, 2],
  ABS: [1, 1],
  UTCNOW: [0, 0],
  TO_TIMESTAMP: [1, 1],
  TO_STRING: [2, 2],
  DATE_ADD: [2, 2],
  DATE_DIFF: [2, 2],
  EXTRACT: [1, 1],
};

/** CAST's target types, by the name S3 accepts, to the type the evaluator converts to. */
export const CAST_TYPES: Readonly<Record<string, 'int' | 'float' | 'decimal' | 'string' | 'bool' | 'timestamp'>> = {
  INT: 'int',
  INTEGER: 'int',
  BIGINT: 'int',
  SMALLINT: 'int',
  FLOAT: 'float',
  REAL: 'float',
  DOUBLE: 'float',
  DECIMAL: 'decimal',
  NUMERIC: 'decimal',
  STRING: 'string',
  VARCHAR: 'string',
  CHAR: 'string',
  CHARACTER: 'string',
  BOOL: 'bool',
  BOOLEAN: 'bool',
  TIMESTAMP: 'timestamp',
};

/** S3 refuses longer expressions (ExpressionTooLong). */
const MAX_EXPRESSION_BYTES = 256 * 1024;

/** The characters a token may start with; any other is LexerInvalidChar. */
const TOKEN_START = /[A-Za-z0-9_\s'"`(),.*+\-/%<>=!|[\];]/;

/** Parses and checks an expression, or throws the S3 error for it. */
export function parseQuery(sql: string): Query {
  if (Buffer.byteLength(sql, 'utf8') > MAX_EXPRESSION_BYTES) throw selectError('ExpressionTooLong');
  let raw: Omit<Query, 'aggregate'> & { unsupported?: string };
  try {
    raw = peggyParse(sql, {}) as typeof raw;
  } catch (error) {
    if (error instanceof PeggySyntaxError) throw syntaxError(error as unknown as PeggyError);
    throw error;
  }
  if (raw.unsupported) {
    const clause = raw.unsupported.toUpperCase();
    throw selectError(clause === 'GROUP' ? 'ParseExpectedIdentForGroupName' : clause === 'JOIN' ? 'ParseMalformedJoin' : 'UnsupportedSyntax');
  }
  if (raw.limit !== undefined && raw.limit < 0) throw selectError('EvaluatorNegativeLimit');
  const items = raw.select;
  if (items.length > 1 && items.some((i) => 'star' in i)) throw selectError('ParseAsteriskIsNotAloneInSelectList');
  const exprs = items.flatMap((i) => ('expr' in i ? [i.expr] : []));
  exprs.forEach((e) => check(e, false));
  const aggregate = exprs.some(containsAggregate);
  // a plain column beside an aggregate: S3 Select has no GROUP BY
  if (aggregate && (exprs.some(referencesRecord) || items.some((i) => 'all' in i))) throw selectError('UnsupportedSqlOperation');
  if (raw.where) {
    check(raw.where, false);
    if (containsAggregate(raw.where)) throw selectError('UnsupportedSqlOperation');
  }
  return { select: items, from: raw.from, where: raw.where, limit: raw.limit, aggregate };
}

interface PeggyError {
  found: string | null;
  expected: Array<{ type: string; text?: string }> | null;
}

/** S3's code for a syntax error: a character no token starts with, a missing expression or token, or an unexpected one. */
function syntaxError(error: PeggyError) {
  const found = error.found;
  if (found !== null && !TOKEN_START.test(found)) return selectError('LexerInvalidChar');
  const expected = error.expected ?? [];
  // an expression could start here (CASE is expected nowhere else): what came is not one
  const expression = expected.some((e) => e.type === 'literal' && e.text === 'case');
  // the SELECT list ended where FROM should come
  if (!expression && expected.some((e) => e.type === 'literal' && e.text === 'from')) return selectError('ParseSelectMissingFrom');
  if (found === null) return selectError(expression ? 'ParseExpectedExpression' : 'ParseExpectedTokenType');
  return selectError(expression ? 'ParseUnexpectedToken' : 'ParseExpectedTokenType');
}

/** Checks functions, arities and types below `e`; `inAggregate` refuses nested aggregates. */
function check(e: Expr, inAggregate: boolean): void {
  switch (e.k) {
    case 'call': {
      if (AGGREGATES.has(e.name)) {
        if (inAggregate) throw selectError('UnsupportedSqlOperation');
        if (e.star ? e.name !== 'COUNT' : e.args.length !== 1) throw selectError(e.star ? 'ParseUnsupportedCallWithStar' : 'ParseNonUnaryAgregateFunctionCall');
        e.args.forEach((a) => check(a, true));
        return;
      }
      const arity = FUNCTIONS[e.name];
      if (!arity) throw selectError('UnsupportedFunction');
      if (e.star) throw selectError('ParseUnsupportedCallWithStar');
      if (e.args.length < arity[0] || e.args.length > arity[1]) throw selectError('EvaluatorInvalidArguments');
      if ((e.name === 'DATE_ADD' || e.name === 'DATE_DIFF') && !DATE_PARTS.has(e.part ?? '')) throw selectError('ParseExpectedDatePart');
      if (e.name === 'EXTRACT' && !EXTRACT_PARTS.has(e.part ?? '')) throw selectError('ParseExpectedDatePart');
      e.args.forEach((a) => check(a, inAggregate));
      if (e.chars) check(e.chars, inAggregate);
      return;
    }
    case 'cast':
      if (!(e.type in CAST_TYPES)) throw selectError('ParseExpectedTypeName');
      return check(e.e, inAggregate);
    case 'lit':
    case 'path':
      return;
    default:
      for (const child of children(e)) check(child, inAggregate);
  }
}

/** The direct sub-expressions of `e`. */
export function children(e: Expr): Expr[] {
  switch (e.k) {
    case 'lit':
    case 'path':
      return [];
    case 'or':
    case 'and':
    case 'cmp':
    case 'arith':
      return [e.l, e.r];
    case 'not':
    case 'neg':
    case 'is':
    case 'cast':
      return [e.e];
    case 'like':
      return [e.e, e.pattern, ...(e.escape ? [e.escape] : [])];
    case 'between':
      return [e.e, e.low, e.high];
    case 'in':
      return [e.e, ...e.list];
    case 'case':
      return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'call':
      return [...e.args, ...(e.chars ? [e.chars] : [])];
  }
}

function containsAggregate(e: Expr): boolean {
  return (e.k === 'call' && AGGREGATES.has(e.name)) || children(e).some(containsAggregate);
}

/** Whether `e` reads the record outside any aggregate. */
function referencesRecord(e: Expr): boolean {
  if (e.k === 'path') return true;
  if (e.k === 'call' && AGGREGATES.has(e.name)) return false;
  return children(e).some(referencesRecord);
}

/** Every path below `e` (aggregate arguments included). */
export function pathsOf(e: Expr, out: Array<Extract<Expr, { k: 'path' }>> = []): Array<Extract<Expr, { k: 'path' }>> {
  if (e.k === 'path') out.push(e);
  for (const child of children(e)) pathsOf(child, out);
  return out;
}
