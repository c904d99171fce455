/**
 * The `rest-xml` protocol (S3, Route 53, CloudFront).
 *
 * PARTIAL: routing, HTTP bindings, raw payloads and errors are here; XML request and
 * response bodies come with the protocol-layer issue. Until then only operations whose
 * input is fully bound to the request line, headers or a raw payload can be implemented.
 */
import { ServiceError } from '../errors.js';
import type { ProtocolCodec } from './codec.js';
import { readHttpBindings, missingRequired, resolveRestOperation, writeHttpBindings } from './rest.js';
import { escapeXml } from './scalars.js';
import { validationException } from '../errors.js';

export const restXmlCodec: ProtocolCodec = {
  name: 'rest-xml',

  resolveOperation: resolveRestOperation,

  parseInput(context, op) {
    const input: Record<string, unknown> = {};
    readHttpBindings(context, op, input);
    const shape = op.input;
    if (shape?.payload) {
      const m = op.service.resolve(shape.members![shape.payload]!);
      if (m.type === 'structure') throw new ServiceError('NotImplemented', `XML request bodies are not supported yet (${op.name})`, { status: 501 });
      if (context.body.length > 0) input[shape.payload] = m.type === 'string' ? context.body.toString('utf8') : context.body;
    }
    const errors = missingRequired(op, input);
    if (errors.length > 0) throw validationException(errors);
    return input;
  },

  serializeOutput(_context, op, output, response) {
    writeHttpBindings(op, output, response);
    const shape = op.output;
    const payload = shape?.payload ? output[shape.payload] : undefined;
    if (payload !== undefined && (typeof payload === 'string' || Buffer.isBuffer(payload))) response.body = payload;
  },

  serializeError(context, error, response) {
    const code = escapeXml(error.code);
    const message = escapeXml(error.message);
    const extra = error.fields ? Object.entries(error.fields).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('') : '';
    const body =
      context.serviceName === 's3'
        ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>${context.requestId}</RequestId></Error>`
        : `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${error.sender ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message>${extra}</Error><RequestId>${context.requestId}</RequestId></ErrorResponse>`;
    response.send(error.status, 'application/xml', context.method === 'HEAD' ? '' : body);
  },
};
