import { ServiceError } from '../../aws/errors.js';
import { codecFor, selectProtocol } from '../../aws/protocols/index.js';
import type { Handler } from '../chain.js';

/** Picks the protocol the client spoke and finds the addressed operation. */
export const resolveOperation: Handler = (_chain, ctx) => {
  const service = ctx.service!;
  const protocol = selectProtocol(ctx, service);
  ctx.protocol = protocol;
  const codec = codecFor(protocol);
  if (!codec) throw new ServiceError('InternalFailure', `The ${protocol} protocol is not supported yet`, { status: 501 });
  ctx.operation = codec.resolveOperation(ctx, service);
};
