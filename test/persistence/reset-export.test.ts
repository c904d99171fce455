/**
 * Reset (LocalStack's endpoints and moto's) and export/import of the whole state, through
 * real clients: what the SDK sees before and after, and what is left on disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { sdkError } from '../support/sdk-error.js';
import { expectState, listing, post, ssm, start, sts, volume, writeState } from '../support/state.js';

const check = (actual: unknown, expected: unknown) => expect(actual).toEqual(expected);
const ROLE_ARN = 'arn:aws:sts::111111111111:assumed-role/deployer/ci';

async function ssmGone(endpoint: string): Promise<void> {
  expect(await sdkError(ssm(endpoint).send(new GetParameterCommand({ Name: '/app/name' })))).toMatchObject({ name: 'ParameterNotFound' });
}

async function callerArn(endpoint: string, credentials: Parameters<typeof sts>[1]): Promise<string | undefined> {
  return (await sts(endpoint, credentials).send(new GetCallerIdentityCommand({}))).Arn;
}

/** A zip of the given entries (name, contents, options). */
async function zip(entries: [string, string, { mode?: number }?][]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, body, options] of entries) z.addBuffer(Buffer.from(body), name, options ?? {});
  z.end();
  const chunks: Buffer[] = [];
  for await (const chunk of z.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('reset', () => {
  it('per service and for all, through POST /_localstack/state/...; saved files go too', async () => {
    const v = volume();
    const rt = await start(v, { PERSISTENCE: '1' });
    const { credentials } = await writeState(rt.endpoint);
    expect(await post(rt.endpoint, '/_localstack/state/ssm/reset')).toEqual({ status: 200, json: { status: 'ok', services: ['ssm'] } });
    expect(existsSync(join(v, 'state', 'ssm'))).toBe(false);
    expect(existsSync(join(v, 'state', 'sts'))).toBe(true);
    await ssmGone(rt.endpoint);
    expect(await callerArn(rt.endpoint, credentials)).toBe(ROLE_ARN); // sts untouched
    expect(await post(rt.endpoint, '/_localstack/state/reset')).toEqual({ status: 200, json: { status: 'ok', services: 'all' } });
    expect(readdirSync(join(v, 'state'))).toEqual([]);
    expect(await callerArn(rt.endpoint, credentials)).not.toBe(ROLE_ARN);
    // a service this runtime has no provider for: nothing to do, as in LocalStack
    expect(await post(rt.endpoint, '/_localstack/state/kafka/reset')).toEqual({ status: 200, json: { status: 'ok', services: [] } });
    await rt.stop('SIGKILL');
    const again = await start(v, { PERSISTENCE: '1' });
    await ssmGone(again.endpoint);
    expect(await callerArn(again.endpoint, credentials)).not.toBe(ROLE_ARN);
    await again.stop();
  });

  it('POST /moto-api/reset answers as moto does and empties everything', async () => {
    const rt = await start(volume());
    const { credentials } = await writeState(rt.endpoint);
    expect(await post(rt.endpoint, '/moto-api/reset')).toEqual({ status: 200, json: { status: 'ok' } });
    await ssmGone(rt.endpoint);
    expect(await callerArn(rt.endpoint, credentials)).not.toBe(ROLE_ARN);
    // the state can be written again afterwards (the stores are live, the audit settled)
    await writeState(rt.endpoint);
    expect(await listing(rt.endpoint)).toHaveLength(3);
    await rt.stop();
  });

  it('GET of a state action is refused; save without persistence says why', async () => {
    const rt = await start(volume());
    expect((await fetch(`${rt.endpoint}/_localstack/state/reset`)).status).toBe(405);
    expect(await post(rt.endpoint, '/_localstack/state/save')).toEqual({ status: 400, json: { status: 'error', error: 'nothing to save: persistence is off (start with PERSISTENCE=1)' } });
    await rt.stop();
  });
});

describe('export and import', () => {
  it('moves the whole state to a fresh runtime on another port: same listings, assumed credentials still work', async () => {
    const a = await start(volume());
    const { credentials } = await writeState(a.endpoint);
    const res = await fetch(`${a.endpoint}/_localstack/state/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('x-localstack-state-services')).toBe('ssm,sts');
    const archive = Buffer.from(await res.arrayBuffer());
    await a.stop();

    const v = volume();
    const b = await start(v, { PERSISTENCE: '1' });
    expect(b.port).not.toBe(a.port);
    await ssmGone(b.endpoint); // starts ssm: the import replaces a running service's state
    expect(await post(b.endpoint, '/_localstack/state/import', archive)).toEqual({ status: 200, json: { status: 'ok', services: ['ssm', 'sts'] } });
    await expectState(b.endpoint, credentials, check);
    // imported state is persisted like any other
    await b.stop('SIGKILL');
    const c = await start(v, { PERSISTENCE: '1' });
    await expectState(c.endpoint, credentials, check);
    await c.stop();
  });

  it('refuses, with one line, an archive of a newer format, entries that leave their folder, links, and what is not a zip', async () => {
    const rt = await start(volume());
    const manifest = (format: number) => JSON.stringify({ kind: 'localstack-ts state', format, codec: 1, runtime: '9.9.9', createdAt: '', services: { ssm: { stores: ['parameters'], assets: [], files: 0 } } });
    const cases: [Buffer, RegExp][] = [
      [await zip([['manifest.json', manifest(2)]]), /^the archive was exported by a newer version \(localstack-ts 9\.9\.9, archive format 2, state format 1\); this runtime reads up to 1 and 1: upgrade to import it$/],
      [await zip([['manifest.json', manifest(1)], ['services/ssm/state', ''], ['services/ssm/assets/objects/AA/AA/escape', 'x']]).then((b) => Buffer.from(b.toString('latin1').replaceAll('AA/AA/escape', '../../escape'), 'latin1')), /unsafe name|invalid relative path/],
      [await zip([['manifest.json', manifest(1)], ['services/ssm/assets/objects/link', '/etc/passwd', { mode: 0o120777 }]]), /^the archive holds a symbolic link \(services\/ssm\/assets\/objects\/link\): refused$/],
      [await zip([['manifest.json', manifest(1)], ['elsewhere/file', 'x']]), /^the archive holds elsewhere\/file, which belongs to no service of its manifest$/],
      [await zip([['manifest.json', manifest(1)], ['services/ssm/state', 'garbage']]), /^the archive's state of ssm is damaged at byte 0/],
      [Buffer.from('not a zip at all'), /^not a zip archive \(/],
    ];
    for (const [body, message] of cases) {
      const r = await post(rt.endpoint, '/_localstack/state/import', body);
      expect(r.status, String(message)).toBe(400);
      expect(r.json.error).toMatch(message);
      expect(String(r.json.error).split('\n')).toHaveLength(1);
    }
    // and the server is still up
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
    await rt.stop();
  });
});
