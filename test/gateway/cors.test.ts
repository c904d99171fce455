import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../support/runtime.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime({ env: { EXTRA_CORS_ALLOWED_ORIGINS: 'https://app.example.com' } });
});
afterAll(async () => {
  await rt?.stop();
});

function send(method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${rt.endpoint}/`, { method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const STS = {
  'content-type': 'application/x-www-form-urlencoded',
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0',
};

describe('CORS for browser SDKs', () => {
  it('answers a preflight from a localhost origin', async () => {
    const r = await send('OPTIONS', {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-amz-date,x-amz-user-agent,amz-sdk-invocation-id',
    });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(r.headers['access-control-allow-methods']).toContain('POST');
    expect(r.headers['access-control-allow-headers']).toContain('amz-sdk-invocation-id');
    expect(r.headers['access-control-allow-credentials']).toBe('true');
  });

  it('adds CORS headers to the actual response, exposing the request id', async () => {
    const r = await send('POST', { ...STS, origin: 'http://127.0.0.1:5173' }, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    expect(r.headers['access-control-expose-headers']).toContain('x-amzn-requestid');
    expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows EXTRA_CORS_ALLOWED_ORIGINS and refuses other origins', async () => {
    const ok = await send('POST', { ...STS, origin: 'https://app.example.com' }, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(ok.status).toBe(200);
    const refused = await send('POST', { ...STS, origin: 'https://evil.example.org' }, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('requests without an Origin are untouched', async () => {
    const r = await send('POST', STS, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});
