/**
 * PostObject: browser uploads, an HTML form POSTed to a bucket (POST /<bucket>, or / on a
 * virtual host) as multipart/form-data. The operation is synthetic (patches.json): the form
 * reaches it as a stream, parsed here with @fastify/busboy.
 *
 * The fields before the `file` part (which S3 wants last; fields after it are ignored) say
 * what to store: `key` (with `${filename}` replaced by the file's name), Content-Type,
 * Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires,
 * x-amz-meta-*, acl, tagging (a <Tagging> document), x-amz-storage-class,
 * x-amz-server-side-encryption, x-amz-website-redirect-location; and how to answer:
 * success_action_redirect (303 to it with bucket, key and etag in the query), else
 * success_action_status 200, 201 (a <PostResponse> document) or 204 (the default).
 *
 * A `policy` (base64 JSON) is checked as S3 checks it: expiration (403 "Policy expired."),
 * then every condition (`{"field": "value"}`, ["eq", "$field", v], ["starts-with", "$field",
 * prefix], ["content-length-range", min, max]) against the fields, 403 "Policy Condition
 * failed: [...]" for the first that fails; the file's size against content-length-range
 * while it streams (EntityTooLarge, EntityTooSmall). With a policy, the signature fields
 * must be complete (x-amz-algorithm/-credential/-date/-signature, or AWSAccessKeyId and
 * signature); the signature itself is checked only with S3_SKIP_SIGNATURE_VALIDATION=0,
 * against the secret `test` (runtime/aws/sigv4.ts).
 *
 * The file part streams into the blob store (never held in memory) and is committed as a
 * new version of its key only once complete, like PutObject (objects.ts commitUpload).
 *
 * LIMITATIONS: form fields absent from the policy's conditions are accepted (S3 refuses them
 * with "Extra input fields"; LocalStack accepts them, and so does this runtime). A form
 * without a policy is accepted whatever the bucket's ACL (S3 wants a publicly writable
 * bucket). x-amz-checksum-* fields, SSE-C and object lock fields are not read.
 */
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { BusboyConstructor, BusboyFileStream } from '@fastify/busboy';
import { ServiceError } from '../../aws/errors.js';
import { parseXmlDocument, type XmlNode } from '../../aws/protocols/xml-reader.js';
import { hmacHex, sameSignature, signingKey, signV2, TEST_SECRET_ACCESS_KEY } from '../../aws/sigv4.js';
import type { OperationContext } from '../provider.js';
import { aclFromRequest } from './acl.js';
import type { PostObjectInput, PostObjectOutput, S3Api } from './api.generated.js';
import { s3Error } from './errors.js';
import { checkKey } from './keys.js';
import { record } from '../../state/store.js';
import { blobRef } from './blob-store.js';
import { commitUpload, entityTooLarge, MAX_PUT_SIZE } from './objects.js';
import type { S3Service } from './service.js';
import { getBucket, now, type Bucket, type StoredObject, type Tag } from './state.js';

/** Bound of one form field (a policy document is the largest one a client sends). */
const MAX_FIELD_SIZE = 64 * 1024;
const MAX_FIELDS = 1000;
const STORAGE_CLASSES = ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE'];
const V4_FIELDS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature'];
const V2_FIELDS = ['awsaccesskeyid', 'signature'];
/** How S3 spells the fields it names in "must contain a field named '...'". */
const FIELD_NAMES: Record<string, string> = {
  'x-amz-algorithm': 'X-Amz-Algorithm',
  'x-amz-credential': 'X-Amz-Credential',
  'x-amz-date': 'X-Amz-Date',
  'x-amz-signature': 'X-Amz-Signature',
  awsaccesskeyid: 'AWSAccessKeyId',
  signature: 'Signature',
};

let busboy: BusboyConstructor | undefined;
/** Loaded on first use: most runtimes never see a browser upload. */
function Busboy(): BusboyConstructor {
  busboy ??= (createRequire(import.meta.url)('@fastify/busboy') as { Busboy: BusboyConstructor }).Busboy;
  return busboy;
}

function malformedPost(): ServiceError {
  return s3Error('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
}

function mustContain(field: string): ServiceError {
  return s3Error('InvalidArgument', `Bucket POST must contain a field named '${field}'.  If it is specified, please check the order of the fields.`, {
    fields: { ArgumentName: field, ArgumentValue: '' },
  });
}

function invalidPolicy(message: string): ServiceError {
  return s3Error('InvalidPolicyDocument', `Invalid Policy: ${message}`);
}

/** Form fields by lower-case name (S3 reads field names case-insensitively); the first of a name wins. */
type Fields = Map<string, string>;

interface FormResult<T> {
  fields: Fields;
  /** What `onFile` made of the file part; undefined when the form had none. */
  result: T | undefined;
}

/**
 * Parses a multipart form from `body`: fields into a map until the `file` part, which is
 * handed to `onFile` with the fields seen so far; resolves once the whole form is read.
 * A failure after `onFile` succeeded hands its result to `discard`.
 */
function readForm<T>(body: Readable, contentType: string, onFile: (fields: Fields, file: Readable, filename: string) => Promise<T>, discard: (result: T) => void): Promise<FormResult<T>> {
  let parser: ReturnType<BusboyConstructor>;
  try {
    parser = Busboy()({
      headers: { 'content-type': contentType },
      limits: { fieldNameSize: 1024, fieldSize: MAX_FIELD_SIZE, fields: MAX_FIELDS, headerSize: 16 * 1024 },
      isPartAFile: (name) => name?.toLowerCase() === 'file',
    });
  } catch {
    return Promise.reject(malformedPost());
  }
  const fields: Fields = new Map();
  return new Promise((resolve, reject) => {
    let settled = false;
    let file: BusboyFileStream | undefined;
    let upload: Promise<T> | undefined;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      const e = error instanceof ServiceError ? error : malformedPost();
      body.unpipe(parser);
      file?.destroy(e);
      void upload?.then(discard, () => undefined);
      reject(e);
    };
    parser.on('error', fail);
    body.on('error', fail);
    parser.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (file || settled) return;
      if (valueTruncated) {
        fail(new ServiceError('MaxPostPreDataLengthExceeded', 'Your POST request fields preceeding the upload file was too large.', { status: 400 }));
        return;
      }
      const key = name.toLowerCase();
      if (!fields.has(key)) fields.set(key, value);
    });
    parser.on('file', (_name: string, stream: BusboyFileStream, filename: string) => {
      if (file || settled) {
        stream.resume();
        return;
      }
      file = stream;
      // a failure before the upload reads it destroys it with the error: nobody else listens
      stream.on('error', () => undefined);
      upload = onFile(fields, stream, filename ?? '');
      upload.catch(fail);
    });
    parser.on('finish', () => {
      if (settled) return;
      if (!upload) {
        settled = true;
        resolve({ fields, result: undefined });
        return;
      }
      upload.then((result) => {
        // a failure in between has handed the result to discard already (fail)
        if (settled) return;
        settled = true;
        resolve({ fields, result });
      }, fail);
    });
    body.pipe(parser);
  });
}

// ---- the policy ----

type Condition =
  | { op: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { op: 'content-length-range'; min: number; max: number; text: string };

interface Policy {
  expiration: number;
  conditions: Condition[];
}

/** A condition as S3 quotes it in "Policy Condition failed: [...]". */
function quote(parts: unknown[]): string {
  return `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;
}

function parseCondition(raw: unknown): Condition {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length !== 1 || typeof entries[0]![1] !== 'string') throw invalidPolicy(`Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.`);
    const [name, value] = entries[0] as [string, string];
    return { op: 'eq', field: name.toLowerCase(), value, text: quote(['eq', `$${name}`, value]) };
  }
  if (!Array.isArray(raw) || raw.length !== 3 || typeof raw[0] !== 'string') throw invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
  const op = raw[0].toLowerCase();
  if (op === 'content-length-range') {
    const [min, max] = [Number(raw[1]), Number(raw[2])];
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) throw invalidPolicy(`Invalid content-length-range: ${JSON.stringify(raw)}`);
    return { op, min, max, text: quote(raw) };
  }
  if (op !== 'eq' && op !== 'starts-with') throw invalidPolicy(`Invalid Condition: unknown operation '${raw[0]}'`);
  if (typeof raw[1] !== 'string' || !raw[1].startsWith('$') || typeof raw[2] !== 'string') throw invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
  return { op, field: raw[1].slice(1).toLowerCase(), value: raw[2], text: quote(raw) };
}

/** The decoded policy, or InvalidPolicyDocument. */
function parsePolicy(encoded: string): Policy {
  let doc: unknown;
  try {
    const text = Buffer.from(encoded, 'base64').toString('utf8');
    // Node's base64 decoder skips what is not base64: a policy that is not base64 at all
    // decodes to bytes that are not JSON either
    doc = JSON.parse(text);
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const at = typeof expiration === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(expiration) ? Date.parse(expiration) : NaN;
  if (Number.isNaN(at)) throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalidPolicy("Invalid 'conditions' value: must be a List.");
  return { expiration: at, conditions: conditions.map(parseCondition) };
}

function conditionFailed(condition: Condition): ServiceError {
  return s3Error('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${condition.text}`);
}

/** Checks the field conditions (content-length-range is checked as the file streams). */
function checkConditions(policy: Policy, fields: Fields, bucket: string): void {
  for (const c of policy.conditions) {
    if (c.op === 'content-length-range') continue;
    const value = c.field === 'bucket' ? bucket : (fields.get(c.field) ?? '');
    if (c.op === 'eq' && value !== c.value) throw conditionFailed(c);
    // Content-Type may list several types, each of which must match
    const values = c.field === 'content-type' ? value.split(',').map((v) => v.trim()) : [value];
    if (c.op === 'starts-with' && !values.every((v) => v.startsWith(c.value))) throw conditionFailed(c);
  }
}

/** The signature fields of a form with a policy must be complete: which kind they are. */
function signatureKind(fields: Fields): 'v4' | 'v2' {
  const v4 = V4_FIELDS.some((f) => fields.has(f));
  const required = v4 ? V4_FIELDS : V2_FIELDS.some((f) => fields.has(f)) ? V2_FIELDS : undefined;
  if (!required) throw s3Error('AccessDenied', 'Access Denied');
  const missing = required.find((f) => !fields.has(f));
  if (missing) throw mustContain(FIELD_NAMES[missing]!);
  return v4 ? 'v4' : 'v2';
}

/** The policy's signature, checked against the secret `test` (S3_SKIP_SIGNATURE_VALIDATION=0). */
function verifySignature(fields: Fields, kind: 'v4' | 'v2', policy: string): void {
  let expected: string;
  let provided: string;
  let accessKeyId: string;
  if (kind === 'v4') {
    const credential = fields.get('x-amz-credential')!;
    const scope = credential.split('/');
    if (scope.length !== 5) throw s3Error('InvalidArgument', 'Invalid argument.', { fields: { ArgumentName: 'x-amz-credential', ArgumentValue: credential } });
    const [ak, date, region, service] = scope as [string, string, string, string];
    accessKeyId = ak;
    expected = hmacHex(signingKey(TEST_SECRET_ACCESS_KEY, date, region, service), policy);
    provided = fields.get('x-amz-signature')!;
  } else {
    accessKeyId = fields.get('awsaccesskeyid')!;
    expected = signV2(TEST_SECRET_ACCESS_KEY, policy);
    provided = fields.get('signature')!;
  }
  if (!sameSignature(expected, provided)) {
    throw s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      fields: { AWSAccessKeyId: accessKeyId, StringToSign: policy, SignatureProvided: provided },
    });
  }
}

// ---- the object ----

function text(node: XmlNode | undefined, name: string): string | undefined {
  const child = (node?.[name] as XmlNode[] | undefined)?.[0];
  if (!child) return undefined;
  const t = child['#text'];
  return Array.isArray(t) ? t.join('') : (t ?? '');
}

/** The tags of a `tagging` field: <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>. */
function parseTagging(xml: string): Tag[] {
  const { node } = parseXmlDocument(xml);
  const set = (node.TagSet as XmlNode[] | undefined)?.[0];
  const tags = ((set?.Tag as XmlNode[] | undefined) ?? []).map((t) => ({ Key: text(t, 'Key') ?? '', Value: text(t, 'Value') ?? '' }));
  if (tags.length > 10) throw s3Error('InvalidTag', 'Object tags cannot be greater than 10');
  const keys = new Set<string>();
  for (const tag of tags) {
    if (tag.Key === '' || tag.Key.length > 128 || tag.Value.length > 256) throw s3Error('InvalidTag', 'The TagKey you have provided is invalid');
    if (keys.has(tag.Key)) throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { fields: { TagKey: tag.Key } });
    keys.add(tag.Key);
  }
  return tags;
}

/** A key as a URL path: each segment encoded, slashes kept. */
function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

const SYSTEM_FIELDS: ReadonlyArray<[field: string, name: string]> = [
  ['cache-control', 'CacheControl'],
  ['content-disposition', 'ContentDisposition'],
  ['content-encoding', 'ContentEncoding'],
  ['content-language', 'ContentLanguage'],
  ['expires', 'Expires'],
];

type Attributes = Omit<StoredObject, 'key' | 'versionId' | 'lastModified' | 'size' | 'etag' | 'blobs' | 'checksum'>;

/** What the fields say about the object, checked before its body is received. */
function objectAttributes(ctx: OperationContext, fields: Fields): Attributes {
  const system: Record<string, string> = { ContentType: fields.get('content-type') || 'binary/octet-stream' };
  for (const [field, name] of SYSTEM_FIELDS) {
    const v = fields.get(field);
    if (v !== undefined && v !== '') system[name] = v;
  }
  const metadata = record<string>();
  for (const [name, value] of fields) if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  const storageClass = fields.get('x-amz-storage-class') ?? 'STANDARD';
  if (!STORAGE_CLASSES.includes(storageClass)) throw s3Error('InvalidStorageClass', 'The storage class you specified is not valid', { fields: { StorageClassRequested: storageClass } });
  const acl = aclFromRequest(ctx.accountId, { ACL: fields.get('acl') });
  const tagging = fields.get('tagging');
  const redirect = fields.get('x-amz-website-redirect-location');
  return {
    owner: ctx.accountId,
    system,
    metadata,
    storageClass,
    sse: { algorithm: fields.get('x-amz-server-side-encryption') ?? 'AES256' },
    ...(redirect !== undefined ? { websiteRedirectLocation: redirect } : {}),
    tags: tagging ? parseTagging(tagging) : [],
    ...(acl ? { acl } : {}),
  };
}

/** The answer S3 gives: a 303 to success_action_redirect, else success_action_status. */
function answer(s3: S3Service, bucket: Bucket, object: StoredObject, fields: Fields): PostObjectOutput {
  const location = `http://${bucket.name}.s3.${s3.config.localstackHost}/${keyPath(object.key)}`;
  const common = { ETag: object.etag, ...(bucket.versioning !== undefined ? { VersionId: object.versionId } : {}) };
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect) {
    let url: URL | undefined;
    try {
      url = new URL(redirect);
    } catch {
      url = undefined;
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
      url.searchParams.append('bucket', bucket.name);
      url.searchParams.append('key', object.key);
      url.searchParams.append('etag', object.etag);
      return { StatusCode: 303, Location: url.toString(), ...common };
    }
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${esc(location)}</Location><Bucket>${esc(bucket.name)}</Bucket><Key>${esc(object.key)}</Key><ETag>${esc(object.etag)}</ETag></PostResponse>`;
    return { StatusCode: 201, Location: location, ContentType: 'application/xml', Body: Buffer.from(body), ...common };
  }
  return { StatusCode: status === '200' ? 200 : 204, Location: location, ...common };
}

export function postObjectOperations(s3: S3Service) {
  const { blobs } = s3;

  /** Checks the fields before the file, then streams the file into a blob. */
  async function receiveFile(ctx: OperationContext, bucket: Bucket, fields: Fields, file: Readable, filename: string): Promise<StoredObject> {
    const template = fields.get('key');
    if (template === undefined) throw mustContain('key');
    let min = 0;
    let max = MAX_PUT_SIZE;
    const encoded = fields.get('policy');
    if (encoded !== undefined && encoded !== '') {
      const kind = signatureKind(fields);
      const policy = parsePolicy(encoded);
      if (!s3.config.s3SkipSignatureValidation) verifySignature(fields, kind, encoded);
      if (Date.now() > policy.expiration) throw s3Error('AccessDenied', 'Invalid according to Policy: Policy expired.');
      checkConditions(policy, fields, bucket.name);
      for (const c of policy.conditions) {
        if (c.op !== 'content-length-range') continue;
        min = Math.max(min, c.min);
        max = Math.min(max, c.max);
      }
    }
    const key = template.replaceAll('${filename}', filename.replace(/^.*[\\/]/, ''));
    if (key === '') throw s3Error('InvalidArgument', 'User key must have a length greater than 0.', { fields: { ArgumentName: 'key', ArgumentValue: '' } });
    checkKey(key);
    const attributes = objectAttributes(ctx, fields);
    const written = await blobs.write(file, { algorithms: ['crc64nvme'], limit: max, tooLarge: (n) => entityTooLarge(n, max) });
    if (written.size < min) {
      blobs.remove([written]);
      throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { fields: { ProposedSize: written.size, MinSizeAllowed: min } });
    }
    return {
      ...attributes,
      key,
      versionId: 'null',
      lastModified: now(),
      size: written.size,
      etag: `"${written.md5.toString('hex')}"`,
      blobs: [blobRef(written)],
      checksum: { algorithm: 'crc64nvme', value: written.checksums.crc64nvme!, type: 'FULL_OBJECT' },
    };
  }

  return {
    async PostObject(ctx: OperationContext, input: PostObjectInput): Promise<PostObjectOutput> {
      const bucket = getBucket(s3.state, ctx, input.Bucket);
      const type = input.ContentType ?? '';
      if (!/^multipart\/form-data\b/i.test(type)) {
        throw s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { fields: { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' } });
      }
      const { fields, result: object } = await readForm(
        input.Body as Readable,
        type,
        (f, file, filename) => receiveFile(ctx, bucket, f, file, filename),
        (o) => blobs.remove(o.blobs),
      );
      if (!object) {
        if (!fields.has('key')) throw mustContain('key');
        throw s3Error('InvalidArgument', 'POST requires exactly one file upload per request.', { fields: { ArgumentName: 'file', ArgumentValue: '0' } });
      }
      commitUpload(s3, ctx, bucket, object, 'ObjectCreated:Post');
      return answer(s3, bucket, object, fields);
    },
  } satisfies Partial<S3Api>;
}
