/**
 * The state endpoints: LocalStack's under /_localstack/state, and moto's reset.
 *
 *   POST /_localstack/state/reset             empty every service's state (and its saved files)
 *   POST /_localstack/state/<service>/reset   one service's
 *   POST /_localstack/state/save              PERSISTENCE=1: write every changed service now
 *   POST /_localstack/state/<service>/save
 *   POST /_localstack/state/load              PERSISTENCE=1: load the saved state (running
 *   POST /_localstack/state/<service>/load      services get it in place)
 *   GET  /_localstack/state/export            the whole state as a zip (?services=a,b for some)
 *   POST /_localstack/state/import            a zip from export replaces those services' state
 *   POST /moto-api/reset                      moto's server: resets everything, {"status": "ok"}
 *                                             (its other methods stay S3's: a bucket may be named moto-api)
 *
 * Reset, export and import work without persistence too (on the state in memory). As in
 * LocalStack, naming a service that has no provider here is not an error (nothing to do).
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { GatewayResponse, RequestContext } from '../request-context.js';
import type { PersistenceBackend } from '../state/persistence/backend.js';
import type { ServiceManager } from '../services/manager.js';

/** What the state endpoints need from the runtime. */
export interface StateControl {
  readonly services: ServiceManager;
  readonly persistence?: PersistenceBackend | undefined;
}

const STATE_PATH = /^\/_localstack\/state(?:\/([a-z0-9][a-z0-9-]*))?\/(reset|save|load)$/;

/** moto's server resets everything on a POST here. */
export const MOTO_RESET = '/moto-api/reset';

/** Whether a path (no trailing slash) is served here. */
export function isStatePath(path: string): boolean {
  return path.startsWith('/_localstack/state/') || path === MOTO_RESET;
}

/** Whether the request streams its own body (an import: the gateway must not read it first). */
export function streamsBody(path: string): boolean {
  return path.replace(/\/+$/, '') === '/_localstack/state/import';
}

function tempFolder(services: ServiceManager): string {
  return join(services.config.volumeDir, 'tmp', 'state-archives');
}

/** Serves a state endpoint; returns false when the path is not one. */
export async function serveState(ctx: RequestContext, res: GatewayResponse, runtime: StateControl): Promise<boolean> {
  const path = ctx.path.replace(/\/+$/, '');
  const { services, persistence } = runtime;
  if (path === MOTO_RESET) {
    // (the gateway only routes its POSTs here: other methods are S3's, for a bucket of that name)
    await services.resetState();
    res.json(200, { status: 'ok' });
    return true;
  }
  if (path === '/_localstack/state/export') {
    if (ctx.method !== 'GET') return methodNotAllowed(res);
    const only = ctx.query.get('services')?.split(',').map((s) => s.trim()).filter(Boolean);
    const names = (only ?? exportable(runtime)).filter((n) => services.hasState(n));
    const { exportState } = await import('../state/archive/export.js');
    const { stream, services: exported } = await exportState(services, names, tempFolder(services));
    res.headers['content-disposition'] = 'attachment; filename="localstack-state.zip"';
    res.headers['x-localstack-state-services'] = exported.join(',');
    res.send(200, 'application/zip', stream);
    return true;
  }
  if (path === '/_localstack/state/import') {
    if (ctx.method !== 'POST') return methodNotAllowed(res);
    const [{ importState }, { ArchiveError }] = await Promise.all([import('../state/archive/import.js'), import('../state/archive/zip-reader.js')]);
    try {
      // a small upload was read before the chain ran (server.ts); a larger one streams
      const upload = ctx.request.readableEnded ? Readable.from([ctx.body]) : ctx.request;
      const imported = await importState(services, upload, tempFolder(services));
      res.json(200, { status: 'ok', services: imported });
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      res.json(400, { status: 'error', error: error.message });
    }
    return true;
  }
  const m = STATE_PATH.exec(path);
  if (!m) return false;
  if (ctx.method !== 'POST') return methodNotAllowed(res);
  const [, service, action] = m;
  if (service !== undefined && !services.has(service)) {
    res.json(200, { status: 'ok', services: [] });
    return true;
  }
  if (action === 'reset') {
    await services.resetState(service);
    res.json(200, { status: 'ok', services: service ? [service] : 'all' });
    return true;
  }
  if (!persistence) {
    res.json(400, { status: 'error', error: `nothing to ${action}: persistence is off (start with PERSISTENCE=1)` });
    return true;
  }
  if (action === 'save') {
    services.state.save(service);
    res.json(200, { status: 'ok', services: service ? [service] : services.runningNames() });
    return true;
  }
  const names = service ? [service] : [...new Set([...persistence.saved(), ...services.runningNames()])].filter((n) => services.has(n));
  await services.loadState(names);
  res.json(200, { status: 'ok', services: names });
  return true;
}

/**
 * What an export holds by default: the running services, those whose saved state loads when
 * they start, and the runtime's own state when it holds any (pending deliveries).
 */
function exportable(runtime: StateControl): string[] {
  const saved = runtime.persistence && runtime.persistence.loadStrategy !== 'MANUAL' ? runtime.persistence.saved() : [];
  const pending = runtime.services.deliveries.size > 0 ? ['deliveries'] : [];
  return [...new Set([...runtime.services.runningNames(), ...saved, ...pending])].sort();
}

function methodNotAllowed(res: GatewayResponse): boolean {
  res.json(405, { error: 'method not allowed' });
  return true;
}
