/**
 * Account, region and signing name from the request's credentials (SigV4 header, presigned
 * query, or SigV2). Unknown regions fall back to us-east-1 with a warning, unless
 * ALLOW_NONSTANDARD_REGIONS is set.
 */
import type { RuntimeConfig } from '../../config.js';
import { accountIdFromAccessKey, parseCredentialScope as parseScope, type CredentialScope } from '../../aws/credentials.js';
import { AWS_REGIONS } from '../../aws/regions.js';
import { logger } from '../../logger.js';
import { DEFAULT_REGION } from '../../request-context.js';
import type { Handler } from '../chain.js';

const log = logger('gateway');

interface Resolved {
  accountId: string;
  region: string | undefined;
}

export function parseCredentialScope(config: RuntimeConfig): Handler {
  const warned = new Set<string>();
  // scopes are shared objects (see aws/credentials.ts), so what follows from one is too
  const resolved = new WeakMap<object, Resolved>();

  function resolve(scope: CredentialScope): Resolved {
    let r = resolved.get(scope);
    if (r) return r;
    let region = scope.region;
    if (region && !AWS_REGIONS.has(region) && !config.allowNonstandardRegions) {
      if (!warned.has(region)) {
        warned.add(region);
        log.warn(`region '${region}' is not an AWS region; using ${DEFAULT_REGION} (set ALLOW_NONSTANDARD_REGIONS=1 to keep it)`);
      }
      region = DEFAULT_REGION;
    }
    r = { accountId: accountIdFromAccessKey(scope.accessKeyId), region };
    resolved.set(scope, r);
    return r;
  }

  return (_chain, ctx) => {
    const scope = parseScope(ctx.headers, () => ctx.query, ctx.rawQuery);
    if (!scope) return;
    const { accountId, region } = resolve(scope);
    ctx.accessKeyId = scope.accessKeyId;
    ctx.signingName = scope.service;
    ctx.accountId = accountId;
    if (region) ctx.region = region;
  };
}
