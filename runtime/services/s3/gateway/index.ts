/**
 * S3's own steps in the gateway's handler chain (runtime/services/service-gateway.ts), run
 * for requests detected as S3 only, in the slots runtime/gateway/app.ts names:
 *
 *   afterDetection   checkPresigned       presigned URLs: parameters, expiry (signature when asked)
 *                    rewriteVirtualHost   bucket.s3.<host>/key -> /bucket/key
 *   beforeDispatch   checkExpectedOwner   x-amz-expected-bucket-owner is an account id
 *                    checkBodyDigests     Content-MD5 and x-amz-checksum-* of request documents
 *   response         addRequestIdHeaders  x-amz-request-id, x-amz-id-2, Server: AmazonS3
 * and Content-Encoding is the object's (stored with it), never decoded by the gateway.
 *
 * Imported at start-up with the registry: this module and its steps must not import the
 * provider (provider.ts and its modules load on the first S3 request).
 */
import type { RuntimeConfig } from '../../../config.js';
import type { ServiceGateway } from '../../service-gateway.js';
import { checkBodyDigests } from './check-body-digests.js';
import { checkExpectedOwner } from './check-expected-owner.js';
import { checkPresigned } from './check-presigned.js';
import { addRequestIdHeaders } from './request-id-headers.js';
import { rewriteVirtualHost } from './rewrite-virtual-host.js';

export function s3Gateway(config: RuntimeConfig): ServiceGateway {
  return {
    afterDetection: [checkPresigned(config), rewriteVirtualHost(config)],
    beforeDispatch: [checkExpectedOwner, checkBodyDigests],
    response: [addRequestIdHeaders],
    payloadContentEncoding: true,
  };
}
