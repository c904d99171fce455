/**
 * THE gateway: every request, AWS or internal, goes through this one ordered list.
 *
 *   request handlers   -> run in order until one responds
 *   exception handlers -> turn a thrown error into a response
 *   response handlers  -> decorate every response
 *   finalizers         -> run last, never fail the request
 *
 * Each handler is a small function in ./handlers, named for what it does; the fields it
 * fills are documented on RequestContext (./context.ts).
 */
import type { RuntimeConfig } from '../config.js';
import type { RuntimeControl } from '../internal/endpoints.js';
import type { ChainDefinition } from './chain.js';
import { addResponseHeaders } from './handlers/add-response-headers.js';
import { assignRequestId } from './handlers/assign-request-id.js';
import { checkS3Presigned } from './handlers/check-s3-presigned.js';
import { createCorsHandlers } from './handlers/cors.js';
import { checkS3BodyDigests } from './handlers/check-s3-body-digests.js';
import { commitState } from './handlers/commit-state.js';
import { decodeAwsChunkedBody } from './handlers/decode-aws-chunked.js';
import { decodeContentEncoding } from './handlers/decode-content-encoding.js';
import { detectService } from './handlers/detect-service.js';
import { dispatchOperation } from './handlers/dispatch-operation.js';
import { loadService } from './handlers/load-service.js';
import { logRequest } from './handlers/log-request.js';
import { parseCredentialScope } from './handlers/parse-credential-scope.js';
import { interceptRequest, providerClaimsCors } from './handlers/provider-hooks.js';
import { readFormBody, readRequestBody } from './handlers/read-request-body.js';
import { resolveOperation } from './handlers/resolve-operation.js';
import { rewriteS3VirtualHost } from './handlers/rewrite-s3-virtual-host.js';
import { serializeResponse } from './handlers/serialize-response.js';
import { serializeServiceError } from './handlers/serialize-service-error.js';
import { serveInternalEndpoints } from './handlers/serve-internal-endpoints.js';

export function createGatewayChain(config: RuntimeConfig, runtime: RuntimeControl): ChainDefinition {
  const { enforceCors, addCorsHeaders } = createCorsHandlers(config, providerClaimsCors(runtime.services));
  return {
    requestHandlers: [
      assignRequestId,
      enforceCors, // answers preflights, refuses foreign origins (unless a provider claims the request)
      serveInternalEndpoints(runtime), // /_localstack/*
      readFormBody(config.maxBodySize), // query-protocol forms name their service and action
      parseCredentialScope(config), // account, region, signing name
      detectService,
      loadService, // from here on, errors are written in the service's protocol
      checkS3Presigned(config), // S3 presigned URLs: parameters, expiry (and signature, when asked)
      rewriteS3VirtualHost(config), // bucket.s3.<host>/key -> /bucket/key
      interceptRequest(runtime.services), // raw HTTP a provider answers itself (S3 preflights, websites)
      resolveOperation, // protocol + operation
      readRequestBody(config.maxBodySize), // bounded in memory, or a stream for streaming inputs
      decodeContentEncoding(config.maxBodySize),
      decodeAwsChunkedBody, // S3 uploads: aws-chunked framing and trailing checksums
      checkS3BodyDigests, // S3 documents: Content-MD5 and x-amz-checksum-* against the body read
      dispatchOperation(runtime.services), // start provider, parse input, call handler
      commitState(runtime.services), // journal the state it changed before the answer goes out
      serializeResponse,
    ],
    exceptionHandlers: [serializeServiceError],
    responseHandlers: [addResponseHeaders, addCorsHeaders],
    finalizers: [logRequest],
  };
}
