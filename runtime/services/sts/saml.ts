/**
 * Reads what AssumeRoleWithSAML needs from a SAML response: the subject, its format, the
 * issuer, the audience and the RoleSessionName / SessionDuration attributes.
 * Signatures are not verified (LIMITATION, as in LocalStack).
 */
import { createRequire } from 'node:module';
import { ServiceError } from '../../aws/errors.js';
import { stsError } from './errors.js';

export interface SamlAssertion {
  subject?: string;
  subjectType?: string;
  issuer?: string;
  audience?: string;
  sessionName?: string;
  sessionDuration?: number;
}

type FastXmlParser = typeof import('fast-xml-parser');
let parser: InstanceType<FastXmlParser['XMLParser']> | undefined;

/** Loaded on the first SAML call: the XML parser costs tens of ms to load, at every start. */
function samlParser(): NonNullable<typeof parser> {
  if (!parser) {
    const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
    parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, attributeNamePrefix: '@', textNodeName: '#text', processEntities: false });
  }
  return parser;
}

type Node = Record<string, unknown>;

function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  const t = (node as Node)['#text'];
  return t === undefined ? undefined : String(t);
}

function first(node: unknown): Node | undefined {
  if (Array.isArray(node)) return first(node[0]);
  return typeof node === 'object' && node !== null ? (node as Node) : undefined;
}

function invalid(): ServiceError {
  return stsError('InvalidIdentityTokenException', 'Invalid base64 SAMLResponse (Service: AWSOpenIdDiscoveryService; Status Code: 400)');
}

export function parseSamlAssertion(encoded: string): SamlAssertion {
  const xml = Buffer.from(encoded, 'base64').toString('utf8');
  if (!xml.includes('<')) throw invalid();
  let doc: Node;
  try {
    doc = samlParser().parse(xml) as Node;
  } catch {
    throw invalid();
  }
  const response = first(doc.Response) ?? doc;
  const assertion = first(response.Assertion);
  if (!assertion) throw stsError('MalformedPolicyDocumentException', 'SAML response contains no assertion');
  const nameId = first(first(assertion.Subject)?.NameID);
  const format = nameId?.['@Format'] as string | undefined;
  const out: SamlAssertion = {
    subject: text(first(assertion.Subject)?.NameID),
    subjectType: format ? format.replace(/^urn:oasis:names:tc:SAML:2\.0:nameid-format:/, '') : undefined,
    issuer: text(assertion.Issuer) ?? text(response.Issuer),
    audience: text(first(first(assertion.Conditions)?.AudienceRestriction)?.Audience),
  };
  const statements = assertion.AttributeStatement;
  for (const st of Array.isArray(statements) ? statements : [statements]) {
    const attrs = first(st)?.Attribute;
    for (const attr of Array.isArray(attrs) ? attrs : attrs ? [attrs] : []) {
      const name = (attr as Node)['@Name'];
      const value = text((attr as Node).AttributeValue);
      if (name === 'https://aws.amazon.com/SAML/Attributes/RoleSessionName') out.sessionName = value;
      if (name === 'https://aws.amazon.com/SAML/Attributes/SessionDuration' && value) out.sessionDuration = Number(value);
    }
  }
  return out;
}
