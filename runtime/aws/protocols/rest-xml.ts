/**
 * The `rest-xml` protocol (S3, Route 53, CloudFront): operations routed by method and path,
 * members bound to the request line and headers, the rest in an XML document (or a raw
 * payload). Structure payloads are read from and written as the document's root element.
 */
import { s3HostId } from '../s3-host-id.js';
import type { OperationModel, ServiceModel, Shape } from '../models/service-model.js';
import type { ProtocolCodec } from './codec.js';
import { bodyShape, missingRequired, rawPayloadBody, readHttpBindings, resolveRestOperation, streamingBody, restInputPlan, writeHttpBindings } from './rest.js';
import { cachedPayloadWriter, EVENT_STREAM_CONTENT_TYPE, eventStreamPlan, type EventPayloadWriter } from './event-stream.js';
import { escapeXml } from './scalars.js';
import { compileXmlReader, malformedXml, parseXmlDocument } from './xml-reader.js';
import { compileXmlWriter, namespaceAttribute } from './xml-writer.js';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const DIALECT = { ec2: false, timestampFormat: 'iso8601' as const };

/** The namespace a service's documents use: the one its request documents declare. */
const namespaces = new WeakMap<ServiceModel, string>();
function serviceNamespace(service: ServiceModel): string {
  let ns = namespaces.get(service);
  if (ns === undefined) {
    ns = '';
    for (const op of service.operations.values()) {
      const input = op.input;
      if (!input) continue;
      const candidates = [input, ...(input.payload ? [service.resolve(input.members![input.payload]!)] : [])];
      const found = candidates.map((s) => s.xmlNamespace).find((x) => x !== undefined);
      if (found) {
        ns = typeof found === 'string' ? found : (found.uri ?? '');
        break;
      }
    }
    namespaces.set(service, ns);
  }
  return ns;
}

interface OutputPlan {
  readonly payload?: { name: string; shape: Shape; write?: ReturnType<typeof compileXmlWriter> };
  readonly body?: { root: string; write: ReturnType<typeof compileXmlWriter> };
}

function outputPlan(op: OperationModel): OutputPlan {
  const shape = op.output;
  if (!shape) return {};
  if (shape.payload) {
    const m = op.service.resolve(shape.members![shape.payload]!);
    // a structure payload is a document of its own, rooted in the service's namespace as the
    // others are: S3's GetPublicAccessBlock answers <PublicAccessBlockConfiguration xmlns="...">
    const ns = serviceNamespace(op.service);
    const rooted: Shape = { ...m, xmlNamespace: m.xmlNamespace ?? (ns ? { uri: ns } : undefined) };
    return { payload: { name: shape.payload, shape: m, write: m.type === 'structure' ? compileXmlWriter(op.service, rooted, DIALECT) : undefined } };
  }
  const body = bodyShape(op.service, shape);
  if (!body) return {};
  // response documents without a payload take the service's namespace on their root
  const ns = serviceNamespace(op.service);
  const rooted: Shape = { ...body, xmlNamespace: body.xmlNamespace ?? (ns ? { uri: ns } : undefined) };
  const root = shape.locationName ?? `${op.name}Response`;
  // a root named like its one scalar member is that member: S3's GetBucketLocation answers
  // <LocationConstraint xmlns="...">eu-west-1</LocationConstraint>, and clients read the root's text
  const members = op.service.members(body);
  if (members.length === 1 && members[0]![0] === root && members[0]![1].type === 'string') {
    const open = `<${root}${namespaceAttribute(rooted.xmlNamespace)}`;
    const write = (value: unknown, _tag: string, out: string[]) => {
      const text = (value as Record<string, unknown>)[root];
      out.push(text === undefined || text === null || text === '' ? `${open}/>` : `${open}>${escapeXml(String(text))}</${root}>`);
    };
    return { body: { root, write } };
  }
  return { body: { root, write: compileXmlWriter(op.service, rooted, DIALECT) } };
}

/** Event payload structures as XML documents rooted at the member's name (S3 Select's Stats, Progress). */
function xmlEventPayloads(service: ServiceModel): EventPayloadWriter {
  const writer = cachedPayloadWriter((shape: Shape) => compileXmlWriter(service, shape, DIALECT));
  return {
    contentType: 'text/xml',
    write: (shape, value, name) => {
      const out = [XML_DECLARATION];
      writer(shape)(value, shape.locationName ?? name, out);
      return Buffer.from(out.join(''));
    },
  };
}

export const restXmlCodec: ProtocolCodec = {
  name: 'rest-xml',

  resolveOperation: resolveRestOperation,

  parseInput(context, op) {
    const input: Record<string, unknown> = {};
    readHttpBindings(context, op, input);
    const plan = op.plan('rest-xml.input', () => restInputPlan(op, (shape) => compileXmlReader(op.service, shape)));
    const errors: string[] = [];
    const body = context.body;
    if (plan.payload && !plan.read) {
      if (op.streamingInput) input[plan.payload.name] = streamingBody(context);
      else if (body.length > 0) input[plan.payload.name] = plan.payload.shape.type === 'string' ? body.toString('utf8') : body;
    } else if (plan.read && body.length > 0) {
      const { node } = parseXmlDocument(body.toString('utf8'));
      let value: Record<string, unknown>;
      try {
        value = plan.read(node, '', errors) as Record<string, unknown>;
      } catch (error) {
        // S3 words every document that does not fit its schema the same way
        if (context.serviceName === 's3' && (error as { code?: string }).code === 'MalformedXML') throw malformedXml();
        throw error;
      }
      if (plan.payload) input[plan.payload.name] = value;
      else Object.assign(input, value);
    }
    // S3 answers a request missing a required element or header as MalformedXML (it opts out of
    // the model's validation); other services' required members are runtime/aws/validation.ts's
    if (context.serviceName === 's3' && (errors.length > 0 || missingRequired(op, input).length > 0)) throw malformedXml();
    return input;
  },

  serializeOutput(_context, op, output, response) {
    writeHttpBindings(op, output, response);
    const plan = op.plan('rest-xml.output', outputPlan);
    if (plan.payload) {
      const value = output[plan.payload.name];
      if (value === undefined || value === null) return;
      const stream = eventStreamPlan(op, 'rest-xml', () => xmlEventPayloads(op.service));
      if (stream && stream.member === plan.payload.name) {
        response.headers['content-type'] = EVENT_STREAM_CONTENT_TYPE;
        response.body = stream.encoder.body(value);
        return;
      }
      if (plan.payload.write) {
        const out = [XML_DECLARATION];
        plan.payload.write(value, plan.payload.shape.locationName ?? plan.payload.name, out);
        response.headers['content-type'] ??= 'application/xml';
        response.body = out.join('');
      } else {
        response.body = rawPayloadBody(value);
      }
      return;
    }
    if (plan.body) {
      const out = [XML_DECLARATION];
      plan.body.write(output, plan.body.root, out);
      response.headers['content-type'] ??= 'application/xml';
      response.body = out.join('');
    }
  },

  serializeError(context, error, response) {
    const code = escapeXml(error.code);
    const message = escapeXml(error.message);
    const extra = error.fields ? Object.entries(error.fields).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('') : '';
    const ns = context.service ? namespaceAttribute(serviceNamespace(context.service) || undefined) : '';
    // S3 writes a bare <Error> root (Smithy's restXml noErrorWrapping, given by patches.json)
    const body =
      context.service?.metadata.noErrorWrapping === true
        ? `${XML_DECLARATION}<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>${context.requestId}</RequestId><HostId>${s3HostId(context.requestId)}</HostId></Error>`
        : `${XML_DECLARATION}<ErrorResponse${ns}><Error><Type>${error.sender ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message>${extra}</Error><RequestId>${context.requestId}</RequestId></ErrorResponse>`;
    // HEAD answers and 304 Not Modified carry no body
    response.send(error.status, 'application/xml', context.method === 'HEAD' || error.status === 304 ? '' : body);
  },
};
