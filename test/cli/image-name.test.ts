/**
 * The image's names (src/image-name.ts): what a build tags, what `config validate` suggests,
 * and which references no registry serves. Pure functions: no engine.
 */
import { describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../src/config.js';
import { buildCommand, buildTags, defaultImage, LATEST_IMAGE, onNoRegistry, parseImageRef, withDefaultTag } from '../../src/image-name.js';

describe('parseImageRef', () => {
  const cases: Array<[string, ReturnType<typeof parseImageRef>]> = [
    ['localstack-ts/localstack', { repository: 'localstack-ts/localstack', tag: undefined, digest: undefined }],
    ['localstack-ts/localstack:0.1.0', { repository: 'localstack-ts/localstack', tag: '0.1.0', digest: undefined }],
    ['docker.io/localstack-ts/localstack:latest', { repository: 'localstack-ts/localstack', tag: 'latest', digest: undefined }],
    ['registry:5000/localstack-ts/localstack', { repository: 'registry:5000/localstack-ts/localstack', tag: undefined, digest: undefined }],
    ['registry:5000/a/b:1@sha256:ab', { repository: 'registry:5000/a/b', tag: '1', digest: 'sha256:ab' }],
  ];
  for (const [ref, parsed] of cases) it(ref, () => expect(parseImageRef(ref)).toEqual(parsed));
});

describe('the tags a build makes', () => {
  it('the default name: the version tag and :latest, which the compose template names', () => {
    expect(buildTags(defaultImage('1.2.3'), '1.2.3')).toEqual(['localstack-ts/localstack:1.2.3', 'localstack-ts/localstack:latest']);
    expect(LATEST_IMAGE).toBe('localstack-ts/localstack:latest');
  });

  it("the CLI's image is the version tag unless IMAGE_NAME says otherwise", () => {
    expect(loadCliConfig({ env: {}, version: '1.2.3' }).image).toBe('localstack-ts/localstack:1.2.3');
    expect(loadCliConfig({ env: { IMAGE_NAME: 'x/y:z' }, version: '1.2.3' }).image).toBe('x/y:z');
  });

  it('IMAGE_NAME with a version tag gets its own :latest; any other tag only itself', () => {
    expect(buildTags('registry:5000/me/ls:1.2.3', '1.2.3')).toEqual(['registry:5000/me/ls:1.2.3', 'registry:5000/me/ls:latest']);
    expect(buildTags('localstack-ts/localstack:dev', '1.2.3')).toEqual(['localstack-ts/localstack:dev']);
    expect(buildTags('localstack-ts/localstack:1.2.2', '1.2.3')).toEqual(['localstack-ts/localstack:1.2.2']);
    expect(buildTags('localstack-ts/localstack@sha256:ab', '1.2.3')).toEqual(['localstack-ts/localstack@sha256:ab']);
  });
});

describe('which build command makes an image', () => {
  it('the tags of a plain `localstack image build`', () => {
    for (const ref of ['localstack-ts/localstack', 'localstack-ts/localstack:latest', 'docker.io/localstack-ts/localstack:latest', 'localstack-ts/localstack:1.2.3']) {
      expect(buildCommand(ref, '1.2.3'), ref).toBe('localstack image build');
    }
  });

  it('any other tag: IMAGE_NAME names it', () => {
    expect(buildCommand('localstack-ts/localstack:1.0.0', '1.2.3')).toBe('IMAGE_NAME=localstack-ts/localstack:1.0.0 localstack image build');
    expect(buildCommand('localstack-ts/localstack:e2e', '1.2.3')).toBe('IMAGE_NAME=localstack-ts/localstack:e2e localstack image build');
  });

  it('a reference without a tag is read as :latest', () => {
    expect(withDefaultTag('a/b')).toBe('a/b:latest');
    expect(withDefaultTag('registry:5000/a/b')).toBe('registry:5000/a/b:latest');
    expect(withDefaultTag('a/b:1')).toBe('a/b:1');
    expect(withDefaultTag('a/b@sha256:ab')).toBe('a/b@sha256:ab');
  });
});

describe('onNoRegistry', () => {
  it('ours under Docker Hub\'s name is served by no registry; under a registry of the user\'s, or another image, it may be', () => {
    expect(onNoRegistry('localstack-ts/localstack:latest')).toBe(true);
    expect(onNoRegistry('docker.io/localstack-ts/localstack')).toBe(true);
    expect(onNoRegistry('registry:5000/localstack-ts/localstack:1')).toBe(false);
    expect(onNoRegistry('localstack/localstack:4.4')).toBe(false);
    expect(onNoRegistry('node:22-bookworm-slim')).toBe(false);
  });
});
