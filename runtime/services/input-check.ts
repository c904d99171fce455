/**
 * SEAM: the input check an in-process call runs before its handler, standing in for the
 * model-driven validator (runtime/aws/validation.ts, `validateInput(op, input)`), which is
 * being built on another branch. When that lands, `checkInput` becomes a call to it (with the
 * registry's per-service options) and runs for gateway and in-process calls alike, in
 * invoke.ts; nothing else changes.
 *
 * Until then it checks what the gateway's codecs check while parsing a request (an
 * in-process call's input was never parsed): every required member is present, at every
 * depth, and structures, lists and maps are what the model says; reported in Coral's words,
 * with the error code the service's protocol uses (ValidationError for query and ec2,
 * ValidationException otherwise):
 *
 *   1 validation error detected: Value null at 'queueUrl' failed to satisfy constraint: Member must not be null
 */
import { ServiceError } from '../aws/errors.js';
import type { OperationModel, ServiceModel, Shape } from '../aws/models/service-model.js';
import { memberPath } from '../aws/protocols/scalars.js';

/** The error for an in-process input that the model refuses, or undefined when it passes. */
export function checkInput(op: OperationModel, input: Record<string, unknown>): ServiceError | undefined {
  const shape = op.input;
  if (!shape) return undefined;
  const errors: string[] = [];
  checkValue(op.service, shape, input, '', errors, 0);
  if (errors.length === 0) return undefined;
  const n = errors.length;
  const protocol = op.service.protocol;
  const code = protocol === 'query' || protocol === 'ec2' ? 'ValidationError' : 'ValidationException';
  return new ServiceError(code, `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
}

/** Recursive shapes (a JSON document's value, a filter's sub-filters) stop here. */
const MAX_DEPTH = 32;

function checkValue(service: ServiceModel, shape: Shape, value: unknown, path: string, errors: string[], depth: number): void {
  if (depth > MAX_DEPTH || shape.document) return;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date) {
        errors.push(`Value at '${path || 'input'}' failed to satisfy constraint: Member must be a structure`);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const [name, member] of service.members(shape)) {
        const v = record[name];
        if (v !== undefined && v !== null) checkValue(service, member, v, memberPath(path, name), errors, depth + 1);
      }
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) errors.push(`Value null at '${memberPath(path, name)}' failed to satisfy constraint: Member must not be null`);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        errors.push(`Value at '${path}' failed to satisfy constraint: Member must be a list`);
        return;
      }
      const member = service.resolve(shape.member ?? {});
      value.forEach((item, i) => {
        const at = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) {
          if (shape.sparse !== true) errors.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
        } else {
          checkValue(service, member, item, at, errors, depth + 1);
        }
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`Value at '${path}' failed to satisfy constraint: Member must be a map`);
        return;
      }
      const member = service.resolve(shape.value ?? {});
      for (const [key, item] of Object.entries(value)) {
        if (item === null || item === undefined) {
          if (shape.sparse !== true) errors.push(`Value null at '${path}.${key}' failed to satisfy constraint: Map value must not be null`);
        } else {
          checkValue(service, member, item, `${path}.${key}`, errors, depth + 1);
        }
      }
      return;
    }
    default:
      return;
  }
}
