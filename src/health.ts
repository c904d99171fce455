/**
 * The CLI's client of the runtime's internal endpoints (/_localstack/health, info), through
 * undici with short timeouts: a runtime that does not answer in time counts as not running.
 */
import { request } from 'undici';

export interface Health {
  services: Record<string, string>;
  edition?: string;
  version?: string;
}

async function getJson<T>(url: string, timeoutMs: number): Promise<T | undefined> {
  try {
    const r = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    if (r.statusCode !== 200) {
      await r.body.dump();
      return undefined;
    }
    return (await r.body.json()) as T;
  } catch {
    return undefined;
  }
}

/** GET /_localstack/health, or undefined when nothing answers within `timeoutMs` (2 s as LocalStack). */
export function fetchHealth(endpoint: string, timeoutMs = 2000): Promise<Health | undefined> {
  return getJson<Health>(`${endpoint}/_localstack/health`, timeoutMs);
}

export function fetchInfo(endpoint: string, timeoutMs = 2000): Promise<Record<string, unknown> | undefined> {
  return getJson(`${endpoint}/_localstack/info`, timeoutMs);
}

/** Polls the health endpoint until it answers or `deadline` (ms since epoch) passes. */
export async function waitForHealth(endpoint: string, deadline: number, isAlive: () => boolean = () => true): Promise<Health | undefined> {
  while (Date.now() < deadline && isAlive()) {
    const health = await fetchHealth(endpoint, Math.max(100, Math.min(2000, deadline - Date.now())));
    if (health) return health;
    await new Promise((r) => setTimeout(r, 25));
  }
  return undefined;
}

/** POST {"action": "restart"} to the health endpoint. */
export async function requestRestart(endpoint: string): Promise<boolean> {
  try {
    const r = await request(`${endpoint}/_localstack/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'restart' }),
      signal: AbortSignal.timeout(10_000),
    });
    await r.body.dump();
    return r.statusCode === 200;
  } catch {
    return false;
  }
}
