/**
 * THE place where errors become responses: a ServiceError is written by the codec of the
 * protocol the client spoke (or the service's default protocol when the request got no
 * further than detection); anything else is a bug, logged with its stack on the server and
 * answered as a 500 InternalError without one.
 */
import { ServiceError, internalError } from '../../aws/errors.js';
import { codecFor } from '../../aws/protocols/index.js';
import { jsonErrorBody } from '../../aws/protocols/json.js';
import { logger } from '../../logger.js';
import type { ExceptionHandler } from '../chain.js';

const log = logger('gateway');

export const serializeServiceError: ExceptionHandler = (chain, error, ctx, res) => {
  let serviceError: ServiceError;
  if (error instanceof ServiceError) {
    serviceError = error;
  } else {
    log.error(`unexpected error in ${ctx.serviceName ?? 'gateway'}.${ctx.operation?.name ?? ctx.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    serviceError = internalError();
  }
  const protocol = ctx.protocol ?? ctx.service?.protocol;
  const codec = protocol ? codecFor(protocol) : undefined;
  if (codec) {
    codec.serializeError(ctx, serviceError, res);
  } else {
    res.send(serviceError.status, 'application/json', jsonErrorBody(serviceError));
    res.headers['x-amzn-errortype'] = serviceError.code;
  }
  if (serviceError.headers) Object.assign(res.headers, serviceError.headers);
  chain.respond();
};
