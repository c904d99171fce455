/**
 * Bad input gets the protocol's error shape with a 4xx, and the server keeps serving.
 * These requests are hand-made on purpose: no SDK sends malformed bodies.
 */
import { gzipSync } from 'node:zlib';
import { request } from 'node:http';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';

let rt: RuntimeProcess;
const LIMIT = 1024 * 1024;

beforeAll(async () => {
  rt = await startRuntime({ env: { GATEWAY_MAX_BODY_SIZE: String(LIMIT) } });
});
afterAll(async () => {
  await rt?.stop();
});

const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

function ssm(target: string, body: string | Buffer, extra: Record<string, string> = {}) {
  return fetch(rt.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${target}`, authorization: auth('ssm'), ...extra },
    body,
  });
}

function sts(body: string) {
  return fetch(rt.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: auth('sts') },
    body,
  });
}

async function jsonError(r: Response) {
  return { status: r.status, type: r.headers.get('x-amzn-errortype'), contentType: r.headers.get('content-type'), body: (await r.json()) as Record<string, string> };
}

describe('json protocol', () => {
  it('malformed JSON -> 400 SerializationException', async () => {
    const e = await jsonError(await ssm('GetParameter', '{"Name": "x",'));
    expect(e).toMatchObject({ status: 400, type: 'SerializationException', contentType: 'application/x-amz-json-1.1' });
    expect(e.body.__type).toBe('SerializationException');
  });

  it('a JSON document that is not an object -> 400 SerializationException', async () => {
    expect((await jsonError(await ssm('GetParameter', '[1,2]'))).type).toBe('SerializationException');
    expect((await jsonError(await ssm('GetParameter', '"text"'))).type).toBe('SerializationException');
  });

  it('unknown X-Amz-Target operation -> 400 UnknownOperationException', async () => {
    const e = await jsonError(await ssm('NoSuchOperation', '{}'));
    expect(e).toMatchObject({ status: 400, type: 'UnknownOperationException' });
  });

  it('missing required member -> 400 ValidationException with AWS wording', async () => {
    const e = await jsonError(await ssm('GetParameter', '{}'));
    expect(e).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(e.body.message).toBe("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  });

  it('wrong member types -> 400 SerializationException', async () => {
    expect((await jsonError(await ssm('GetParameter', '{"Name": 5}'))).type).toBe('SerializationException');
    expect((await jsonError(await ssm('GetParameter', '{"Name": "x", "WithDecryption": "yes"}'))).type).toBe('SerializationException');
    expect((await jsonError(await ssm('GetParametersByPath', '{"Path": "/a", "MaxResults": 1.5}'))).type).toBe('SerializationException');
    expect((await jsonError(await ssm('GetParameters', '{"Names": "not-a-list"}'))).type).toBe('SerializationException');
  });

  it('null members of a list -> 400 ValidationException, never a 500', async () => {
    const e = await jsonError(await ssm('GetParameters', '{"Names": ["a", null]}'));
    expect(e).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(e.body.message).toBe("1 validation error detected: Value null at 'names.2.member' failed to satisfy constraint: Member must not be null");
  });

  it('a body that is not gzip but says so -> 400', async () => {
    const e = await jsonError(await ssm('GetParameter', 'plain', { 'content-encoding': 'gzip' }));
    expect(e.status).toBe(400);
  });

  it('a gzip body is decoded', async () => {
    const e = await jsonError(await ssm('GetParameter', gzipSync('{}'), { 'content-encoding': 'gzip' }));
    expect(e).toMatchObject({ status: 400, type: 'ValidationException' });
  });
});

describe('query protocol', () => {
  it('unknown Action -> 400 InvalidAction in the query error document', async () => {
    const r = await sts('Action=NoSuchAction&Version=2011-06-15');
    expect(r.status).toBe(400);
    const xml = await r.text();
    expect(xml).toMatch(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
    expect(xml).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });

  it('a malformed number -> 400 ValidationError', async () => {
    const r = await sts('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fx&RoleSessionName=abc&DurationSeconds=abc');
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('<Code>ValidationError</Code>');
  });

  it('garbage form bodies -> 400, never 500', async () => {
    for (const body of ['%%%', 'Action', '&&&=&', 'Action=AssumeRole&RoleArn=%E0%A4%A']) {
      const r = await sts(body);
      expect(r.status, body).toBeGreaterThanOrEqual(400);
      expect(r.status, body).toBeLessThan(500);
    }
  });

  it('missing required members -> 400 ValidationError', async () => {
    const r = await sts('Action=AssumeRole&Version=2011-06-15');
    expect(r.status).toBe(400);
    expect(await r.text()).toContain("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  });
});

describe('request size limits', () => {
  it('a declared Content-Length over the limit -> 413 before the body is read', async () => {
    const r = await ssm('PutParameter', Buffer.alloc(LIMIT + 1, 'a'));
    expect(r.status).toBe(413);
    expect(r.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLarge');
  });

  it('a chunked body that grows over the limit -> 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${rt.endpoint}/`,
        { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.PutParameter', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'b');
      let sent = 0;
      const pump = () => {
        while (sent <= LIMIT + chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    }).catch(() => 413);
    expect(status).toBe(413);
  });

  it('gzip bombs are bounded by the same limit', async () => {
    const bomb = gzipSync(Buffer.alloc(LIMIT * 4, ' '));
    expect(bomb.length).toBeLessThan(LIMIT);
    const r = await ssm('GetParameter', bomb, { 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
  });
});

describe('a limit below the size read ahead of the chain', () => {
  it('still applies', async () => {
    const small = await startRuntime({ env: { GATEWAY_MAX_BODY_SIZE: '1000' } });
    try {
      const r = await fetch(small.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter', authorization: auth('ssm') },
        body: JSON.stringify({ Name: 'x'.repeat(2000) }),
      });
      expect(r.status).toBe(413);
    } finally {
      await small.stop();
    }
  });
});

describe('unrecognised requests', () => {
  it('a request no rule can route -> 404 with an AWS-style body', async () => {
    const r = await fetch(rt.endpoint, { method: 'POST', body: 'hello' });
    expect(r.status).toBe(404);
    expect(r.headers.get('x-amzn-errortype')).toBe('UnknownService');
  });

  it('malformed HTTP -> 400 and the connection is closed', async () => {
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(rt.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
  });
});

/** Writes raw bytes on a fresh connection and reads everything until the server closes it. */
async function rawExchange(bytes: string): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise<string>((resolve, reject) => {
    const socket = connect(rt.port, '127.0.0.1', () => socket.write(bytes));
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection; got: ${data}`));
    }, 5000);
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

const statusLines = (reply: string) => reply.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];

// found by the fuzzer (npm run bench:fuzz): the gateway answered such bytes with a bare 400
// at once, which took the place of the answer to the complete request before them
describe('bytes that do not parse after a complete request', () => {
  const form = 'Action=GetCallerIdentity&Version=2011-06-15';
  const head = (extra: string) =>
    `POST / HTTP/1.1\r\nHost: x\r\ncontent-type: application/x-www-form-urlencoded\r\nauthorization: ${auth('sts')}\r\n${extra}\r\n`;

  it('the request still gets its answer, alone, and then the connection closes', async () => {
    // a chunked body is read after the request is parsed, so the answer comes after the garbage
    const reply = await rawExchange(`${head('transfer-encoding: chunked\r\n')}${form.length.toString(16)}\r\n${form}\r\n0\r\n\r\n{"N garbage\r\n\r\n`);
    expect(statusLines(reply)).toEqual(['HTTP/1.1 200']);
    expect(reply).toContain('<GetCallerIdentityResponse');
    expect(reply.toLowerCase()).toContain('connection: close');
  });

  it('bytes beyond a Content-Length that lied short get no answer of their own', async () => {
    const reply = await rawExchange(`${head(`content-length: ${form.length}\r\nconnection: close\r\n`)}${form}{"N`);
    expect(statusLines(reply)).toEqual(['HTTP/1.1 200']);
    expect(reply).toContain('<GetCallerIdentityResponse');
  });

  it('a chunked body that breaks its own framing -> 400 and the connection is closed', async () => {
    const reply = await rawExchange(`${head('transfer-encoding: chunked\r\n')}zz\r\n${form}\r\n0\r\n\r\n`);
    expect(statusLines(reply)).toEqual(['HTTP/1.1 400']);
  });
});

describe('after all that', () => {
  it('the server still serves real clients', async () => {
    const r = await new STSClient(clientConfig(rt.endpoint)).send(new GetCallerIdentityCommand({}));
    expect(r.Account).toBe('000000000000');
    expect(rt.child.exitCode).toBeNull();
  });
});
