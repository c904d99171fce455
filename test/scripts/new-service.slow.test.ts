/**
 * `npm run new-service` end to end, in a copy of the repository (its node_modules linked): it
 * refuses what it must, scaffolds a service that type-checks, passes its own tests and shows
 * on the coverage page, and removes what it wrote when a step fails. Slow (a build, the
 * generators, the type checker): in the `slow` project.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../runtime/services/registry.js';
import { ROOT } from '../support/runtime.js';

/** Services whose SDK client is a dev dependency already; the test scaffolds the first without a provider. */
const CANDIDATES = ['acm', 'athena', 'firehose', 'scheduler', 'ecr'];
const service = CANDIDATES.find((name) => !(name in PROVIDERS));

let copy: string;

function run(cmd: string, args: string[], timeout = 240_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: copy, timeout }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

const scaffold = (...args: string[]) => run(process.execPath, ['scripts/new-service.mjs', ...args]);

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'ls-new-service-'));
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'vitest.config.ts', 'eslint.config.js', 'runtime', 'src', 'commands', 'bench', 'bin', 'scripts', 'docs', 'test']) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true, filter: (path) => !path.includes(`${join(ROOT, 'bench', '.peers')}`) && !path.includes(join(ROOT, 'bench', 'results')) });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('npm run new-service', { timeout: 300_000 }, () => {
  it('has a service to scaffold', () => {
    expect(service, `every one of ${CANDIDATES.join(', ')} has a provider: add a service whose client is installed`).toBeDefined();
  });

  it('refuses a name the models do not describe, suggesting close ones, and a service with a provider', async () => {
    const unknown = await scaffold('sqss');
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('sqss is not a service of the bundled models (did you mean sqs?)');
    const existing = await scaffold('ssm');
    expect(existing.code).toBe(2);
    expect(existing.out).toContain('ssm has a provider already (runtime/services/ssm)');
    expect(existsSync(join(copy, 'runtime', 'services', 'sqss'))).toBe(false);
  });

  it('scaffolds provider, state, errors, generated types, registry entry, tests and coverage page', async () => {
    const r = await scaffold(service!, '--no-install');
    expect(r.code, r.out).toBe(0);
    for (const file of ['provider.ts', 'state.ts', 'errors.ts', 'api.generated.ts', 'errors.generated.ts']) expect(existsSync(join(copy, 'runtime', 'services', service!, file)), file).toBe(true);
    expect(readFileSync(join(copy, 'runtime', 'services', 'registry.ts'), 'utf8')).toContain(`${service}: { load: () => import('./${service}/provider.js') },`);
    const apis = readFileSync(join(copy, 'runtime', 'services', 'apis.ts'), 'utf8');
    expect(apis).toContain(`from './${service}/api.generated.js';`);
    expect(apis).toMatch(new RegExp(`\\n  ${service}: \\w+Api;\\n`));
    const provider = readFileSync(join(copy, 'runtime', 'services', service!, 'provider.ts'), 'utf8');
    expect(provider).toMatch(/LIMITATIONS:/);
    expect(provider).toMatch(/\} satisfies Partial<\w+Api>;/);
    expect(readFileSync(join(copy, 'docs', 'coverage', 'README.md'), 'utf8')).toContain(`| [${service}](${service}.md) |`);
    expect(existsSync(join(copy, 'test', 'services', `${service}.test.ts`))).toBe(true);
    expect(existsSync(join(copy, 'test', 'services', `${service}-persistence.test.ts`))).toBe(true);
    expect(existsSync(join(copy, 'test', 'services', `${service}.wire.test.ts`))).toBe(true);
  });

  it('the result type-checks, lints, and passes its own tests', async () => {
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);
    expect(tsc.code, tsc.out).toBe(0);
    const lint = await run(process.execPath, [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), `runtime/services/${service}`, `test/services/${service}.test.ts`, `test/services/${service}-persistence.test.ts`, `test/services/${service}.wire.test.ts`]);
    expect(lint.code, lint.out).toBe(0);
    const tests = await run(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', `test/services/${service}.test.ts`, `test/services/${service}-persistence.test.ts`, `test/services/${service}.wire.test.ts`]);
    expect(tests.code, tests.out).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(tests.out.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+3 passed/);
  });

  it('refuses to scaffold it twice, and leaves the registry as it was', async () => {
    const before = readFileSync(join(copy, 'runtime', 'services', 'registry.ts'), 'utf8');
    const again = await scaffold(service!, '--no-install');
    expect(again.code).toBe(2);
    expect(readFileSync(join(copy, 'runtime', 'services', 'registry.ts'), 'utf8')).toBe(before);
  });
});
