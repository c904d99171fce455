/**
 * Access control lists: canned ACLs (x-amz-acl), explicit grants (x-amz-grant-*), and the
 * AccessControlPolicy document, as S3 stores and returns them. ACLs are stored and returned;
 * they are not enforced (no IAM or ACL evaluation yet).
 */
import { s3Error } from './errors.js';
import { canonicalId, type Acl, type Grant } from './state.js';

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
