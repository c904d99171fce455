import type { Provider, ProviderContext } from '../provider.js';

export function createProvider(_context: ProviderContext): Provider {
  return { operations: {} };
}
