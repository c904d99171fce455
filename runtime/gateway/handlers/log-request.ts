import { isLogEnabled, logger } from '../../logger.js';
import type { ResponseHandler } from '../chain.js';

const aws = logger('localstack.request.aws');
const http = logger('localstack.request.http');

/** One line per request at debug level (DEBUG=1); nothing otherwise. */
export const logRequest: ResponseHandler = (_chain, ctx, res) => {
  if (!isLogEnabled('debug')) return;
  const ms = performance.now() - ctx.startedAt;
  if (ctx.serviceName && ctx.operation) {
    const error = res.status >= 400 ? ` (${(ctx.error as { code?: string } | undefined)?.code ?? 'error'})` : '';
    aws.debug(`AWS ${ctx.serviceName}.${ctx.operation.name} => ${res.status}${error} ${ms.toFixed(1)}ms`);
  } else {
    http.debug(`${ctx.method} ${ctx.path} => ${res.status} ${ms.toFixed(1)}ms`);
  }
};
