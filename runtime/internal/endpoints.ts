/**
 * The internal HTTP endpoints under /_localstack: health (GET, HEAD, POST restart|kill),
 * info, the init hook states, and state (reset, save, load, export, import: state-endpoints.ts,
 * which also answers moto's /moto-api/reset). Everything else under /_localstack answers 404.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname, platform } from 'node:os';
import type { GatewayResponse, RequestContext } from '../request-context.js';
import type { ServiceManager } from '../services/manager.js';
import { EDITION, VERSION } from '../version.js';
import { STAGES, type InitHooks, type Stage } from './init-hooks.js';
import { isStatePath, serveState, type StateControl } from './state-endpoints.js';

/** What the endpoints need from the runtime. */
export interface RuntimeControl extends StateControl {
  readonly services: ServiceManager;
  readonly initHooks: InitHooks;
  readonly inDocker: boolean;
  /** Epoch ms when the runtime started. */
  readonly startedAt: number;
  /** Soft restart: stop all services and drop their in-memory state. */
  restart(): Promise<void>;
  /** Begin a graceful shutdown of the whole process. */
  shutdown(): void;
}

const SESSION_ID = randomUUID();
const MACHINE_ID = `gen_${createHash('sha256').update(hostname()).digest('hex').slice(0, 12)}`;

function readJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function notFound(res: GatewayResponse): void {
  res.json(404, { error: 'not found' });
}

/** Serves a /_localstack or /moto-api request; `ctx.body` has been read (but for an import, which streams). */
export async function serveInternal(ctx: RequestContext, res: GatewayResponse, runtime: RuntimeControl): Promise<void> {
  const path = ctx.path.replace(/\/+$/, '');
  if (isStatePath(path) && (await serveState(ctx, res, runtime))) return;
  if (path === '/_localstack/health') {
    if (ctx.method === 'HEAD') {
      res.send(200, undefined, '');
      return;
    }
    if (ctx.method === 'GET') {
      res.json(200, { services: runtime.services.states(), edition: EDITION, version: VERSION });
      return;
    }
    if (ctx.method === 'POST' || ctx.method === 'PUT') {
      const action = readJson(ctx.body)?.action;
      if (action === 'restart') {
        await runtime.restart();
        res.json(200, { status: 'ok', action: 'restart' });
        return;
      }
      if (action === 'kill') {
        res.json(200, { status: 'ok', action: 'kill' });
        res.headers.connection = 'close';
        setImmediate(() => runtime.shutdown());
        return;
      }
      res.json(400, { error: `unknown action: ${String(action)}` });
      return;
    }
    res.json(405, { error: 'method not allowed' });
    return;
  }
  if (path === '/_localstack/info' && ctx.method === 'GET') {
    res.json(200, {
      version: VERSION,
      edition: EDITION,
      is_license_activated: false,
      session_id: SESSION_ID,
      machine_id: MACHINE_ID,
      system: platform(),
      is_docker: runtime.inDocker,
      server_time_utc: new Date().toISOString().replace(/\.\d+Z$/, ''),
      uptime: Math.floor((Date.now() - runtime.startedAt) / 1000),
    });
    return;
  }
  if (path === '/_localstack/init' && ctx.method === 'GET') {
    res.json(200, runtime.initHooks.status());
    return;
  }
  const stage = /^\/_localstack\/init\/([a-z]+)$/i.exec(path)?.[1]?.toUpperCase();
  if (stage && ctx.method === 'GET') {
    if (!(STAGES as readonly string[]).includes(stage)) {
      notFound(res);
      return;
    }
    res.json(200, runtime.initHooks.stageStatus(stage as Stage));
    return;
  }
  notFound(res);
}
