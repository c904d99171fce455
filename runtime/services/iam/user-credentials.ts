/**
 * A user's other credentials: SSH public keys (CodeCommit), X.509 signing certificates and
 * service-specific credentials (CodeCommit, Keyspaces, Bedrock), each with AWS's per-user
 * quota, id shape and Active/Inactive status.
 *
 * SSH keys are read as OpenSSH `ssh-rsa` lines (the only kind IAM takes); the fingerprint is
 * the MD5 of the key blob, as AWS shows it; GetSSHPublicKey with Encoding PEM answers the key
 * as an X.509 SubjectPublicKeyInfo PEM.
 */
import { createHash, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import type { IamApi, ServiceSpecificCredentialMetadata } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import { randomUpperId } from '../../aws/ids.js';
import { date, find, NOT_FOUND, page, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredUser } from './state.js';
import { aboutRoot, userOrCaller } from './users.js';

const SSH_KEYS_PER_USER = 5;
const SIGNING_CERTIFICATES_PER_USER = 2;
const SERVICE_CREDENTIALS_PER_SERVICE = 2;
/** The services that take service-specific credentials. */
const CREDENTIAL_SERVICES = ['codecommit.amazonaws.com', 'cassandra.amazonaws.com', 'bedrock.amazonaws.com'];

/** The RSA key of an `ssh-rsa AAAA... comment` line: its blob, exponent and modulus. */
function readSshRsa(body: string): { blob: Buffer; e: Buffer; n: Buffer } {
  const parts = body.trim().split(/\s+/);
  if (parts[0] !== 'ssh-rsa' || parts.length < 2) throw iamError('UnrecognizedPublicKeyEncodingException', 'The SSH public key encoding is not recognized. Only ssh-rsa keys in OpenSSH format are supported.');
  const blob = Buffer.from(parts[1]!, 'base64');
  const fields: Buffer[] = [];
  let at = 0;
  while (at + 4 <= blob.length && fields.length < 3) {
    const length = blob.readUInt32BE(at);
    fields.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  if (fields.length !== 3 || fields[0]!.toString() !== 'ssh-rsa' || at !== blob.length || fields[2]!.length < 128) {
    throw iamError('InvalidPublicKeyException', 'The SSH public key is not valid.');
  }
  return { blob, e: fields[1]!, n: fields[2]! };
}

function pemOf(body: string): string {
  const { e, n } = readSshRsa(body);
  const b64 = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b).toString('base64url');
  return createPublicKey({ key: { kty: 'RSA', e: b64(e), n: b64(n) }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

/** The SSH key, signing certificate and service-specific credential operations. */
export function userCredentialOperations(iam: Iam) {
  const { store } = iam;
  const ownedBy = <T extends { userKey: string }>(records: Record<string, T>, user: StoredUser) => Object.keys(records).filter((id) => records[id]!.userKey === keyOf(user.name));
  function one<T extends { userKey: string }>(records: Record<string, T>, user: StoredUser, id: string, what: string): T {
    const found = records[id];
    if (!found || found.userKey !== keyOf(user.name)) throw iamError('NoSuchEntityException', `The ${what} with id ${id} cannot be found.`);
    return found;
  }
  const named = (state: IamState, name: string) => find(state.users, name, NOT_FOUND.user);

  function credentialOut(ctx: OperationContext, id: string, withSecret: boolean) {
    const c = store.of(ctx).serviceCredentials[id]!;
    const user = store.of(ctx).users[c.userKey];
    const meta: ServiceSpecificCredentialMetadata = { UserName: user?.name ?? c.userKey, Status: c.status, ServiceUserName: c.userName, CreateDate: date(c.created), ExpirationDate: c.expires !== undefined ? date(c.expires) : undefined, ServiceSpecificCredentialId: id, ServiceName: c.service };
    return withSecret ? { ...meta, ServicePassword: c.password } : meta;
  }

  return {
    UploadSSHPublicKey(ctx, input) {
      const state = store.of(ctx);
      const user = named(state, input.UserName);
      const { blob } = readSshRsa(input.SSHPublicKeyBody);
      const mine = ownedBy(state.sshKeys, user);
      if (mine.some((id) => state.sshKeys[id]!.body.trim() === input.SSHPublicKeyBody.trim())) throw iamError('DuplicateSSHPublicKeyException', 'The SSH public key is already associated with the user.');
      if (mine.length >= SSH_KEYS_PER_USER) throw iamError('LimitExceededException', `Cannot exceed quota for SSHPublicKeysPerUser: ${SSH_KEYS_PER_USER}`);
      const id = `APKA${randomUpperId(16)}`;
      const fingerprint = createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
      state.sshKeys[id] = { userKey: keyOf(user.name), body: input.SSHPublicKeyBody, fingerprint, status: 'Active', uploaded: iam.now() };
      store.changed(ctx, 'sshKeys', id);
      return { SSHPublicKey: { UserName: user.name, SSHPublicKeyId: id, Fingerprint: fingerprint, SSHPublicKeyBody: input.SSHPublicKeyBody, Status: 'Active', UploadDate: date(iam.now()) } };
    },

    GetSSHPublicKey(ctx, input) {
      const state = store.of(ctx);
      const user = named(state, input.UserName);
      const key = one(state.sshKeys, user, input.SSHPublicKeyId, 'Public Key');
      const body = input.Encoding === 'PEM' ? pemOf(key.body) : key.body;
      return { SSHPublicKey: { UserName: user.name, SSHPublicKeyId: input.SSHPublicKeyId, Fingerprint: key.fingerprint, SSHPublicKeyBody: body, Status: key.status, UploadDate: date(key.uploaded) } };
    },

    UpdateSSHPublicKey(ctx, input) {
      const state = store.of(ctx);
      const key = one(state.sshKeys, named(state, input.UserName), input.SSHPublicKeyId, 'Public Key');
      key.status = input.Status as 'Active' | 'Inactive';
      store.changed(ctx, 'sshKeys', input.SSHPublicKeyId);
      return {};
    },

    DeleteSSHPublicKey(ctx, input) {
      const state = store.of(ctx);
      one(state.sshKeys, named(state, input.UserName), input.SSHPublicKeyId, 'Public Key');
      delete state.sshKeys[input.SSHPublicKeyId];
      store.changed(ctx, 'sshKeys', input.SSHPublicKeyId);
      return {};
    },

    ListSSHPublicKeys(ctx, input) {
      const state = store.of(ctx);
      if (aboutRoot(state, ctx, input.UserName)) return { SSHPublicKeys: [], IsTruncated: false };
      const user = userOrCaller(state, ctx, input.UserName);
      const listing = page(ownedBy(state.sshKeys, user), input, `ListSSHPublicKeys:${user.id}`, (id) => id);
      return { SSHPublicKeys: listing.items.map((id) => ({ UserName: user.name, SSHPublicKeyId: id, Status: state.sshKeys[id]!.status, UploadDate: date(state.sshKeys[id]!.uploaded) })), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    UploadSigningCertificate(ctx, input) {
      const state = store.of(ctx);
      const user = userOrCaller(state, ctx, input.UserName);
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(input.CertificateBody);
      } catch {
        throw iamError('MalformedCertificateException', 'Certificate body is malformed');
      }
      const id = createHash('sha1').update(cert.raw).digest('hex').slice(0, 32).toUpperCase();
      if (state.signingCertificates[id]) throw iamError('DuplicateCertificateException', 'The certificate is already in use.');
      if (ownedBy(state.signingCertificates, user).length >= SIGNING_CERTIFICATES_PER_USER) throw iamError('LimitExceededException', `Cannot exceed quota for SigningCertificatesPerUser: ${SIGNING_CERTIFICATES_PER_USER}`);
      state.signingCertificates[id] = { userKey: keyOf(user.name), body: input.CertificateBody, status: 'Active', uploaded: iam.now() };
      store.changed(ctx, 'signingCertificates', id);
      return { Certificate: { UserName: user.name, CertificateId: id, CertificateBody: input.CertificateBody, Status: 'Active', UploadDate: date(iam.now()) } };
    },

    UpdateSigningCertificate(ctx, input) {
      const state = store.of(ctx);
      const cert = one(state.signingCertificates, userOrCaller(state, ctx, input.UserName), input.CertificateId, 'Signing Certificate');
      cert.status = input.Status as 'Active' | 'Inactive';
      store.changed(ctx, 'signingCertificates', input.CertificateId);
      return {};
    },

    DeleteSigningCertificate(ctx, input) {
      const state = store.of(ctx);
      one(state.signingCertificates, userOrCaller(state, ctx, input.UserName), input.CertificateId, 'Signing Certificate');
      delete state.signingCertificates[input.CertificateId];
      store.changed(ctx, 'signingCertificates', input.CertificateId);
      return {};
    },

    ListSigningCertificates(ctx, input) {
      const state = store.of(ctx);
      if (aboutRoot(state, ctx, input.UserName)) return { Certificates: [], IsTruncated: false };
      const user = userOrCaller(state, ctx, input.UserName);
      const listing = page(ownedBy(state.signingCertificates, user), input, `ListSigningCertificates:${user.id}`, (id) => id);
      return {
        Certificates: listing.items.map((id) => {
          const c = state.signingCertificates[id]!;
          return { UserName: user.name, CertificateId: id, CertificateBody: c.body, Status: c.status, UploadDate: date(c.uploaded) };
        }),
        IsTruncated: listing.IsTruncated,
        Marker: listing.Marker,
      };
    },

    CreateServiceSpecificCredential(ctx, input) {
      const state = store.of(ctx);
      const user = named(state, input.UserName);
      if (!CREDENTIAL_SERVICES.includes(input.ServiceName)) throw iamError('ServiceNotSupportedException', `No such service ${input.ServiceName} is supported for Service-Specific Credentials`);
      const count = ownedBy(state.serviceCredentials, user).filter((id) => state.serviceCredentials[id]!.service === input.ServiceName).length;
      if (count >= SERVICE_CREDENTIALS_PER_SERVICE) throw iamError('LimitExceededException', `Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${SERVICE_CREDENTIALS_PER_SERVICE}`);
      const id = `ACCA${randomUpperId(17)}`;
      const now = iam.now();
      state.serviceCredentials[id] = {
        userKey: keyOf(user.name),
        service: input.ServiceName,
        userName: `${user.name}-at-${ctx.accountId}`,
        password: randomBytes(33).toString('base64'),
        status: 'Active',
        created: now,
        ...(input.CredentialAgeDays !== undefined ? { expires: now + input.CredentialAgeDays * 86400_000 } : {}),
      };
      store.changed(ctx, 'serviceCredentials', id);
      return { ServiceSpecificCredential: credentialOut(ctx, id, true) as never };
    },

    ResetServiceSpecificCredential(ctx, input) {
      const state = store.of(ctx);
      const c = one(state.serviceCredentials, userOrCaller(state, ctx, input.UserName), input.ServiceSpecificCredentialId, 'Service Specific Credential');
      c.password = randomBytes(33).toString('base64');
      store.changed(ctx, 'serviceCredentials', input.ServiceSpecificCredentialId);
      return { ServiceSpecificCredential: credentialOut(ctx, input.ServiceSpecificCredentialId, true) as never };
    },

    UpdateServiceSpecificCredential(ctx, input) {
      const state = store.of(ctx);
      const c = one(state.serviceCredentials, userOrCaller(state, ctx, input.UserName), input.ServiceSpecificCredentialId, 'Service Specific Credential');
      c.status = input.Status as 'Active' | 'Inactive';
      store.changed(ctx, 'serviceCredentials', input.ServiceSpecificCredentialId);
      return {};
    },

    DeleteServiceSpecificCredential(ctx, input) {
      const state = store.of(ctx);
      one(state.serviceCredentials, userOrCaller(state, ctx, input.UserName), input.ServiceSpecificCredentialId, 'Service Specific Credential');
      delete state.serviceCredentials[input.ServiceSpecificCredentialId];
      store.changed(ctx, 'serviceCredentials', input.ServiceSpecificCredentialId);
      return {};
    },

    ListServiceSpecificCredentials(ctx, input) {
      const state = store.of(ctx);
      if (!input.AllUsers && aboutRoot(state, ctx, input.UserName)) return { ServiceSpecificCredentials: [], IsTruncated: false };
      const ids = input.AllUsers ? Object.keys(state.serviceCredentials) : ownedBy(state.serviceCredentials, userOrCaller(state, ctx, input.UserName));
      const selected = ids.filter((id) => input.ServiceName === undefined || state.serviceCredentials[id]!.service === input.ServiceName);
      const listing = page(selected, input, `ListServiceSpecificCredentials:${input.UserName ?? ''}:${input.ServiceName ?? ''}:${input.AllUsers ?? false}`, (id) => id);
      return { ServiceSpecificCredentials: listing.items.map((id) => credentialOut(ctx, id, false)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },
  } satisfies Partial<IamApi>;
}
