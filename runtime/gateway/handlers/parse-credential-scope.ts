/**
 * Account, region and signing name from the request's credentials (SigV4 header, presigned
 * query, or SigV2). Unknown regions fall back to us-east-1 with a warning, unless
 * ALLOW_NONSTANDARD_REGIONS is set.
 */
import type { RuntimeConfig } from '../../config.js';
import { accountIdFromAccessKey, parseCredentialScope as parseScope } from '../../aws/credentials.js';
import { AWS_REGIONS } from '../../aws/regions.js';
import { logger } from '../../logger.js';
import { DEFAULT_REGION } from '../context.js';
import type { Handler } from '../chain.js';

const log = logger('gateway');

export function parseCredentialScope(config: RuntimeConfig): Handler {
  const warned = new Set<string>();
  return (_chain, ctx) => {
    const scope = parseScope(ctx.headers, () => ctx.query, ctx.rawQuery);
    if (!scope) return;
    ctx.accessKeyId = scope.accessKeyId;
    ctx.accountId = accountIdFromAccessKey(scope.accessKeyId);
    ctx.signingName = scope.service;
    const region = scope.region;
    if (!region) return;
    if (AWS_REGIONS.has(region) || config.allowNonstandardRegions) {
      ctx.region = region;
    } else {
      if (!warned.has(region)) {
        warned.add(region);
        log.warn(`region '${region}' is not an AWS region; using ${DEFAULT_REGION} (set ALLOW_NONSTANDARD_REGIONS=1 to keep it)`);
      }
      ctx.region = DEFAULT_REGION;
    }
  };
}
