/**
 * The `rest-json` protocol: operations routed by method and path, members bound to the
 * request line and headers, the rest in a JSON body (or a raw payload).
 */
import { ServiceError, validationException } from '../errors.js';
import type { Shape } from '../models/service-model.js';
import type { ProtocolCodec } from './codec.js';
import { compileJsonReader, compileJsonWriter, jsonErrorBody, jsonEventPayloads, parseJsonBody } from './json.js';
import { bodyShape, rawPayloadBody, readHttpBindings, resolveRestOperation, streamingBody, restInputPlan, writeHttpBindings } from './rest.js';
import { EVENT_STREAM_CONTENT_TYPE, eventStreamPlan } from './event-stream.js';

/** Operations whose members are all bound elsewhere still read and write `{}`. */
const EMPTY: Shape = { type: 'structure', members: {} };

export const restJsonCodec: ProtocolCodec = {
  name: 'rest-json',

  resolveOperation: resolveRestOperation,

  parseInput(context, op) {
    const input: Record<string, unknown> = {};
    readHttpBindings(context, op, input);
    const plan = op.plan('rest-json.input', () => restInputPlan(op, (shape) => compileJsonReader(op.service, shape), EMPTY));
    const errors: string[] = [];
    if (plan.payload) {
      const { name, shape } = plan.payload;
      if (plan.read) {
        if (context.body.length > 0) input[name] = plan.read(parseJsonBody(context.body), '', errors);
      } else if (op.streamingInput) {
        input[name] = streamingBody(context);
      } else if (context.body.length > 0) {
        input[name] = shape.type === 'string' ? context.body.toString('utf8') : context.body;
      }
    } else if (plan.read) {
      Object.assign(input, plan.read(parseJsonBody(context.body), '', errors));
    }
    // required members and the other constraints are runtime/aws/validation.ts's
    if (errors.length > 0) throw validationException(errors);
    return input;
  },

  serializeOutput(_context, op, output, response) {
    writeHttpBindings(op, output, response);
    const shape = op.output;
    if (!shape) {
      response.body = '';
      return;
    }
    if (shape.payload) {
      const value = output[shape.payload];
      const m = op.service.resolve(shape.members![shape.payload]!);
      if (value === undefined || value === null) return;
      const stream = eventStreamPlan(op, 'rest-json', () => jsonEventPayloads(op.service));
      if (stream && stream.member === shape.payload) {
        response.headers['content-type'] = EVENT_STREAM_CONTENT_TYPE;
        response.body = stream.encoder.body(value);
        return;
      }
      if (m.type === 'structure' || m.document) {
        const write = op.plan('rest-json.payload', () => compileJsonWriter(op.service, m));
        response.headers['content-type'] ??= 'application/json';
        response.body = JSON.stringify(write(value));
      } else {
        response.body = rawPayloadBody(value);
      }
      return;
    }
    const write = op.plan('rest-json.output', () => compileJsonWriter(op.service, bodyShape(op.service, shape) ?? EMPTY));
    response.headers['content-type'] ??= 'application/json';
    response.body = JSON.stringify(write(output));
  },

  serializeError(_context, error: ServiceError, response) {
    response.send(error.status, 'application/json', jsonErrorBody(error));
    response.headers['x-amzn-errortype'] = error.code;
  },
};
