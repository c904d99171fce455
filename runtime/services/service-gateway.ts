/**
 * What a service adds to the gateway's handler chain: steps that only its own requests need
 * (S3: presigned URLs, virtual hosts, digests of request documents, its request id headers).
 * Declared with the service's registry entry (registry.ts) and run by the gateway in its
 * per-service slots (runtime/gateway/app.ts) for the requests detected for that service, so
 * that generic handlers never test a service's name.
 *
 * A step sees the request context and the response being built. It refuses a request by
 * throwing a ServiceError (written in the service's protocol, as every error after
 * detection is) and never answers one itself: raw HTTP a provider answers is its intercept
 * hook's (Provider.intercept). A step returns a promise only when it must wait.
 *
 * The module declaring a service's steps is imported at start-up with the registry: it must
 * stay small and must not import the provider, which loads on the service's first request.
 * Steps use services/ and aws/ only (services/ does not import gateway/).
 */
import type { GatewayResponse, RequestContext } from '../request-context.js';

/** A request step of a service. */
export type ServiceStep = (ctx: RequestContext, res: GatewayResponse) => void | Promise<void>;

/** A response step of a service: synchronous, as every response handler is. */
export type ServiceResponseStep = (ctx: RequestContext, res: GatewayResponse) => void;

/** A service's steps, by slot (the slots' places in the chain are named in gateway/app.ts). */
export interface ServiceGateway {
  /** Once the service is detected and its model loaded, before its provider's intercept and routing. */
  readonly afterDetection?: readonly ServiceStep[];
  /** Once the body is read and decoded, before the operation runs. */
  readonly beforeDispatch?: readonly ServiceStep[];
  /**
   * On every response of the service, errors included. A service that sets its own request
   * id header (`x-amz-request-id`) does not get the generic `x-amzn-RequestId`.
   */
  readonly response?: readonly ServiceResponseStep[];
  /**
   * Content-Encoding names the payload's own encoding, kept with it (S3 stores it with the
   * object): the gateway never decodes a request body by it.
   */
  readonly payloadContentEncoding?: boolean;
}
