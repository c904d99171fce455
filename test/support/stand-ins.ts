/**
 * Stand-in providers for services that do not exist here yet (SQS, SNS, EventBridge, ...):
 * each records every call it gets (operation, input, and the context it was called with) and
 * answers with the handler a test gives it, so that tests of services calling each other
 * can see exactly what arrived.
 */
import type { OperationContext, OperationHandler } from '../../runtime/services/provider.js';
import type { ProviderRegistration } from '../../runtime/services/registry.js';

/** One call a stand-in received. */
export interface Received {
  readonly service: string;
  readonly operation: string;
  readonly input: any;
  readonly context: OperationContext;
}

export interface StandInOptions {
  /** Awaited before the provider is created: a test holds a service in `starting` with it. */
  readonly gate?: Promise<unknown>;
  /** Called when the runtime stops the provider. */
  readonly onStop?: () => void;
}

/**
 * A registry entry for a stand-in of `service`: every handler's call is appended to
 * `received` before the handler runs (so failed attempts are recorded too).
 */
export function standIn(service: string, received: Received[], handlers: Record<string, OperationHandler>, options: StandInOptions = {}): ProviderRegistration {
  return {
    load: async () => {
      await options.gate;
      return {
        createProvider: () => ({
          operations: Object.fromEntries(
            Object.entries(handlers).map(([operation, handler]) => [
              operation,
              (context: OperationContext, input: unknown) => {
                received.push({ service, operation, input, context });
                return handler(context, input);
              },
            ]),
          ),
          stop: options.onStop,
        }),
      };
    },
  };
}
