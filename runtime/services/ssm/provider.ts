/**
 * SSM Parameter Store: parameters with versions, labels, tags, selectors, hierarchy
 * listings and descriptions, per account and region.
 *
 * The rules live next to what they govern: validation.ts (names, values, tiers, labels,
 * tags), put-parameter.ts (PutParameter), filters.ts (ParameterFilters and legacy Filters),
 * parameters.ts (stored shape, selectors, response shapes).
 *
 * LIMITATIONS: SecureString values are not encrypted with KMS: KeyId is stored but not looked
 * up (no InvalidKeyId), and reading without WithDecryption returns a stable opaque stand-in
 * (`kms:<KeyId>:<digest>`), not a real ciphertext. Parameter policies are checked and
 * returned but never act (nothing expires, no notifications; PolicyStatus stays Pending).
 * Public parameters (/aws/service/...), shared parameters of other accounts (ARNs of another
 * account or region are reported as not found), and /aws/reference/secretsmanager references
 * are not emulated, so SourceResult is never returned. DescribeParameters' Shared flag is
 * ignored. aws:ec2:image values are not checked against EC2 and aws:ssm:integration values
 * are not checked at all. LastModifiedUser is always the account root
 * (arn:aws:iam::ACCOUNT:root), because callers' identities are not tracked. IAM is not
 * enforced. Only ResourceType=Parameter can be tagged. Parameter Store's throughput limits
 * (TooManyUpdates, ThrottlingException) and the account-wide parameter quota
 * (ParameterLimitExceeded) are not emulated. AllowedPattern is evaluated with JavaScript
 * regular expressions, which differ from Java's in rare constructs. ParameterNotFound says
 * `Parameter NAME not found.` as LocalStack does, where AWS sends an empty message.
 */
import { ServiceError } from '../../aws/errors.js';
import type { OperationContext, Provider, ProviderContext } from '../provider.js';
import type { SsmApi } from './api.generated.js';
import { compileLegacyFilters, compileParameterFilters, isUnderPath } from './filters.js';
import { paginate } from '../../aws/pagination.js';
import {
  current,
  findParameter,
  findVersion,
  newState,
  parseReference,
  removeParameter,
  resolve,
  sortedParameters,
  toHistory,
  toMetadata,
  toParameter,
  versionList,
  type Resolved,
  type SsmState,
  type StoredParameter,
  type StoredVersion,
} from './parameters.js';
import { putParameter } from './put-parameter.js';
import {
  INVALID_PATH,
  invalidNextToken,
  isValidLabel,
  isValidPath,
  MAX_LABELS_PER_VERSION,
  mergeTags,
  parameterNotFound,
  validation,
  versionNotFound,
} from './validation.js';
import { ssmError } from './errors.js';
import { ssmTaggedResources } from './tagged-resources.js';


function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

export function createProvider(context: ProviderContext): Provider {
  const store = context.state.accountRegion<SsmState>('parameters', newState);
  const stateOf = (ctx: OperationContext) => store.get(ctx.accountId, ctx.region);
  /** Records that a parameter was written or deleted (see runtime/state/store.ts). */
  const changed = (ctx: OperationContext, name: string) => store.changed(ctx.accountId, ctx.region, 'parameters', name);

  /** The version a `name[:selector]` reference names; throws as GetParameter does. */
  function lookup(ctx: OperationContext, text: string): Resolved {
    const ref = parseReference(ctx, text);
    if (ref instanceof ServiceError) throw ref;
    return resolve(stateOf(ctx), ref);
  }

  /** A parameter by name or ARN (no selector), or undefined / the reference's error. */
  function parameterNamed(ctx: OperationContext, text: string): StoredParameter | ServiceError | undefined {
    const ref = parseReference(ctx, text, false);
    if (ref instanceof ServiceError) return ref;
    const state = stateOf(ctx);
    for (const name of ref.names) {
      const found = findParameter(state, name);
      if (found) return found;
    }
    return undefined;
  }

  function existingParameter(ctx: OperationContext, text: string): StoredParameter {
    const found = parameterNamed(ctx, text);
    if (found instanceof ServiceError) throw found;
    if (!found) throw parameterNotFound(text);
    return found;
  }

  function versionOf(parameter: StoredParameter, number: number | undefined): StoredVersion {
    if (number === undefined) return current(parameter);
    const version = findVersion(parameter, number);
    if (!version) throw versionNotFound(parameter.name, number);
    return version;
  }

  /** The parameter a tagging call addresses (only ResourceType=Parameter has tags here). */
  function taggedParameter(ctx: OperationContext, input: { ResourceType: string; ResourceId: string }): StoredParameter {
    if (input.ResourceType !== 'Parameter') {
      throw ssmError(
        'InvalidResourceType',
        "The resource type isn't valid. For example, if you are attempting to tag an EC2 instance, the instance must be a registered managed node.",
      );
    }
    const found = parameterNamed(ctx, input.ResourceId);
    if (!found || found instanceof ServiceError) {
      throw ssmError('InvalidResourceId', "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
    }
    return found;
  }

  const operations = {
    PutParameter(ctx, input) {
      // marks only what changed (a new version, the evicted one): the history stays put
      return putParameter(stateOf(ctx), ctx, input, (...path) => store.changed(ctx.accountId, ctx.region, 'parameters', ...path));
    },

    GetParameter(ctx, input) {
      const { parameter, version, selector } = lookup(ctx, input.Name);
      return { Parameter: toParameter(ctx, parameter, version, input.WithDecryption === true, selector) };
    },

    GetParameters(ctx, input) {
      const names: string[] = input.Names;
      const state = stateOf(ctx);
      const parameters = [];
      const invalid: string[] = [];
      for (const text of unique(names)) {
        const ref = parseReference(ctx, text);
        if (ref instanceof ServiceError) {
          invalid.push(text);
          continue;
        }
        try {
          const { parameter, version, selector } = resolve(state, ref);
          parameters.push(toParameter(ctx, parameter, version, input.WithDecryption === true, selector));
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          invalid.push(text);
        }
      }
      return { Parameters: parameters, InvalidParameters: invalid };
    },

    GetParametersByPath(ctx, input) {
      const path: string = input.Path;
      if (!isValidPath(path)) throw validation(INVALID_PATH);
      const select = compileParameterFilters(input.ParameterFilters, 'path');
      const recursive = input.Recursive === true;
      const matched: Array<[StoredParameter, StoredVersion]> = [];
      for (const parameter of sortedParameters(stateOf(ctx))) {
        if (!isUnderPath(parameter.name, path, recursive)) continue;
        const version = select(parameter);
        if (version) matched.push([parameter, version]);
      }
      const { page, nextToken } = paginate(matched, { scope: 'GetParametersByPath', key: ([p]) => p.name, nextToken: input.NextToken, max: input.MaxResults ?? 10, invalidToken: invalidNextToken });
      const decrypt = input.WithDecryption === true;
      return { Parameters: page.map(([p, v]) => toParameter(ctx, p, v, decrypt)), NextToken: nextToken };
    },

    DeleteParameter(ctx, input) {
      const { name } = existingParameter(ctx, input.Name);
      removeParameter(stateOf(ctx), name);
      changed(ctx, name);
      return {};
    },

    DeleteParameters(ctx, input) {
      const names: string[] = input.Names;
      const deleted: string[] = [];
      const invalid: string[] = [];
      for (const text of unique(names)) {
        const found = parameterNamed(ctx, text);
        if (found && !(found instanceof ServiceError) && removeParameter(stateOf(ctx), found.name)) {
          changed(ctx, found.name);
          deleted.push(text);
        } else {
          invalid.push(text);
        }
      }
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    },

    DescribeParameters(ctx, input) {
      if (input.Filters !== undefined && input.ParameterFilters !== undefined) {
        throw validation('You can use either Filters or ParameterFilters in a single request.');
      }
      const select = input.Filters !== undefined ? compileLegacyFilters(input.Filters) : compileParameterFilters(input.ParameterFilters, 'describe');
      const matched = sortedParameters(stateOf(ctx)).filter((p) => select(p) !== undefined);
      const { page, nextToken } = paginate(matched, { scope: 'DescribeParameters', key: (p) => p.name, nextToken: input.NextToken, max: input.MaxResults ?? 10, invalidToken: invalidNextToken });
      return { Parameters: page.map((p) => toMetadata(ctx, p)), NextToken: nextToken };
    },

    GetParameterHistory(ctx, input) {
      const parameter = existingParameter(ctx, input.Name);
      const { page, nextToken } = paginate(versionList(parameter), { scope: 'GetParameterHistory', key: (v) => v.version, nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken });
      const decrypt = input.WithDecryption === true;
      return { Parameters: page.map((v) => toHistory(parameter, v, decrypt)), NextToken: nextToken };
    },

    LabelParameterVersion(ctx, input) {
      const labels: string[] = input.Labels;
      const parameter = existingParameter(ctx, input.Name);
      const target = versionOf(parameter, input.ParameterVersion);
      const valid = unique(labels.filter(isValidLabel));
      const adding = valid.filter((l) => !target.labels.includes(l));
      if (target.labels.length + adding.length > MAX_LABELS_PER_VERSION) {
        throw ssmError(
          'ParameterVersionLabelLimitExceeded',
          'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
        );
      }
      // a label names one version: applying it again moves it here
      for (const version of versionList(parameter)) {
        if (version !== target) version.labels = version.labels.filter((l) => !valid.includes(l));
      }
      target.labels.push(...adding);
      changed(ctx, parameter.name);
      return { InvalidLabels: labels.filter((l) => !isValidLabel(l)), ParameterVersion: target.version };
    },

    UnlabelParameterVersion(ctx, input) {
      const labels: string[] = input.Labels;
      const parameter = existingParameter(ctx, input.Name);
      const target = versionOf(parameter, input.ParameterVersion);
      const requested = unique(labels);
      const removed = requested.filter((l) => target.labels.includes(l));
      target.labels = target.labels.filter((l) => !removed.includes(l));
      changed(ctx, parameter.name);
      return { RemovedLabels: removed, InvalidLabels: requested.filter((l) => !removed.includes(l)) };
    },

    AddTagsToResource(ctx, input) {
      const parameter = taggedParameter(ctx, input);
      parameter.tags = mergeTags(parameter.tags, input.Tags);
      changed(ctx, parameter.name);
      return {};
    },

    RemoveTagsFromResource(ctx, input) {
      const keys: string[] = input.TagKeys;
      const parameter = taggedParameter(ctx, input);
      parameter.tags = parameter.tags.filter((t) => !keys.includes(t.Key));
      changed(ctx, parameter.name);
      return {};
    },

    ListTagsForResource(ctx, input) {
      const parameter = taggedParameter(ctx, input);
      return { TagList: parameter.tags.map((t) => ({ ...t })) };
    },
  } satisfies Partial<SsmApi>;
  return { operations, taggedResources: ssmTaggedResources(store) };
}
