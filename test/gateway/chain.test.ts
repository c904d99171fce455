/**
 * The handler chain (runtime/gateway/chain.ts) in-process, without a socket: handlers that
 * record what ran, in which order, and what the response became.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HandlerChain, type ChainDefinition, type ExceptionHandler, type Handler, type ResponseHandler } from '../../runtime/gateway/chain.js';
import { GatewayResponse, RequestContext } from '../../runtime/request-context.js';

function request(): RequestContext {
  return new RequestContext({ method: 'GET', url: '/x', headers: {}, httpVersionMajor: 1 } as IncomingMessage);
}

/** A chain whose handlers append their names to `log`. */
function recorder() {
  const log: string[] = [];
  const step = (name: string, then?: (chain: HandlerChain, res: GatewayResponse) => void): Handler => (chain, _ctx, res) => {
    log.push(name);
    then?.(chain, res);
  };
  const later = (name: string, then?: (chain: HandlerChain, res: GatewayResponse) => void): Handler => async (chain, _ctx, res) => {
    await new Promise((r) => setTimeout(r, 1));
    log.push(name);
    then?.(chain, res);
  };
  const after = (name: string): ResponseHandler => () => void log.push(name);
  const catcher = (name: string, respond: boolean): ExceptionHandler => (chain, error, _ctx, res) => {
    log.push(`${name}:${(error as Error).message}`);
    if (respond) {
      res.send(400, 'text/plain', `caught ${(error as Error).message}`);
      chain.respond();
    }
  };
  return { log, step, later, after, catcher };
}

function definition(def: Partial<ChainDefinition>): ChainDefinition {
  return { requestHandlers: [], exceptionHandlers: [], responseHandlers: [], finalizers: [], ...def };
}

describe('the handler chain', () => {
  it('runs request handlers in order, then response handlers, then finalizers', () => {
    const { log, step, after } = recorder();
    const result = HandlerChain.run(definition({ requestHandlers: [step('a'), step('b'), step('c')], responseHandlers: [after('r1'), after('r2')], finalizers: [after('f1'), after('f2')] }), request(), new GatewayResponse());
    expect(result).toBeUndefined(); // all synchronous: no promise at all
    expect(log).toEqual(['a', 'b', 'c', 'r1', 'r2', 'f1', 'f2']);
  });

  it('stops the request handlers at respond(); response handlers and finalizers still run', () => {
    const { log, step, after } = recorder();
    const res = new GatewayResponse();
    HandlerChain.run(
      definition({
        requestHandlers: [step('a'), step('b', (chain, r) => (r.send(201, 'text/plain', 'made'), chain.respond())), step('c')],
        responseHandlers: [after('r')],
        finalizers: [after('f')],
      }),
      request(),
      res,
    );
    expect(log).toEqual(['a', 'b', 'r', 'f']);
    expect([res.status, res.body]).toEqual([201, 'made']);
  });

  it('becomes a promise only from the first asynchronous handler, and keeps the order across it', async () => {
    const { log, step, later, after } = recorder();
    const result = HandlerChain.run(definition({ requestHandlers: [step('sync1'), later('async'), step('sync2'), later('async2', (c) => c.respond()), step('never')], finalizers: [after('f')] }), request(), new GatewayResponse());
    expect(result).toBeInstanceOf(Promise);
    expect(log).toEqual(['sync1']); // the rest waits for the asynchronous handler
    await result;
    expect(log).toEqual(['sync1', 'async', 'sync2', 'async2', 'f']);
  });

  it('sends a thrown error to the exception handlers, sets context.error, and goes on with response handlers and finalizers', () => {
    const { log, step, catcher, after } = recorder();
    const ctx = request();
    const res = new GatewayResponse();
    HandlerChain.run(
      definition({
        requestHandlers: [step('a', () => { throw new Error('boom'); }), step('b')],
        exceptionHandlers: [catcher('first', true), catcher('second', true)],
        responseHandlers: [after('r')],
        finalizers: [after('f')],
      }),
      ctx,
      res,
    );
    expect(log).toEqual(['a', 'first:boom', 'r', 'f']); // the first that responds ends the list
    expect((ctx.error as Error).message).toBe('boom');
    expect([res.status, res.body]).toEqual([400, 'caught boom']);
  });

  it('sends a rejected promise to the exception handlers too', async () => {
    const { log, catcher, after } = recorder();
    const res = new GatewayResponse();
    const failing: Handler = async () => {
      await Promise.resolve();
      throw new Error('later boom');
    };
    await HandlerChain.run(definition({ requestHandlers: [failing], exceptionHandlers: [catcher('c', true)], finalizers: [after('f')] }), request(), res);
    expect(log).toEqual(['c:later boom', 'f']);
    expect(res.status).toBe(400);
  });

  it('passes over an exception handler that does not respond, and one that throws (with its error)', () => {
    const { log, step, catcher } = recorder();
    const ctx = request();
    const throwing: ExceptionHandler = (_chain, error) => {
      log.push(`thrower:${(error as Error).message}`);
      throw new Error('serializer broke');
    };
    const res = new GatewayResponse();
    HandlerChain.run(
      definition({ requestHandlers: [step('a', () => { throw new Error('boom'); })], exceptionHandlers: [catcher('passes', false), throwing, catcher('last', true)] }),
      ctx,
      res,
    );
    expect(log).toEqual(['a', 'passes:boom', 'thrower:boom', 'last:serializer broke']);
    expect((ctx.error as Error).message).toBe('serializer broke');
    expect(res.body).toBe('caught serializer broke');
  });

  it('answers a bare 500 when no exception handler responds', () => {
    for (const handlers of [[], [recorder().catcher('silent', false)], [(() => { throw new Error('again'); }) as ExceptionHandler]]) {
      const res = new GatewayResponse();
      const result = HandlerChain.run(definition({ requestHandlers: [() => { throw new Error('boom'); }], exceptionHandlers: handlers }), request(), res);
      expect(result).toBeUndefined();
      expect([res.status, res.headers['content-type'], res.body]).toEqual([500, 'text/plain', 'Internal Server Error']);
    }
  });

  it('sends an error of a response handler to the exception handlers; the finalizers still run', () => {
    const { log, step, catcher, after } = recorder();
    const res = new GatewayResponse();
    const broken: ResponseHandler = () => {
      log.push('broken');
      throw new Error('header');
    };
    HandlerChain.run(definition({ requestHandlers: [step('a')], responseHandlers: [broken, after('skipped')], exceptionHandlers: [catcher('c', true)], finalizers: [after('f')] }), request(), res);
    expect(log).toEqual(['a', 'broken', 'c:header', 'f']);
    expect(res.status).toBe(400);
  });

  it('lets no finalizer break the response: a throwing one is passed over, the next still runs', async () => {
    const { log, step, later, after } = recorder();
    const res = new GatewayResponse();
    const broken: ResponseHandler = () => {
      log.push('broken');
      throw new Error('log failed');
    };
    const syncRun = () => HandlerChain.run(definition({ requestHandlers: [step('a', (c, r) => (r.send(200, 'text/plain', 'ok'), c.respond()))], finalizers: [broken, after('f2')] }), request(), res);
    expect(syncRun).not.toThrow();
    expect(log).toEqual(['a', 'broken', 'f2']);
    expect([res.status, res.body]).toEqual([200, 'ok']);

    log.length = 0;
    await expect(HandlerChain.run(definition({ requestHandlers: [later('x')], finalizers: [broken, after('f2')] }), request(), new GatewayResponse())).resolves.toBeUndefined();
    expect(log).toEqual(['x', 'broken', 'f2']);
  });
});
