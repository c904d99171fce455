/**
 * The modelled errors of a service as its current SDK client knows them: read from the Smithy
 * schemas that ship in @aws-sdk/client-<service> (dist-es/schemas/schemas_0.js), since the
 * aws-sdk v2 models carry almost no error shapes. Shared by the error catalog generator and
 * the conformance suite (which raises every one of them through the gateway).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * `{ pkg, version, errors: [{ name, sender, status, queryCode }] }` for a client package,
 * errors sorted by shape name.
 */
export function sdkErrors(pkg) {
  let dir;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${pkg} is not installed: add it as a dev dependency (npm i -D ${pkg})`);
  }
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  const text = readFileSync(join(dir, 'dist-es/schemas/schemas_0.js'), 'utf8');
  const consts = new Map([...text.matchAll(/^const (\w+) = "([^"]*)";$/gm)].map((m) => [m[1], m[2]]));
  const value = (token) => (token.startsWith('`') || token.startsWith('"') ? token.slice(1, -1) : consts.get(token));
  const errors = [];
  for (const m of text.matchAll(/export var (\w+)\$ = \[-3, \w+, (\w+),\s*\{([^}]*)\}/g)) {
    const name = value(m[2]);
    if (!name || name.endsWith('ServiceException')) continue;
    const traits = m[3];
    const fault = value(/\[_e\]: (\w+)/.exec(traits)?.[1] ?? '');
    const httpError = /\[_hE\]: (\d+)/.exec(traits)?.[1];
    const query = /\[_aQE\]: \[`([^`]+)`, (\d+)\]/.exec(traits);
    errors.push({ name, sender: fault !== 'server', status: httpError ? Number(httpError) : fault === 'server' ? 500 : 400, queryCode: query?.[1] });
  }
  return { pkg, version, errors: errors.sort((a, b) => a.name.localeCompare(b.name)) };
}
