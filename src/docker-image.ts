/**
 * The runtime's image, built by the CLI from the package it is installed from: the files
 * `.dockerignore` lets in (read as an allow-list) are the build context, sent to the engine
 * through dockerode with the Dockerfile beside them. The image is labelled with the package
 * version and a digest of that context, so that a CLI of another version, or a checkout whose
 * sources changed, rebuilds it instead of starting a stale runtime.
 *
 * One build gives the image its version tag and `:latest` (image-name.ts): `start` runs the
 * first, compose files and testcontainers name the second. `localstack image build` builds on
 * purpose (buildImage); `start` builds when it must (ensureImage). Both show the build's steps
 * (build-progress.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { CliError } from './base-command.js';
import { BuildReporter, type BuildMessage } from './build-progress.js';
import { buildTags } from './image-name.js';
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

/** Where a build starts from, and how it reports. */
export interface BuildOptions {
  progress: Progress;
  /** The package to build from (its Dockerfile and the files .dockerignore lets in). */
  root?: string;
  /** Build every step afresh (`docker build --no-cache`). */
  noCache?: boolean;
  /** Every line of the build's output as it comes (--debug). */
  raw?: (line: string) => void;
}

/** What a build made. */
export interface BuiltImage {
  id: string;
  /** The image and, beside a version tag, `:latest` (image-name.ts, buildTags). */
  tags: string[];
  bytes: number;
  elapsedMs: number;
  steps: number;
  cached: number;
}

async function imageId(docker: Dockerode, ref: string): Promise<Dockerode.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * Builds `image` from the package at `root` and tags it with buildTags (the version tag and
 * `:latest`), showing its steps; throws one CliError with the end of the build log on failure.
 * The images those tags named before, left untagged, are removed (not while a container uses
 * one, or another tag still names it: those stay).
 */
export async function buildImage(docker: Dockerode, image: string, options: BuildOptions): Promise<BuiltImage> {
  const root = options.root ?? PACKAGE_ROOT;
  const version = packageVersion(root);
  const files = contextFiles(root);
  if (!files) {
    throw new CliError(`${root} has no Dockerfile and sources to build the image from (a package installed without them); build it from a checkout, or set IMAGE_NAME to an image you have`);
  }
  const tags = buildTags(image, version);
  const previous = new Set<string>();
  for (const tag of tags) {
    const id = (await imageId(docker, tag))?.Id;
    if (id) previous.add(id);
  }
  // the spinner's mark and its space take two columns
  const reporter = new BuildReporter(options.progress, { columns: () => (process.stderr.columns ? process.stderr.columns - 2 : undefined), raw: options.raw });
  const ticker = setInterval(() => reporter.tick(), 1000);
  try {
    const stream = await docker.buildImage(
      { context: root, src: files },
      // the engine takes `t` once per tag (docker-modem repeats an array's key)
      { t: tags as unknown as string, buildargs: { VERSION: version, SOURCE_DIGEST: contextDigest(files, root) }, rm: true, forcerm: true, nocache: Boolean(options.noCache) },
    );
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()), (message: BuildMessage) => reporter.message(message));
    });
  } catch (error) {
    reporter.failure ??= (error as Error).message;
  } finally {
    clearInterval(ticker);
  }
  if (reporter.failure) {
    const tail = reporter.tail(15);
    throw new CliError(`building the image ${image} failed: ${reporter.failure.trim()}${tail ? `\nlast lines of the build:\n${tail}` : ''}`);
  }
  const built = (await imageId(docker, image))!;
  for (const id of previous) {
    if (id === built.Id) continue;
    const old = await imageId(docker, id);
    if (old && (old.RepoTags ?? []).filter((t) => t !== '<none>:<none>').length === 0) await docker.getImage(id).remove().catch(() => undefined);
  }
  options.progress.note(`built image ${tags.join(' and ')} ${reporter.summary()} (${Math.round(built.Size / 1e6)} MB)`);
  return { id: built.Id, tags, bytes: built.Size, elapsedMs: reporter.elapsed, steps: reporter.steps, cached: reporter.cached };
}

/**
 * Makes sure `image` exists and is current; builds it when not (with its `:latest` tag).
 * A current image whose `:latest` tag is missing gets it, so that compose files naming
 * `:latest` work after any start; a `:latest` naming another image is left as it is.
 */
export async function ensureImage(docker: Dockerode, image: string, progress: Progress, options: Omit<BuildOptions, 'progress' | 'noCache'> = {}): Promise<void> {
  const root = options.root ?? PACKAGE_ROOT;
  const version = packageVersion(root);
  const files = contextFiles(root);
  const current = await imageId(docker, image);
  const reason = rebuildReason(current ? (current.Config?.Labels ?? {}) : undefined, version, files ? contextDigest(files, root) : undefined);
  if (!reason) {
    for (const tag of buildTags(image, version).slice(1)) {
      if (await imageId(docker, tag)) continue;
      const { repository, tag: name } = splitTag(tag);
      await docker.getImage(current!.Id).tag({ repo: repository, tag: name });
    }
    return;
  }
  if (!files) {
    throw new CliError(
      `the image ${image} is ${reason}, and this installation (${root}) has no Dockerfile and sources to build it from; build it from a checkout (docker build --build-arg VERSION=${version} -t ${image} .) or set IMAGE_NAME`,
    );
  }
  progress.note(`image ${image} is ${reason}: building it from ${root} (a few minutes the first time)`);
  await buildImage(docker, image, { ...options, progress, root });
}

/** `repo:tag` as the engine's tag call wants it. */
function splitTag(ref: string): { repository: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}
