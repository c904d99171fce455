/**
 * S3 virtual-host addressing: a request to `<bucket>.s3.<domain>/<key>` is rewritten to the
 * path-style `/<bucket>/<key>` that S3's routes (the model's `/{Bucket}/{Key+}`) match. An S3
 * gateway step (index.ts): after detection (which already names S3 for such hosts), after
 * the presigned-URL check (a signature covers the path as sent), before the provider's
 * intercept and routing. Which hosts are virtual hosts is runtime/aws/s3-hosts.ts's to say
 * (website endpoints never are). The path is kept raw, so keys keep their encoding and
 * trailing slashes.
 */
import type { RuntimeConfig } from '../../../config.js';
import { S3Hosts } from '../../../aws/s3-hosts.js';
import type { ServiceStep } from '../../service-gateway.js';

export function rewriteVirtualHost(config: RuntimeConfig): ServiceStep {
  const hosts = new S3Hosts(config.localstackHost);
  return (ctx) => {
    const bucket = hosts.virtualBucket(ctx.header('host'));
    if (bucket === undefined) return;
    ctx.path = ctx.path === '/' || ctx.path === '' ? `/${bucket}` : `/${bucket}${ctx.path}`;
  };
}
