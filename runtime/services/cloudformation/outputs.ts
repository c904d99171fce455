/**
 * A stack's outputs and exports: outputs resolved once its resources exist, exports written
 * for the account and region with AWS's refusals (a name another stack exports; an export
 * another stack imports may be neither changed nor removed), removed with the stack.
 */
import { refsOf, type Run } from './apply.js';
import type { CloudformationState, StoredOutput } from './state.js';
import type { PreparedTemplate } from './template/index.js';
import type { PropertyValue } from './resources/resource-type.js';

/** An output value as DescribeStacks shows it: lists joined with commas. */
export function outputText(value: PropertyValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(outputText).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The outputs of a prepared template, resolved against the run's resources. */
export function resolveOutputs(run: Run, prepared: PreparedTemplate): StoredOutput[] {
  const refs = refsOf(run);
  const outputs: StoredOutput[] = [];
  for (const [key, output] of Object.entries(prepared.outputs)) {
    const value = outputText(run.deps.language.resolveValue(output.value, prepared, refs));
    const exportName = output.exportName === undefined ? undefined : outputText(run.deps.language.resolveValue(output.exportName, prepared, refs));
    outputs.push({ key, value, ...(output.description !== undefined ? { description: output.description } : {}), ...(exportName !== undefined ? { exportName } : {}) });
  }
  return outputs;
}

/** Names of the live stacks other than `stackId` importing `name`. */
export function importersOf(state: CloudformationState, name: string, stackId?: string): string[] {
  return Object.values(state.stacks)
    .filter((s) => s.id !== stackId && s.status !== 'DELETE_COMPLETE' && s.imports.includes(name))
    .map((s) => s.name)
    .sort();
}

/**
 * Writes the stack's exports from `outputs`, or returns AWS's reason for refusing them (then
 * nothing is written): a name another stack exports, or an export in use changed or removed.
 */
export function applyExports(run: Run, outputs: readonly StoredOutput[]): string | undefined {
  const state = run.deps.store.of(run.at);
  const { stack } = run;
  const wanted = new Map(outputs.filter((o) => o.exportName !== undefined).map((o) => [o.exportName!, o.value]));
  for (const name of wanted.keys()) {
    const existing = state.exports[name];
    if (existing && existing.stackId !== stack.id) return `Export with name ${name} is already exported by stack ${state.stacks[existing.stackId]?.name ?? existing.stackId}`;
  }
  for (const [name, current] of Object.entries(state.exports)) {
    if (current.stackId !== stack.id) continue;
    const users = importersOf(state, name, stack.id);
    if (users.length === 0) continue;
    if (!wanted.has(name)) return `Export ${name} cannot be deleted as it is in use by ${users.join(', ')}`;
    if (wanted.get(name) !== current.value) return `Export ${name} cannot be updated as it is in use by ${users.join(', ')}`;
  }
  for (const [name, current] of Object.entries(state.exports)) {
    if (current.stackId !== stack.id || wanted.has(name)) continue;
    delete state.exports[name];
    run.deps.store.saveExport(run.at, name);
  }
  for (const [name, value] of wanted) {
    state.exports[name] = { stackId: stack.id, value };
    run.deps.store.saveExport(run.at, name);
  }
  return undefined;
}

/** Removes every export of the run's stack. */
export function removeExports(run: Run): void {
  const state = run.deps.store.of(run.at);
  for (const [name, current] of Object.entries(state.exports)) {
    if (current.stackId !== run.stack.id) continue;
    delete state.exports[name];
    run.deps.store.saveExport(run.at, name);
  }
}

/** AWS's refusal to delete a stack whose exports are imported, or undefined. */
export function exportsInUse(state: CloudformationState, stackId: string): string | undefined {
  for (const [name, current] of Object.entries(state.exports)) {
    if (current.stackId !== stackId) continue;
    const users = importersOf(state, name, stackId);
    if (users.length > 0) return `Export ${name} cannot be deleted as it is in use by ${users.join(', ')}`;
  }
  return undefined;
}
