/**
 * LocalStack's developer endpoints under `/_aws/<service>/...` (SQS's `/_aws/sqs/messages`,
 * SNS's `/_aws/sns/sms-messages`, its signing certificate, ...): not AWS operations, but
 * answered by the service's provider (Provider.developerEndpoint), which keeps the state they
 * read. The gateway's part is the same for every service: name the service from the path,
 * load its model, start its provider, read the (small) body, pick the protocol the client
 * seems to speak, call the hook, write an operation's output when it answers one, and commit
 * the state it changed. `/_aws/...` cannot be an S3 path-style address: no bucket name starts
 * with `_`.
 */
import { loadServiceModel } from '../../aws/models/loader.js';
import { codecFor, loadCodec, selectProtocol } from '../../aws/protocols/index.js';
import { ServiceError } from '../../aws/errors.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import type { ServiceManager } from '../../services/manager.js';
import type { Handler, HandlerChain } from '../chain.js';
import { readBody } from './read-request-body.js';

const PREFIX = '/_aws/';
/** Developer endpoints take a queue URL or a few filters, never a payload. */
const MAX_BODY = 1024 * 1024;

export function serveDeveloperEndpoints(services: ServiceManager): Handler {
  const serve = async (chain: HandlerChain, ctx: RequestContext, res: GatewayResponse, name: string, rest: string): Promise<void> => {
    if (!services.has(name)) {
      res.json(404, { error: `no developer endpoints for ${name}` });
      chain.respond();
      return;
    }
    ctx.serviceName = name;
    const service = (ctx.service = loadServiceModel(name));
    ctx.protocol = selectProtocol(ctx, service);
    const provider = await services.get(name);
    if (!ctx.request.readableEnded && ctx.body.length === 0) ctx.body = await readBody(ctx.request, MAX_BODY);
    const answer = provider.developerEndpoint ? await provider.developerEndpoint(ctx, res, rest) : undefined;
    if (answer === undefined) {
      res.json(404, { error: `no developer endpoint ${ctx.path}` });
    } else if (answer !== 'answered') {
      const operation = service.operations.get(answer.operation);
      const codec = codecFor(ctx.protocol) ?? (await loadCodec(ctx.protocol));
      if (!operation || !codec) throw new ServiceError('InternalFailure', `cannot answer ${name}.${answer.operation} in ${ctx.protocol}`, { status: 500 });
      codec.serializeOutput(ctx, operation, answer.output, res);
    }
    if (services.state.recording) await services.state.flush(name);
    chain.respond();
  };
  // synchronous for every other request: one prefix test on the AWS hot path
  return (chain, ctx, res) => {
    if (!ctx.path.startsWith(PREFIX)) return undefined;
    const slash = ctx.path.indexOf('/', PREFIX.length);
    const name = ctx.path.slice(PREFIX.length, slash < 0 ? undefined : slash);
    return serve(chain, ctx, res, name, slash < 0 ? '' : ctx.path.slice(slash));
  };
}
