/**
 * The runtime image's names, in one place, so that every path agrees on them: the CLI builds
 * `localstack-ts/localstack:<version>` and tags it `:latest` too; `start` runs the version tag;
 * the compose template names `:latest`; `config validate` suggests the tag `localstack image
 * build` makes. The image is built from this package and published on no registry, so a name
 * that is not in the local engine can only come from a build: the hint says which command.
 *
 * Pure string work, no engine: tested directly.
 */

/** Our image's repository (on Docker Hub's namespace, where it is never pushed). */
export const IMAGE_REPOSITORY = 'localstack-ts/localstack';

/** The tag compose files and testcontainers name: the last image the CLI built. */
export const LATEST_IMAGE = `${IMAGE_REPOSITORY}:latest`;

/** The image `start` runs and `image build` builds when IMAGE_NAME is not set. */
export function defaultImage(version: string): string {
  return `${IMAGE_REPOSITORY}:${version}`;
}

export interface ImageRef {
  /** With its registry when one is named (`registry:5000/a/b`), lower case, no docker.io prefix. */
  repository: string;
  /** Undefined when none is given (the engine then reads `latest`) or with a digest. */
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits a reference as the engine reads it; `docker.io/` and `library/` prefixes are Hub's defaults. */
export function parseImageRef(image: string): ImageRef {
  let ref = image.trim();
  let digest: string | undefined;
  const at = ref.indexOf('@');
  if (at >= 0) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
  }
  let tag: string | undefined;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) {
    tag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  const repository = ref.toLowerCase().replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return { repository, tag, digest };
}

/** The repository of a reference: no tag, no digest, no Docker Hub prefix. */
export function imageRepository(image: string): string {
  return parseImageRef(image).repository;
}

/** The reference with the tag the engine assumes: `a/b` is `a/b:latest`. */
export function withDefaultTag(image: string): string {
  const { tag, digest } = parseImageRef(image);
  return tag !== undefined || digest !== undefined ? image.trim() : `${image.trim()}:latest`;
}

/** Our image under any registry or mirror (`registry:5000/localstack-ts/localstack`). */
export function isOurRepository(repository: string): boolean {
  return repository === IMAGE_REPOSITORY || repository.endsWith(`/${IMAGE_REPOSITORY}`);
}

/**
 * True when no registry can be expected to serve the image: ours under Docker Hub's name
 * (never pushed there). A registry named in front of it may be a mirror the user pushed to.
 */
export function onNoRegistry(image: string): boolean {
  return parseImageRef(image).repository === IMAGE_REPOSITORY;
}

/**
 * The tags one build gives the image: the name itself, and `<repository>:latest` beside a
 * version tag (so `IMAGE_NAME=my/ls:1.2.3` gets `my/ls:latest` too; a name of another tag
 * gets only itself).
 */
export function buildTags(image: string, version: string): string[] {
  const { tag, digest } = parseImageRef(image);
  if (digest !== undefined || tag !== version) return [image];
  const name = image.trim().slice(0, image.trim().length - tag.length - 1);
  return [image, `${name}:latest`];
}

/**
 * The command that puts `image` in the local engine: `localstack image build` for the tags it
 * makes by default, else the same with IMAGE_NAME naming the image.
 */
export function buildCommand(image: string, version: string): string {
  const wanted = withDefaultTag(image);
  const { repository, tag } = parseImageRef(wanted);
  if (repository === IMAGE_REPOSITORY && (tag === version || tag === 'latest')) return 'localstack image build';
  return `IMAGE_NAME=${wanted} localstack image build`;
}
