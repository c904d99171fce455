/** The pieces of `config validate`: Compose's interpolation, image names, port entries. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComposeError, imageRepository, interpolate, parseComposeText, publishes, serviceEnvironment } from '../../../src/compose.js';

describe('interpolate (Compose rules)', () => {
  const vars = { SET: 'value', EMPTY: '', PORT: '4566' };
  const cases: Array<[string, string]> = [
    ['plain', 'plain'],
    ['$SET and ${SET}', 'value and value'],
    ['${UNSET}', ''],
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${UNSET-dflt}', 'dflt'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${PORT}}', '4566'],
    ['${UNSET:-a${UNSET2:-b}c}', 'abc'],
    ['$$SET costs $$5', '$SET costs $5'],
    ['127.0.0.1:${PORT}:4566', '127.0.0.1:4566:4566'],
    ['a $ b', 'a $ b'],
    ['${SET:?never}', 'value'],
  ];
  for (const [text, expected] of cases) it(`${text} -> ${JSON.stringify(expected)}`, () => expect(interpolate(text, vars)).toBe(expected));

  it('${VAR:?message} fails with the message', () => {
    expect(() => interpolate('${UNSET:?set it}', vars)).toThrow(new ComposeError('required variable UNSET is missing a value: set it'));
    expect(() => interpolate('${EMPTY:?}', vars)).toThrow('required variable EMPTY is missing a value');
    expect(interpolate('${EMPTY?x}', vars)).toBe('');
  });

  it('rejects malformed references', () => {
    expect(() => interpolate('${', vars)).toThrow(/invalid interpolation format/);
    expect(() => interpolate('${SET', vars)).toThrow(/missing \}/);
    expect(() => interpolate('${1A}', vars)).toThrow(/a variable name must follow/);
    expect(() => interpolate('${UNSET:-abc', vars)).toThrow(/missing \}/);
  });
});

describe('parseComposeText', () => {
  it('reads .env beside the file; the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    try {
      writeFileSync(join(dir, '.env'), 'TAG=from-dotenv\nNAME=dotenv-name\n');
      const data = parseComposeText('services:\n  a:\n    image: x:${TAG}\n    container_name: ${NAME}\n', join(dir, 'c.yml'), { NAME: 'env-name' }) as any;
      expect(data.services.a).toEqual({ image: 'x:from-dotenv', container_name: 'env-name' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('interpolates values, never keys', () => {
    const data = parseComposeText('services:\n  $X:\n    image: $X\n', '/nonexistent/c.yml', { X: 'y' }) as any;
    expect(data.services).toEqual({ $X: { image: 'y' } });
  });
});

describe('imageRepository', () => {
  const cases: Array<[string, string]> = [
    ['localstack-ts/localstack', 'localstack-ts/localstack'],
    ['localstack-ts/localstack:0.1.0', 'localstack-ts/localstack'],
    ['docker.io/localstack-ts/localstack:latest', 'localstack-ts/localstack'],
    ['localstack-ts/localstack@sha256:abcd', 'localstack-ts/localstack'],
    ['registry:5000/localstack-ts/localstack:1', 'registry:5000/localstack-ts/localstack'],
    ['LocalStack/LocalStack:4', 'localstack/localstack'],
  ];
  for (const [image, repo] of cases) it(`${image} -> ${repo}`, () => expect(imageRepository(image)).toBe(repo));
});

describe('publishes', () => {
  const yes: unknown[] = [4566, '4566', '4566:4566', '127.0.0.1:4566:4566', '8000:4566/tcp', '[::1]:4566:4566', '4500-4600:4500-4600', { target: 4566, published: '1' }, { target: '4566', protocol: 'TCP' }];
  const no: unknown[] = [4567, '4566:4567', '4566:4566/udp', '127.0.0.1:4510-4559:4510-4559', { target: 4566, protocol: 'udp' }, { published: 4566 }, null];
  for (const entry of yes) it(`${JSON.stringify(entry)} publishes 4566`, () => expect(publishes(entry, 4566)).toBe(true));
  for (const entry of no) it(`${JSON.stringify(entry)} does not`, () => expect(publishes(entry, 4566)).toBe(false));
});

describe('serviceEnvironment', () => {
  it('list and map forms; bare names come from the shell; env_file first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-env-'));
    try {
      writeFileSync(join(dir, 'ls.env'), 'GATEWAY_LISTEN=0.0.0.0:5000\nA=file\n');
      expect(serviceEnvironment({ environment: ['A=1', 'B', 'C=x=y'] }, dir, { B: 'shell' })).toEqual({ A: '1', B: 'shell', C: 'x=y' });
      expect(serviceEnvironment({ environment: { A: 1, B: null, D: null } }, dir, { B: 'shell' })).toEqual({ A: '1', B: 'shell' });
      expect(serviceEnvironment({ env_file: 'ls.env', environment: ['A=inline'] }, dir, {})).toEqual({ GATEWAY_LISTEN: '0.0.0.0:5000', A: 'inline' });
      expect(serviceEnvironment({ env_file: [{ path: 'ls.env', required: false }, 'missing.env'] }, dir, {})).toEqual({ GATEWAY_LISTEN: '0.0.0.0:5000', A: 'file' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
