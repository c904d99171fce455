/**
 * Access control lists: canned ACLs (x-amz-acl), explicit grants (x-amz-grant-*), and the
 * AccessControlPolicy document, as S3 stores and returns them. ACLs are stored and returned;
 * they are not enforced (no IAM or ACL evaluation yet).
 *
 * Grantees are the three S3 names: a canonical user id (64 hex digits), one of the three
 * groups S3 defines (AllUsers, AuthenticatedUsers, LogDelivery; any other URI is "Invalid
 * group uri"), or an e-mail address, which no account has here (UnresolvableGrantByEmailAddress,
 * as S3 answers an address it cannot resolve). Answers carry no DisplayName: S3 stopped
 * returning it in November 2025 (the Owner and Grantee pages of the API reference), and the
 * answers recorded from AWS since have only ID and URI.
 */
import { s3Error } from './errors.js';
import { canonicalId, type Acl, type Grant } from './state.js';
import type { PutBucketAclInput } from './api.generated.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
/** The groups S3 knows: any other URI is refused. */
const GROUPS = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];
const CANONICAL_ID = /^[0-9a-f]{64}$/;

function unresolvableEmail(address: string) {
  return s3Error('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', { fields: { EmailAddress: address } });
}

export const CANNED_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control', 'log-delivery-write'];

const owner = (accountId: string): Grant['grantee'] => ({ type: 'CanonicalUser', id: canonicalId(accountId) });
const group = (uri: string): Grant['grantee'] => ({ type: 'Group', uri });

/** The grants of a canned ACL. */
export function cannedAcl(name: string, accountId: string): Acl {
  if (!CANNED_ACLS.includes(name)) throw s3Error('InvalidArgument', '', { fields: { ArgumentName: 'x-amz-acl', ArgumentValue: name } });
  const grants: Grant[] = [{ grantee: owner(accountId), permission: 'FULL_CONTROL' }];
  switch (name) {
    case 'public-read':
      grants.push({ grantee: group(ALL_USERS), permission: 'READ' });
      break;
    case 'public-read-write':
      grants.push({ grantee: group(ALL_USERS), permission: 'READ' }, { grantee: group(ALL_USERS), permission: 'WRITE' });
      break;
    case 'authenticated-read':
      grants.push({ grantee: group(AUTHENTICATED_USERS), permission: 'READ' });
      break;
    case 'log-delivery-write':
      grants.push({ grantee: group(LOG_DELIVERY), permission: 'WRITE' }, { grantee: group(LOG_DELIVERY), permission: 'READ_ACP' });
      break;
    default:
      break;
  }
  return { owner: accountId, grants };
}

/** The x-amz-grant-* headers: input member, header name, permission. */
const GRANT_HEADERS = [
  ['GrantFullControl', 'x-amz-grant-full-control', 'FULL_CONTROL'],
  ['GrantRead', 'x-amz-grant-read', 'READ'],
  ['GrantReadACP', 'x-amz-grant-read-acp', 'READ_ACP'],
  ['GrantWrite', 'x-amz-grant-write', 'WRITE'],
  ['GrantWriteACP', 'x-amz-grant-write-acp', 'WRITE_ACP'],
] as const;

/**
 * `id="...", uri="...", emailAddress="..."` as in x-amz-grant-* headers. A part that is not
 * one of the three is "Argument format not recognized" (naming the header); a bad id or group
 * names the key, as S3 does.
 */
function parseGrantees(header: string, name: string): Grant['grantee'][] {
  return header.split(',').map((part) => {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!m) throw s3Error('InvalidArgument', 'Argument format not recognized', { fields: { ArgumentName: name, ArgumentValue: header } });
    const kind = m[1]!.toLowerCase();
    const value = m[2]!;
    if (kind === 'id') {
      if (!CANONICAL_ID.test(value)) throw s3Error('InvalidArgument', 'Invalid id', { fields: { ArgumentName: 'id', ArgumentValue: value } });
      return { type: 'CanonicalUser', id: value };
    }
    if (kind === 'uri') {
      if (!GROUPS.includes(value)) throw s3Error('InvalidArgument', 'Invalid group uri', { fields: { ArgumentName: 'uri', ArgumentValue: value } });
      return group(value);
    }
    throw unresolvableEmail(value);
  });
}

type AclInput = { ACL?: string } & Partial<Record<(typeof GRANT_HEADERS)[number][0], string>>;

/** The ACL a request sets with x-amz-acl or x-amz-grant-* headers, or undefined when it sets none. */
export function aclFromRequest(accountId: string, input: AclInput): Acl | undefined {
  const explicit = GRANT_HEADERS.filter(([member]) => input[member] !== undefined);
  if (input.ACL !== undefined && explicit.length > 0) {
    throw s3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  }
  if (input.ACL !== undefined) return cannedAcl(input.ACL, accountId);
  if (explicit.length === 0) return undefined;
  const grants: Grant[] = [];
  for (const [member, header, permission] of explicit) {
    for (const grantee of parseGrantees(input[member]!, header)) grants.push({ grantee, permission });
  }
  return { owner: accountId, grants };
}

/** An ACL as the AccessControlPolicy of GetBucketAcl / GetObjectAcl (no DisplayName: see the header). */
export function aclOutput(acl: Acl) {
  return {
    Owner: { ID: canonicalId(acl.owner) },
    Grants: acl.grants.map((g) => ({
      Grantee: {
        Type: g.grantee.type,
        ...(g.grantee.id !== undefined ? { ID: g.grantee.id } : {}),
        ...(g.grantee.uri !== undefined ? { URI: g.grantee.uri } : {}),
        ...(g.grantee.email !== undefined ? { EmailAddress: g.grantee.email } : {}),
      },
      Permission: g.permission,
    })),
  };
}

const PERMISSIONS = ['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'];
const GRANTEE_TYPES = ['CanonicalUser', 'AmazonCustomerByEmail', 'Group'];

function malformedAcl() {
  return s3Error('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema');
}

/** The AccessControlPolicy document of PutBucketAcl and PutObjectAcl (the two share its shape). */
export type AccessControlPolicy = NonNullable<PutBucketAclInput['AccessControlPolicy']>;

/**
 * The ACL an AccessControlPolicy document sets on a resource of `owner` (an account id):
 * MalformedACLError when it is not one, AccessDenied when it names another owner,
 * UnresolvableGrantByEmailAddress for e-mail grantees (no account has an address here).
 */
export function aclFromPolicy(doc: AccessControlPolicy, owner: string): Acl {
  // the document's form first (MalformedACLError), then whose it is, then what it grants
  if (!doc.Owner?.ID) throw malformedAcl();
  const named = (doc.Grants ?? []).map((g) => {
    const grantee = g.Grantee;
    if (!grantee || !g.Permission || !PERMISSIONS.includes(g.Permission) || !GRANTEE_TYPES.includes(grantee.Type)) throw malformedAcl();
    const name = grantee.Type === 'CanonicalUser' ? grantee.ID : grantee.Type === 'Group' ? grantee.URI : grantee.EmailAddress;
    if (!name) throw malformedAcl();
    return { type: grantee.Type, name, permission: g.Permission };
  });
  if (doc.Owner.ID !== canonicalId(owner)) throw s3Error('AccessDenied', 'Access Denied');
  const grants = named.map(({ type, name, permission }): Grant => {
    if (type === 'CanonicalUser') {
      if (!CANONICAL_ID.test(name)) throw s3Error('InvalidArgument', 'Invalid id', { fields: { ArgumentName: 'CanonicalUser/ID', ArgumentValue: name } });
      return { grantee: { type: 'CanonicalUser', id: name }, permission };
    }
    if (type === 'Group') {
      if (!GROUPS.includes(name)) throw s3Error('InvalidArgument', 'Invalid group uri', { fields: { ArgumentName: 'Group/URI', ArgumentValue: name } });
      return { grantee: { type: 'Group', uri: name }, permission };
    }
    throw unresolvableEmail(name);
  });
  return { owner, grants };
}

/** Whether an ACL grants anything to anyone but the owner. */
export function grantsOthers(acl: Acl): boolean {
  const owner = canonicalId(acl.owner);
  return acl.grants.some((g) => !(g.grantee.type === 'CanonicalUser' && g.grantee.id === owner && g.permission === 'FULL_CONTROL'));
}

/**
 * What S3 answers an ACL set on a bucket whose ObjectOwnership is BucketOwnerEnforced (ACLs
 * disabled): only ACLs that give the owner full control and nobody anything (private,
 * bucket-owner-full-control, or grants to that effect) are taken. CreateBucket answers
 * InvalidBucketAclWithObjectOwnership; PutBucketAcl, PutObjectAcl and writes of objects
 * AccessControlListNotSupported.
 */
export function checkAclWithOwnership(ownership: string | undefined, acl: Acl | undefined, on: 'create-bucket' | 'acl'): void {
  if (ownership !== 'BucketOwnerEnforced' || !acl || !grantsOthers(acl)) return;
  if (on === 'create-bucket') throw s3Error('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  throw s3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs');
}

/** Whether an ACL grants anything to everyone or every AWS user. */
export function isPublicAcl(acl: Acl): boolean {
  return acl.grants.some((g) => g.grantee.type === 'Group' && (g.grantee.uri === ALL_USERS || g.grantee.uri === AUTHENTICATED_USERS));
}
