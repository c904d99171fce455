/**
 * Docker mode without an engine: what the container is created with, how `-p` and `-v` read,
 * the build context the CLI sends (and that it covers every COPY of the Dockerfile), when the
 * image is rebuilt, and the decoding of Docker's multiplexed output.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../src/config.js';
import { containerCreateOptions, parsePublish, parseVolume } from '../../src/docker-spec.js';
import { demultiplexer } from '../../src/docker-streams.js';
import { contextDigest, contextFiles, LABEL_DIGEST, LABEL_VERSION, PACKAGE_ROOT, rebuildReason } from '../../src/docker-image.js';

const none = { env: [], publish: [], volumes: [], network: undefined };

function config(env: Record<string, string> = {}) {
  return loadCliConfig({ version: '9.9.9', env: { CONFIG_DIR: '/nonexistent', HOME: '/nonexistent', ...env } });
}

describe('the container', () => {
  it('is auto-removed, publishes the gateway and 4510-4559 on loopback, mounts the volume, forwards the configuration', () => {
    const c = config({ GATEWAY_LISTEN: '127.0.0.1:5566', LOCALSTACK_VOLUME_DIR: '/tmp/vol', MAIN_CONTAINER_NAME: 'ls-x', SERVICES: 's3', LOCALSTACK_PERSISTENCE: '1', UNRELATED: 'no' });
    const o = containerCreateOptions(c, { ...none, env: ['DEBUG=1'], network: 'my-net' }, '9.9.9');
    expect(o.name).toBe('ls-x');
    expect(o.Image).toBe('localstack-ts/localstack:9.9.9');
    expect(o.HostConfig!.AutoRemove).toBe(true);
    expect(o.HostConfig!.NetworkMode).toBe('my-net');
    const bindings = o.HostConfig!.PortBindings as Record<string, Array<{ HostIp: string; HostPort: string }>>;
    expect(bindings['5566/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '5566' }]);
    const external = Object.keys(bindings).filter((k) => k !== '5566/tcp');
    expect(external).toHaveLength(50);
    expect(external[0]).toBe('4510/tcp');
    expect(external.at(-1)).toBe('4559/tcp');
    expect(Object.values(bindings).flat().every((b) => b.HostIp === '127.0.0.1')).toBe(true);
    expect(o.HostConfig!.Binds![0]).toBe('/tmp/vol:/var/lib/localstack');
    expect(o.Env).toEqual(expect.arrayContaining(['SERVICES=s3', 'PERSISTENCE=1', 'DEBUG=1', 'GATEWAY_LISTEN=0.0.0.0:5566', 'MAIN_CONTAINER_NAME=ls-x']));
    expect(o.Env!.some((e) => e.startsWith('UNRELATED='))).toBe(false);
    expect(o.Labels![LABEL_VERSION]).toBe('9.9.9');
  });

  it('mounts the Docker socket when there is one', () => {
    const o = containerCreateOptions(config({ DOCKER_SOCK: '/nonexistent.sock' }), none, '1');
    expect(o.HostConfig!.Binds!.some((b) => b.includes('docker.sock'))).toBe(false);
  });

  it('takes the external port range from EXTERNAL_SERVICE_PORTS_START/END (end exclusive), and -p and -v extras', () => {
    const c = config({ GATEWAY_LISTEN: ':7000', EXTERNAL_SERVICE_PORTS_START: '7001', EXTERNAL_SERVICE_PORTS_END: '7003' });
    const o = containerCreateOptions(c, { ...none, publish: ['8080:80', '127.0.0.1:53:53/udp'], volumes: ['./init:/etc/localstack/init/ready.d:ro'] }, '1');
    expect(Object.keys(o.HostConfig!.PortBindings as object)).toEqual(['7000/tcp', '7001/tcp', '7002/tcp', '80/tcp', '53/udp']);
    expect(o.HostConfig!.Binds).toContain(`${resolve('init')}:/etc/localstack/init/ready.d:ro`);
    expect(() => containerCreateOptions(config({ EXTERNAL_SERVICE_PORTS_START: '10', EXTERNAL_SERVICE_PORTS_END: '5' }), none, '1')).toThrow(/not a port range/);
  });
});

describe('-p and -v', () => {
  it('read -p as Docker does', () => {
    expect(parsePublish('8080:80')).toEqual([{ containerPort: '80/tcp', hostIp: '', hostPort: '8080' }]);
    expect(parsePublish('127.0.0.1:8080:80')).toEqual([{ containerPort: '80/tcp', hostIp: '127.0.0.1', hostPort: '8080' }]);
    expect(parsePublish('[::1]:8080:80/udp')).toEqual([{ containerPort: '80/udp', hostIp: '::1', hostPort: '8080' }]);
    expect(parsePublish('9000')).toEqual([{ containerPort: '9000/tcp', hostIp: '', hostPort: '' }]);
    expect(parsePublish('127.0.0.1::9000')).toEqual([{ containerPort: '9000/tcp', hostIp: '127.0.0.1', hostPort: '' }]);
    expect(parsePublish('4000-4001:5000-5001').map((b) => `${b.hostPort}->${b.containerPort}`)).toEqual(['4000->5000/tcp', '4001->5001/tcp']);
    for (const bad of ['abc:80', '1-3:1-2', '1:2:3:4', '80/icmp', '70000', '']) expect(() => parsePublish(bad), bad).toThrow(/expected \[IP:\]HOST:CONTAINER/);
  });

  it('make -v sources absolute, keep named volumes', () => {
    expect(parseVolume('./data:/data')).toBe(`${resolve('data')}:/data`);
    expect(parseVolume('~/init:/etc/localstack/init:ro')).toBe(`${join(homedir(), 'init')}:/etc/localstack/init:ro`);
    expect(parseVolume('named:/data')).toBe('named:/data');
    expect(() => parseVolume('/only-one')).toThrow(/expected SRC:DST/);
  });
});

describe('the image', () => {
  it('is built from a context that has every file the Dockerfile copies, and no tests', () => {
    const files = contextFiles()!;
    expect(files).toEqual(expect.arrayContaining(['Dockerfile', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'runtime/main.ts', 'docker/entrypoint.sh', 'bin/localstack.js']));
    expect(files.some((f) => f.endsWith('.test.ts') || f.startsWith('test/') || f.startsWith('node_modules/') || f.startsWith('dist/'))).toBe(false);
    const dockerfile = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect(files.some((f) => f === source || f.startsWith(`${source}/`)), source).toBe(true);
  });

  it('is rebuilt when missing, of another version, or built by the CLI from other sources', () => {
    const digest = contextDigest(['package.json']);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(rebuildReason(undefined, '1.0.0', digest)).toBe('missing');
    expect(rebuildReason({ [LABEL_VERSION]: '0.9.0', [LABEL_DIGEST]: digest }, '1.0.0', digest)).toMatch(/of version 0.9.0/);
    expect(rebuildReason({ [LABEL_VERSION]: '1.0.0', [LABEL_DIGEST]: 'other' }, '1.0.0', digest)).toBe('built from other sources');
    expect(rebuildReason({ [LABEL_VERSION]: '1.0.0', [LABEL_DIGEST]: digest }, '1.0.0', digest)).toBeUndefined();
    // built by hand (docker build): no digest label, taken as it is
    expect(rebuildReason({ [LABEL_VERSION]: '1.0.0' }, '1.0.0', digest)).toBeUndefined();
  });
});

describe("Docker's multiplexed stream", () => {
  it('is decoded across chunk and frame boundaries, stdout and stderr apart', () => {
    const frameOf = (stream: number, payload: Buffer) => {
      const header = Buffer.from([stream, 0, 0, 0, 0, 0, 0, 0]);
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const euro = Buffer.from('€'); // 3 bytes, split across two frames
    const all = Buffer.concat([frameOf(1, Buffer.from('Ready.\n')), frameOf(2, Buffer.from('warn ')), frameOf(2, euro.subarray(0, 1)), frameOf(2, Buffer.concat([euro.subarray(1), Buffer.from('\n')]))]);
    const got: string[] = [];
    const decode = demultiplexer((text, stream) => got.push(`${stream}:${text}`));
    for (let i = 0; i < all.length; i += 5) decode(all.subarray(i, i + 5));
    expect(got.join('|')).toBe('stdout:Ready.\n|stderr:warn |stderr:€\n');
  });
});
