/**
 * What a change set shows before anything happens: the changes a template makes to a stack's
 * resources, as DescribeChangeSet's Changes list them (Add, Modify, Remove; Replacement True,
 * False or Conditional; Scope; Details with Static or Dynamic evaluation).
 *
 * The new properties are resolved against the stack as it is: a Ref or Fn::GetAtt of a
 * resource that is added or replaced cannot be known yet, so it resolves to a placeholder,
 * and a property holding one changes Dynamically (Replacement Conditional when it is
 * createOnly), as CloudFormation reports it. BeforeContext and AfterContext (the properties
 * before and after, `{{changeSet:KNOWN_AFTER_APPLY}}` where unknown) are kept for
 * DescribeChangeSet's IncludePropertyValues.
 */
import type { CfnDeps } from './language.js';
import type { PropertyValue } from './resources/resource-type.js';
import type { StoredChange, StoredStack } from './state.js';
import type { PreparedTemplate, ResourceRefs } from './template/index.js';
import { templateError } from './template/index.js';

const UNKNOWN = '{{changeset:unknown:';

function placeholder(entity: string): string {
  return `${UNKNOWN}${entity}}}`;
}

/** AWS's token for a value known only once the change set runs (BeforeContext / AfterContext). */
export const KNOWN_AFTER_APPLY = '{{changeSet:KNOWN_AFTER_APPLY}}';

/** A resource's properties as BeforeContext / AfterContext show them (DescribeChangeSet IncludePropertyValues). */
function context(properties: Record<string, PropertyValue>): string {
  return JSON.stringify({ Properties: properties }).replace(/\{\{changeset:unknown:[^}]*\}\}/g, KNOWN_AFTER_APPLY);
}

function causes(value: PropertyValue | undefined): string[] {
  const text = JSON.stringify(value ?? null);
  const found: string[] = [];
  let at = text.indexOf(UNKNOWN);
  while (at >= 0) {
    const end = text.indexOf('}}', at);
    found.push(text.slice(at + UNKNOWN.length, end));
    at = text.indexOf(UNKNOWN, end);
  }
  return found;
}

function asObject(value: PropertyValue): Record<string, PropertyValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** The changes `prepared` makes to `stack` (an empty stack on a CREATE change set). */
export async function computeChanges(deps: CfnDeps, at: { accountId: string; region: string }, stack: StoredStack, prepared: PreparedTemplate): Promise<StoredChange[]> {
  const changes: StoredChange[] = [];
  const unknown = new Set<string>();
  const exports = deps.store.of(at).exports;
  const refs: ResourceRefs = {
    ref: (id) => (unknown.has(id) ? placeholder(id) : stack.resources[id]?.physicalId ?? placeholder(id)),
    getAtt: (id, attribute) => (unknown.has(id) ? placeholder(`${id}.${attribute}`) : stack.resources[id]?.attributes[attribute] ?? placeholder(`${id}.${attribute}`)),
    importValue: (name) => {
      const found = exports[name];
      if (!found) throw templateError(`No export named ${name} found.`);
      return found.value;
    },
    availabilityZones: (region) => ['a', 'b', 'c'].map((z) => `${region || at.region}${z}`),
  };
  for (const planned of prepared.resources.values()) {
    const current = stack.resources[planned.logicalId];
    if (!current?.physicalId) {
      unknown.add(planned.logicalId);
      let after: string;
      try {
        after = context(asObject(deps.language.resolveValue(planned.properties, prepared, refs)));
      } catch {
        after = context(planned.properties);
      }
      changes.push({ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: planned.logicalId, ResourceType: planned.type, Scope: [], Details: [], AfterContext: after } });
      continue;
    }
    const type = await deps.resourceType(planned.type);
    let properties: Record<string, PropertyValue>;
    try {
      properties = asObject(deps.language.resolveValue(planned.properties, prepared, refs));
    } catch {
      properties = { ...planned.properties };
    }
    const keys = [...new Set([...Object.keys(current.properties), ...Object.keys(properties)])];
    const changed = keys.filter((k) => JSON.stringify(current.properties[k] ?? null) !== JSON.stringify(properties[k] ?? null));
    if (changed.length === 0 && current.type === planned.type) continue;
    const createOnly = new Set<string>((type?.createOnly as readonly string[] | undefined) ?? []);
    const details: PropertyValue[] = [];
    let replacement: 'True' | 'False' | 'Conditional' = current.type !== planned.type || (type !== undefined && !type.update) ? 'True' : 'False';
    const scope = new Set<string>();
    for (const key of changed) {
      const dynamic = causes(properties[key]);
      const recreation = createOnly.has(key) ? (dynamic.length > 0 ? 'Conditionally' : 'Always') : 'Never';
      if (createOnly.has(key)) replacement = replacement === 'True' || dynamic.length === 0 ? 'True' : 'Conditional';
      const attribute = key === 'Tags' ? 'Tags' : 'Properties';
      scope.add(attribute);
      const target: Record<string, PropertyValue> = attribute === 'Tags' ? { Attribute: 'Tags', RequiresRecreation: 'Never' } : { Attribute: 'Properties', Name: key, RequiresRecreation: recreation };
      if (dynamic.length > 0) details.push({ Target: target, Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: dynamic[0]! });
      const staticChange = dynamic.length === 0 || JSON.stringify(planned.properties[key] ?? null) !== JSON.stringify(current.properties[key] ?? null);
      if (staticChange && dynamic.length === 0) details.push({ Target: target, Evaluation: 'Static', ChangeSource: 'DirectModification' });
    }
    if (replacement !== 'False') unknown.add(planned.logicalId);
    const policyAction = replacement === 'False' ? undefined : planned.updateReplacePolicy === 'Retain' ? 'ReplaceAndRetain' : 'ReplaceAndDelete';
    changes.push({
      Type: 'Resource',
      ResourceChange: {
        ...(policyAction ? { PolicyAction: policyAction } : {}),
        Action: 'Modify',
        LogicalResourceId: planned.logicalId,
        PhysicalResourceId: current.physicalId,
        ResourceType: planned.type,
        Replacement: replacement,
        Scope: [...scope],
        Details: details,
        BeforeContext: context(current.properties),
        AfterContext: context(properties),
      },
    });
  }
  for (const current of Object.values(stack.resources)) {
    if (prepared.resources.has(current.logicalId) || !current.physicalId) continue;
    changes.push({
      Type: 'Resource',
      ResourceChange: {
        PolicyAction: current.deletionPolicy === 'Retain' ? 'Retain' : 'Delete',
        Action: 'Remove',
        LogicalResourceId: current.logicalId,
        PhysicalResourceId: current.physicalId,
        ResourceType: current.type,
        Scope: [],
        Details: [],
        BeforeContext: context(current.properties),
      },
    });
  }
  return changes;
}
