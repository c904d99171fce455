/**
 * THE gateway: every request, AWS or internal, goes through this one ordered list.
 *
 *   request handlers   -> run in order until one responds
 *   exception handlers -> turn a thrown error into a response
 *   response handlers  -> decorate every response
 *   finalizers         -> run last, never fail the request
 *
 * Each handler is a small function in ./handlers, named for what it does; the fields it
 * fills are documented on RequestContext (../request-context.ts). `service.*` are the
 * per-service slots: the steps the detected service declared with its registry entry
 * (../services/service-gateway.ts), so that no handler here tests a service's name.
 */
import type { RuntimeConfig } from '../config.js';
import type { RuntimeControl } from '../internal/endpoints.js';
import type { ChainDefinition } from './chain.js';
import { addResponseHeaders } from './handlers/add-response-headers.js';
import { assignRequestId } from './handlers/assign-request-id.js';
import { createCorsHandlers } from './handlers/cors.js';
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
import { serializeResponse } from './handlers/serialize-response.js';
import { serializeServiceError } from './handlers/serialize-service-error.js';
import { serveDeveloperEndpoints } from './handlers/serve-developer-endpoints.js';
import { serveInternalEndpoints } from './handlers/serve-internal-endpoints.js';
import { serviceSlots } from './handlers/service-slots.js';

export function createGatewayChain(config: RuntimeConfig, runtime: RuntimeControl): ChainDefinition {
  const { enforceCors, addCorsHeaders } = createCorsHandlers(config, providerClaimsCors(runtime.services));
  // each service's own steps, declared with its registry entry (S3: services/s3/gateway/)
  const service = serviceSlots(runtime.services.registry, config);
  return {
    requestHandlers: [
      assignRequestId,
      enforceCors, // answers preflights, refuses foreign origins (unless a provider claims the request)
      serveInternalEndpoints(runtime), // /_localstack/*
      readFormBody(config.maxBodySize), // query-protocol forms name their service and action
      parseCredentialScope(config), // account, region, signing name
      serveDeveloperEndpoints(runtime.services), // /_aws/<service>/*: LocalStack's developer endpoints, answered by the provider
      detectService,
      loadService, // from here on, errors are written in the service's protocol
      service.afterDetection, // the service's own steps (S3: presigned URLs, bucket.s3.<host>/key -> /bucket/key)
      interceptRequest(runtime.services), // raw HTTP a provider answers itself (S3 preflights, websites)
      resolveOperation, // protocol + operation
      readRequestBody(config.maxBodySize), // bounded in memory, or a stream for streaming inputs
      decodeContentEncoding(config.maxBodySize, service.keepsContentEncoding), // gzip (not S3's: the object's own)
      decodeAwsChunkedBody, // S3 uploads: aws-chunked framing and trailing checksums
      service.beforeDispatch, // the service's own checks of the body read (S3: Content-MD5, x-amz-checksum-*)
      dispatchOperation(runtime.services), // start provider, parse input, call handler
      commitState(runtime.services), // journal the state it changed before the answer goes out
      serializeResponse,
    ],
    exceptionHandlers: [serializeServiceError],
    responseHandlers: [
      service.response, // the service's own (S3: x-amz-request-id, x-amz-id-2)
      addResponseHeaders, // x-amzn-RequestId, unless the service named its request id itself
      addCorsHeaders,
    ],
    finalizers: [logRequest],
  };
}
