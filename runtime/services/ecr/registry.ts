/**
 * The registry itself: GetAuthorizationToken and DescribeRegistry.
 *
 * GetAuthorizationToken answers as AWS shapes it: `authorizationToken` is base64 of
 * `AWS:<password>`, valid 12 hours (`expiresAt`), and `proxyEndpoint` the registry's address,
 * here LocalStack's `http://<account>.dkr.ecr.<region>.<LOCALSTACK_HOST>`. The password opens
 * nothing (the registry protocol is not served); `docker login` with it would find no registry.
 */
import { randomToken } from '../../aws/ids.js';
import type { ProviderContext } from '../provider.js';
import type { EcrApi } from './api.generated.js';

/** How long AWS's authorization tokens last. */
const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** The registry handlers. */
export function registryOperations(context: ProviderContext) {
  return {
    GetAuthorizationToken(ctx, input) {
      // registryIds is deprecated; AWS answers one entry per id given, else the caller's
      const ids = input.registryIds?.length ? input.registryIds : [ctx.accountId];
      const expiresAt = new Date(context.clock.now() + TOKEN_LIFETIME_MS);
      return {
        authorizationData: ids.map((id) => ({
          authorizationToken: Buffer.from(`AWS:${randomToken(96)}`).toString('base64'),
          expiresAt,
          proxyEndpoint: `http://${id}.dkr.ecr.${ctx.region}.${context.config.localstackHost}`,
        })),
      };
    },
    DescribeRegistry(ctx) {
      return { registryId: ctx.accountId, replicationConfiguration: { rules: [] } };
    },
  } satisfies Partial<EcrApi>;
}
