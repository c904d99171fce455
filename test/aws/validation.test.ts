/**
 * The model-driven validator (runtime/aws/validation.ts) and the Java-to-JavaScript pattern
 * conversion it relies on, on the real botocore models: Coral's wording for each constraint
 * kind, members in model order, nested paths, scalar list items and map keys judged together,
 * sensitive values hidden, the error code by protocol. Through the real runtime and clients:
 * test/conformance/validation.test.ts.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { javaPatternToRegExp } from '../../runtime/aws/java-regex.js';
import { loadServiceModel, modelsDir, readModelText } from '../../runtime/aws/models/loader.js';
import { validateInput } from '../../runtime/aws/validation.js';

function check(service: string, operation: string, input: Record<string, unknown>, options: Parameters<typeof validateInput>[2] = {}) {
  const op = loadServiceModel(service).operations.get(operation)!;
  const e = validateInput(op, input, options);
  return e && { code: e.code, status: e.status, message: e.message };
}

const ROLE = 'arn:aws:iam::111111111111:role/admin';

describe('validateInput', () => {
  it('passes valid input, and costs nothing for an operation without constraints', () => {
    expect(check('sts', 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 'ok-name', DurationSeconds: 900 })).toBeUndefined();
    expect(check('sts', 'GetCallerIdentity', {})).toBeUndefined();
  });

  it('reports every violation in one message, members in model order, as query does (ValidationError)', () => {
    expect(check('sts', 'AssumeRole', { RoleSessionName: 'x', DurationSeconds: 60, PolicyArns: [{ arn: 'short' }] })).toEqual({
      code: 'ValidationError',
      status: 400,
      message:
        "4 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
        "Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
        "Value 'short' at 'policyArns.1.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
        "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
  });

  it('pattern and maximum length, both reported for one value', () => {
    const name = `${'x '.repeat(40)}`;
    expect(check('sts', 'AssumeRole', { RoleArn: ROLE, RoleSessionName: name })?.message).toBe(
      `2 validation errors detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
        `Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  });

  it('json services answer ValidationException; enums, maximum values, list sizes', () => {
    expect(check('ssm', 'PutParameter', { Name: 'p', Value: 'v', Type: 'Number', Tier: 'Gold' })).toEqual({
      code: 'ValidationException',
      status: 400,
      message:
        "2 validation errors detected: Value 'Number' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]; " +
        "Value 'Gold' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]",
    });
    expect(check('ssm', 'GetParametersByPath', { Path: '/a', MaxResults: 11 })?.message).toBe(
      "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
    const names = Array.from({ length: 11 }, (_, i) => `n${i}`);
    expect(check('ssm', 'GetParameters', { Names: names })?.message).toBe(
      `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  });

  it('judges scalar list items together, and null items one by one', () => {
    expect(check('ssm', 'LabelParameterVersion', { Name: 'p', Labels: ['ok', 'x'.repeat(101)] })?.message).toBe(
      `1 validation error detected: Value '[ok, ${'x'.repeat(101)}]' at 'labels' failed to satisfy constraint: Member must satisfy constraint: ` +
        '[Member must have length less than or equal to 100, Member must have length greater than or equal to 1]',
    );
    expect(check('ssm', 'GetParameters', { Names: ['a', null] })?.message).toBe(
      "1 validation error detected: Value null at 'names.2.member' failed to satisfy constraint: Member must not be null",
    );
  });

  it('judges map keys together (Lambda environment variables)', () => {
    const e = check('lambda', 'UpdateFunctionConfiguration', { FunctionName: 'f', Environment: { Variables: { '1bad': 'v', good: 'w' } } });
    expect(e?.code).toBe('ValidationException');
    expect(e?.message).toMatch(/^1 validation error detected: Value at 'environment\.variables' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must satisfy regular expression pattern: .+\]$/);
  });

  it('hides sensitive values, and shows blobs as Coral does', () => {
    expect(check('sts', 'AssumeRoleWithWebIdentity', { RoleArn: ROLE, RoleSessionName: 'ok-name', WebIdentityToken: 'abc' })?.message).toBe(
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    );
    expect(check('kms', 'Encrypt', { KeyId: 'k', Plaintext: Buffer.alloc(0) })?.message).toBe(
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(check('kms', 'Decrypt', { CiphertextBlob: Buffer.alloc(0) })?.message).toBe(
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('counts string lengths in code points', () => {
    // two emoji are four UTF-16 units but two characters: long enough for a Name (2 to 32)
    expect(check('sts', 'GetFederationToken', { Name: '😀'.repeat(2) })?.message).toContain("Member must satisfy regular expression pattern");
    expect(check('sts', 'GetFederationToken', { Name: '😀'.repeat(2) })?.message).not.toContain('length');
    expect(check('ssm', 'PutParameter', { Name: 'p', Value: 'v', Description: '😀'.repeat(1024) })).toBeUndefined();
    expect(check('ssm', 'PutParameter', { Name: 'p', Value: 'v', Description: '😀'.repeat(1025) })?.message).toContain('Member must have length less than or equal to 1024');
  });

  it('checks types for input built in code, not for what a codec parsed', () => {
    expect(check('sts', 'GetSessionToken', { DurationSeconds: '900' })?.message).toBe(
      "1 validation error detected: Value '900' at 'durationSeconds' failed to satisfy constraint: Member must be a number",
    );
    expect(check('sts', 'GetSessionToken', { DurationSeconds: '900' }, { types: false })).toBeUndefined();
    expect(check('ssm', 'GetParameters', { Names: 'one' })?.message).toContain("Value 'one' at 'names' failed to satisfy constraint: Member must be a list");
  });

  it('takes the code of the protocol spoken, or the one the service chose', () => {
    expect(check('cloudwatch', 'GetDashboard', {}, { protocol: 'query' })?.code).toBe('ValidationError');
    expect(check('cloudwatch', 'GetDashboard', {}, { protocol: 'json' })?.code).toBe('ValidationException');
    expect(check('ssm', 'GetParameter', {}, { code: 'InvalidParameterValue' })?.code).toBe('InvalidParameterValue');
  });
});

describe('Java patterns in JavaScript', () => {
  it('match whole values, with Unicode classes, POSIX classes and Java-only syntax converted', () => {
    const cases: Array<[string, string, boolean]> = [
      ['[\\w+=,.@-]*', 'ab@c', true],
      ['[\\w+=,.@-]*', 'ab c', false],
      ['[a-z]+', 'abc1', false], // the whole value, as Matcher.matches()
      ['^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$', 'héllo wörld 漢字', true],
      ['\\p{Alpha}+', 'p{Alpha}', false],
      ['\\p{Alpha}+', 'abc', true],
      ['(?s).{1,3}', 'a\nb', true],
      ['(?i)all|[0-9]{12}', 'ALL', true],
      ['[0-9A-Z]{2}+', 'AB', true], // possessive
      ['[a-z[0-9]]+', 'a1', true], // union of classes
      ['(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )', 'a-b_c', true],
      ['(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )', ' a', false],
      ['\\Aab\\z', 'ab', true],
      ['\\Q.*\\E', '.*', true],
      ['\\Q.*\\E', 'ab', false],
      ['[^/:|\\000-\\037]+', 'a\u0001', false],
    ];
    for (const [pattern, value, matches] of cases) expect(javaPatternToRegExp(pattern)?.test(value), `${pattern} ${JSON.stringify(value)}`).toBe(matches);
  });

  it('every pattern of the bundled models converts, but for these few, which are not checked', () => {
    const patterns = new Set<string>();
    for (const file of readdirSync(modelsDir())) {
      if (!file.endsWith('.json.br')) continue;
      const model = JSON.parse(readModelText(file.slice(0, -'.json.br'.length))) as { shapes: Record<string, { pattern?: string }> };
      for (const shape of Object.values(model.shapes)) if (shape.pattern !== undefined) patterns.add(shape.pattern);
    }
    expect(patterns.size).toBeGreaterThan(5000);
    const unsupported = [...patterns].filter((p) => !javaPatternToRegExp(p)).sort();
    // class intersections, inline flags inside a group, quantified anchors or lookaheads,
    // Java-only classes: skipped rather than refuse what AWS accepts
    expect(unsupported).toEqual([
      '(?!(?i)AWS_)[a-zA-Z_][a-zA-Z0-9_]*',
      '(\\/|(\\/(?!\\.)+[^$#<>;;`|&?{}^*/\\n]+){1,4})',
      '([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}',
      '([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}',
      '[\\p{Print}&&[^|:/]]+',
      '[^-A-Za-z0-9+/=]|=[^=]|={3,}${1,4096}',
      '^(\\/|(\\/(?!\\.)+[^$#<>;`|&?{}^*/\\n]+){1,4})$',
      '^(\\p{LD}|\\p{Punct}| )+$',
      '^(?![^:\\\\]*/action/|(?i).*<script>.*</script>.*)[^:\\\\]+$',
      '^[-_a-zA-Z0-9]*${2,64}$',
      '^arn:\\S+:rbin:[a-z\\-0-9]{0,63}:[0-9]{12}:rule/[0-9a-zA-Z]{11}{0,1011}$',
    ].sort());
  });
});
