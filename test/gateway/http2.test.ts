/**
 * HTTP/2 cleartext with prior knowledge on the gateway port, next to HTTP/1.1: what the
 * Kinesis SDK v3 client speaks on http:// endpoints (its whole API runs through the
 * conformance suite). Here: node:http2 as a plain client for the protocol details, bad
 * prefaces, and a graceful shutdown with a stream in flight.
 */
import { connect, type ClientHttp2Session } from 'node:http2';
import { connect as tcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../support/runtime.js';

const STS_AUTH = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0';

function send(session: ClientHttp2Session, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers);
    let text = '';
    let head: Record<string, unknown> = {};
    stream.on('response', (h) => (head = h));
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.on('end', () => resolve({ status: Number(head[':status']), headers: head, text }));
    stream.on('error', reject);
    stream.end(body);
  });
}

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

describe('HTTP/2 cleartext (prior knowledge)', () => {
  it('serves internal endpoints and AWS requests, several streams on one connection', async () => {
    const session = connect(rt.endpoint);
    try {
      const [health, sts1, sts2] = await Promise.all([
        send(session, { ':method': 'GET', ':path': '/_localstack/health' }),
        send(
          session,
          { ':method': 'POST', ':path': '/', 'content-type': 'application/x-www-form-urlencoded', authorization: STS_AUTH },
          'Action=GetCallerIdentity&Version=2011-06-15',
        ),
        send(
          session,
          { ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter', authorization: STS_AUTH.replace('/sts/', '/ssm/') },
          JSON.stringify({ Name: '/missing' }),
        ),
      ]);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text).services.sts).toBeDefined();
      expect(sts1.status, sts1.text).toBe(200);
      expect(sts1.text).toContain('<Arn>arn:aws:iam::000000000000:root</Arn>');
      // the error answer of another protocol, on the same connection; no HTTP/1 headers
      expect(sts2.status).toBe(400);
      expect(JSON.parse(sts2.text).__type).toBe('ParameterNotFound');
      expect(sts2.headers.connection).toBeUndefined();
    } finally {
      session.close();
    }
  });

  it('HTTP/1.1 keeps working beside it, including a method that starts like the preface', async () => {
    const r = await fetch(`${rt.endpoint}/_localstack/health`);
    expect(r.status).toBe(200);
    const put = await fetch(`${rt.endpoint}/_localstack/health`, { method: 'PUT', body: 'x' });
    expect(put.status).toBeGreaterThanOrEqual(400); // an answer in HTTP/1.1, not a hang
  });

  it('a connection that starts like the preface and then is not HTTP/2 is closed; the server stays up', async () => {
    const socket = tcp(rt.port, '127.0.0.1');
    const closed = new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
      socket.on('close', () => resolve(got));
      socket.on('error', () => undefined);
    });
    socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' + 'garbage that is no HTTP/2 frame at all....');
    await closed;
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });
});

describe('HTTP/2 and shutdown', () => {
  it('SIGTERM lets an HTTP/2 stream in flight finish, then exits 0', async () => {
    const own = await startRuntime();
    const session = connect(own.endpoint);
    session.on('error', () => undefined);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const stream = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length), authorization: STS_AUTH });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      let status = 0;
      let text = '';
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (d: Buffer) => (text += d.toString()));
      stream.on('end', () => resolve({ status, text }));
      stream.on('error', reject);
    });
    stream.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 200));
    own.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(own.child.exitCode).toBeNull();
    stream.end(body.slice(10));
    const r = await answer;
    expect(r.status).toBe(200);
    expect(r.text).toContain('<GetCallerIdentityResult>');
    session.close();
    expect(await own.stop()).toBe(0);
  });
});
