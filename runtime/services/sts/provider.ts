/**
 * STS: temporary credentials and caller identity.
 *
 * Credentials issued here are in AWS's formats (credentials.ts) and carry their account in
 * the access key id (see runtime/aws/credentials.ts), so requests signed with them act in the
 * role's account. Sessions are remembered by access key id, so GetCallerIdentity answers with
 * the assumed role or federated user (the caller of temporary keys is who they were issued to).
 *
 * Role ARNs are read as AWS reads them: a string that is not an ARN is `<arn> is invalid`
 * (ValidationError); an ARN of any partition that names no IAM role (another service, a
 * region, a user) is refused as AWS refuses a role it cannot assume (AccessDenied). A role's
 * id (AROA...) is derived from its ARN, so it is the same for every session of the role, as
 * AWS's is.
 *
 * Durations as AWS bounds them: role chaining (AssumeRole with temporary credentials) lasts an
 * hour at most, and the root user's GetSessionToken / GetFederationToken credentials one hour.
 *
 * Long-term callers: an `AKIA` key that this emulator's IAM created for a user (the key id
 * says so without any lookup, runtime/aws/credentials.ts isIssuedAccessKey) acts as that
 * user: STS asks IAM, through the in-process client only, whose key it is
 * (GetAccessKeyLastUsed, ListAccessKeys for its status, GetUser) in the account the key
 * encodes. Every other key is the root user of its account, with no call to IAM (the hot
 * path stays a map lookup). A deleted or inactive IAM key is refused as AWS refuses an unknown key (InvalidClientTokenId).
 *
 * A role a running IAM knows (the same ARN, path included) is assumed with its real RoleId, and a
 * DurationSeconds over its MaxSessionDuration is refused as AWS refuses it (IAM is not started
 * for the lookup: after a restart its saved roles count once anything has started it); a role IAM does
 * not know is still assumed (as LocalStack does), with an id derived from its ARN.
 *
 * LIMITATIONS: a role's trust policy is not read and its RoleLastUsed not updated and policies are not evaluated (no IAM
 * enforcement yet); web
 * identity tokens (JWTs: decoded, their signature not checked) and SAML assertions are read
 * but not verified; PackedPolicySize is an estimate.
 */
import { createHash } from 'node:crypto';
import { validationException } from '../../aws/errors.js';
import { accountIdFromAccessKey, isIssuedAccessKey } from '../../aws/credentials.js';
import { ServiceError } from '../../aws/errors.js';
import { formatArn, globalArnFor, parseArn, PARTITIONS } from '../../aws/arns.js';
import { record } from '../../state/store.js';
import type { OperationContext, Provider, ProviderContext } from '../provider.js';
import type { AssumeRoleInput, StsApi } from './api.generated.js';
import { issueCredentials } from './credentials.js';
import { parseSamlAssertion } from './saml.js';
import { stsError } from './errors.js';

/** What GetCallerIdentity needs to know about credentials this STS issued. */
interface Session {
  kind: 'assumed-role' | 'federated-user' | 'session';
  accountId: string;
  arn: string;
  userId: string;
  expiration: string;
}

interface StsState {
  sessions: Record<string, Session>;
}

/** A role's path and name: `role/`, path segments of printable ASCII, the name. */
const ROLE_RESOURCE = /^role\/(?:[\u0021-\u007e]+\/)*([\w+=,.@-]+)$/;

/** The members the session-issuing operations share. */
type SessionPolicies = Pick<AssumeRoleInput, 'DurationSeconds' | 'Policy' | 'PolicyArns' | 'Tags'>;

/**
 * What the model (runtime/aws/validation.ts, before the handler) cannot say: at most 10
 * managed session policies.
 */
function checkPolicyArns(input: SessionPolicies): void {
  const arns = input.PolicyArns ?? [];
  if (arns.length > 10) {
    throw validationException([`Value '[${arns.map((p) => p.arn).join(', ')}]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10`], 'ValidationError');
  }
}

/** AWS reports the size of session policies as a percentage of the allowed packed size. */
function packedPolicySize(input: SessionPolicies): number | undefined {
  if (!input.Policy && !input.PolicyArns && !input.Tags) return undefined;
  const size = (input.Policy?.length ?? 0) + (input.PolicyArns?.length ?? 0) * 64 + JSON.stringify(input.Tags ?? []).length;
  const percent = Math.ceil((size / 2048) * 100);
  if (percent > 100) {
    throw stsError('PackedPolicyTooLargeException', `Packed size of the session policies and tags exceeds the limit (${percent}% of allowed).`);
  }
  return percent;
}

/** AWS's shape of an ARN, before any service-specific reading. */
const ANY_ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/s;

interface Role {
  partition: string;
  accountId: string;
  roleName: string;
  /** The role's unique id: AROA and 17 upper-case letters and digits, stable per role. */
  roleId: string;
}

function parseRoleArn(arn: string, caller: string): Role {
  if (!ANY_ARN.test(arn)) throw stsError('ValidationError', `${arn} is invalid`);
  const parsed = parseArn(arn);
  const m =
    parsed && PARTITIONS.includes(parsed.partition) && parsed.service === 'iam' && parsed.region === '' && /^\d{12}$/.test(parsed.accountId)
      ? ROLE_RESOURCE.exec(parsed.resource)
      : null;
  if (!parsed || !m) throw stsError('AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  const digest = createHash('sha256').update(`${parsed.partition}:${parsed.accountId}:${m[1]!}`).digest();
  let roleId = 'AROA';
  for (let i = 0; i < 17; i++) roleId += BASE32[digest[i]! & 31];
  return { partition: parsed.partition, accountId: parsed.accountId, roleName: m[1]!, roleId };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * How long GetSessionToken / GetFederationToken credentials of the root user last: 12 hours
 * by default for IAM users, but the account's root user gets one hour at most, and a longer
 * request "defaults to one hour" (the API reference of both). GetFederationToken callers
 * are taken as the root user here.
 */
function rootDuration(requested: number | undefined): number {
  return Math.min(requested ?? 43200, 3600);
}

/** AWS's answer to a web identity token that is not a JWT (an OAuth access token, say). */
function notAJwt(): Error {
  return stsError('InvalidIdentityTokenException', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
}

function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function createProvider(context: ProviderContext): Provider {
  const store = context.state.account<StsState>('sessions', () => ({ sessions: record() }));

  function remember(credentials: { AccessKeyId: string; Expiration: Date }, session: Omit<Session, 'expiration'>): void {
    store.get(session.accountId).sessions[credentials.AccessKeyId] = { ...session, expiration: credentials.Expiration.toISOString() };
    store.changed(session.accountId, 'sessions', credentials.AccessKeyId);
  }

  function sessionOf(ctx: OperationContext): Session | undefined {
    const key = ctx.accessKeyId;
    if (!key) return undefined;
    const session = store.peek(accountIdFromAccessKey(key))?.sessions[key];
    return session && Date.parse(session.expiration) > context.clock.now() ? session : undefined;
  }

  /**
   * Who a long-term caller is: the IAM user whose key signed the request (asked of IAM only
   * for keys IAM made), or the account's root user.
   */
  async function longTermCaller(ctx: OperationContext): Promise<{ arn: string; userId: string }> {
    const key = ctx.accessKeyId;
    if (key && key.startsWith('AKIA') && isIssuedAccessKey(key) && context.client.status('iam') !== 'disabled') {
      const as = { accountId: ctx.accountId, region: ctx.region };
      let userName: string | undefined;
      try {
        userName = (await context.client.call('iam', 'GetAccessKeyLastUsed', { AccessKeyId: key }, as)).UserName;
      } catch (error) {
        if (!(error instanceof ServiceError) || error.status >= 500) throw error;
      }
      const invalid = () => new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', { status: 403, sender: true });
      if (!userName) throw invalid();
      // an inactive key signs nothing
      const keys = (await context.client.call('iam', 'ListAccessKeys', { UserName: userName }, as)).AccessKeyMetadata;
      if (keys.find((k) => k.AccessKeyId === key)?.Status !== 'Active') throw invalid();
      const { User } = await context.client.call('iam', 'GetUser', { UserName: userName }, as);
      if (User) return { arn: User.Arn, userId: User.UserId };
    }
    return { arn: globalArnFor(ctx, 'iam', 'root'), userId: ctx.accountId };
  }

  /** Who the caller is, as AWS names them in an AccessDenied message. */
  async function callerArn(ctx: OperationContext): Promise<string> {
    return sessionOf(ctx)?.arn ?? (await longTermCaller(ctx)).arn;
  }

  /**
   * The role as IAM knows it, when it does: its real RoleId and MaxSessionDuration. A role
   * IAM does not know is still assumed (as LocalStack assumes any role ARN), with an id
   * derived from its ARN.
   */
  async function iamRole(role: Role, region: string): Promise<{ RoleId: string; MaxSessionDuration?: number; Arn: string } | undefined> {
    // only a running IAM is asked: starting it for a lookup would add it to the state (and
    // its saved roles, after a restart, are known once anything starts it)
    if (context.client.status('iam') !== 'running') return undefined;
    try {
      return (await context.client.call('iam', 'GetRole', { RoleName: role.roleName }, { accountId: role.accountId, region })).Role;
    } catch (error) {
      if (error instanceof ServiceError && error.status < 500) return undefined;
      throw error;
    }
  }

  async function assumeRole(ctx: OperationContext, input: { RoleArn: string }, sessionName: string, durationSeconds: number) {
    const role = parseRoleArn(input.RoleArn, await callerArn(ctx));
    const known = await iamRole(role, ctx.region);
    if (known && known.Arn === input.RoleArn) {
      role.roleId = known.RoleId;
      if (durationSeconds > (known.MaxSessionDuration ?? 3600)) {
        throw stsError('ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
      }
    }
    const credentials = issueCredentials(role.accountId, durationSeconds, context.clock.now());
    const user = {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: formatArn({ partition: role.partition, service: 'sts', accountId: role.accountId, resource: `assumed-role/${role.roleName}/${sessionName}` }),
    };
    remember(credentials, { kind: 'assumed-role', accountId: role.accountId, arn: user.Arn, userId: user.AssumedRoleId });
    return { credentials, user };
  }

  return {
    operations: {
      async GetCallerIdentity(ctx) {
        const session = sessionOf(ctx);
        if (session) return { UserId: session.userId, Account: session.accountId, Arn: session.arn };
        // an IAM user, or the root user of the account (AWS names it by the account id)
        const caller = await longTermCaller(ctx);
        return { Arn: caller.arn, UserId: caller.userId, Account: ctx.accountId };
      },

      async GetSessionToken(ctx, input) {
        if (sessionOf(ctx)) throw stsError('AccessDenied', 'Cannot call GetSessionToken with session credentials');
        const caller = await longTermCaller(ctx);
        // IAM users get 12 hours by default; the root user one hour at most
        const duration = caller.arn.endsWith(':root') ? rootDuration(input.DurationSeconds) : (input.DurationSeconds ?? 43200);
        const credentials = issueCredentials(ctx.accountId, duration, context.clock.now(), 'user');
        // the session acts as the caller: GetCallerIdentity says so
        remember(credentials, { kind: 'session', accountId: ctx.accountId, arn: caller.arn, userId: caller.userId });
        return { Credentials: credentials };
      },

      async AssumeRole(ctx, input) {
        checkPolicyArns(input);
        // role chaining: temporary credentials assume a role for an hour at most
        if (sessionOf(ctx) && (input.DurationSeconds ?? 3600) > 3600) {
          throw stsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
        }
        const size = packedPolicySize(input);
        const { credentials, user } = await assumeRole(ctx, input, input.RoleSessionName, input.DurationSeconds ?? 3600);
        return { Credentials: credentials, AssumedRoleUser: user, PackedPolicySize: size, SourceIdentity: input.SourceIdentity };
      },

      async AssumeRoleWithWebIdentity(ctx, input) {
        checkPolicyArns(input);
        const claims = decodeJwtClaims(input.WebIdentityToken);
        if (!claims) throw notAJwt();
        if (claims.exp !== undefined && Number(claims.exp) * 1000 < context.clock.now()) {
          throw stsError('ExpiredTokenException', 'Token expired: current date/time is after the token expiry');
        }
        const size = packedPolicySize(input);
        const { credentials, user } = await assumeRole(ctx, input, input.RoleSessionName, input.DurationSeconds ?? 3600);
        const aud = claims.aud;
        return {
          Credentials: credentials,
          SubjectFromWebIdentityToken: typeof claims.sub === 'string' ? claims.sub : undefined,
          AssumedRoleUser: user,
          PackedPolicySize: size,
          Provider: typeof claims.iss === 'string' ? claims.iss : input.ProviderId,
          Audience: Array.isArray(aud) ? String(aud[0]) : typeof aud === 'string' ? aud : undefined,
        };
      },

      async AssumeRoleWithSAML(ctx, input) {
        checkPolicyArns(input);
        const saml = parseSamlAssertion(input.SAMLAssertion);
        const name = saml.sessionName ?? saml.subject;
        if (!name) throw stsError('InvalidIdentityTokenException', 'SAML assertion has no RoleSessionName attribute');
        const size = packedPolicySize(input);
        const duration = input.DurationSeconds ?? Math.min(saml.sessionDuration ?? 3600, 43200);
        const { credentials, user } = await assumeRole(ctx, input, name, duration);
        const provider = String(input.PrincipalArn).split('/').pop() ?? '';
        const qualifier = createHash('sha1')
          .update(`${saml.issuer ?? ''}${user.Arn.split(':')[4]}/${provider}`)
          .digest('base64');
        return {
          Credentials: credentials,
          AssumedRoleUser: user,
          PackedPolicySize: size,
          Subject: saml.subject,
          SubjectType: saml.subjectType,
          Issuer: saml.issuer,
          Audience: saml.audience ?? 'https://signin.aws.amazon.com/saml',
          NameQualifier: qualifier,
        };
      },

      GetFederationToken(ctx, input) {
        checkPolicyArns(input);
        if (sessionOf(ctx)) throw stsError('AccessDenied', 'Cannot call GetFederationToken with session credentials');
        const size = packedPolicySize(input);
        const credentials = issueCredentials(ctx.accountId, rootDuration(input.DurationSeconds), context.clock.now(), 'user');
        const user = {
          FederatedUserId: `${ctx.accountId}:${input.Name}`,
          Arn: globalArnFor(ctx, 'sts', `federated-user/${input.Name}`),
        };
        remember(credentials, { kind: 'federated-user', accountId: ctx.accountId, arn: user.Arn, userId: user.FederatedUserId });
        return { Credentials: credentials, FederatedUser: user, PackedPolicySize: size };
      },

      GetAccessKeyInfo(_ctx, input) {
        return { Account: accountIdFromAccessKey(input.AccessKeyId) };
      },

      DecodeAuthorizationMessage(_ctx, input) {
        const decoded = decodeAuthorizationMessage(input.EncodedMessage);
        if (decoded === undefined) {
          throw stsError('InvalidAuthorizationMessageException', 'The authorization message is invalid or has expired.');
        }
        return { DecodedMessage: decoded };
      },
    } satisfies Partial<StsApi>,
  };
}

const MESSAGE_PREFIX = 'lsam1:';

/**
 * Encodes an authorization failure the way DecodeAuthorizationMessage reads it back
 * (for services that deny requests once IAM enforcement exists).
 */
export function encodeAuthorizationMessage(message: Record<string, unknown>): string {
  return Buffer.from(MESSAGE_PREFIX + JSON.stringify(message)).toString('base64url');
}

function decodeAuthorizationMessage(encoded: string): string | undefined {
  const text = Buffer.from(encoded, 'base64url').toString('utf8');
  if (!text.startsWith(MESSAGE_PREFIX)) return undefined;
  const json = text.slice(MESSAGE_PREFIX.length);
  try {
    JSON.parse(json);
    return json;
  } catch {
    return undefined;
  }
}
