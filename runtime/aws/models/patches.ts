/**
 * THE place for fixes to the bundled AWS models (botocore's, generated into botocore/):
 * patches.json holds, per service, a JSON merge patch (RFC 7386) and the reason for it: only
 * what botocore gets wrong or leaves out, or what older clients still send that the current
 * model no longer describes. The loader applies it to the raw model when the service is first
 * loaded, and the generators (scripts/lib.mjs) apply the same file, so detection, parsing,
 * types and error catalogs see one model. The generated models are never edited.
 *
 * Besides changing the model, a patch may give a REST operation `alternateRoutes`: further
 * requests that address it, with their own input bindings when they differ (see
 * RawAlternateRoute in types.ts). The REST router routes them like the operation's own.
 */
import { readFileSync } from 'node:fs';
import { runtimeFile } from '../../runtime-dir.js';
import type { RawModel } from './types.js';

interface PatchEntry {
  why: string;
  patch: Record<string, unknown>;
}

const PATCHES = JSON.parse(readFileSync(runtimeFile('aws/models/patches.json'), 'utf8')) as Record<string, PatchEntry>;

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object' && target[key] !== null && !Array.isArray(target[key])) {
      mergePatch(target[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

export function applyModelPatch(service: string, model: RawModel): void {
  const entry = PATCHES[service];
  if (entry) mergePatch(model as unknown as Record<string, unknown>, entry.patch);
}
