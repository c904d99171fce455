/**
 * The CLI's client of the runtime's state endpoints (`localstack state export|import|reset`),
 * through node:http so that archives stream between the file and the socket, never whole in
 * memory. The runtime is found as every other command finds it (runtime-target.ts).
 */
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { CliError } from './base-command.js';
import type { CliConfig } from './config.js';
import { findRuntime } from './runtime-target.js';

/** The endpoint of the running runtime, or a CliError saying it is not running. */
export async function runtimeEndpoint(config: CliConfig): Promise<string> {
  const runtime = await findRuntime(config);
  if (!runtime) throw new CliError('the runtime is not running (localstack start)');
  return runtime.endpoint;
}

function send(url: string, method: string, body?: { stream: NodeJS.ReadableStream; length: number }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: body ? { 'content-type': 'application/zip', 'content-length': body.length } : {} }, resolve);
    req.on('error', (error) => reject(new CliError(`cannot reach the runtime at ${new URL(url).origin}: ${error.message}`)));
    if (body) body.stream.pipe(req);
    else req.end();
  });
}

async function text(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The error a state endpoint answered, as one line. */
async function failure(res: IncomingMessage, what: string): Promise<CliError> {
  const body = await text(res);
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { error?: string };
    if (parsed.error) message = parsed.error;
  } catch {
    // not JSON: the body as it is
  }
  return new CliError(`${what} failed (HTTP ${res.statusCode}): ${message || 'no details'}`);
}

/** Streams the runtime's state archive into `file` (written whole or not at all). */
export async function exportState(endpoint: string, file: string, services?: readonly string[]): Promise<{ bytes: number; services: string[] }> {
  const query = services && services.length > 0 ? `?services=${encodeURIComponent(services.join(','))}` : '';
  const res = await send(`${endpoint}/_localstack/state/export${query}`, 'GET');
  if (res.statusCode !== 200) throw await failure(res, 'export');
  const temp = `${file}.partial`;
  try {
    await pipeline(res, createWriteStream(temp));
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new CliError(`export to ${file} failed: ${(error as Error).message}`);
  }
  const names = String(res.headers['x-localstack-state-services'] ?? '');
  return { bytes: statSync(file).size, services: names ? names.split(',') : [] };
}

/** Sends an archive to the runtime; returns the services whose state it replaced. */
export async function importState(endpoint: string, file: string): Promise<string[]> {
  let length: number;
  try {
    length = statSync(file).size;
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const res = await send(`${endpoint}/_localstack/state/import`, 'POST', { stream: createReadStream(file), length });
  if (res.statusCode !== 200) throw await failure(res, `import of ${file}`);
  return (JSON.parse(await text(res)) as { services: string[] }).services;
}

/** Resets the state of the named services, or of all. */
export async function resetState(endpoint: string, services: readonly string[]): Promise<void> {
  for (const path of services.length === 0 ? ['/_localstack/state/reset'] : services.map((s) => `/_localstack/state/${encodeURIComponent(s)}/reset`)) {
    const res = await send(`${endpoint}${path}`, 'POST');
    if (res.statusCode !== 200) throw await failure(res, 'reset');
    await text(res);
  }
}
