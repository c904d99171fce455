/**
 * The CLI's client of the runtime's internal endpoints (/_localstack/health, info), through
 * node:http with short timeouts: a runtime that does not answer in time counts as not running.
 * (node:http rather than undici: it is already loaded, and `status services`, the image's
 * healthcheck, is mostly start-up time.)
 */
import { request } from 'node:http';

export interface Health {
  services: Record<string, string>;
  edition?: string;
  version?: string;
}

/** One request; resolves with status and body, or undefined on any failure or after `timeoutMs`. */
function call(url: string, timeoutMs: number, method = 'GET', body?: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent: false, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => resolve(undefined));
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(undefined);
    }, timeoutMs);
    req.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    req.end(body);
  });
}

async function getJson<T>(url: string, timeoutMs: number): Promise<T | undefined> {
  const r = await call(url, timeoutMs);
  if (r?.status !== 200) return undefined;
  try {
    return JSON.parse(r.body) as T;
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

/** One init stage as /_localstack/init/<stage> reports it (LocalStack's document). */
export interface InitStage {
  completed: boolean;
  scripts: Array<{ stage: string; name: string; state: string }>;
}

/**
 * GET /_localstack/init/<stage>: the stage, null when the runtime does not serve that document
 * (a 404 from an image of another kind), undefined when nothing answers within `timeoutMs`.
 */
export async function fetchInitStage(endpoint: string, stage: 'ready', timeoutMs = 2000): Promise<InitStage | null | undefined> {
  const r = await call(`${endpoint}/_localstack/init/${stage}`, timeoutMs);
  if (!r) return undefined;
  try {
    const doc = JSON.parse(r.body) as Partial<InitStage>;
    if (r.status === 200 && typeof doc.completed === 'boolean') return { completed: doc.completed, scripts: Array.isArray(doc.scripts) ? doc.scripts : [] };
  } catch {
    // not the document: not a runtime that serves it
  }
  return null;
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
  const r = await call(`${endpoint}/_localstack/health`, 10_000, 'POST', JSON.stringify({ action: 'restart' }));
  return r?.status === 200;
}
