/**
 * A user's other credentials through @aws-sdk/client-iam: SSH public keys (fingerprint, PEM
 * encoding), signing certificates, service-specific credentials, ChangePassword by the user
 * itself, the credential report, with AWS's quotas and errors.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetSSHPublicKeyCommand,
  IAMClient,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateSSHPublicKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let iam: IAMClient;

beforeAll(async () => {
  rt = await startRuntime();
  iam = new IAMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  await iam.send(new CreateUserCommand({ UserName: 'git' }));
});
afterAll(async () => {
  await rt?.stop();
});

/** An OpenSSH `ssh-rsa` line for a fresh key, and its blob. */
function sshKey(): { line: string; blob: Buffer; pem: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 255, b.length & 255]), b]);
  const mpint = (b64: string) => {
    const b = Buffer.from(b64, 'base64url');
    return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), field(mpint(jwk.e!)), field(mpint(jwk.n!))]);
  return { line: `ssh-rsa ${blob.toString('base64')} me@host`, blob, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function certificate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-signing-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', '/CN=signer'], { stdio: 'ignore' });
    return readFileSync(join(dir, 'c.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('SSH public keys', () => {
  it('upload (APKA id, MD5 fingerprint), read as SSH or PEM, deactivate, list, delete', async () => {
    const key = sshKey();
    const { SSHPublicKey } = await iam.send(new UploadSSHPublicKeyCommand({ UserName: 'git', SSHPublicKeyBody: key.line }));
    expect(SSHPublicKey).toMatchObject({ UserName: 'git', Status: 'Active', SSHPublicKeyBody: key.line });
    expect(SSHPublicKey!.SSHPublicKeyId).toMatch(/^APKA[A-Z2-7]{16}$/);
    expect(SSHPublicKey!.Fingerprint).toBe(createHash('md5').update(key.blob).digest('hex').match(/../g)!.join(':'));
    const id = SSHPublicKey!.SSHPublicKeyId!;
    const pem = (await iam.send(new GetSSHPublicKeyCommand({ UserName: 'git', SSHPublicKeyId: id, Encoding: 'PEM' }))).SSHPublicKey!.SSHPublicKeyBody!;
    expect(createPublicKey(pem).export({ format: 'jwk' })).toEqual(createPublicKey(key.pem).export({ format: 'jwk' }));
    await iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'git', SSHPublicKeyId: id, Status: 'Inactive' }));
    expect((await iam.send(new ListSSHPublicKeysCommand({ UserName: 'git' }))).SSHPublicKeys).toEqual([{ UserName: 'git', SSHPublicKeyId: id, Status: 'Inactive', UploadDate: expect.any(Date) }]);
    expect(await sdkError(iam.send(new DeleteUserCommand({ UserName: 'git' })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'git', SSHPublicKeyId: id }));
    const bad = await sdkError(iam.send(new UploadSSHPublicKeyCommand({ UserName: 'git', SSHPublicKeyBody: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG me' })));
    expect(bad).toMatchObject({ name: 'UnrecognizedPublicKeyEncodingException', status: 400 });
  });
});

describe('signing certificates and service-specific credentials', () => {
  it('a signing certificate is stored (two at most), a malformed one refused', async () => {
    const body = certificate();
    const { Certificate } = await iam.send(new UploadSigningCertificateCommand({ UserName: 'git', CertificateBody: body }));
    expect(Certificate).toMatchObject({ UserName: 'git', Status: 'Active', CertificateBody: body });
    expect((await iam.send(new ListSigningCertificatesCommand({ UserName: 'git' }))).Certificates!.map((c) => c.CertificateId)).toEqual([Certificate!.CertificateId]);
    expect((await sdkError(iam.send(new UploadSigningCertificateCommand({ UserName: 'git', CertificateBody: body })))).name).toBe('DuplicateCertificateException');
    expect((await sdkError(iam.send(new UploadSigningCertificateCommand({ UserName: 'git', CertificateBody: 'not a certificate' })))).name).toBe('MalformedCertificateException');
  });

  it('CodeCommit credentials: user name <user>-at-<account>, a password, reset; unknown services refused', async () => {
    const { ServiceSpecificCredential: c } = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'git', ServiceName: 'codecommit.amazonaws.com' }));
    expect(c).toMatchObject({ UserName: 'git', ServiceName: 'codecommit.amazonaws.com', ServiceUserName: 'git-at-000000000000', Status: 'Active' });
    expect(c!.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{17}$/);
    expect(c!.ServicePassword).toHaveLength(44);
    const reset = (await iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'git', ServiceSpecificCredentialId: c!.ServiceSpecificCredentialId }))).ServiceSpecificCredential!;
    expect(reset.ServicePassword).not.toBe(c!.ServicePassword);
    const listed = (await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'git' }))).ServiceSpecificCredentials!;
    expect(listed.map((x) => x.ServiceSpecificCredentialId)).toEqual([c!.ServiceSpecificCredentialId]);
    expect(listed[0]).not.toHaveProperty('ServicePassword');
    const e = await sdkError(iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'git', ServiceName: 's3.amazonaws.com' })));
    expect(e).toMatchObject({ name: 'ServiceNotSupportedException', status: 404, message: 'No such service s3.amazonaws.com is supported for Service-Specific Credentials' });
  });
});

describe('passwords and the credential report', () => {
  it('ChangePassword: only an IAM user, for itself; it clears PasswordResetRequired', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'human' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'human', Password: 'first-password-1', PasswordResetRequired: true }));
    const root = await sdkError(iam.send(new ChangePasswordCommand({ OldPassword: 'first-password-1', NewPassword: 'second-password-2' })));
    expect(root).toMatchObject({ name: 'InvalidUserTypeException', status: 400 });
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'human' }));
    const asHuman = new IAMClient({ ...clientConfig(rt.endpoint, AccessKey!.AccessKeyId!), maxAttempts: 1 });
    await asHuman.send(new ChangePasswordCommand({ OldPassword: 'first-password-1', NewPassword: 'second-password-2' }));
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'human' }))).LoginProfile!.PasswordResetRequired).toBe(false);
  });

  it('the report is absent until generated, then a CSV of the users in AWS columns', async () => {
    expect(await sdkError(iam.send(new GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportNotPresentException', status: 410 });
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    const lines = Buffer.from(report.Content!).toString().trim().split('\n');
    expect(lines[0]!.startsWith('user,arn,user_creation_time,password_enabled,')).toBe(true);
    expect(lines[1]!.startsWith('<root_account>,arn:aws:iam::000000000000:root,')).toBe(true);
    const human = lines.find((l) => l.startsWith('human,'))!.split(',');
    expect(human.slice(0, 4)).toEqual(['human', 'arn:aws:iam::000000000000:user/human', expect.stringMatching(/^\d{4}-/), 'true']);
    expect(human[8]).toBe('true');
  });
});
