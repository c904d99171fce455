/**
 * Parameter Store's operations (PutParameter, GetParameter(s), GetParametersByPath,
 * DescribeParameters, DeleteParameter(s), GetParameterHistory, (Un)LabelParameterVersion and
 * the tagging operations for ResourceType=Parameter) as one operation table, which
 * provider.ts spreads into SSM's. State is the account-and-region store `parameters`; the
 * public parameters (public-parameters.ts) and Secrets Manager references
 * (secret-references.ts) are read beside it, never stored.
 */
import { parseArn } from '../../aws/arns.js';
import { ServiceError } from '../../aws/errors.js';
import { paginate } from '../../aws/pagination.js';
import type { AccountRegionStore } from '../../state/store.js';
import type { OperationContext, ProviderContext } from '../provider.js';
import type { SsmApi } from './api.generated.js';
import { ssmError } from './errors.js';
import { compileLegacyFilters, compileParameterFilters, isUnderPath } from './filters.js';
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
  type Reference,
  type Resolved,
  type SsmState,
  type StoredParameter,
  type StoredVersion,
} from './parameters.js';
import { findPublicParameter, isPublicName, publicArn, publicParametersUnder } from './public-parameters.js';
import { putParameter } from './put-parameter.js';
import { isSecretReference, readSecretReference } from './secret-references.js';
import {
  INVALID_PATH,
  invalidNextToken,
  isValidLabel,
  isValidPath,
  MAX_LABELS_PER_VERSION,
  mergeTags,
  nameError,
  parameterNotFound,
  reservedNameError,
  validation,
  versionNotFound,
} from './validation.js';

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Parameter Store's handlers, for provider.ts to spread into SSM's operation table. */
export function parameterOperations(context: ProviderContext, store: AccountRegionStore<SsmState>) {
  const stateOf = (ctx: OperationContext) => store.get(ctx.accountId, ctx.region);
  /** Records that a parameter was written or deleted (see runtime/state/store.ts). */
  const changed = (ctx: OperationContext, name: string) => store.changed(ctx.accountId, ctx.region, 'parameters', name);

  /**
   * The version a `name[:selector]` reference names, in the account's store or among the
   * public parameters; throws as GetParameter does.
   */
  function lookup(ctx: OperationContext, ref: Reference): Resolved {
    if (isPublicName(ref.name)) {
      const found = findPublicParameter(ctx.region, ref.name);
      if (!found) throw parameterNotFound();
      const state = newState();
      state.parameters[found.name] = found;
      return resolve(state, ref);
    }
    return resolve(stateOf(ctx), ref);
  }

  /** GetParameter's Parameter for a name or ARN (not a Secrets Manager reference). */
  function readStored(ctx: OperationContext, text: string, decrypt: boolean) {
    const ref = parseReference(ctx, text);
    if (ref instanceof ServiceError) throw ref;
    const { parameter, version, selector } = lookup(ctx, ref);
    // GetParameter echoes the name as written (`/x` for a parameter kept as `x`), not an ARN
    const answer = toParameter(ctx, parameter, version, decrypt, selector, ref.byArn ? undefined : ref.name);
    return isPublicName(parameter.name) ? { ...answer, ARN: publicArn(ctx.region, parameter.name) } : answer;
  }

  type Answer = ReturnType<typeof readStored> | Awaited<ReturnType<typeof readSecretReference>>;

  /** Its answer, or the ServiceError GetParameter would throw (GetParameters lists it as invalid). */
  function attempt(read: () => Answer): Answer | ServiceError {
    try {
      return read();
    } catch (error) {
      if (error instanceof ServiceError) return error;
      throw error;
    }
  }

  /** GetParameters' answer from each name's answer or error, in the order of `names`. */
  function listed(names: readonly string[], results: ReadonlyArray<Answer | ServiceError>) {
    const parameters: Answer[] = [];
    const invalid: string[] = [];
    results.forEach((result, i) => (result instanceof ServiceError ? invalid.push(names[i]!) : parameters.push(result)));
    // "listed in alphabetical order" (GetParameters' API reference)
    parameters.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    return { Parameters: parameters, InvalidParameters: invalid };
  }

  /** A parameter of the account by name or ARN (no selector), or undefined / the reference's error. */
  function parameterNamed(ctx: OperationContext, text: string): StoredParameter | ServiceError | undefined {
    const ref = parseReference(ctx, text, false);
    if (ref instanceof ServiceError) return ref;
    return findParameter(stateOf(ctx), ref.name);
  }

  function existingParameter(ctx: OperationContext, text: string): StoredParameter {
    const found = parameterNamed(ctx, text);
    if (found instanceof ServiceError) throw found;
    if (!found) throw parameterNotFound();
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
      const decrypt = input.WithDecryption === true;
      // only a Secrets Manager reference waits (on another service): every other read stays synchronous
      if (isSecretReference(input.Name)) return readSecretReference(context.client, ctx, input.Name, decrypt).then((Parameter) => ({ Parameter }));
      return { Parameter: readStored(ctx, input.Name, decrypt) };
    },

    GetParameters(ctx, input) {
      const names = unique<string>(input.Names);
      const decrypt = input.WithDecryption === true;
      if (!names.some(isSecretReference)) return listed(names, names.map((text) => attempt(() => readStored(ctx, text, decrypt))));
      const results = names.map((text) =>
        isSecretReference(text)
          ? readSecretReference(context.client, ctx, text, decrypt).catch((error: unknown) => {
              if (error instanceof ServiceError) return error;
              throw error;
            })
          : attempt(() => readStored(ctx, text, decrypt)),
      );
      return Promise.all(results).then((settled) => listed(names, settled));
    },

    GetParametersByPath(ctx, input) {
      const path: string = input.Path;
      if (!isValidPath(path)) throw validation(INVALID_PATH);
      const select = compileParameterFilters(input.ParameterFilters, 'path');
      const recursive = input.Recursive === true;
      const matched: Array<[StoredParameter, StoredVersion]> = [];
      // `/aws/service/...` lists the public parameters, never the account's own
      const candidates = isPublicName(path.endsWith('/') ? path : `${path}/`)
        ? publicParametersUnder(ctx.region, path, recursive, isUnderPath)
        : sortedParameters(stateOf(ctx)).filter((p) => isUnderPath(p.name, path, recursive));
      for (const parameter of candidates) {
        const version = select(parameter);
        if (version) matched.push([parameter, version]);
      }
      const { page, nextToken } = paginate(matched, { scope: 'GetParametersByPath', key: ([p]) => p.name, nextToken: input.NextToken, max: input.MaxResults ?? 10, invalidToken: invalidNextToken });
      const decrypt = input.WithDecryption === true;
      const answer = (p: StoredParameter, v: StoredVersion) =>
        isPublicName(p.name) ? { ...toParameter(ctx, p, v, decrypt), ARN: publicArn(ctx.region, p.name) } : toParameter(ctx, p, v, decrypt);
      return { Parameters: page.map(([p, v]) => answer(p, v)), NextToken: nextToken };
    },

    DeleteParameter(ctx, input) {
      const text: string = input.Name;
      const reserved = parseArn(text) || nameError(text) ? undefined : reservedNameError(text);
      if (reserved) throw reserved;
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
  return operations;
}
