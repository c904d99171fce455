/**
 * What the three testcontainers flows (node.test.ts, python.test.ts, java.test.ts) share: the
 * image they start, the environment that lets testcontainers run where no registry is reachable,
 * and the removal of the containers a flow leaves behind.
 *
 * - The image is built from this checkout by the CLI's own code (src/docker-image.ts
 *   ensureImage: a no-op when the tag already holds an image of these sources), under a lock,
 *   because vitest runs the three files in parallel and three builds of one context would only
 *   compete for the two cores.
 * - Ryuk, the reaper testcontainers starts beside each session, is an image pulled from a
 *   registry: it is disabled, so each flow removes its own container, and each test asserts
 *   that it did. A container a killed run left is found by its label and removed here.
 * - TESTCONTAINERS_HOST_OVERRIDE (and, for Python, TESTCONTAINERS_CONNECTION_MODE) keep the
 *   clients on loopback: inside a container (as here) testcontainers would otherwise talk to
 *   the Docker bridge's gateway address.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ensureImage } from '../../src/docker-image.js';

/** The image every flow starts: a tag of the tests' own (the user's :latest, which `localstack image build` makes, stays theirs). */
export const IMAGE = 'localstack-ts/localstack:tc13-test';

/** The environment of a testcontainers session here: no Ryuk, clients on loopback. */
export const TESTCONTAINERS_ENV = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  // testcontainers-python, inside a container, would go to the bridge's gateway despite the override
  TESTCONTAINERS_CONNECTION_MODE: 'docker_host',
} as const;

/** The label each flow puts on its container, valued `testcontainers-<flow>-<pid>`. */
export const RUN_LABEL = 'cloud.localstack-ts.test-run';

export const SOCKET = process.env.DOCKER_SOCK || '/var/run/docker.sock';
const BASE_IMAGE = 'node:22-bookworm-slim';
/** Longer than a cold build on two cores: a lock older than this is a killed run's. */
const LOCK_STALE_MS = 20 * 60_000;

/** This process's label value for `flow`. */
export function runLabel(flow: 'node' | 'python' | 'java'): string {
  return `testcontainers-${flow}-${process.pid}`;
}

async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(path).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_STALE_MS) rmSync(path, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

/**
 * The engine, with IMAGE present and current (built when not, which takes minutes on a cold
 * cache), and no container left by an earlier run that was killed before its clean-up.
 */
export async function prepareImage(): Promise<Docker> {
  const docker = new Docker({ socketPath: SOCKET });
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(`no Docker engine answers at ${SOCKET} (${(error as Error).message}): the testcontainers flows need one; CI runs bash ../shared/env/docker-up.sh first`);
  }
  await docker.getImage(BASE_IMAGE).inspect().catch(() => {
    throw new Error(`the base image ${BASE_IMAGE} is missing (no registry is reachable here): run bash ../shared/env/docker-up.sh`);
  });
  for (const c of await docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } })) {
    if (Date.now() / 1000 - c.Created > 1800) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  await withLock(join(tmpdir(), `localstack-ts-image-${IMAGE.replace(/[^\w.-]/g, '_')}.lock`), () =>
    ensureImage(docker, IMAGE, { interactive: false, phase: () => undefined, update: () => undefined, note: log, succeed: log, fail: log, stop: () => undefined }),
  );
  return docker;
}

/** The containers that carry `value` under RUN_LABEL, running or not. */
export async function labelledContainers(docker: Docker, value: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${value}`] } });
}

/** Removes (with their anonymous volumes) the containers that carry `value`: a failed flow's. */
export async function removeLabelled(docker: Docker, value: string): Promise<void> {
  for (const c of await labelledContainers(docker, value)) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
}
