/**
 * The `query` and `ec2` protocols: form-encoded parameters (`Action`, `A.B`, `L.member.N`,
 * `M.entry.N.key`), XML responses. ec2 differs in member names (`queryName`, capitalised
 * `locationName`), lists (`Name.N`, `<item>`), no result wrapper, and its error document.
 *
 * A query service (not ec2) answers JSON when the client sends `Accept: application/json`, as
 * AWS does: `{"<Op>Response":{"<Op>Result":{...},"ResponseMetadata":{"RequestId":"..."}}}`,
 * lists as arrays (no `member`), maps as objects, timestamps as epoch seconds, blobs in base64,
 * member names as in the XML answer; errors as
 * `{"Error":{"Code":"...","Message":"...","Type":"Sender"},"RequestId":"..."}` with the XML
 * answer's status.
 */
import { ServiceError } from '../errors.js';
import type { OperationModel, ServiceModel, Shape } from '../models/service-model.js';
import type { RequestContext } from '../../request-context.js';
import type { ProtocolCodec } from './codec.js';
import { compileCached } from './compile-cache.js';
import { compileJsonWriter } from './json.js';
import { escapeXml, memberPath, SCALAR_NAMES, scalarFromText, setMapEntry } from './scalars.js';
import { compileXmlMembersWriter } from './xml-writer.js';

type Params = Map<string, string>;
/** Reads the value of a shape at `key`; undefined when nothing was sent for it. */
type QueryReader = (params: Params, key: string, path: string, errors: string[]) => unknown;

const FORM = 'application/x-www-form-urlencoded';

/** The request's parameters: query string and form body together. */
export function queryParams(context: RequestContext): Params {
  const params: Params = new Map();
  if (context.rawQuery !== '') for (const [k, v] of context.query) params.set(k, v);
  const type = context.header('content-type');
  if (context.body.length > 0 && (type === undefined || type.startsWith(FORM))) {
    for (const [k, v] of new URLSearchParams(context.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}

function malformed(path: string, value: string, what: string): ServiceError {
  return new ServiceError('ValidationError', `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must be ${what}`);
}

function hasPrefix(params: Params, prefix: string): boolean {
  for (const k of params.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

function compileQueryReader(service: ServiceModel, root: Shape, ec2: boolean): QueryReader {
  const cache = new Map<Shape, QueryReader>();

  function compile(shape: Shape): QueryReader {
    return compileCached(cache, shape, build);
  }

  function wireName(name: string, m: Shape): string {
    if (!ec2) {
      // queryName: the query name of a member of a json model that speaks query too, whose
      // locationName is its json key (patches.json restores SQS's)
      if (m.type === 'list' && m.flattened) return service.resolve(m.member ?? {}).locationName ?? m.queryName ?? m.locationName ?? name;
      return m.queryName ?? m.locationName ?? name;
    }
    if (m.queryName) return m.queryName;
    if (m.locationName) return m.locationName.charAt(0).toUpperCase() + m.locationName.slice(1);
    return name;
  }

  function build(shape: Shape): QueryReader {
    switch (shape.type) {
      case 'structure': {
        const members = service.members(shape).map(([name, m]) => ({ name, wire: wireName(name, m), read: compile(m) }));
        return (params, key, path, errors) => {
          const prefix = key === '' ? '' : `${key}.`;
          if (key !== '' && !hasPrefix(params, prefix)) return undefined;
          const out: Record<string, unknown> = {};
          for (const m of members) {
            const v = m.read(params, prefix + m.wire, memberPath(path, m.name), errors);
            if (v !== undefined) out[m.name] = v;
          }
          return out;
        };
      }
      case 'list': {
        const item = service.resolve(shape.member ?? {});
        const read = compile(item);
        const infix = ec2 || shape.flattened ? '' : `${item.locationName ?? 'member'}.`;
        return (params, key, path, errors) => {
          const out: unknown[] = [];
          for (let i = 1; ; i++) {
            const v = read(params, `${key}.${infix}${i}`, `${path}.${i}.member`, errors);
            if (v === undefined) break;
            out.push(v);
          }
          if (out.length === 0) return params.has(key) ? [] : undefined;
          return out;
        };
      }
      case 'map': {
        const keyShape = service.resolve(shape.key ?? {});
        const valueShape = service.resolve(shape.value ?? {});
        const keyName = keyShape.locationName ?? 'key';
        const valueName = valueShape.locationName ?? 'value';
        const readValue = compile(valueShape);
        const infix = shape.flattened ? '' : 'entry.';
        return (params, key, path, errors) => {
          const out: Record<string, unknown> = {};
          let any = false;
          for (let i = 1; ; i++) {
            const entry = `${key}.${infix}${i}`;
            const k = params.get(`${entry}.${keyName}`);
            if (k === undefined) break;
            any = true;
            setMapEntry(out, k, readValue(params, `${entry}.${valueName}`, `${path}.${k}`, errors));
          }
          return any ? out : undefined;
        };
      }
      default: {
        const expected = SCALAR_NAMES[shape.type];
        return (params, key, path) => {
          const v = params.get(key);
          if (v === undefined || !expected) return v;
          const value = scalarFromText(shape.type, v);
          if (value === undefined) throw malformed(path, v, expected);
          return value;
        };
      }
    }
  }

  return compile(root);
}

function xmlNamespace(service: ServiceModel): string {
  return service.metadata.xmlNamespace ?? (service.protocol === 'ec2' ? `http://ec2.amazonaws.com/doc/${service.metadata.apiVersion}/` : `https://${service.metadata.endpointPrefix}.amazonaws.com/doc/${service.metadata.apiVersion}/`);
}

/** Whether the client asked for a JSON answer (`Accept: application/json`). */
export function wantsJson(context: RequestContext): boolean {
  const accept = context.header('accept');
  return accept !== undefined && /(^|[\s,])application\/json\s*(;|,|$)/i.test(accept);
}

/** A query answer in AWS's JSON form (see the module header). */
function jsonOutput(context: RequestContext, op: OperationModel, output: Record<string, unknown>): string {
  const body: Record<string, unknown> = {};
  const shape = op.output;
  const wrapper = shape?.resultWrapper;
  if (shape && wrapper) body[wrapper] = op.plan('query.json-output', () => compileJsonWriter(op.service, shape, 'unixTimestamp'))(output);
  body.ResponseMetadata = { RequestId: context.requestId };
  return JSON.stringify({ [`${op.name}Response`]: body });
}

/** A query error in AWS's JSON form. */
function jsonError(context: RequestContext, error: ServiceError): string {
  const body: Record<string, unknown> = { Code: error.queryCode ?? error.code, Message: error.message, Type: error.sender ? 'Sender' : 'Receiver' };
  if (error.fields) for (const [k, v] of Object.entries(error.fields)) body[k] = v;
  return JSON.stringify({ Error: body, RequestId: context.requestId });
}

/** Params are parsed once per request and kept for parseInput. */
const paramsOf = new WeakMap<RequestContext, Params>();

function makeCodec(ec2: boolean): ProtocolCodec {
  const name = ec2 ? 'ec2' : 'query';
  const dialect = { ec2, timestampFormat: 'iso8601' as const };
  return {
    name,

    resolveOperation(context, service) {
      const params = queryParams(context);
      paramsOf.set(context, params);
      const action = params.get('Action');
      const op = action ? service.operations.get(action) : undefined;
      if (!op) {
        throw new ServiceError(
          'InvalidAction',
          action ? `The action ${action} is not valid for this web service.` : 'Could not find operation to perform: missing Action parameter',
        );
      }
      return op;
    },

    parseInput(context, op) {
      const shape = op.input;
      if (!shape) return {};
      const params = paramsOf.get(context) ?? queryParams(context);
      const read = op.plan(`${name}.input`, () => compileQueryReader(op.service, shape, ec2));
      const errors: string[] = [];
      const input = read(params, '', '', errors) as Record<string, unknown>;
      if (errors.length > 0) {
        const n = errors.length;
        throw new ServiceError('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
      }
      return input;
    },

    serializeOutput(context, op, output, response) {
      if (!ec2 && wantsJson(context)) {
        response.send(200, 'application/json', jsonOutput(context, op, output));
        return;
      }
      const out: string[] = [`<${op.name}Response xmlns="${xmlNamespace(op.service)}">`];
      const shape = op.output;
      if (ec2) {
        out.push(`<requestId>${context.requestId}</requestId>`);
        if (shape) op.plan('ec2.output', () => compileXmlMembersWriter(op.service, shape, dialect))(output, out);
      } else {
        const wrapper = shape?.resultWrapper;
        if (shape && wrapper) {
          out.push(`<${wrapper}>`);
          op.plan('query.output', () => compileXmlMembersWriter(op.service, shape, dialect))(output, out);
          out.push(`</${wrapper}>`);
        }
        out.push(`<ResponseMetadata><RequestId>${context.requestId}</RequestId></ResponseMetadata>`);
      }
      out.push(`</${op.name}Response>`);
      response.send(200, 'text/xml', out.join(''));
    },

    serializeError(context, error, response) {
      if (!ec2 && wantsJson(context)) {
        response.send(error.status, 'application/json', jsonError(context, error));
        return;
      }
      const code = escapeXml(error.queryCode ?? error.code);
      const message = escapeXml(error.message);
      let body: string;
      if (ec2) {
        body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${context.requestId}</RequestID></Response>`;
      } else {
        const ns = context.service ? ` xmlns="${xmlNamespace(context.service)}"` : '';
        const extra = error.fields ? Object.entries(error.fields).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('') : '';
        body = `<ErrorResponse${ns}><Error><Type>${error.sender ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message>${extra}</Error><RequestId>${context.requestId}</RequestId></ErrorResponse>`;
      }
      response.send(error.status, 'text/xml', body);
    },
  };
}

export const queryCodec = makeCodec(false);
export const ec2Codec = makeCodec(true);

/** Helper for detection: does this request carry query parameters (form body or `Action`)? */
export function looksLikeQuery(context: RequestContext): boolean {
  const type = context.header('content-type');
  return (type !== undefined && type.startsWith(FORM)) || context.query.has('Action');
}

