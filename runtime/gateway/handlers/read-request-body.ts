/**
 * The request body: read into memory, bounded by GATEWAY_MAX_BODY_SIZE (a larger body is
 * refused with 413 as soon as its Content-Length or the bytes received exceed the bound),
 * or, for an operation whose input is a streaming payload (S3 PutObject), handed on as a
 * stream that the provider reads at its own pace.
 *
 * Two handlers: form bodies are read before detection (the query protocol names its service
 * and action in them); every other body waits until the operation is known.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { ServiceError } from '../../aws/errors.js';
import type { Handler } from '../chain.js';

const EMPTY = Buffer.alloc(0);

export function tooLarge(limit: number): ServiceError {
  return new ServiceError('RequestEntityTooLarge', `Request body exceeds the maximum allowed size of ${limit} bytes`, {
    status: 413,
    headers: { connection: 'close' },
  });
}

/** The client went away (or stopped sending) before the body was complete. */
function incompleteBody(): ServiceError {
  return new ServiceError('IncompleteBody', 'The request body ended before the number of bytes given by Content-Length', {
    headers: { connection: 'close' },
  });
}

/**
 * The request body as a stream for its reader (a provider, the aws-chunked decoder), with
 * backpressure. A client that goes away mid-body fails it with IncompleteBody, a ServiceError
 * like every other bad upload, rather than Node's bare 'aborted' (which would reach the
 * gateway as an unexpected error, i.e. a bug).
 */
function bodyStream(req: IncomingMessage): Readable {
  const body = new PassThrough();
  // a reader sees the error through its read (for await, pipeline); with no reader (an
  // operation that failed before reading) it must not surface as an unhandled 'error' event
  body.on('error', () => undefined);
  req.once('close', () => {
    if (!req.complete) body.destroy(incompleteBody());
  });
  return req.pipe(body);
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  // HTTP/1.1 without Content-Length or Transfer-Encoding has no body; HTTP/2 ends a body
  // with its stream, so there only an explicit length of 0 says "none"
  const bodyless = req.httpVersionMajor >= 2 ? req.headers['content-length'] === '0' : declared === 0 && req.headers['transfer-encoding'] === undefined;
  if (req.readableEnded || bodyless) return Promise.resolve(EMPTY);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(incompleteBody());
    };
    const onClose = () => {
      cleanup();
      reject(incompleteBody());
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Reads an `application/x-www-form-urlencoded` body, which detection and routing need. */
export function readFormBody(limit: number): Handler {
  return (_chain, ctx) => {
    // the server already read small bodies (GatewayServer): nothing left to wait for
    if (ctx.request.readableEnded || !ctx.header('content-type')?.startsWith('application/x-www-form-urlencoded')) return undefined;
    return readBody(ctx.request, limit).then((body) => {
      ctx.body = body;
    });
  };
}

/** Reads the body of the resolved operation, or opens it as a stream when the input streams. */
export function readRequestBody(limit: number): Handler {
  return (_chain, ctx) => {
    // the server already read small bodies (GatewayServer): they stay in memory, and the
    // codec hands them to the provider as a stream of one piece
    if (ctx.request.readableEnded) return undefined;
    if (ctx.operation?.streamingInput !== undefined) {
      ctx.bodyStream = bodyStream(ctx.request);
      return undefined;
    }
    return readBody(ctx.request, limit).then((body) => {
      ctx.body = body;
    });
  };
}
