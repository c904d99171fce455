/**
 * The runtime's image, built by the CLI from the package it is installed from: the files
 * `.dockerignore` lets in (read as an allow-list) are the build context, sent to the engine
 * through dockerode with the Dockerfile beside them. The image is labelled with the package
 * version and a digest of that context, so that a CLI of another version, or a checkout whose
 * sources changed, rebuilds it instead of starting a stale runtime.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { CliError } from './base-command.js';
import type { Progress } from './output.js';

export const LABEL_TITLE = 'org.opencontainers.image.title';
export const LABEL_VERSION = 'org.opencontainers.image.version';
export const LABEL_DIGEST = 'cloud.localstack-ts.source-digest';
/** The title label's value: how a container of our image is told from others of the same name. */
export const IMAGE_TITLE = 'localstack-ts';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** The folder of this package's package.json (above dist/src, or src under tests). */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

export function packageVersion(root = PACKAGE_ROOT): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The build context: every file under the `!path` entries of `.dockerignore` (which starts
 * with `*`), minus its `**\/*.ext` entries. Undefined without a Dockerfile and .dockerignore
 * (a package installed without its sources).
 */
export function contextFiles(root = PACKAGE_ROOT): string[] | undefined {
  const ignoreFile = join(root, '.dockerignore');
  if (!existsSync(join(root, 'Dockerfile')) || !existsSync(ignoreFile)) return undefined;
  const include: string[] = [];
  const excludedSuffixes: string[] = [];
  for (const raw of readFileSync(ignoreFile, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line === '*') continue;
    const suffix = /^\*\*\/\*(\.[\w.-]+)$/.exec(line);
    if (line.startsWith('!')) include.push(line.slice(1).replace(/\/$/, ''));
    else if (suffix) excludedSuffixes.push(suffix[1]!);
    else throw new CliError(`${ignoreFile}: the CLI reads it as an allow-list ('*', then '!path' and '**/*.ext' lines) and cannot follow '${line}'`);
  }
  const files: string[] = [];
  const walk = (path: string): void => {
    const full = join(root, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) for (const name of readdirSync(full).sort()) walk(`${path}/${name}`);
    else if (!excludedSuffixes.some((s) => path.endsWith(s))) files.push(path);
  };
  for (const path of include) walk(path);
  return [...new Set(files)].sort();
}

/** sha256 over the context's paths and contents (a few ms for ~100 files). */
export function contextDigest(files: readonly string[], root = PACKAGE_ROOT): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

/** Why the image must be (re)built, or undefined when it can be used as it is. */
export function rebuildReason(labels: Record<string, string> | undefined, version: string, digest: string | undefined): string | undefined {
  if (!labels) return 'missing';
  if (labels[LABEL_VERSION] !== version) return `of version ${labels[LABEL_VERSION] ?? 'unknown'}, not ${version}`;
  // an image built by hand (no digest label) is taken as it is; ours must match the sources
  if (digest && labels[LABEL_DIGEST] && labels[LABEL_DIGEST] !== digest) return 'built from other sources';
  return undefined;
}

interface BuildMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Makes sure `image` exists and is current; builds it when not. Build failures become one
 * CliError carrying the end of the build log.
 */
export async function ensureImage(docker: Dockerode, image: string, progress: Progress, root = PACKAGE_ROOT): Promise<void> {
  const version = packageVersion(root);
  const files = contextFiles(root);
  const digest = files ? contextDigest(files, root) : undefined;
  let labels: Record<string, string> | undefined;
  let previousId: string | undefined;
  try {
    const info = await docker.getImage(image).inspect();
    labels = info.Config?.Labels ?? {};
    previousId = info.Id;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  const reason = rebuildReason(labels, version, digest);
  if (!reason) return;
  if (!files) {
    throw new CliError(
      `the image ${image} is ${reason}, and this installation (${root}) has no Dockerfile and sources to build it from; build it from a checkout (docker build --build-arg VERSION=${version} -t ${image} .) or set IMAGE_NAME`,
    );
  }
  progress.note(`image ${image} is ${reason}: building it from ${root} (a few minutes the first time)`);
  const started = Date.now();
  const log: string[] = [];
  let failure: string | undefined;
  try {
    const stream = await docker.buildImage(
      { context: root, src: files },
      { t: image, buildargs: { VERSION: version, SOURCE_DIGEST: digest! }, rm: true, forcerm: true },
    );
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (message: BuildMessage) => {
          if (message.error) failure = message.errorDetail?.message ?? message.error;
          const text = message.stream ?? message.status;
          if (!text) return;
          for (const line of text.split('\n')) if (line.trim()) log.push(line.trimEnd());
          if (log.length > 400) log.splice(0, log.length - 200);
          const step = /^Step (\d+\/\d+) : (.*)$/.exec(text.trim());
          if (step) progress.update(`building image ${image}: step ${step[1]} ${step[2]!.replace(/\s+/g, ' ').slice(0, 60)}`);
        },
      );
    });
  } catch (error) {
    failure ??= (error as Error).message;
  }
  if (failure) {
    const tail = log.slice(-15).join('\n');
    throw new CliError(`building the image ${image} failed: ${failure.trim()}${tail ? `\nlast lines of the build:\n${tail}` : ''}`);
  }
  progress.note(`built image ${image} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // the image it replaces, now untagged, would stay on disk for good; the engine refuses (and
  // it is kept) while a container uses it or another tag names it
  if (previousId && previousId !== (await docker.getImage(image).inspect()).Id) {
    await docker.getImage(previousId).remove().catch(() => undefined);
  }
}
