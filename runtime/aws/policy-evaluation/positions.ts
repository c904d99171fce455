/**
 * Where each statement of a policy document is in its text, as the policy simulator reports
 * it (MatchedStatements' StartPosition and EndPosition): 1-based lines, and columns of the
 * parser's position after a token (the column of the token's last character plus one).
 *
 *   "Statement": {...}      start: after the statement's `{`; end: after its `}`
 *   "Statement": [{...},..] start: after the `[` or `,` before the statement; end: after its `}`
 *
 * This is what AWS answers: `{"Version":"2012-10-17","Statement":{"Effect":"Allow",...}}`
 * (167 characters, the statement's braces at columns 37 and 166) gives Line 1 Column 38 to
 * Line 1 Column 167 (the AWS CLI's simulate-custom-policy example); AdministratorAccess as
 * IAM stores it (2-space indentation, `"Statement": [` on line 3, the statement closing on
 * line 8 at column 5) gives 3:17 to 8:6 (SimulatePrincipalPolicy answers seen in public reports).
 * Lines break at `\n`, `\r\n` and `\r`.
 */

/** A place in a document. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A statement's span. */
export interface StatementSpan {
  readonly start: Position;
  readonly end: Position;
}

class Scanner {
  i = 0;
  line = 1;
  lineStart = 0;
  constructor(readonly text: string) {}

  /** The position after the character just consumed. */
  after(): Position {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private advance(): string {
    const c = this.text[this.i++]!;
    if (c === '\n' || (c === '\r' && this.text[this.i] !== '\n')) {
      this.line++;
      this.lineStart = this.i;
    }
    return c;
  }

  skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.advance();
  }

  peek(): string | undefined {
    this.skipSpace();
    return this.text[this.i];
  }

  take(): string {
    this.skipSpace();
    return this.advance();
  }

  string(): string {
    this.skipSpace();
    const start = this.i;
    this.advance(); // the opening quote
    while (this.i < this.text.length && this.text[this.i] !== '"') if (this.advance() === '\\') this.advance();
    this.advance();
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  /** Skips one value (the document is valid JSON: parsePolicy has read it). */
  value(): void {
    const c = this.peek();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.take();
      if (this.peek() === close) {
        this.take();
        return;
      }
      for (;;) {
        if (c === '{') {
          this.string();
          this.take(); // :
        }
        this.value();
        if (this.take() === close) return;
      }
    }
    if (c === '"') {
      this.string();
      return;
    }
    while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i]!)) this.advance();
  }
}

/** The spans of a document's statements, in order; empty when the text is not a policy object. */
export function statementSpans(text: string): StatementSpan[] {
  const scan = new Scanner(text);
  let spans: StatementSpan[] = [];
  try {
    if (scan.take() !== '{' || scan.peek() === '}') return [];
    for (;;) {
      const name = scan.string();
      scan.take(); // :
      if (name === 'Statement' && (scan.peek() === '{' || scan.peek() === '[')) spans = statementValue(scan);
      else scan.value();
      if (scan.take() !== ',') break;
    }
  } catch {
    return spans;
  }
  return spans;
}

function statementValue(scan: Scanner): StatementSpan[] {
  if (scan.peek() === '{') {
    scan.take();
    const start = scan.after();
    scan.i--; // read the object again as a value
    scan.value();
    return [{ start, end: scan.after() }];
  }
  const spans: StatementSpan[] = [];
  scan.take(); // [
  let start = scan.after();
  if (scan.peek() === ']') {
    scan.take();
    return spans;
  }
  for (;;) {
    scan.value();
    spans.push({ start, end: scan.after() });
    if (scan.take() !== ',') return spans;
    start = scan.after();
  }
}
