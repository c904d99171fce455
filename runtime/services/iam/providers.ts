/**
 * Identity providers: OpenID Connect (by issuer URL, with client ids and thumbprints) and
 * SAML (by name, with its metadata document). Each is named by its ARN:
 * `oidc-provider/<url without https://>`, `saml-provider/<name>`.
 */
import type { IamApi } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import { addTags, date, iamArn, tagsOut, type Iam } from './common.js';
import { iamError } from './errors.js';
import type { IamState, StoredOidcProvider, StoredSamlProvider } from './state.js';

/** The most client ids / thumbprints an OIDC provider holds (AWS's quotas). */
const MAX_CLIENT_IDS = 100;
const MAX_THUMBPRINTS = 5;

/** An OIDC provider by ARN, NoSuchEntity in AWS's words otherwise. */
export function findOidc(state: IamState, arn: string): StoredOidcProvider {
  const provider = state.oidcProviders[arn];
  if (!provider) throw iamError('NoSuchEntityException', `OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

/** A SAML provider by ARN, NoSuchEntity otherwise. */
export function findSaml(state: IamState, arn: string): StoredSamlProvider {
  const provider = state.samlProviders[arn];
  if (!provider) throw iamError('NoSuchEntityException', `SAMLProvider not found for arn ${arn}`);
  return provider;
}

/** The URL as the ARN and GetOpenIDConnectProvider show it: without its scheme. */
function hostAndPath(url: string): string {
  return url.replace(/^https:\/\//i, '');
}

/** A SAML metadata document must at least be an EntityDescriptor (AWS reads it). */
function checkMetadata(document: string): void {
  if (!/<(\w+:)?EntityDescriptor[\s>]/.test(document)) throw iamError('InvalidInputException', 'Could not parse metadata');
}

/** The OIDC and SAML provider operations. */
export function providerOperations(iam: Iam) {
  const { store } = iam;
  const oidcChanged = (ctx: OperationContext, arn: string) => store.changed(ctx, 'oidcProviders', arn);
  return {
    CreateOpenIDConnectProvider(ctx, input) {
      const state = store.of(ctx);
      if (!/^https:\/\/[^\s/]+/i.test(input.Url)) throw iamError('InvalidInputException', 'Invalid Open ID Connect Provider URL');
      const clientIds = input.ClientIDList ?? [];
      const thumbprints = input.ThumbprintList ?? [];
      if (thumbprints.length > MAX_THUMBPRINTS) throw iamError('InvalidInputException', `Thumbprint list must contain fewer than ${MAX_THUMBPRINTS + 1} entries.`);
      if (clientIds.length > MAX_CLIENT_IDS) throw iamError('LimitExceededException', `Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
      const arn = iamArn(ctx, 'oidc-provider', '/', hostAndPath(input.Url));
      if (state.oidcProviders[arn]) throw iamError('EntityAlreadyExistsException', `Provider with url ${input.Url} already exists.`);
      const tags = addTags({}, input.Tags);
      state.oidcProviders[arn] = { arn, url: hostAndPath(input.Url), clientIds: [...new Set(clientIds)], thumbprints: [...thumbprints], created: iam.now(), tags };
      oidcChanged(ctx, arn);
      return { OpenIDConnectProviderArn: arn, Tags: tagsOut(tags) };
    },

    GetOpenIDConnectProvider(ctx, input) {
      const p = findOidc(store.of(ctx), input.OpenIDConnectProviderArn);
      return { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, CreateDate: date(p.created), Tags: tagsOut(p.tags) };
    },

    DeleteOpenIDConnectProvider(ctx, input) {
      // AWS answers success for a provider that does not exist
      const state = store.of(ctx);
      if (state.oidcProviders[input.OpenIDConnectProviderArn]) {
        delete state.oidcProviders[input.OpenIDConnectProviderArn];
        oidcChanged(ctx, input.OpenIDConnectProviderArn);
      }
      return {};
    },

    ListOpenIDConnectProviders(ctx) {
      const state = store.of(ctx);
      return { OpenIDConnectProviderList: Object.keys(state.oidcProviders).sort().map((Arn) => ({ Arn })) };
    },

    AddClientIDToOpenIDConnectProvider(ctx, input) {
      const p = findOidc(store.of(ctx), input.OpenIDConnectProviderArn);
      if (!p.clientIds.includes(input.ClientID)) {
        if (p.clientIds.length >= MAX_CLIENT_IDS) throw iamError('LimitExceededException', `Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
        p.clientIds.push(input.ClientID);
        oidcChanged(ctx, p.arn);
      }
      return {};
    },

    RemoveClientIDFromOpenIDConnectProvider(ctx, input) {
      const p = findOidc(store.of(ctx), input.OpenIDConnectProviderArn);
      p.clientIds = p.clientIds.filter((c) => c !== input.ClientID);
      oidcChanged(ctx, p.arn);
      return {};
    },

    UpdateOpenIDConnectProviderThumbprint(ctx, input) {
      const p = findOidc(store.of(ctx), input.OpenIDConnectProviderArn);
      if (input.ThumbprintList.length > MAX_THUMBPRINTS) throw iamError('InvalidInputException', `Thumbprint list must contain fewer than ${MAX_THUMBPRINTS + 1} entries.`);
      p.thumbprints = [...input.ThumbprintList];
      oidcChanged(ctx, p.arn);
      return {};
    },

    CreateSAMLProvider(ctx, input) {
      const state = store.of(ctx);
      checkMetadata(input.SAMLMetadataDocument);
      const arn = iamArn(ctx, 'saml-provider', '/', input.Name);
      if (state.samlProviders[arn]) throw iamError('EntityAlreadyExistsException', `SAMLProvider ${input.Name} already exists`);
      const tags = addTags({}, input.Tags);
      const now = iam.now();
      // AWS reads validUntil from the metadata; without one, a provider is valid for a century
      const validUntil = Date.parse(/validUntil="([^"]+)"/.exec(input.SAMLMetadataDocument)?.[1] ?? '') || now + 100 * 365 * 86400_000;
      state.samlProviders[arn] = { arn, name: input.Name, metadata: input.SAMLMetadataDocument, created: now, validUntil, tags };
      store.changed(ctx, 'samlProviders', arn);
      return { SAMLProviderArn: arn, Tags: tagsOut(tags) };
    },

    GetSAMLProvider(ctx, input) {
      const p = findSaml(store.of(ctx), input.SAMLProviderArn);
      return { SAMLMetadataDocument: p.metadata, CreateDate: date(p.created), ValidUntil: date(p.validUntil), Tags: tagsOut(p.tags) };
    },

    UpdateSAMLProvider(ctx, input) {
      const p = findSaml(store.of(ctx), input.SAMLProviderArn);
      if (input.SAMLMetadataDocument !== undefined) {
        checkMetadata(input.SAMLMetadataDocument);
        p.metadata = input.SAMLMetadataDocument;
      }
      store.changed(ctx, 'samlProviders', p.arn);
      return { SAMLProviderArn: p.arn };
    },

    DeleteSAMLProvider(ctx, input) {
      const state = store.of(ctx);
      findSaml(state, input.SAMLProviderArn);
      delete state.samlProviders[input.SAMLProviderArn];
      store.changed(ctx, 'samlProviders', input.SAMLProviderArn);
      return {};
    },

    ListSAMLProviders(ctx) {
      const state = store.of(ctx);
      return {
        SAMLProviderList: Object.keys(state.samlProviders)
          .sort()
          .map((arn) => {
            const p = state.samlProviders[arn]!;
            return { Arn: arn, ValidUntil: date(p.validUntil), CreateDate: date(p.created) };
          }),
      };
    },
  } satisfies Partial<IamApi>;
}
