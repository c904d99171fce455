import { ServiceError } from '../../aws/errors.js';
import type { ProtocolCodec } from '../../aws/protocols/codec.js';
import { codecFor, loadCodec, selectProtocol } from '../../aws/protocols/index.js';
import type { Handler } from '../chain.js';

/** Picks the protocol the client spoke and finds the addressed operation. */
export const resolveOperation: Handler = (_chain, ctx) => {
  const service = ctx.service!;
  const protocol = selectProtocol(ctx, service);
  ctx.protocol = protocol;
  const resolve = (codec: ProtocolCodec | undefined) => {
    if (!codec) throw new ServiceError('InternalFailure', `The ${protocol} protocol is not supported yet`, { status: 501 });
    ctx.operation = codec.resolveOperation(ctx, service);
  };
  const codec = codecFor(protocol);
  return codec ? resolve(codec) : loadCodec(protocol).then(resolve);
};
