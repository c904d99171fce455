/**
 * PutParameter on its own, because it carries most of Parameter Store's rules: the service's
 * checks in the order it applies them (the model's constraints have been checked before the
 * handler runs), then a new version. An overwrite keeps the metadata the request leaves out (type, description,
 * allowed pattern, key, data type, tier, policies) and the parameter's tags. A top-level name
 * is stored without its slash (names.ts), so `/x` and `x` are one parameter.
 */
import type { PutParameterInput } from './api.generated.js';
import { ServiceError } from '../../aws/errors.js';
import type { OperationContext } from '../provider.js';
import { record } from '../../state/store.js';
import { callerArn, current, findParameter, oldestVersion, storeParameter, type SsmState, type StoredVersion } from './parameters.js';
import { checkKeyId } from './keys.js';
import { canonicalName } from './names.js';
import { parsePolicies } from './policies.js';
import {
  checkAllowedPattern,
  checkDataType,
  checkNameForPut,
  checkValueLength,
  DEFAULT_KEY_ID,
  MAX_VERSIONS,
  mergeTags,
  resolveTier,
  validation,
  type ParameterType,
  type StoredTier,
} from './validation.js';
import { ssmError } from './errors.js';

const TAGS_AND_OVERWRITE =
  "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. " +
  'To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.';

function maxVersionsReached(name: string, oldest: number): ServiceError {
  return ssmError(
    'ParameterMaxVersionLimitExceeded',
    `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest}, ` +
      "the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the " +
      'parameter, and try again.',
  );
}

/**
 * PutParameter. `changed` is told each path (from the parameter's name down) that changed,
 * for persistence: a new parameter as a whole, else the new version, the evicted one and
 * `latest`.
 */
export function putParameter(state: SsmState, ctx: OperationContext, input: PutParameterInput, changed: (...path: string[]) => void): { Version: number; Tier: StoredTier } {
  checkValueLength(input.Value);

  const name: string = input.Name;
  checkNameForPut(name);
  if (input.DataType !== undefined) checkDataType(input.DataType);
  const overwrite = input.Overwrite === true;
  if (overwrite && input.Tags !== undefined && input.Tags.length > 0) throw validation(TAGS_AND_OVERWRITE);

  const existing = findParameter(state, name);
  if (existing && !overwrite) {
    throw ssmError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  }
  const previous = existing ? current(existing) : undefined;
  const type = (input.Type as ParameterType | undefined) ?? previous?.type; // an enum of the model
  if (!type) throw validation('A parameter type is required when you create a parameter.');

  const value: string = input.Value;
  const policies = input.Policies !== undefined ? parsePolicies(input.Policies) : (previous?.policies ?? []);
  const tier = resolveTier(input.Tier, previous?.tier, value.length, policies.length > 0);
  const allowedPattern: string | undefined = input.AllowedPattern ?? previous?.allowedPattern;
  checkAllowedPattern(allowedPattern, value);
  const tags = existing ? existing.tags : mergeTags([], input.Tags ?? []);

  let keyId: string | undefined;
  if (type === 'SecureString') {
    if (input.KeyId !== undefined) checkKeyId(ctx, input.KeyId);
    keyId = input.KeyId ?? (previous?.type === 'SecureString' ? previous.keyId : undefined) ?? DEFAULT_KEY_ID;
  }

  const version: StoredVersion = {
    version: (previous?.version ?? 0) + 1,
    value,
    type,
    description: input.Description ?? previous?.description,
    allowedPattern,
    keyId,
    tier,
    policies,
    dataType: input.DataType ?? previous?.dataType ?? 'text',
    labels: [],
    lastModified: Date.now(),
    lastModifiedUser: callerArn(ctx),
  };

  if (existing) {
    // Parameter Store keeps 100 versions: the oldest goes, unless a label holds it. Versions
    // are kept from the oldest to the latest without gaps, so 100 are kept exactly when the
    // one 99 before the latest is (no walk over the history on every put).
    if (Object.hasOwn(existing.versions, existing.latest - MAX_VERSIONS + 1)) {
      const oldest = oldestVersion(existing);
      if (oldest.labels.length > 0) throw maxVersionsReached(name, oldest.version);
      delete existing.versions[oldest.version];
      changed(existing.name, 'versions', String(oldest.version));
    }
    existing.versions[version.version] = version;
    existing.latest = version.version;
    changed(existing.name, 'versions', String(version.version));
    changed(existing.name, 'latest');
  } else {
    const versions = record<StoredVersion>();
    versions[version.version] = version;
    // `/x` is kept as `x` (names.ts)
    const stored = canonicalName(name);
    storeParameter(state, { name: stored, versions, latest: version.version, tags });
    changed(stored);
  }
  return { Version: version.version, Tier: tier };
}
