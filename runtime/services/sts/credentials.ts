/**
 * Temporary credentials issued by this STS, in AWS's formats: an `ASIA` access key id of 20
 * upper-case letters and digits that encodes the account the credentials act in (so the
 * gateway maps later requests to that account, runtime/aws/credentials.ts), a 40-character
 * secret, a session token in the base64 form AWS's current tokens have (they start with
 * `IQoJb3JpZ2luX2Vj`, the encoding of their version header), and an expiration at whole
 * seconds, as AWS writes it.
 */
import { randomBytes } from 'node:crypto';
import { accessKeyForAccount } from '../../aws/credentials.js';

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

/** The bytes every session token starts with: its base64 is `IQoJb3JpZ2luX2Vj`. */
const TOKEN_HEADER = Buffer.from('!\n\torigin_ec', 'latin1');

/**
 * Session token lengths: AWS's tokens vary (their size is not fixed, says the API reference);
 * role sessions carry more (the role, the session's policies and tags) than user sessions.
 */
export const SESSION_TOKEN_BYTES = { role: 720, user: 300 } as const;

export function issueCredentials(accountId: string, durationSeconds: number, now: number, kind: keyof typeof SESSION_TOKEN_BYTES = 'role'): IssuedCredentials {
  const token = Buffer.concat([TOKEN_HEADER, randomBytes(SESSION_TOKEN_BYTES[kind] - TOKEN_HEADER.length)]);
  return {
    AccessKeyId: accessKeyForAccount(accountId, 'ASIA', randomBytes(3)),
    SecretAccessKey: randomBytes(30).toString('base64'),
    SessionToken: token.toString('base64'),
    Expiration: new Date((Math.floor(now / 1000) + durationSeconds) * 1000),
  };
}
