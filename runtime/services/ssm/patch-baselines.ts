/**
 * Patch baselines: Create/Get/Update/Delete/DescribePatchBaselines, patch groups
 * (RegisterPatchBaselineForPatchGroup, DeregisterPatchBaselineForPatchGroup, DescribePatchGroups,
 * GetPatchBaselineForPatchGroup) and the default baseline per operating system
 * (RegisterDefaultPatchBaseline, GetDefaultPatchBaseline).
 *
 * AWS's predefined baselines (one per operating system, patch-baseline-defaults.ts) are listed
 * with the account's own, named by their ARN as AWS names them, and are each operating system's
 * default until the account registers another. Their approval rules are not reproduced (an
 * empty rule group is returned). Nothing is ever patched.
 */
import { formatArn, parseArn } from '../../aws/arns.js';
import { randomHex } from '../../aws/ids.js';
import { paginate } from '../../aws/pagination.js';
import type { OperationContext } from '../provider.js';
import type { PatchBaselineIdentity, PatchOrchestratorFilter, SsmApi } from './api.generated.js';
import { ssmError } from './errors.js';
import { own, put, resourceId, type Ops, type StoredBaseline } from './ops-state.js';
import { DEFAULT_BASELINE_SYSTEMS, DEFAULT_BASELINES } from './patch-baseline-defaults.js';
import { invalidNextToken, mergeTags, validation } from './validation.js';

/** The names AWS gives its predefined baselines, by operating system. */
const PREDEFINED_NAMES: Record<string, [name: string, label: string]> = {
  ALMA_LINUX: ['AWS-AlmaLinuxDefaultPatchBaseline', 'AlmaLinux'],
  AMAZON_LINUX: ['AWS-AmazonLinuxDefaultPatchBaseline', 'Amazon Linux'],
  AMAZON_LINUX_2: ['AWS-AmazonLinux2DefaultPatchBaseline', 'Amazon Linux 2'],
  AMAZON_LINUX_2022: ['AWS-AmazonLinux2022DefaultPatchBaseline', 'Amazon Linux 2022'],
  AMAZON_LINUX_2023: ['AWS-AmazonLinux2023DefaultPatchBaseline', 'Amazon Linux 2023'],
  CENTOS: ['AWS-CentOSDefaultPatchBaseline', 'CentOS'],
  DEBIAN: ['AWS-DebianDefaultPatchBaseline', 'Debian'],
  MACOS: ['AWS-MacOSDefaultPatchBaseline', 'macOS'],
  ORACLE_LINUX: ['AWS-OracleLinuxDefaultPatchBaseline', 'Oracle Linux'],
  RASPBIAN: ['AWS-RaspbianDefaultPatchBaseline', 'Raspbian'],
  REDHAT_ENTERPRISE_LINUX: ['AWS-RedHatDefaultPatchBaseline', 'Redhat Enterprise Linux'],
  ROCKY_LINUX: ['AWS-RockyLinuxDefaultPatchBaseline', 'Rocky Linux'],
  SUSE: ['AWS-SuseDefaultPatchBaseline', 'Suse'],
  UBUNTU: ['AWS-UbuntuDefaultPatchBaseline', 'Ubuntu'],
  WINDOWS: ['AWS-DefaultPatchBaseline', 'Windows'],
};

const PREDEFINED_CREATED = Date.UTC(2018, 0, 1);

/** AWS's predefined baselines in a region (us-east-1's ids where the region is not listed). */
export function predefinedBaselines(region: string): StoredBaseline[] {
  const [account, ...ids] = DEFAULT_BASELINES[region] ?? DEFAULT_BASELINES['us-east-1']!;
  return DEFAULT_BASELINE_SYSTEMS.map((os, i) => {
    const [name, label] = PREDEFINED_NAMES[os]!;
    return {
      BaselineId: formatArn({ service: 'ssm', region, accountId: account, resource: `patchbaseline/${ids[i]}` }),
      Name: name,
      OperatingSystem: os,
      Description: os === 'WINDOWS' ? 'Default Patch Baseline Provided by AWS.' : `Default Patch Baseline for ${label} Provided by AWS.`,
      ApprovedPatches: [],
      ApprovedPatchesComplianceLevel: 'UNSPECIFIED',
      ApprovedPatchesEnableNonSecurity: false,
      RejectedPatches: [],
      RejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
      Sources: [],
      created: PREDEFINED_CREATED,
      modified: PREDEFINED_CREATED,
      tags: [],
    };
  });
}

/** DoesNotExistException for a baseline id. */
export function baselineNotFound(id: string): Error {
  return ssmError('DoesNotExistException', `Patch Baseline ${id} does not exist.`);
}

function prefixMatch(values: readonly string[], text: string): boolean {
  return values.some((v) => text.startsWith(v));
}

/** The patch baseline operations' slice of the operation table. */
export function patchBaselineOperations(ops: Ops) {
  const predefined = (ctx: OperationContext) => predefinedBaselines(ctx.region);

  /** An own baseline by id, or a predefined one by ARN or id. */
  function findBaseline(ctx: OperationContext, id: string): StoredBaseline | undefined {
    const mine = own(ops.state(ctx).baselines, id);
    if (mine) return mine;
    const arn = parseArn(id);
    return predefined(ctx).find((b) => b.BaselineId === id || (!arn && b.BaselineId.endsWith(`/${id}`)));
  }

  function baselineOf(ctx: OperationContext, id: string): StoredBaseline {
    const found = findBaseline(ctx, id);
    if (!found) throw baselineNotFound(id);
    return found;
  }

  function defaultFor(ctx: OperationContext, os: string): string {
    return own(ops.state(ctx).defaultBaselines, os) ?? predefined(ctx).find((b) => b.OperatingSystem === os)?.BaselineId ?? '';
  }

  function identity(ctx: OperationContext, b: StoredBaseline): PatchBaselineIdentity {
    const out: PatchBaselineIdentity = { BaselineId: b.BaselineId, BaselineName: b.Name, OperatingSystem: b.OperatingSystem };
    if (b.Description !== undefined) out.BaselineDescription = b.Description;
    out.DefaultBaseline = defaultFor(ctx, b.OperatingSystem) === b.BaselineId;
    return out;
  }

  function groupsOf(ctx: OperationContext, id: string): string[] {
    const groups = ops.state(ctx).patchGroups;
    return Object.keys(groups).filter((g) => Object.values(groups[g]!).includes(id)).sort();
  }

  /** GetPatchBaseline's and UpdatePatchBaseline's members, in the model's order. */
  function details(ctx: OperationContext, b: StoredBaseline, withGroups: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      BaselineId: b.BaselineId,
      Name: b.Name,
      OperatingSystem: b.OperatingSystem,
      GlobalFilters: structuredClone(b.GlobalFilters ?? { PatchFilters: [] }),
      ApprovalRules: structuredClone(b.ApprovalRules ?? { PatchRules: [] }),
      ApprovedPatches: [...b.ApprovedPatches],
      ApprovedPatchesComplianceLevel: b.ApprovedPatchesComplianceLevel,
      ApprovedPatchesEnableNonSecurity: b.ApprovedPatchesEnableNonSecurity,
      RejectedPatches: [...b.RejectedPatches],
      RejectedPatchesAction: b.RejectedPatchesAction,
    };
    if (withGroups) out.PatchGroups = groupsOf(ctx, b.BaselineId);
    out.CreatedDate = new Date(b.created);
    out.ModifiedDate = new Date(b.modified);
    if (b.Description !== undefined) out.Description = b.Description;
    out.Sources = structuredClone(b.Sources);
    if (b.AvailableSecurityUpdatesComplianceStatus !== undefined) out.AvailableSecurityUpdatesComplianceStatus = b.AvailableSecurityUpdatesComplianceStatus;
    return out;
  }

  function filtersOf(filters: readonly PatchOrchestratorFilter[] | undefined, allowed: readonly string[]): Array<[string, string[]]> {
    return (filters ?? []).map(({ Key: key = '', Values: values = [] }) => {
      if (!allowed.includes(key)) throw validation(`Invalid filter key ${key}. Valid filter keys are: ${allowed.join(', ')}.`);
      return [key, values];
    });
  }

  return {
    CreatePatchBaseline(ctx, input) {
      const tags = mergeTags([], input.Tags ?? []);
      const now = Date.now();
      const id = resourceId('pb', randomHex);
      const b: StoredBaseline = {
        BaselineId: id,
        Name: input.Name,
        OperatingSystem: input.OperatingSystem ?? 'WINDOWS',
        ApprovedPatches: [...(input.ApprovedPatches ?? [])],
        ApprovedPatchesComplianceLevel: input.ApprovedPatchesComplianceLevel ?? 'UNSPECIFIED',
        ApprovedPatchesEnableNonSecurity: input.ApprovedPatchesEnableNonSecurity ?? false,
        RejectedPatches: [...(input.RejectedPatches ?? [])],
        RejectedPatchesAction: input.RejectedPatchesAction ?? 'ALLOW_AS_DEPENDENCY',
        Sources: structuredClone(input.Sources ?? []),
        created: now,
        modified: now,
        tags,
      };
      if (input.Description !== undefined) b.Description = input.Description;
      if (input.GlobalFilters !== undefined) b.GlobalFilters = structuredClone(input.GlobalFilters);
      if (input.ApprovalRules !== undefined) b.ApprovalRules = structuredClone(input.ApprovalRules);
      if (input.AvailableSecurityUpdatesComplianceStatus !== undefined) b.AvailableSecurityUpdatesComplianceStatus = input.AvailableSecurityUpdatesComplianceStatus;
      put(ops.state(ctx).baselines, id, b);
      ops.changed(ctx, 'baselines', id);
      return { BaselineId: id };
    },

    GetPatchBaseline(ctx, input) {
      return details(ctx, baselineOf(ctx, input.BaselineId), true);
    },

    UpdatePatchBaseline(ctx, input) {
      const b = own(ops.state(ctx).baselines, input.BaselineId);
      if (!b) throw baselineNotFound(input.BaselineId);
      const replace = input.Replace === true;
      const set = <K extends keyof StoredBaseline>(key: K, value: StoredBaseline[K] | undefined, reset: StoredBaseline[K] | undefined) => {
        if (value !== undefined) b[key] = structuredClone(value);
        else if (replace) {
          if (reset === undefined) delete b[key];
          else b[key] = reset;
        }
      };
      set('Name', input.Name, b.Name);
      set('GlobalFilters', input.GlobalFilters, undefined);
      set('ApprovalRules', input.ApprovalRules, undefined);
      set('ApprovedPatches', input.ApprovedPatches, []);
      set('ApprovedPatchesComplianceLevel', input.ApprovedPatchesComplianceLevel, 'UNSPECIFIED');
      set('ApprovedPatchesEnableNonSecurity', input.ApprovedPatchesEnableNonSecurity, false);
      set('RejectedPatches', input.RejectedPatches, []);
      set('RejectedPatchesAction', input.RejectedPatchesAction, 'ALLOW_AS_DEPENDENCY');
      set('Description', input.Description, undefined);
      set('Sources', input.Sources, []);
      set('AvailableSecurityUpdatesComplianceStatus', input.AvailableSecurityUpdatesComplianceStatus, undefined);
      b.modified = Date.now();
      ops.changed(ctx, 'baselines', b.BaselineId);
      return details(ctx, b, false);
    },

    DeletePatchBaseline(ctx, input) {
      const state = ops.state(ctx);
      const id = input.BaselineId;
      if (own(state.baselines, id)) {
        if (groupsOf(ctx, id).length > 0 || Object.values(state.defaultBaselines).includes(id)) {
          throw ssmError('ResourceInUseException', `Patch Baseline ${id} is in use: deregister it from its patch groups and as a default baseline first.`);
        }
        delete state.baselines[id];
        ops.changed(ctx, 'baselines', id);
      }
      return { BaselineId: id };
    },

    DescribePatchBaselines(ctx, input) {
      const filters = filtersOf(input.Filters, ['NAME_PREFIX', 'OWNER', 'OPERATING_SYSTEM']);
      const mine = Object.values(ops.state(ctx).baselines);
      const all = [...predefined(ctx), ...mine].filter((b) =>
        filters.every(([key, values]) => {
          if (key === 'NAME_PREFIX') return prefixMatch(values, b.Name);
          if (key === 'OPERATING_SYSTEM') return values.includes(b.OperatingSystem);
          const self = mine.includes(b);
          return values.some((o) => o === 'All' || (o === 'Self' && self) || (o === 'AWS' && !self));
        }),
      );
      // AWS's first, then the account's, each by id: a stable order for the page tokens
      const keyed = all.map((b) => ({ b, key: `${mine.includes(b) ? 1 : 0}\u0000${b.BaselineId}` })).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const { page, nextToken } = paginate(keyed, { scope: `DescribePatchBaselines:${JSON.stringify(filters)}`, key: (x) => x.key, nextToken: input.NextToken, max: input.MaxResults ?? 100, invalidToken: invalidNextToken });
      return { BaselineIdentities: page.map(({ b }) => identity(ctx, b)), NextToken: nextToken };
    },

    RegisterPatchBaselineForPatchGroup(ctx, input) {
      const b = baselineOf(ctx, input.BaselineId);
      const groups = ops.state(ctx).patchGroups;
      const group = own(groups, input.PatchGroup) ?? {};
      const registered = own(group, b.OperatingSystem);
      if (registered !== undefined && registered !== b.BaselineId) {
        throw ssmError('AlreadyExistsException', `Patch Group baseline already has a baseline registered for OperatingSystem ${b.OperatingSystem}.`);
      }
      put(group, b.OperatingSystem, b.BaselineId);
      put(groups, input.PatchGroup, group);
      ops.changed(ctx, 'patchGroups', input.PatchGroup);
      return { BaselineId: input.BaselineId, PatchGroup: input.PatchGroup };
    },

    DeregisterPatchBaselineForPatchGroup(ctx, input) {
      const groups = ops.state(ctx).patchGroups;
      const group = own(groups, input.PatchGroup);
      const b = findBaseline(ctx, input.BaselineId);
      if (!group || !b || own(group, b.OperatingSystem) !== b.BaselineId) {
        throw ssmError('InvalidResourceId', `Patch Baseline ${input.BaselineId} is not registered with patch group ${input.PatchGroup}.`);
      }
      delete group[b.OperatingSystem];
      if (Object.keys(group).length === 0) delete groups[input.PatchGroup];
      ops.changed(ctx, 'patchGroups', input.PatchGroup);
      return { BaselineId: input.BaselineId, PatchGroup: input.PatchGroup };
    },

    DescribePatchGroups(ctx, input) {
      const filters = filtersOf(input.Filters, ['NAME_PREFIX', 'OPERATING_SYSTEM']);
      const groups = ops.state(ctx).patchGroups;
      const mappings: Array<{ PatchGroup: string; BaselineIdentity: PatchBaselineIdentity; key: string }> = [];
      for (const name of Object.keys(groups).sort()) {
        for (const os of Object.keys(groups[name]!).sort()) {
          const b = findBaseline(ctx, groups[name]![os]!);
          if (!b) continue;
          const keep = filters.every(([key, values]) => (key === 'NAME_PREFIX' ? prefixMatch(values, name) : values.includes(os)));
          if (keep) mappings.push({ PatchGroup: name, BaselineIdentity: identity(ctx, b), key: `${name}\u0000${os}` });
        }
      }
      const { page, nextToken } = paginate(mappings, { scope: `DescribePatchGroups:${JSON.stringify(filters)}`, key: (m) => m.key, nextToken: input.NextToken, max: input.MaxResults ?? 100, invalidToken: invalidNextToken });
      return { Mappings: page.map(({ PatchGroup, BaselineIdentity }) => ({ PatchGroup, BaselineIdentity })), NextToken: nextToken };
    },

    GetPatchBaselineForPatchGroup(ctx, input) {
      const os = input.OperatingSystem ?? 'WINDOWS';
      const group = own(ops.state(ctx).patchGroups, input.PatchGroup);
      const id = (group && own(group, os)) ?? defaultFor(ctx, os);
      return { BaselineId: id, PatchGroup: input.PatchGroup, OperatingSystem: os };
    },

    RegisterDefaultPatchBaseline(ctx, input) {
      const b = baselineOf(ctx, input.BaselineId);
      put(ops.state(ctx).defaultBaselines, b.OperatingSystem, b.BaselineId);
      ops.changed(ctx, 'defaultBaselines', b.OperatingSystem);
      return { BaselineId: b.BaselineId };
    },

    GetDefaultPatchBaseline(ctx, input) {
      const os = input.OperatingSystem ?? 'WINDOWS';
      return { BaselineId: defaultFor(ctx, os), OperatingSystem: os };
    },
  } satisfies Partial<SsmApi>;
}
