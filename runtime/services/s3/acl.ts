/**
 * Access control lists: canned ACLs (x-amz-acl), explicit grants (x-amz-grant-*), and the
 * AccessControlPolicy document, as S3 stores and returns them. ACLs are stored and returned;
 * they are not enforced (no IAM or ACL evaluation yet).
 */
import { s3Error } from './errors.js';
import { canonicalId, type Acl, type Grant } from './state.js';
import type { PutBucketAclInput } from './api.generated.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

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

const GRANT_HEADERS = [
  ['GrantFullControl', 'FULL_CONTROL'],
  ['GrantRead', 'READ'],
  ['GrantReadACP', 'READ_ACP'],
  ['GrantWrite', 'WRITE'],
  ['GrantWriteACP', 'WRITE_ACP'],
] as const;

/** `id="...", uri="...", emailAddress="..."` as in x-amz-grant-* headers. */
function parseGrantees(header: string, name: string): Grant['grantee'][] {
  return header.split(',').map((part) => {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!m) throw s3Error('InvalidArgument', 'Argument format not recognized', { fields: { ArgumentName: name, ArgumentValue: header } });
    const kind = m[1]!.toLowerCase();
    if (kind === 'id') return { type: 'CanonicalUser', id: m[2]! };
    if (kind === 'uri') return group(m[2]!);
    return { type: 'AmazonCustomerByEmail', email: m[2]! };
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
  for (const [member, permission] of explicit) {
    for (const grantee of parseGrantees(input[member]!, member)) grants.push({ grantee, permission });
  }
  return { owner: accountId, grants };
}

/** An ACL as the AccessControlPolicy of GetBucketAcl / GetObjectAcl. */
export function aclOutput(acl: Acl) {
  return {
    Owner: { DisplayName: 'webfile', ID: canonicalId(acl.owner) },
    Grants: acl.grants.map((g) => ({
      Grantee: {
        Type: g.grantee.type,
        ...(g.grantee.id !== undefined ? { ID: g.grantee.id, DisplayName: 'webfile' } : {}),
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
      if (!/^[0-9a-f]{64}$/.test(name)) throw s3Error('InvalidArgument', 'Invalid id', { fields: { ArgumentName: 'CanonicalUser/ID', ArgumentValue: name } });
      return { grantee: { type: 'CanonicalUser', id: name }, permission };
    }
    if (type === 'Group') {
      if (!name.startsWith('http://acs.amazonaws.com/groups/')) throw s3Error('InvalidArgument', 'Invalid group uri', { fields: { ArgumentName: 'Group/URI', ArgumentValue: name } });
      return { grantee: { type: 'Group', uri: name }, permission };
    }
    throw s3Error('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', { fields: { EmailAddress: name } });
  });
  return { owner, grants };
}

/** Whether an ACL grants anything to anyone but the owner. */
export function grantsOthers(acl: Acl): boolean {
  const owner = canonicalId(acl.owner);
  return acl.grants.some((g) => !(g.grantee.type === 'CanonicalUser' && g.grantee.id === owner && g.permission === 'FULL_CONTROL'));
}

/** Whether an ACL grants anything to everyone or every AWS user. */
export function isPublicAcl(acl: Acl): boolean {
  return acl.grants.some((g) => g.grantee.type === 'Group' && (g.grantee.uri === ALL_USERS || g.grantee.uri === AUTHENTICATED_USERS));
}
