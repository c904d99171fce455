/**
 * HTTP/2 over cleartext ("prior knowledge", RFC 9113 §3.3) on the same port as HTTP/1.1:
 * clients such as @aws-sdk/client-kinesis open `http://` endpoints with the HTTP/2 preface
 * straight away. Each new connection is sniffed: one that starts with the preface goes to
 * an HTTP/2 server, any other to the HTTP/1.1 server as before (which keeps its own
 * timeouts and connection tracking). Both feed the same request handler.
 */
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** A connection that sends nothing for this long is closed before it is classified. */
const SNIFF_TIMEOUT_MS = 60_000;

export type Http2Handler = (req: Http2ServerRequest, res: Http2ServerResponse) => void;

export class H2cAcceptor {
  private readonly h2 = createHttp2Server({ maxSessionMemory: 64 });
  private readonly sessions = new Set<Http2Session>();
  private readonly sniffing = new Set<Socket>();

  constructor(handler: Http2Handler) {
    this.h2.on('request', handler);
    this.h2.on('session', (session: Http2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
      session.on('error', () => undefined); // a broken client: its session closes, the server stays
    });
    this.h2.on('sessionError', () => undefined);
  }

  /** Puts the sniffer in front of `server`'s own connection handling. */
  attach(server: Server): void {
    const http1 = server.listeners('connection') as Array<(socket: Socket) => void>;
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => {
      this.sniff(socket, (isHttp2) => {
        // the bytes read to decide are back in the socket's buffer (unshift): the HTTP/2
        // session reads that buffer itself; the HTTP/1 parser gets it once the socket flows
        if (isHttp2) {
          this.h2.emit('connection', socket);
          return;
        }
        for (const listener of http1) listener.call(server, socket);
        process.nextTick(() => socket.resume());
      });
    });
  }

  private sniff(socket: Socket, route: (isHttp2: boolean) => void): void {
    this.sniffing.add(socket);
    let seen: Buffer = Buffer.alloc(0);
    const done = (isHttp2: boolean) => {
      this.sniffing.delete(socket);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('timeout', onTimeout);
      socket.setTimeout(0);
      socket.pause();
      if (seen.length > 0) socket.unshift(seen);
      route(isHttp2);
    };
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, PREFACE.length);
      const prefix = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (prefix && n < PREFACE.length) return; // could still be the preface: wait for more
      done(prefix);
    };
    // a connection that ends before it could be classified has nothing to answer
    const onEnd = () => {
      this.sniffing.delete(socket);
      socket.destroy();
    };
    const onTimeout = () => {
      this.sniffing.delete(socket);
      socket.destroy();
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('timeout', onTimeout);
    socket.setTimeout(SNIFF_TIMEOUT_MS);
    socket.on('error', () => undefined);
  }

  /** Stops new streams on every session (GOAWAY); streams in flight finish. */
  drain(): void {
    for (const s of this.sessions) s.close();
    for (const socket of this.sniffing) socket.destroy();
  }

  /** Closes every connection now. */
  destroy(): void {
    for (const s of this.sessions) s.destroy();
    for (const socket of this.sniffing) socket.destroy();
  }
}
