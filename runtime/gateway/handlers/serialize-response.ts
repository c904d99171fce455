import { codecFor } from '../../aws/protocols/index.js';
import type { Handler } from '../chain.js';

/** Writes the operation's output in the protocol the client spoke. */
export const serializeResponse: Handler = (chain, ctx, res) => {
  codecFor(ctx.protocol!)!.serializeOutput(ctx, ctx.operation!, ctx.output ?? {}, res);
  chain.respond();
};
