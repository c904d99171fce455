/**
 * Constraint checks with AWS's (Coral's) exact wording, for providers: the bundled models
 * carry no min/max/pattern/enum, so each provider states the ones its service enforces.
 * Violations are collected and thrown together, as AWS reports them.
 */
import { validationException, type ServiceError } from './errors.js';

export class Constraints {
  readonly errors: string[] = [];

  private fail(value: unknown, path: string, constraint: string): void {
    const shown = value === undefined || value === null ? 'null' : `'${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}'`;
    this.errors.push(`Value ${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  }

  required(path: string, value: unknown): this {
    if (value === undefined || value === null) this.fail(value, path, 'not be null');
    return this;
  }

  /** String length (or list size) bounds. */
  length(path: string, value: string | readonly unknown[] | undefined, min?: number, max?: number): this {
    if (value === undefined) return this;
    if (min !== undefined && value.length < min) this.fail(value, path, `have length greater than or equal to ${min}`);
    else if (max !== undefined && value.length > max) this.fail(value, path, `have length less than or equal to ${max}`);
    return this;
  }

  range(path: string, value: number | undefined, min?: number, max?: number): this {
    if (value === undefined) return this;
    if (min !== undefined && value < min) this.fail(value, path, `have value greater than or equal to ${min}`);
    else if (max !== undefined && value > max) this.fail(value, path, `have value less than or equal to ${max}`);
    return this;
  }

  /** `pattern` is shown as written in the AWS model; `regex` must match the whole value. */
  pattern(path: string, value: string | undefined, regex: RegExp, pattern: string): this {
    if (value !== undefined && !regex.test(value)) this.fail(value, path, `satisfy regular expression pattern: ${pattern}`);
    return this;
  }

  oneOf(path: string, value: string | undefined, allowed: readonly string[]): this {
    if (value !== undefined && !allowed.includes(value)) this.fail(value, path, `satisfy enum value set: [${allowed.join(', ')}]`);
    return this;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** The collected violations as one error, or undefined. */
  error(code = 'ValidationException'): ServiceError | undefined {
    return this.ok ? undefined : validationException(this.errors, code);
  }

  throwIfAny(code = 'ValidationException'): void {
    const e = this.error(code);
    if (e) throw e;
  }
}
