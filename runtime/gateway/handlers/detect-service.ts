import { ServiceError } from '../../aws/errors.js';
import { detectService as detect } from '../../aws/detection.js';
import type { Handler } from '../chain.js';

/** Names the addressed service by the detection rules (runtime/aws/detection.ts). */
export const detectService: Handler = (_chain, ctx) => {
  const name = detect(ctx);
  if (!name) {
    throw new ServiceError('UnknownService', `Unable to determine the AWS service for ${ctx.method} ${ctx.path}`, { status: 404 });
  }
  ctx.serviceName = name;
};
