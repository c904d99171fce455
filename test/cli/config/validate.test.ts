/**
 * `localstack config validate` on the fixture compose files (one per finding), through oclif
 * as a user runs it (dist/commands: `npm run build` first). PATH is pointed at a folder
 * without docker so that the yaml reader is used whatever this machine has; a stub `docker`
 * stands in for the Compose plugin to test that path. DOCKER_SOCK points at a stand-in
 * engine on a unix socket of the test's own, which has the images `images` names: whether
 * the image is there is asked of it, whatever this machine's engine holds.
 */
import { runCommand } from '@oclif/test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { packageVersion } from '../../../src/docker-image.js';
import { ROOT } from '../../support/runtime.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'compose');
const VERSION = packageVersion();
let noDocker: string;
let savedPath: string | undefined;
let engine: Server;
let engineSocket: string;
/** The images the stand-in engine has (references as the CLI asks for them). */
const images = new Set<string>();
const DEFAULT_IMAGES = ['localstack-ts/localstack:latest', `localstack-ts/localstack:${VERSION}`];

async function validate(...args: string[]) {
  const result = await runCommand(['config', 'validate', ...args], { root: ROOT });
  const exit = result.error ? ((result.error as { oclif?: { exit?: number } }).oclif?.exit ?? 1) : 0;
  return { stdout: result.stdout, stderr: result.stderr, exit };
}

const fixture = (name: string) => join(FIXTURES, name);

beforeAll(async () => {
  noDocker = mkdtempSync(join(tmpdir(), 'no-docker-'));
  engineSocket = join(noDocker, 'engine.sock');
  engine = createServer((req, res) => {
    const image = /^\/images\/(.+)\/json$/.exec(req.url ?? '')?.[1];
    if (req.url === '/_ping') res.end('OK');
    else if (image && images.has(decodeURIComponent(image))) res.end(JSON.stringify({ Id: 'sha256:0' }));
    else res.writeHead(404).end('{"message":"No such image"}');
  });
  await new Promise<void>((resolve) => engine.listen(engineSocket, resolve));
});
afterAll(async () => {
  await new Promise((resolve) => engine.close(resolve));
  rmSync(noDocker, { recursive: true, force: true });
});
beforeEach(() => {
  savedPath = process.env.PATH;
  process.env.PATH = noDocker;
  process.env.DOCKER_SOCK = engineSocket;
  images.clear();
  for (const image of DEFAULT_IMAGES) images.add(image);
});
afterEach(() => {
  process.env.PATH = savedPath;
  delete process.env.DOCKER_SOCK;
  delete process.env.IMAGE_NAME;
  delete process.env.LS_TEST_NAME;
  delete process.env.LS_TEST_PORT;
  delete process.env.LOCALSTACK_TEST_TAG;
  delete process.env.MAIN_CONTAINER_NAME;
});

describe('config validate (yaml reader)', () => {
  it('accepts the clean file with exit 0 and says so', async () => {
    const r = await validate('-f', fixture('clean.yml'));
    expect(r.exit).toBe(0);
    expect(r.stdout).toBe(`${fixture('clean.yml')} is valid\n`);
    expect(r.stderr).toBe('');
  });

  it('accepts templates/docker-compose.yml with zero warnings', async () => {
    const r = await validate('-f', join(ROOT, 'templates', 'docker-compose.yml'));
    expect(r.stdout).not.toContain('warning');
    expect(r.exit).toBe(0);
  });

  it('reads docker-compose.yml in the current directory by default', async () => {
    const cwd = process.cwd();
    process.chdir(join(ROOT, 'templates'));
    try {
      const r = await validate();
      expect(r.exit).toBe(0);
      expect(r.stdout).toBe('docker-compose.yml is valid\n');
    } finally {
      process.chdir(cwd);
    }
  });

  it('says which reader it used with --debug', async () => {
    const r = await validate('-f', fixture('clean.yml'), '--debug');
    expect(r.stderr).toContain('with the yaml package (no docker compose here)');
    expect(r.exit).toBe(0);
  });

  const warnings: Array<[string, RegExp]> = [
    ['localstack-image.yml', /^warning: service 'localstack' uses localstack\/localstack:4\.4, LocalStack's image, which needs an auth token since 2026-03: use image localstack-ts\/localstack:latest \(localstack image build makes it\)$/],
    ['unknown-image.yml', /^warning: service 'localstack' uses the unknown image example\/localstack-fork:1: expected localstack-ts\/localstack:latest \(localstack image build makes it\)$/],
    ['several.yml', /^warning: several services could be the emulator: first, second \(checking 'first'\)$/],
    ['container-name.yml', /^warning: service 'localstack' has container_name 'my-emulator': use container_name: localstack-main, or set MAIN_CONTAINER_NAME in its environment$/],
    ['port.yml', /^warning: service 'localstack' does not publish the gateway port 4566: add "127\.0\.0\.1:4566:4566" to its ports$/],
    ['gateway-listen.yml', /^warning: service 'localstack' does not publish the gateway port 5000/],
  ];
  for (const [file, line] of warnings) {
    it(`warns on ${file}: one line, exit 1`, async () => {
      const r = await validate('-f', fixture(file));
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(r.stderr).toBe(`Error: ${fixture(file)} is not valid: 0 errors, 1 warning\n`);
      expect(r.exit).toBe(1);
    });
  }

  it('errors when no service runs the emulator', async () => {
    const r = await validate('-f', fixture('no-localstack.yml'));
    expect(r.stdout).toBe('error: no service runs localstack-ts/localstack (no image name contains "localstack")\n');
    expect(r.stderr).toContain('1 error, 0 warnings');
    expect(r.exit).toBe(1);
  });

  it('a YAML error is one line and exit 1', async () => {
    const r = await validate('-f', fixture('broken.yml'));
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: .*broken\.yml: Flow sequence in block collection must be sufficiently indented and end with a \] at line 4, column 5\n$/);
    expect(r.exit).toBe(1);
  });

  it('a missing file is one line and exit 1', async () => {
    const r = await validate('-f', join(noDocker, 'nope.yml'));
    expect(r.stderr).toBe(`Error: ${join(noDocker, 'nope.yml')} does not exist\n`);
    expect(r.exit).toBe(1);
  });

  it('${VAR:?message} without VAR is an error; with it the file is valid', async () => {
    let r = await validate('-f', fixture('required-variable.yml'));
    expect(r.stderr).toBe(`Error: ${fixture('required-variable.yml')}: required variable LOCALSTACK_TEST_TAG is missing a value: set the tag\n`);
    expect(r.exit).toBe(1);
    process.env.LOCALSTACK_TEST_TAG = '0.1.0';
    r = await validate('-f', fixture('required-variable.yml'));
    expect(r.exit).toBe(0);
  });

  it('interpolates ${VAR:-default} from the environment (and merge keys)', async () => {
    expect((await validate('-f', fixture('interpolated.yml'))).exit).toBe(0);
    process.env.LS_TEST_NAME = 'other';
    process.env.LS_TEST_PORT = '4999';
    const r = await validate('-f', fixture('interpolated.yml'));
    // the host port does not matter, the container port does; the name does
    expect(r.stdout).toContain("has container_name 'other'");
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('MAIN_CONTAINER_NAME in the service, and long port syntax, pass', async () => {
    const r = await validate('-f', fixture('main-container-name.yml'));
    expect(r.stdout).toContain('is valid');
    expect(r.exit).toBe(0);
  });

  it("expects the CLI's own MAIN_CONTAINER_NAME", async () => {
    process.env.MAIN_CONTAINER_NAME = 'my-emulator';
    expect((await validate('-f', fixture('container-name.yml'))).exit).toBe(0);
    expect((await validate('-f', fixture('clean.yml'))).stdout).toContain('use container_name: my-emulator');
  });
});

describe('config validate: the image is in the engine (no registry serves ours)', () => {
  const template = join(ROOT, 'templates', 'docker-compose.yml');

  it('the template before `localstack image build`: one warning naming that command', async () => {
    images.clear();
    const r = await validate('-f', template);
    expect(r.stdout).toBe(
      "warning: service 'localstack' uses localstack-ts/localstack:latest, which is not in the local Docker engine, and no registry serves it: build it with `localstack image build`\n",
    );
    expect(r.stderr).toBe(`Error: ${template} is not valid: 0 errors, 1 warning\n`);
    expect(r.exit).toBe(1);
    // what that command makes is what the template names
    images.add('localstack-ts/localstack:latest');
    expect((await validate('-f', template)).exit).toBe(0);
  });

  it('an image named without a tag is asked for as :latest; the version tag is made by the same command', async () => {
    images.clear();
    expect((await validate('-f', fixture('port.yml'))).stdout).toContain('uses localstack-ts/localstack:latest, which is not in the local Docker engine');
    const r = await validate('-f', fixture('clean.yml'));
    expect(r.stdout).toContain(`uses localstack-ts/localstack:${VERSION}, which is not in the local Docker engine, and no registry serves it: build it with \`localstack image build\``);
  });

  it('another tag (IMAGE_NAME in the template): the build command sets IMAGE_NAME to it', async () => {
    process.env.IMAGE_NAME = 'localstack-ts/localstack:dev';
    const r = await validate('-f', template);
    expect(r.stdout).toContain('build it with `IMAGE_NAME=localstack-ts/localstack:dev localstack image build`');
    images.add('localstack-ts/localstack:dev');
    expect((await validate('-f', template)).exit).toBe(0);
  });

  it('no finding without an engine to ask, for an image a registry may serve, or for LocalStack\'s', async () => {
    images.clear();
    process.env.DOCKER_SOCK = join(noDocker, 'no-engine.sock');
    expect((await validate('-f', template)).exit).toBe(0);
    process.env.DOCKER_SOCK = engineSocket;
    process.env.IMAGE_NAME = 'registry.example:5000/localstack-ts/localstack:1';
    expect((await validate('-f', template)).exit).toBe(0);
    const r = await validate('-f', fixture('localstack-image.yml'));
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('config validate (docker compose)', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    // `docker compose version` answers; `config` prints what FAKE_COMPOSE_OUT holds, or fails
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh
[ "$1" = compose ] || exit 1
[ "$2" = version ] && { echo "Docker Compose version v2.99.0"; exit 0; }
[ "$2" = -f ] && [ "$4" = config ] || exit 2
[ -n "$FAKE_COMPOSE_ERROR" ] && { echo "$FAKE_COMPOSE_ERROR" >&2; exit 15; }
cat "$FAKE_COMPOSE_OUT"
`,
    );
    chmodSync(join(bin, 'docker'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  afterEach(() => {
    delete process.env.FAKE_COMPOSE_OUT;
    delete process.env.FAKE_COMPOSE_ERROR;
  });

  it("checks Compose's normalized output (long port syntax, environment map)", async () => {
    process.env.PATH = `${bin}:/usr/bin:/bin`;
    const normalized = join(bin, 'normalized.yml');
    writeFileSync(
      normalized,
      `name: demo
services:
  localstack:
    container_name: localstack-main
    environment:
      DEBUG: "0"
    image: localstack-ts/localstack
    networks:
      default: null
    ports:
      - mode: ingress
        host_ip: 127.0.0.1
        target: 4566
        published: "4566"
        protocol: tcp
networks:
  default:
    name: demo_default
`,
    );
    process.env.FAKE_COMPOSE_OUT = normalized;
    const r = await validate('-f', fixture('clean.yml'), '--debug');
    expect(r.stderr).toContain('with docker compose config');
    expect(r.stdout).toContain('is valid');
    expect(r.exit).toBe(0);
  });

  it("reports Compose's error as one line, exit 1", async () => {
    process.env.PATH = `${bin}:/usr/bin:/bin`;
    process.env.FAKE_COMPOSE_ERROR = 'services.localstack Additional property imag is not allowed';
    const r = await validate('-f', fixture('clean.yml'));
    expect(r.stderr).toBe(`Error: ${fixture('clean.yml')}: services.localstack Additional property imag is not allowed\n`);
    expect(r.exit).toBe(1);
  });
});
