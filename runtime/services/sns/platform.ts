/**
 * Platform applications and endpoints (mobile push), stored as AWS reports them: nothing is
 * pushed to a real platform, and the credentials (PlatformCredential, PlatformPrincipal) are
 * checked for pairing but not kept (AWS never returns them). A Publish to an endpoint ARN is
 * recorded (state `endpointMessages`) for LocalStack's `/_aws/sns/platform-endpoint-messages`.
 *
 * ARNs: `app/<platform>/<name>` and `endpoint/<platform>/<name>/<uuid>`. CreatePlatformEndpoint
 * is idempotent per token (the same attributes answer the same ARN, others are refused).
 * Messages are AWS's as LocalStack's snapshot tests record them.
 */
import { arnFor, parseArn } from '../../aws/arns.js';
import { uuid } from '../../aws/ids.js';
import { paginate } from '../../aws/pagination.js';
import { record } from '../../state/store.js';
import type { OperationContext } from '../provider.js';
import type { SnsApi } from './api.generated.js';
import { snsError } from './errors.js';
import type { SnsStateAccess, StoredApplication, StoredEndpoint } from './state.js';

const PLATFORMS = new Set(['ADM', 'APNS', 'APNS_SANDBOX', 'BAIDU', 'GCM', 'MPNS', 'WNS']);
const ENDPOINT_ATTRIBUTES = new Set(['CustomUserData', 'Enabled', 'Token']);

function invalid(what: string): Error {
  return snsError('InvalidParameterException', `Invalid parameter: ${what}`);
}

function checkEndpointAttributes(attributes: Record<string, string>): void {
  for (const key of Object.keys(attributes)) if (!ENDPOINT_ATTRIBUTES.has(key)) throw invalid(`Attributes Reason: Invalid attribute name: ${key}`);
  if (Buffer.byteLength(attributes.CustomUserData ?? '') > 2048) throw invalid('Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding');
}

/** The caller's endpoint an ARN names, if any. */
export function findEndpoint(state: SnsStateAccess, ctx: OperationContext, arn: string): StoredEndpoint | undefined {
  return state.of(ctx).endpoints[arn];
}

export function platformOperations(state: SnsStateAccess) {
  function application(ctx: OperationContext, arn: string): StoredApplication {
    const app = state.of(ctx).applications[arn];
    if (!app) throw snsError('NotFoundException', 'PlatformApplication does not exist');
    return app;
  }
  function endpoint(ctx: OperationContext, arn: string): StoredEndpoint {
    const found = state.of(ctx).endpoints[arn];
    if (!found) throw snsError('NotFoundException', 'Endpoint does not exist');
    return found;
  }
  const byArn = <T extends { arn: string }>(x: T, y: T) => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0);

  return {
    CreatePlatformApplication(ctx, input) {
      if (!/^[A-Za-z0-9_.-]{1,256}$/.test(input.Name)) throw invalid(`Name Reason: ${input.Name} is not a valid platform application name`);
      if (!PLATFORMS.has(input.Platform)) throw invalid(`Platform Reason: ${input.Platform} is not supported`);
      const attributes: Record<string, string> = Object.assign(record<string>(), { Enabled: 'true' }, input.Attributes);
      if ('PlatformCredential' in attributes && !('PlatformPrincipal' in attributes) && input.Platform.startsWith('APNS')) throw invalid('Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal');
      if ('PlatformPrincipal' in attributes && !('PlatformCredential' in attributes)) throw invalid('Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential');
      delete attributes.PlatformCredential;
      delete attributes.PlatformPrincipal;
      const arn = arnFor(ctx, 'sns', `app/${input.Platform}/${input.Name}`);
      state.of(ctx).applications[arn] = { arn, name: input.Name, platform: input.Platform, attributes };
      state.platformChanged(ctx, 'applications', arn);
      return { PlatformApplicationArn: arn };
    },
    GetPlatformApplicationAttributes(ctx, input) {
      return { Attributes: application(ctx, input.PlatformApplicationArn).attributes };
    },
    SetPlatformApplicationAttributes(ctx, input) {
      if (!parseArn(input.PlatformApplicationArn)) throw invalid(`PlatformApplicationArn Reason: An ARN must have at least 6 elements, not ${input.PlatformApplicationArn.split(':').length}`);
      const app = application(ctx, input.PlatformApplicationArn);
      const { PlatformCredential: _c, PlatformPrincipal: _p, ...rest } = input.Attributes;
      Object.assign(app.attributes, rest);
      state.platformChanged(ctx, 'applications', app.arn);
      return {};
    },
    ListPlatformApplications(ctx, input) {
      const all = Object.values(state.of(ctx).applications).sort(byArn);
      const { page, nextToken } = paginate(all, { scope: 'sns:ListPlatformApplications', key: (a) => a.arn, nextToken: input.NextToken, max: 100, invalidToken: () => invalid('NextToken') });
      return { PlatformApplications: page.map((a) => ({ PlatformApplicationArn: a.arn, Attributes: a.attributes })), NextToken: nextToken };
    },
    DeletePlatformApplication(ctx, input) {
      const s = state.of(ctx);
      if (s.applications[input.PlatformApplicationArn]) {
        delete s.applications[input.PlatformApplicationArn];
        state.platformChanged(ctx, 'applications', input.PlatformApplicationArn);
      }
      return {};
    },

    CreatePlatformEndpoint(ctx, input) {
      const app = application(ctx, input.PlatformApplicationArn);
      const given = { ...(input.Attributes ?? {}) };
      checkEndpointAttributes(given);
      if (input.CustomUserData !== undefined && given.CustomUserData === undefined) given.CustomUserData = input.CustomUserData;
      const attributes: Record<string, string> = Object.assign(record<string>(), { Enabled: 'true', Token: input.Token }, given);
      const s = state.of(ctx);
      const existing = Object.values(s.endpoints).find((e) => e.applicationArn === app.arn && e.attributes.Token === input.Token);
      if (existing) {
        const same = JSON.stringify(Object.entries(existing.attributes).sort()) === JSON.stringify(Object.entries(attributes).sort());
        if (!same) throw invalid(`Token Reason: Endpoint ${existing.arn} already exists with the same Token, but different attributes.`);
        return { EndpointArn: existing.arn };
      }
      const arn = arnFor(ctx, 'sns', `endpoint/${app.platform}/${app.name}/${uuid()}`);
      s.endpoints[arn] = { arn, applicationArn: app.arn, attributes };
      state.platformChanged(ctx, 'endpoints', arn);
      return { EndpointArn: arn };
    },
    GetEndpointAttributes(ctx, input) {
      return { Attributes: endpoint(ctx, input.EndpointArn).attributes };
    },
    SetEndpointAttributes(ctx, input) {
      const found = endpoint(ctx, input.EndpointArn);
      checkEndpointAttributes(input.Attributes);
      Object.assign(found.attributes, input.Attributes);
      state.platformChanged(ctx, 'endpoints', found.arn);
      return {};
    },
    ListEndpointsByPlatformApplication(ctx, input) {
      const app = application(ctx, input.PlatformApplicationArn);
      const all = Object.values(state.of(ctx).endpoints).filter((e) => e.applicationArn === app.arn).sort(byArn);
      const { page, nextToken } = paginate(all, { scope: `sns:ListEndpointsByPlatformApplication:${app.arn}`, key: (e) => e.arn, nextToken: input.NextToken, max: 100, invalidToken: () => invalid('NextToken') });
      return { Endpoints: page.map((e) => ({ EndpointArn: e.arn, Attributes: e.attributes })), NextToken: nextToken };
    },
    DeleteEndpoint(ctx, input) {
      const s = state.of(ctx);
      if (s.endpoints[input.EndpointArn]) {
        delete s.endpoints[input.EndpointArn];
        state.platformChanged(ctx, 'endpoints', input.EndpointArn);
      }
      return {};
    },
  } satisfies Partial<SnsApi>;
}
