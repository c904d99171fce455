import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accessKeyForAccount, accountIdFromAccessKey, isIssuedAccessKey, parseCredentialScope } from '../../runtime/aws/credentials.js';

describe('account id from the access key id', () => {
  it("AKIA keys this emulator's IAM made decode to their account and are told apart from AWS's", () => {
    for (const account of ['000000000000', '111111111111', '123456789012', '999999999999']) {
      const key = accessKeyForAccount(account, 'AKIA', randomBytes(5));
      expect(key).toMatch(/^AKIA[A-Z2-7]{16}$/);
      expect(accountIdFromAccessKey(key)).toBe(account);
      expect(isIssuedAccessKey(key)).toBe(true);
    }
    expect(isIssuedAccessKey('AKIAIOSFODNN7EXAMPLE')).toBe(false);
    expect(isIssuedAccessKey('test')).toBe(false);
    expect(isIssuedAccessKey(accessKeyForAccount('111111111111', 'LKIA', randomBytes(5)))).toBe(false);
  });

  it('a 12-digit key is that account', () => {
    expect(accountIdFromAccessKey('111122223333')).toBe('111122223333');
  });

  it('AKIA/ASIA keys and anything else map to the default account', () => {
    expect(accountIdFromAccessKey('AKIAIOSFODNN7EXAMPLE')).toBe('000000000000');
    expect(accountIdFromAccessKey('ASIAIOSFODNN7EXAMPLE')).toBe('000000000000');
    expect(accountIdFromAccessKey('test')).toBe('000000000000');
    expect(accountIdFromAccessKey(undefined)).toBe('000000000000');
  });

  it('LSIA/LKIA keys decode to the account they were made for', () => {
    for (const account of ['000000000000', '111111111111', '123456789012', '999999999999', '000000000042']) {
      for (const prefix of ['LSIA', 'LKIA'] as const) {
        const key = accessKeyForAccount(account, prefix, randomBytes(5));
        expect(key).toMatch(/^L[SK]IA[A-Z2-7]{16}$/);
        expect(accountIdFromAccessKey(key)).toBe(account);
      }
    }
  });

  it('decodes with the AWS algorithm (a known vector)', () => {
    // AWS's documented example key ASIAY34FZKBOKMUTVV7A belongs to 609629065308; the same
    // body with the LSIA prefix must decode alike.
    expect(accountIdFromAccessKey('LSIAY34FZKBOKMUTVV7A')).toBe('609629065308');
  });
});

describe('credential scope', () => {
  const q = (s: string) => () => new URLSearchParams(s);
  it('from the SigV4 Authorization header', () => {
    const headers = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=x' };
    expect(parseCredentialScope(headers, q(''), '')).toEqual({ accessKeyId: 'AKID', region: 'eu-west-1', service: 'sqs' });
  });

  it('from a presigned URL', () => {
    const raw = 'X-Amz-Credential=AKID%2F20240101%2Fap-south-1%2Fs3%2Faws4_request&X-Amz-Signature=x';
    expect(parseCredentialScope({}, q(raw), raw)).toEqual({ accessKeyId: 'AKID', region: 'ap-south-1', service: 's3' });
  });

  it('SigV4a has no region; SigV2 has only the key', () => {
    expect(parseCredentialScope({ authorization: 'AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, Signature=x' }, q(''), '')).toEqual({ accessKeyId: 'AKID', service: 's3' });
    expect(parseCredentialScope({ authorization: 'AWS AKID:sig' }, q(''), '')).toEqual({ accessKeyId: 'AKID' });
  });

  it('nothing for an unsigned request', () => {
    expect(parseCredentialScope({}, q(''), '')).toBeUndefined();
  });
});
