/**
 * The HTTP listeners: one node:http server per GATEWAY_LISTEN address (HTTP/1.1, and HTTP/2
 * cleartext on the same port through ./h2c.ts), all feeding the same handler chain. Tracks in-flight requests so that a shutdown can stop accepting, let them
 * finish, and only then go on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import type { ListenAddress } from '../config.js';
import { logger } from '../logger.js';
import { HandlerChain, type ChainDefinition } from './chain.js';
import { H2cAcceptor } from './h2c.js';
import { GatewayResponse, RequestContext } from '../request-context.js';

const log = logger('gateway');
const ignore = (): void => undefined;
/** The largest body read before the chain runs (never above GATEWAY_MAX_BODY_SIZE). */
const PREREAD_LIMIT = 64 * 1024;
const HTTP1_ONLY_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

/** The requests of one connection whose responses are not finished yet. */
interface Connection {
  readonly open: Map<IncomingMessage, ServerResponse>;
  /** Bytes that do not parse came after them: answer them, then close. */
  closing: boolean;
}

export class GatewayServer {
  private readonly servers: Server[] = [];
  /** HTTP/2 cleartext on the same ports (the Kinesis SDK speaks it). */
  private readonly h2c = new H2cAcceptor((req, res) => this.onRequest(req as unknown as IncomingMessage, res as unknown as ServerResponse));
  private inFlight = 0;
  private draining = false;
  private idle: (() => void) | undefined;
  private readonly connections = new WeakMap<Socket, Connection>();

  /** Bodies up to this size (with a Content-Length) are read before the chain runs. */
  private readonly prereadLimit: number;

  constructor(
    private readonly chain: ChainDefinition,
    maxBodySize: number,
  ) {
    this.prereadLimit = Math.min(PREREAD_LIMIT, maxBodySize);
  }

  private readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.inFlight++;
    // A client that goes away may make the request or response emit 'error' ('aborted',
    // EPIPE), possibly after the body was read; it must never surface as an unhandled
    // 'error' event. The chain learns of it through 'close' (readBody), so it is dropped here.
    req.on('error', ignore);
    res.on('error', ignore);
    this.track(req, res);
    const context = new RequestContext(req);
    const length = Number(req.headers['content-length']);
    if (length > 0 && length <= this.prereadLimit) {
      // A small body is collected here, before the chain runs: then the chain is synchronous
      // from end to end for synchronous providers (readRequestBody sees it consumed).
      const chunks: Buffer[] = [];
      let settled = false;
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.once('end', () => {
        settled = true;
        context.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        this.handle(context, req, res);
      });
      req.once('close', () => {
        if (settled) return;
        settled = true;
        this.done(); // the client went away mid-body: nobody to answer
      });
      return;
    }
    this.handle(context, req, res);
  };

  private handle(context: RequestContext, req: IncomingMessage, res: ServerResponse): void {
    const response = new GatewayResponse();
    const pending = HandlerChain.run(this.chain, context, response);
    if (pending) void pending.then(() => this.write(req, res, response));
    else this.write(req, res, response);
  }

  private write(req: IncomingMessage, res: ServerResponse, response: GatewayResponse): void {
    let piping = false;
    try {
      if (this.draining || this.connections.get(req.socket)?.closing) response.headers.connection = 'close';
      // HTTP/2 has no connection-level headers (Node refuses to send them)
      if (req.httpVersionMajor >= 2) for (const name of HTTP1_ONLY_HEADERS) delete response.headers[name];
      // a body nobody read (an operation that failed before reading its stream) is drained
      // so that the keep-alive connection stays usable, as Node does for unread bodies
      if (!req.readableEnded) {
        req.unpipe();
        req.resume();
      }
      const body = response.body;
      if (body instanceof Readable) {
        piping = req.method !== 'HEAD';
        this.pipe(req, res, response, body);
        return;
      }
      const payload = req.method === 'HEAD' ? '' : body;
      // a known length lets Node send headers and body in one write, without chunking
      if (req.method !== 'HEAD' && response.headers['content-length'] === undefined) {
        response.headers['content-length'] = String(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length);
      }
      res.writeHead(response.status, response.headers);
      res.end(payload);
    } catch (error) {
      // e.g. a header value Node refuses: the client gets a bare 500, the server stays up
      log.error(`cannot write the response to ${req.method} ${req.url}: ${(error as Error).message}`);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-length': '0' }).end();
    } finally {
      // the chain always completes (a body read fails when the client goes away), so this
      // is the one place a request stops being in flight (or, for a piped body, pipe's end)
      if (!piping) this.done();
    }
  }

  /**
   * Pipes a streamed body to the client at the client's pace (backpressure), never holding it
   * whole. With a Content-Length from the provider, a stream that ends short or long is cut
   * off rather than leaving the client waiting; a stream that fails mid-way resets the
   * connection, which clients report as a truncated body.
   */
  private pipe(req: IncomingMessage, res: ServerResponse, response: GatewayResponse, body: Readable): void {
    if (req.method === 'HEAD') {
      body.destroy();
      res.writeHead(response.status, response.headers).end();
      return;
    }
    if (response.headers['content-length'] !== undefined) res.strictContentLength = true;
    res.writeHead(response.status, response.headers);
    pipeline(body, res, (error) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
          log.error(`streamed response to ${req.method} ${req.url} failed: ${error.message}`);
        }
        res.destroy();
      }
      this.done();
    });
  }

  /** Keeps count of the unfinished responses of each connection (see onClientError). */
  private track(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    let connection = this.connections.get(socket);
    if (!connection) this.connections.set(socket, (connection = { open: new Map(), closing: false }));
    const { open } = connection;
    open.set(req, res);
    res.once('close', () => {
      open.delete(req);
      if (open.size === 0 && connection.closing) socket.end();
    });
  }

  /**
   * Bytes on a connection that do not parse as HTTP. When they are part of a request still
   * arriving (a broken chunked body) or there is no request, the client gets a bare 400 and
   * the connection closes. When they come after complete requests (pipelined garbage, or
   * bytes beyond a Content-Length that lied short), those requests are still answered, in
   * full and alone, and then the connection closes: writing the 400 at once would take the
   * place of an answer not yet written, or land inside one being streamed.
   */
  private readonly onClientError = (error: Error & { code?: string }, socket: Socket): void => {
    const connection = this.connections.get(socket);
    const open = connection ? [...connection.open] : [];
    if (connection && open.length > 0 && open.every(([req]) => req.complete)) {
      connection.closing = true;
      return;
    }
    // never write into an answer already under way
    if (error.code === 'ECONNRESET' || !socket.writable || open.some(([, res]) => res.headersSent)) socket.destroy();
    else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  };

  private done(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.idle) this.idle();
  }

  /** Listens on every address; resolves with the bound addresses (port 0 becomes real). */
  async listen(addresses: readonly ListenAddress[]): Promise<ListenAddress[]> {
    const bound: ListenAddress[] = [];
    for (const address of addresses) {
      const server = createServer({ keepAliveTimeout: 5000 }, this.onRequest);
      this.h2c.attach(server);
      server.on('clientError', this.onClientError);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address.port, address.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const info = server.address() as AddressInfo;
      bound.push({ host: address.host, port: info.port });
      this.servers.push(server);
    }
    return bound;
  }

  /** Stops accepting, waits for in-flight requests (up to `timeoutMs`), closes connections. */
  async close(timeoutMs: number): Promise<void> {
    this.draining = true;
    const closed = Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const s of this.servers) s.closeIdleConnections();
    this.h2c.drain();
    if (this.inFlight > 0) {
      log.info(`waiting for ${this.inFlight} in-flight request(s)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const s of this.servers) s.closeAllConnections();
    this.h2c.destroy();
    await closed;
  }
}
