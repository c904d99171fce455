/**
 * One codec per wire protocol. A codec knows how to find the operation a request addresses,
 * parse and validate its input, and write an output or an error in the protocol's shape.
 * Per-operation work (shape walking) is compiled once through `OperationModel.plan`.
 */
import type { OperationModel, ServiceModel } from '../models/service-model.js';
import type { ProtocolName } from '../models/types.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import type { ServiceError } from '../errors.js';

export interface ProtocolCodec {
  readonly name: ProtocolName;
  /** The addressed operation; throws the protocol's "unknown operation" error. */
  resolveOperation(context: RequestContext, service: ServiceModel): OperationModel;
  /** The validated input, keyed by model member names. */
  parseInput(context: RequestContext, operation: OperationModel): Record<string, unknown>;
  /** Writes a successful response. */
  serializeOutput(context: RequestContext, operation: OperationModel, output: Record<string, unknown>, response: GatewayResponse): void;
  /** Writes an error response. */
  serializeError(context: RequestContext, error: ServiceError, response: GatewayResponse): void;
}
