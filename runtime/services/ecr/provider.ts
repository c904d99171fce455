/**
 * Amazon Elastic Container Registry (`ecr`, json).
 *
 * state.ts holds what the service keeps (declared to the runtime, marked when changed);
 * errors.ts its errors (the generated catalog of the model's errors); api.generated.ts the
 * typed input and output of every operation. Input reaches a handler checked against the
 * model (required members, types, lengths, ranges, patterns, enums): handlers check only
 * the business rules. See docs/adding-a-service.md.
 *
 * LIMITATIONS: only the operations in the table below are emulated; every other operation
 * answers 501 InternalFailure naming it (docs/coverage/ecr.md lists them).
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { EcrApi } from './api.generated.js';
import { declareState } from './state.js';

export function createProvider(context: ProviderContext): Provider {
  const state = declareState(context);
  const operations = {
    // one handler per operation, typed by the model:
    //   CreateThing(ctx, input) { ... state.of(ctx).resources ... state.changed(ctx, name); return { ... }; },
  } satisfies Partial<EcrApi>;
  void state; // the first handler uses it: then this line goes
  return { operations };
}
