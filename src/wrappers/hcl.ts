/**
 * Just enough of HCL's native syntax for tflocal: the blocks of a `.tf` file, their labels,
 * and the source text of their attributes' expressions, with comments, strings, templates
 * and heredocs skipped correctly. Expressions are not evaluated: a literal string can be read
 * with {@link stringLiteral}, anything else is kept as text (an override file may use it as is).
 */

export interface HclBlock {
  type: string;
  labels: string[];
  /** Attribute name -> the expression's source text, trimmed. */
  attributes: Record<string, string>;
  blocks: HclBlock[];
}

export class HclError extends Error {}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.i >= this.text.length;
  }

  fail(what: string): never {
    const line = this.text.slice(0, this.i).split('\n').length;
    throw new HclError(`line ${line}: ${what}`);
  }

  /** Skips blanks and comments; newlines too unless `keepNewlines`. */
  skip(keepNewlines = false): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i]!;
      if (c === '\n' && keepNewlines) return;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.i++;
      else if (c === '#' || (c === '/' && t[this.i + 1] === '/')) {
        while (this.i < t.length && t[this.i] !== '\n') this.i++;
      } else if (c === '/' && t[this.i + 1] === '*') {
        const end = t.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('unterminated comment');
        this.i = end + 2;
      } else return;
    }
  }

  ident(): string | undefined {
    IDENT.lastIndex = this.i;
    const m = IDENT.exec(this.text);
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  /** A quoted string starting at `"`; returns its source text. Templates `${...}` may nest. */
  quoted(): string {
    const start = this.i;
    const t = this.text;
    this.i++;
    while (this.i < t.length) {
      const c = t[this.i]!;
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        return t.slice(start, this.i);
      } else if ((c === '$' || c === '%') && t[this.i + 1] === '{' && t[this.i - 1] !== c) {
        this.i += 2;
        this.balanced('}');
      } else if (c === '\n') this.fail('newline in a quoted string');
      else this.i++;
    }
    return this.fail('unterminated string');
  }

  /** Skips a heredoc starting at `<<`. */
  heredoc(): void {
    const m = /<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/y;
    m.lastIndex = this.i;
    const found = m.exec(this.text);
    if (!found) {
      this.i += 2; // a `<<` that is not a heredoc (never valid HCL, but do not loop)
      return;
    }
    const marker = new RegExp(`^[ \\t]*${found[1]}[ \\t]*\\r?$`, 'm');
    const rest = this.text.slice(this.i + found[0].length);
    const end = marker.exec(rest);
    if (!end) this.fail(`unterminated heredoc ${found[1]}`);
    this.i += found[0].length + end.index + end[0].length;
  }

  /** Consumes up to and including `close`, skipping nested brackets, strings and comments. */
  balanced(close: string): void {
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    const stack = [close];
    const t = this.text;
    while (this.i < t.length) {
      this.skip();
      if (this.done) break;
      const c = t[this.i]!;
      if (c === '"') this.quoted();
      else if (c === '<' && t[this.i + 1] === '<') this.heredoc();
      else if (pairs[c]) {
        stack.push(pairs[c]!);
        this.i++;
      } else if (c === stack[stack.length - 1]) {
        stack.pop();
        this.i++;
        if (stack.length === 0) return;
      } else this.i++;
    }
    this.fail(`missing ${close}`);
  }

  /** An expression up to the end of its line (brackets, strings and heredocs may span lines). */
  expression(): string {
    const start = this.i;
    const t = this.text;
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    while (this.i < t.length) {
      this.skip(true);
      if (this.done) break;
      const c = t[this.i]!;
      if (c === '\n' || c === '}') break;
      if (c === '"') this.quoted();
      else if (c === '<' && t[this.i + 1] === '<') {
        this.heredoc();
        break; // a heredoc ends the expression on its closing line
      } else if (pairs[c]) {
        this.i++;
        this.balanced(pairs[c]!);
      } else this.i++;
    }
    return stripComments(t.slice(start, this.i)).trim();
  }

  /** The items of a body until `}` (or the end of the file at the top level). */
  body(top: boolean): HclBlock {
    const block: HclBlock = { type: '', labels: [], attributes: {}, blocks: [] };
    for (;;) {
      this.skip();
      if (this.done) {
        if (!top) this.fail('missing }');
        return block;
      }
      if (this.text[this.i] === '}') {
        if (top) this.fail('unexpected }');
        this.i++;
        return block;
      }
      const name = this.ident() ?? this.fail(`unexpected ${JSON.stringify(this.text[this.i])}`);
      this.skip(true);
      if (this.text[this.i] === '=' && this.text[this.i + 1] !== '=') {
        this.i++;
        this.skip(true);
        block.attributes[name] = this.expression();
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skip(true);
        const c = this.text[this.i];
        if (c === '"') labels.push(stringLiteral(this.quoted()) ?? this.fail('a label must be a plain string'));
        else if (c === '{') break;
        else labels.push(this.ident() ?? this.fail(`expected a label or { after ${name}`));
      }
      this.i++;
      const inner = this.body(false);
      block.blocks.push({ ...inner, type: name, labels });
    }
  }
}

/** Removes `#`, `//` and `/* *\/` comments outside strings from one expression's text. */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else out += c;
  }
  return out;
}

/** The top-level blocks of a `.tf` file. Throws {@link HclError} on text it cannot follow. */
export function parseHcl(text: string): HclBlock[] {
  return new Scanner(text).body(true).blocks;
}

/** The value of a literal string expression (`"eu-west-1"`), or undefined for anything else. */
export function stringLiteral(expression: string): string | undefined {
  const m = /^"((?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{)|\$\$\{|%%\{)*)"$/.exec(expression.trim());
  if (!m) return undefined;
  return m[1]!
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{')
    .replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
      if (e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
      return ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
    });
}

/** A string as an HCL literal: quotes, backslashes and template openers escaped. */
export function hclString(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{')}"`;
}
