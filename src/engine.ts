/**
 * The few questions nearly every command asks the Docker engine (is there one? is there a
 * container, an image of that name?), as plain GETs over its socket with node:http, so that
 * `status`, `config validate`, `start --host` and the like do not pay for loading dockerode
 * (100-400 ms here); commands that act on the engine use dockerode (docker.ts).
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { CliConfig } from './config.js';

/** One GET to the engine; rejects when it does not answer within `timeoutMs`. */
export function engineGet(config: Pick<CliConfig, 'dockerSocket'>, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: config.dockerSocket, path, method: 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer from ${config.dockerSocket} within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

/** True when a Docker engine answers (a ping, with a short timeout). */
export async function dockerAvailable(config: Pick<CliConfig, 'dockerSocket'>): Promise<boolean> {
  if (!existsSync(config.dockerSocket)) return false;
  try {
    return (await engineGet(config, '/_ping', 1500)).status === 200;
  } catch {
    return false;
  }
}

/**
 * Whether the engine has the image `ref` (a tag as compose names it: give it one, see
 * withDefaultTag); undefined when no engine answers, so the question stays open.
 */
export async function imagePresent(config: Pick<CliConfig, 'dockerSocket'>, ref: string): Promise<boolean | undefined> {
  if (!(await dockerAvailable(config))) return undefined;
  try {
    const r = await engineGet(config, `/images/${encodeURIComponent(ref)}/json`, 10_000);
    if (r.status === 200) return true;
    if (r.status === 404) return false;
    return undefined;
  } catch {
    return undefined;
  }
}
