/**
 * The composition core of the gateway: runs request handlers in order until one responds,
 * sends any thrown error to the exception handlers, then runs the response handlers and
 * the finalizers. Handlers may be sync or async; a sync handler costs no promise.
 */
import type { GatewayResponse, RequestContext } from './context.js';

/** A step of the chain. Call `chain.respond()` once the response is complete. */
export type Handler = (chain: HandlerChain, context: RequestContext, response: GatewayResponse) => void | Promise<void>;

/** Turns an error into a response. The first one to call `chain.respond()` ends the list. */
export type ExceptionHandler = (
  chain: HandlerChain,
  error: unknown,
  context: RequestContext,
  response: GatewayResponse,
) => void | Promise<void>;

export interface ChainDefinition {
  readonly requestHandlers: readonly Handler[];
  readonly exceptionHandlers: readonly ExceptionHandler[];
  readonly responseHandlers: readonly Handler[];
  readonly finalizers: readonly Handler[];
}

export class HandlerChain {
  private responded = false;

  /** Marks the response as complete: no further request handler runs. */
  respond(): void {
    this.responded = true;
  }

  get isResponded(): boolean {
    return this.responded;
  }

  /** Runs the whole chain for one request. Never throws. */
  static async run(def: ChainDefinition, context: RequestContext, response: GatewayResponse): Promise<void> {
    const chain = new HandlerChain();
    try {
      for (const handler of def.requestHandlers) {
        const r = handler(chain, context, response);
        if (r) await r;
        if (chain.responded) break;
      }
    } catch (error) {
      await chain.handleError(def, error, context, response);
    }
    try {
      for (const handler of def.responseHandlers) {
        const r = handler(chain, context, response);
        if (r) await r;
      }
    } catch (error) {
      await chain.handleError(def, error, context, response);
    }
    for (const handler of def.finalizers) {
      try {
        const r = handler(chain, context, response);
        if (r) await r;
      } catch {
        // a finalizer (logging, metrics) must never break a response
      }
    }
  }

  private async handleError(def: ChainDefinition, error: unknown, context: RequestContext, response: GatewayResponse) {
    context.error = error;
    this.responded = false;
    for (const handler of def.exceptionHandlers) {
      try {
        const r = handler(this, error, context, response);
        if (r) await r;
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
