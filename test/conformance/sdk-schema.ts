/**
 * What a service's current SDK client knows, read from the Smithy schemas that ship in
 * @aws-sdk/client-<service> (dist-es/schemas/schemas_0.js): its modelled errors, and the
 * members of its structures. The runtime's models and error catalogs come from botocore; this
 * second, independent source is the oracle the conformance suite checks them against, and it
 * says which members the client can carry at all (botocore and the SDKs are released on
 * different days: either may know a member the other does not yet).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface SdkErrorEntry {
  name: string;
  sender: boolean;
  status: number;
  queryCode?: string;
}

interface Schema {
  version: string;
  text: string;
  /** A token of the schema file: a string literal, or the const that holds one. */
  value: (token: string) => string | undefined;
}

function schemaOf(pkg: string): Schema {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${pkg} is not installed: add it as a dev dependency (npm i -D ${pkg})`);
  }
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const text = readFileSync(join(dir, 'dist-es/schemas/schemas_0.js'), 'utf8');
  const consts = new Map([...text.matchAll(/^const (\w+) = "([^"]*)";$/gm)].map((m) => [m[1]!, m[2]!]));
  const value = (token: string) => (token.startsWith('`') || token.startsWith('"') ? token.slice(1, -1) : consts.get(token));
  return { version, text, value };
}

/** The members of each structure the client knows, by structure name. */
export function sdkStructures(pkg: string): Map<string, ReadonlySet<string>> {
  const { text, value } = schemaOf(pkg);
  const out = new Map<string, ReadonlySet<string>>();
  for (const m of text.matchAll(/export var \w+\$ = \[[34], \w+, (\w+),\s*[^,[]+,\s*\[([^\]]*)\]/g)) {
    const name = value(m[1]!);
    if (name) out.set(name, new Set(m[2]!.split(',').map((t) => value(t.trim())).filter((n): n is string => n !== undefined)));
  }
  return out;
}

/** The package's version and errors (sorted by shape name). */
export function sdkErrors(pkg: string): { pkg: string; version: string; errors: SdkErrorEntry[] } {
  const { version, text, value } = schemaOf(pkg);
  const errors: SdkErrorEntry[] = [];
  for (const m of text.matchAll(/export var (\w+)\$ = \[-3, \w+, (\w+),\s*\{([^}]*)\}/g)) {
    const name = value(m[2]!);
    if (!name || name.endsWith('ServiceException')) continue;
    const traits = m[3]!;
    const fault = value(/\[_e\]: (\w+)/.exec(traits)?.[1] ?? '');
    const httpError = /\[_hE\]: (\d+)/.exec(traits)?.[1];
    const query = /\[_aQE\]: \[`([^`]+)`, (\d+)\]/.exec(traits);
    errors.push({ name, sender: fault !== 'server', status: httpError ? Number(httpError) : fault === 'server' ? 500 : 400, queryCode: query?.[1] });
  }
  return { pkg, version, errors: errors.sort((a, b) => a.name.localeCompare(b.name)) };
}
