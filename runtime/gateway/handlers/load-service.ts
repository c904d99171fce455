import { loadServiceModel } from '../../aws/models/loader.js';
import type { Handler } from '../chain.js';

/** Loads the model of the detected service (once per service, then cached). */
export const loadService: Handler = (_chain, ctx) => {
  ctx.service = loadServiceModel(ctx.serviceName!);
};
