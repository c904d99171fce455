/**
 * Drop-in use from Node: `@testcontainers/localstack` (11.14, the last line whose testcontainers
 * runs on Node 20: 12.x needs undici 8, Node 22) starts our image as it starts LocalStack's,
 * waits for it with its own strategy (a log line containing `Ready`), and the AWS SDK drives S3
 * and SSM through the URI it gives. Ryuk is disabled (no registry serves its image here), so the
 * test stops the container itself and checks that nothing of it is left.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalstackContainer, type StartedLocalStackContainer } from '@testcontainers/localstack';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from '../support/sdk-error.js';
import { IMAGE, labelledContainers, prepareImage, removeLabelled, RUN_LABEL, runLabel, TESTCONTAINERS_ENV } from './image.js';

const LABEL = runLabel('node');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let docker: Docker;
let container: StartedLocalStackContainer | undefined;
let s3: S3Client;
let ssm: SSMClient;

beforeAll(async () => {
  docker = await prepareImage();
  // read when testcontainers first reaches the engine, i.e. at the first start() below
  Object.assign(process.env, TESTCONTAINERS_ENV);
  container = await new LocalstackContainer(IMAGE)
    .withLabels({ [RUN_LABEL]: LABEL })
    // a ready.d hook, as users mount theirs: start() must return after it ran, not before
    .withCopyContentToContainer([{ content: '#!/bin/sh\nsleep 1\necho "tc-node hook ran"\n', target: '/etc/localstack/init/ready.d/10-tc-node.sh', mode: 0o755 }])
    .start();
  const endpoint = container.getConnectionUri();
  s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
  ssm = new SSMClient({ endpoint, region: 'us-east-1', credentials });
}, 900_000);

afterAll(async () => {
  s3?.destroy();
  ssm?.destroy();
  await container?.stop().catch(() => undefined);
  if (docker) await removeLabelled(docker, LABEL);
});

describe('@testcontainers/localstack with our image', () => {
  it('starts our image and returns once it printed Ready., after the ready.d hooks', async () => {
    const info = await docker.getContainer(container!.getId()).inspect();
    expect(info.Config.Image).toBe(IMAGE);
    expect(info.Config.Labels['org.opencontainers.image.title']).toBe('localstack-ts');
    // the module sets LOCALSTACK_HOST for the URLs the runtime hands out
    expect(info.Config.Env).toContain('LOCALSTACK_HOST=localhost');
    expect(container!.getConnectionUri()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // (multiplexed frames: each line after an 8-byte header)
    const logs = (await docker.getContainer(container!.getId()).logs({ stdout: true, stderr: true })).toString();
    expect(logs).toContain('Ready.\n');
    expect(logs).toContain('tc-node hook ran');
    expect(logs.indexOf('tc-node hook ran')).toBeLessThan(logs.indexOf('Ready.\n'));
    const init = (await (await fetch(`${container!.getConnectionUri()}/_localstack/init`)).json()) as { scripts: Array<{ stage: string; name: string; state: string }> };
    expect(init.scripts).toContainEqual(expect.objectContaining({ stage: 'READY', name: '10-tc-node.sh', state: 'SUCCESSFUL' }));
    const health = (await (await fetch(`${container!.getConnectionUri()}/_localstack/health`)).json()) as { services: Record<string, string> };
    expect(health.services).toMatchObject({ s3: expect.any(String), ssm: expect.any(String) });
  });

  it('S3: creates a bucket, puts, lists and gets an object; a missing key is NoSuchKey', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'tc-node' }));
    await s3.send(new PutObjectCommand({ Bucket: 'tc-node', Key: 'dir/hello.txt', Body: 'hello from node', ContentType: 'text/plain' }));
    const list = await s3.send(new ListObjectsV2Command({ Bucket: 'tc-node' }));
    expect(list.Contents?.map((o) => [o.Key, o.Size])).toEqual([['dir/hello.txt', 15]]);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'tc-node', Key: 'dir/hello.txt' }));
    expect(got.ContentType).toBe('text/plain');
    expect(await got.Body!.transformToString()).toBe('hello from node');
    const missing = await sdkError(s3.send(new GetObjectCommand({ Bucket: 'tc-node', Key: 'nope' })));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.status).toBe(404);
  });

  it('SSM: puts and gets a String and a SecureString; a missing name is ParameterNotFound', async () => {
    const put = await ssm.send(new PutParameterCommand({ Name: '/tc/node/db-url', Type: 'String', Value: 'postgres://db' }));
    expect(put.Version).toBe(1);
    await ssm.send(new PutParameterCommand({ Name: '/tc/node/password', Type: 'SecureString', Value: 's3cret' }));
    const got = await ssm.send(new GetParameterCommand({ Name: '/tc/node/db-url' }));
    expect(got.Parameter).toMatchObject({ Name: '/tc/node/db-url', Type: 'String', Value: 'postgres://db', Version: 1 });
    const secret = await ssm.send(new GetParameterCommand({ Name: '/tc/node/password', WithDecryption: true }));
    expect(secret.Parameter).toMatchObject({ Type: 'SecureString', Value: 's3cret' });
    const missing = await sdkError(ssm.send(new GetParameterCommand({ Name: '/tc/node/nope' })));
    expect(missing.name).toBe('ParameterNotFound');
  });

  it('stop() removes the container and leaves nothing behind', async () => {
    await container!.stop();
    container = undefined;
    expect(await labelledContainers(docker, LABEL)).toEqual([]);
  });
});
