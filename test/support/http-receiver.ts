/**
 * An HTTP endpoint a test runs on loopback to receive what the runtime sends out (SNS http
 * subscriptions, ...): it records each POST's headers and body, in order, and answers 200.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  /** `http://127.0.0.1:PORT<path>`. */
  readonly url: string;
  /** Every request received so far, in order. */
  readonly posts: readonly ReceivedPost[];
  /** Resolves with the `count`-th request (1-based) once it has arrived. */
  nth(count: number): Promise<ReceivedPost>;
  close(): void;
}

export async function startHttpReceiver(path = '/'): Promise<HttpReceiver> {
  const posts: ReceivedPost[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push({ headers: req.headers, body });
      res.end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    posts,
    async nth(count) {
      while (posts.length < count) await new Promise<void>((r) => waiters.push(r));
      return posts[count - 1]!;
    },
    close: () => server.close(),
  };
}
