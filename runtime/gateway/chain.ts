/**
 * The composition core of the gateway: runs request handlers in order until one responds,
 * sends any thrown error to the exception handlers, then runs the response handlers and
 * the finalizers.
 *
 * Request handlers may be asynchronous; everything after them is synchronous by contract
 * (serializing an error, adding headers, logging). The chain itself only becomes a promise
 * when a handler returns one, so a request whose handlers are all synchronous allocates no
 * promise and waits for no microtask.
 */
import type { GatewayResponse, RequestContext } from '../request-context.js';

/** A step of the chain. Call `chain.respond()` once the response is complete. */
export type Handler = (chain: HandlerChain, context: RequestContext, response: GatewayResponse) => void | Promise<void>;

/** A synchronous step after the request handlers (response decoration, logging). */
export type ResponseHandler = (chain: HandlerChain, context: RequestContext, response: GatewayResponse) => void;

/** Turns an error into a response. The first one to call `chain.respond()` ends the list. */
export type ExceptionHandler = (chain: HandlerChain, error: unknown, context: RequestContext, response: GatewayResponse) => void;

export interface ChainDefinition {
  readonly requestHandlers: readonly Handler[];
  readonly exceptionHandlers: readonly ExceptionHandler[];
  readonly responseHandlers: readonly ResponseHandler[];
  readonly finalizers: readonly ResponseHandler[];
}

export class HandlerChain {
  private responded = false;

  private constructor(
    private readonly def: ChainDefinition,
    private readonly context: RequestContext,
    private readonly response: GatewayResponse,
  ) {}

  /** Marks the response as complete: no further request handler runs. */
  respond(): void {
    this.responded = true;
  }

  /**
   * Runs the whole chain for one request. Never throws and never rejects; returns a promise
   * only when some request handler was asynchronous.
   */
  static run(def: ChainDefinition, context: RequestContext, response: GatewayResponse): void | Promise<void> {
    const chain = new HandlerChain(def, context, response);
    const pending = chain.runRequestHandlers(0);
    if (pending) return pending.then(() => chain.finish());
    chain.finish();
  }

  private runRequestHandlers(from: number): Promise<void> | undefined {
    const handlers = this.def.requestHandlers;
    for (let i = from; i < handlers.length; i++) {
      let result: void | Promise<void>;
      try {
        result = handlers[i]!(this, this.context, this.response);
      } catch (error) {
        this.handleError(error);
        return undefined;
      }
      if (result) {
        return result.then(
          () => (this.responded ? undefined : this.runRequestHandlers(i + 1)),
          (error: unknown) => this.handleError(error),
        );
      }
      if (this.responded) return undefined;
    }
    return undefined;
  }

  private finish(): void {
    const { def, context, response } = this;
    try {
      for (const handler of def.responseHandlers) handler(this, context, response);
    } catch (error) {
      this.handleError(error);
    }
    for (const handler of def.finalizers) {
      try {
        handler(this, context, response);
      } catch {
        // a finalizer (logging, metrics) must never break a response
      }
    }
  }

  private handleError(error: unknown): void {
    const { def, context, response } = this;
    context.error = error;
    this.responded = false;
    for (const handler of def.exceptionHandlers) {
      try {
        handler(this, error, context, response);
      } catch (inner) {
        error = inner;
        context.error = inner;
        continue;
      }
      if (this.responded) return;
    }
    // nothing could serialize it: the last resort is a bare 500
    response.send(500, 'text/plain', 'Internal Server Error');
    this.responded = true;
  }
}
