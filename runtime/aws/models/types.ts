/**
 * Types of the AWS service models in botocore's format (runtime/aws/models/botocore/, generated
 * by scripts/generate-models.mjs): named shapes referenced with `shape`, member-level traits
 * beside the reference. patches.json may also inline a shape where a reference would stand,
 * and a shape without `type` is a string.
 */

/** The wire protocols a model can declare. */
export type ProtocolName = 'query' | 'ec2' | 'json' | 'rest-json' | 'rest-xml' | 'smithy-rpc-v2-cbor';

/** What the start-up index knows of a service without loading its model. */
export interface ServiceIndexEntry {
  /** botocore's service name: what users write in SERVICES and see in the health output. */
  readonly name: string;
  /** The protocol botocore names first. */
  readonly protocol: ProtocolName;
  /** Every protocol the service speaks, when that is more than `protocol`. */
  readonly protocols?: readonly ProtocolName[];
  readonly apiVersion: string;
  readonly endpointPrefix: string;
  /** SigV4 signing name; defaults to the endpoint prefix. */
  readonly signingName: string;
  /** X-Amz-Target prefix of json services. */
  readonly targetPrefix?: string;
  /** json service that also answers (and reports errors) the query way. */
  readonly queryCompatible?: boolean;
  /**
   * Operation names of services that speak query or ec2, for detection by `Action` (and of json
   * services that share an X-Amz-Target prefix).
   */
  readonly actions?: readonly string[];
  /** First path segments of the request URIs of REST services ('*' for a label). */
  readonly pathPrefixes?: readonly string[];
}

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'blob'
  | 'bigdecimal'
  | 'biginteger'
  | 'character'
  | 'byte'
  | 'short';

/** A shape or a member as written in the model file (before references are resolved). */
export interface RawShape {
  shape?: string;
  type?: ShapeType;
  members?: Record<string, RawShape>;
  required?: string[];
  member?: RawShape;
  key?: RawShape;
  value?: RawShape;
  payload?: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlNamespace?: { uri?: string; prefix?: string } | string;
  xmlAttribute?: boolean;
  xmlOrder?: string[];
  timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  jsonvalue?: boolean;
  streaming?: boolean;
  requiresLength?: boolean;
  eventstream?: boolean;
  /** The member of an event that is its raw payload. */
  eventpayload?: boolean;
  eventheader?: boolean;
  event?: boolean;
  exception?: boolean;
  document?: boolean;
  union?: boolean;
  idempotencyToken?: boolean;
  sensitive?: boolean;
  /** Lists and maps whose members may be null (DynamoDB's, among few). */
  sparse?: boolean;
  resultWrapper?: string;
  hostLabel?: boolean;
  enum?: string[];
  /** A Java regular expression the whole value must match (see runtime/aws/java-regex.ts). */
  pattern?: string;
  /** The error trait of an exception shape: its query code, HTTP status and fault. */
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  /** A server-side error (else the client's). */
  fault?: boolean;
  min?: number;
  max?: number;
  [trait: string]: unknown;
}

export interface RawHttp {
  method?: string;
  requestUri?: string;
  responseCode?: number;
}

/**
 * Our extension of the model format, written only in patches.json: one more request that
 * addresses a REST operation, typically the route a newer (or older) model of the service
 * gives it, which the clients built from that model send. `http` is merged over the
 * operation's own. `input`, when the route binds members differently (a member in the query
 * string on one route travels in the body on the other), is a JSON merge patch over the
 * operation's input shape, e.g. `{"members": {"PageSize": {"location": null,
 * "locationName": null}}}`; it rebinds members and may neither add nor remove any, so every
 * route of an operation parses to the same input.
 */
export interface RawAlternateRoute {
  http: RawHttp & { requestUri: string };
  input?: Record<string, unknown>;
}

export interface RawOperation {
  name?: string;
  http?: RawHttp;
  /** See RawAlternateRoute; only REST protocols route by it. */
  alternateRoutes?: RawAlternateRoute[];
  input?: RawShape;
  output?: RawShape;
  errors?: RawShape[];
  endpoint?: { hostPrefix?: string };
  authtype?: string;
  httpChecksumRequired?: boolean;
  httpChecksum?: unknown;
  [trait: string]: unknown;
}

export interface RawModel {
  metadata: {
    apiVersion: string;
    protocol: ProtocolName;
    protocols?: ProtocolName[];
    endpointPrefix: string;
    signingName?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    xmlNamespace?: string;
    awsQueryCompatible?: Record<string, unknown>;
    /** Not botocore's: the Smithy namespace a json service writes before `#` in `__type` (patches.json). */
    errorTypeNamespace?: string;
    serviceId?: string;
    timestampFormat?: string;
    [key: string]: unknown;
  };
  operations: Record<string, RawOperation>;
  shapes: Record<string, RawShape>;
}
