/**
 * Temporary credentials issued by this STS: the access key id encodes the account the
 * credentials act in (so the gateway maps later requests to that account), the rest is random.
 */
import { randomBytes } from 'node:crypto';
import { accessKeyForAccount } from '../../aws/credentials.js';

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

export function issueCredentials(accountId: string, durationSeconds: number): IssuedCredentials {
  return {
    AccessKeyId: accessKeyForAccount(accountId, 'LSIA', randomBytes(5)),
    SecretAccessKey: randomBytes(30).toString('base64'),
    SessionToken: `FQoGZXIvYXdzE${randomBytes(180).toString('base64')}`,
    Expiration: new Date(Date.now() + durationSeconds * 1000),
  };
}
