/**
 * Java regular expressions (the `pattern` constraints of the AWS models, which AWS's Java
 * front ends evaluate) converted to JavaScript, as AWS matches them: against the whole value
 * (Java's `Matcher.matches()`), code point by code point (the `u` flag).
 *
 * Converted: Unicode and POSIX property classes (`\p{L}`, `\p{Alpha}`, `\p{IsLetter}`), `\A`
 * `\z` `\Z`, `\Q...\E`, `\h`, `\x{...}`, leading inline flags (`(?i)`, `(?s)`), possessive
 * quantifiers and atomic groups (as their greedy and plain forms: they accept what Java
 * accepts, and in rare cases more), unions of nested character classes, identity escapes that
 * the `u` flag refuses, and a `-` next to a class escape inside a class (literal in Java).
 * What has no JavaScript form (class intersections, inline flags mid-pattern, negated nested
 * classes, Java-only classes) yields undefined: the caller skips that constraint rather than
 * refuse values AWS accepts.
 */

/** POSIX classes (ASCII, as Java has them by default), as character-class content. */
const POSIX: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

/** Java's `Is`-prefixed and bare property names with a different JavaScript name. */
const PROPERTY_ALIASES: Readonly<Record<string, string>> = {
  IsAlphabetic: 'Alphabetic',
  IsLetter: 'L',
  IsDigit: 'Nd',
  IsUppercase: 'Uppercase',
  IsLowercase: 'Lowercase',
  IsWhite_Space: 'White_Space',
  IsWhiteSpace: 'White_Space',
  IsWhitespace: 'White_Space',
  IsPunctuation: 'P',
  IsControl: 'Cc',
  IsIdeographic: 'Ideographic',
  IsLatin: 'Script=Latin',
};

const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const VERTICAL_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
/** Characters that must stay escaped outside a class (the rest are literal in `u` mode when unescaped). */
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const CLASS_SYNTAX = new Set([...'\\]^-[']);

class Unsupported extends Error {}

function escapeLiteral(c: string, inClass: boolean): string {
  if (inClass) return CLASS_SYNTAX.has(c) ? `\\${c}` : c;
  return SYNTAX.has(c) ? `\\${c}` : c;
}

/** `\p{Name}` / `\P{Name}` as JavaScript: a class escape, or class content for POSIX names. */
function property(name: string, negated: boolean, inClass: boolean): { text: string; isClass: boolean } {
  const posix = POSIX[name] ?? (name.startsWith('Is') ? POSIX[name.slice(2)] : undefined);
  if (posix !== undefined) {
    if (inClass) {
      if (negated) throw new Unsupported(`negated POSIX class ${name} inside a class`);
      return { text: posix, isClass: true };
    }
    return { text: `[${negated ? '^' : ''}${posix}]`, isClass: true };
  }
  if (name === 'all') {
    if (negated) throw new Unsupported('\\P{all}');
    return { text: inClass ? '\\s\\S' : '[\\s\\S]', isClass: true };
  }
  if (name.startsWith('java') || name.startsWith('In')) throw new Unsupported(`Java-only class ${name}`);
  const js = PROPERTY_ALIASES[name] ?? (name.startsWith('Is') ? name.slice(2) : name);
  const text = `\\${negated ? 'P' : 'p'}{${js}}`;
  try {
    new RegExp(text, 'u');
  } catch {
    throw new Unsupported(`unknown property ${name}`);
  }
  return { text, isClass: true };
}

/** The JavaScript source and flags of a Java pattern; throws Unsupported. */
function translate(java: string): { source: string; flags: string } {
  let flags = 'u';
  let i = 0;
  // leading inline flags, possibly after `^`: (?i) (?s) (?is) ...
  const lead = /^(\^?)\(\?([is]+)\)/.exec(java);
  let out = '';
  if (lead) {
    for (const f of lead[2]!) if (!flags.includes(f)) flags += f;
    out = lead[1]!;
    i = lead[0].length;
  }
  let depth = 0; // character class nesting
  let negatedOuter = false;
  /** The last thing emitted inside a class was a class escape (a `-` after it is literal). */
  let afterClassEscape = false;
  /** The last thing emitted outside a class was a quantifier (a `+` after it is possessive). */
  let afterQuantifier = false;
  while (i < java.length) {
    const c = java[i]!;
    const inClass = depth > 0;
    if (c === '\\') {
      const n = java[i + 1];
      if (n === undefined) throw new Unsupported('trailing backslash');
      i += 2;
      afterQuantifier = false;
      if (n === 'p' || n === 'P') {
        let name: string;
        if (java[i] === '{') {
          const end = java.indexOf('}', i);
          if (end === -1) throw new Unsupported('unterminated property');
          name = java.slice(i + 1, end);
          i = end + 1;
        } else {
          name = java[i] ?? '';
          i++;
        }
        const p = property(name, n === 'P', inClass);
        out += p.text;
        afterClassEscape = inClass;
        continue;
      }
      if (n === 'Q') {
        const end = java.indexOf('\\E', i);
        const text = end === -1 ? java.slice(i) : java.slice(i, end);
        i = end === -1 ? java.length : end + 2;
        for (const ch of text) out += escapeLiteral(ch, inClass);
        afterClassEscape = false;
        continue;
      }
      if (n === 'A' || n === 'z' || n === 'Z') {
        if (inClass) throw new Unsupported(`\\${n} in a class`);
        out += n === 'A' ? '^' : '$';
        continue;
      }
      if (n === 'h' || n === 'v') {
        const set = n === 'h' ? HORIZONTAL_SPACE : VERTICAL_SPACE;
        out += inClass ? set : `[${set}]`;
        afterClassEscape = inClass;
        continue;
      }
      if (n === 'x' && java[i] === '{') {
        const end = java.indexOf('}', i);
        if (end === -1) throw new Unsupported('unterminated \\x{');
        out += `\\u{${java.slice(i + 1, end)}}`;
        i = end + 1;
        afterClassEscape = false;
        continue;
      }
      if (n === 'e') {
        out += '\\x1B';
        continue;
      }
      if (n === 'a') {
        out += '\\x07';
        continue;
      }
      if ('dDwWsS'.includes(n)) {
        out += `\\${n}`;
        afterClassEscape = inClass;
        continue;
      }
      if ('bBnrtf0123456789'.includes(n) || n === 'u' || n === 'x' || n === 'c' || n === 'k') {
        if (n === '0') {
          // Java's octal \0n, \0nn, \0mnn
          const m = /^[0-7]{1,3}/.exec(java.slice(i));
          if (!m) throw new Unsupported('octal escape');
          i += m[0].length;
          out += `\\x${Number.parseInt(m[0], 8).toString(16).padStart(2, '0')}`;
          afterClassEscape = false;
          continue;
        }
        out += `\\${n}`;
        afterClassEscape = false;
        continue;
      }
      if (/[A-Za-z]/.test(n)) throw new Unsupported(`escape \\${n}`);
      out += escapeLiteral(n, inClass);
      afterClassEscape = false;
      continue;
    }
    if (inClass) {
      if (c === '[') {
        // a nested class is a union in Java: its content joins the enclosing class
        if (java[i + 1] === '^') throw new Unsupported('negated nested class');
        depth++;
        i++;
        continue;
      }
      if (c === '&' && java[i + 1] === '&') throw new Unsupported('class intersection');
      if (c === ']') {
        depth--;
        i++;
        if (depth === 0) out += ']';
        afterClassEscape = false;
        continue;
      }
      if (c === '-') {
        const next = java[i + 1];
        const nextIsClassEscape = next === '\\' && /[pPdDwWsShv]/.test(java[i + 2] ?? '');
        // literal in Java next to a class escape; `u` mode refuses such a range
        out += afterClassEscape || nextIsClassEscape ? '\\-' : '-';
        afterClassEscape = false;
        i++;
        continue;
      }
      out += c === '/' ? '\\/' : c;
      afterClassEscape = false;
      i++;
      continue;
    }
    if (c === '[') {
      depth = 1;
      negatedOuter = java[i + 1] === '^';
      out += negatedOuter ? '[^' : '[';
      i += negatedOuter ? 2 : 1;
      // a `]` first in a Java class is a literal
      if (java[i] === ']') {
        out += '\\]';
        i++;
      }
      afterQuantifier = false;
      continue;
    }
    if (c === '(' && java[i + 1] === '?') {
      const rest = java.slice(i + 2);
      if (rest.startsWith('>')) {
        out += '(?:'; // atomic group
        i += 3;
      } else if (/^(?:[:=!]|<[=!]|<[A-Za-z])/.test(rest)) {
        out += '(?';
        i += 2;
      } else {
        throw new Unsupported('inline flags inside the pattern');
      }
      afterQuantifier = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (afterQuantifier) {
        // a modifier of the quantifier before: `?` lazy (kept), `+` possessive (read as greedy)
        if (c === '*') throw new Unsupported('quantifier after a quantifier');
        if (c === '?') out += '?';
        afterQuantifier = false;
        i++;
        continue;
      }
      out += c;
      i++;
      afterQuantifier = true;
      continue;
    }
    if (c === '{') {
      const m = /^\{\d+(?:,\d*)?\}/.exec(java.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        afterQuantifier = true;
        continue;
      }
      out += '\\{';
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '}') {
      out += '\\}';
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '/') {
      out += '\\/';
      i++;
      afterQuantifier = false;
      continue;
    }
    out += c;
    i++;
    afterQuantifier = false;
  }
  if (depth !== 0) throw new Unsupported('unterminated class');
  return { source: out, flags };
}

/**
 * The JavaScript form of a Java pattern, matching whole values; undefined when the pattern
 * has none (see the module header).
 */
export function javaPatternToRegExp(java: string): RegExp | undefined {
  try {
    const { source, flags } = translate(java);
    return new RegExp(`^(?:${source})$`, flags);
  } catch {
    return undefined;
  }
}
