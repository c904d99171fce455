import { isLogEnabled, logger } from '../../logger.js';
import type { ResponseHandler } from '../chain.js';

const aws = logger('localstack.request.aws');
const http = logger('localstack.request.http');

/**
 * One line per AWS request at INFO, as LocalStack writes it: `AWS s3.CreateBucket => 200`,
 * with the error code on failures (`AWS ssm.GetParameter => 400 (ParameterNotFound)`), so that
 * `localstack logs` shows what a test did. LS_LOG=warn leaves them out; at debug level
 * (DEBUG=1) each line also gives the time taken, and requests that are not AWS operations
 * (/_localstack/health, CORS preflights, 404s) get a line too.
 */
export const logRequest: ResponseHandler = (_chain, ctx, res) => {
  if (ctx.serviceName && ctx.operation) {
    if (!isLogEnabled('info')) return;
    const error = res.status >= 400 ? ` (${(ctx.error as { code?: string } | undefined)?.code ?? 'error'})` : '';
    const time = isLogEnabled('debug') ? ` ${(performance.now() - ctx.startedAt).toFixed(1)}ms` : '';
    aws.info(`AWS ${ctx.serviceName}.${ctx.operation.name} => ${res.status}${error}${time}`);
  } else if (isLogEnabled('debug')) {
    http.debug(`${ctx.method} ${ctx.path} => ${res.status} ${(performance.now() - ctx.startedAt).toFixed(1)}ms`);
  }
};
