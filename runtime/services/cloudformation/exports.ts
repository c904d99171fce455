/**
 * ListExports (every export of the account and region, with the stack that exports it) and
 * ListImports (the stacks importing one export). Exports are written by the engine
 * (outputs.ts), which also refuses duplicates and changes to exports in use.
 */
import { paginate } from '../../aws/pagination.js';
import type { CloudformationApi } from './api.generated.js';
import type { CfnDeps } from './language.js';
import { importersOf } from './outputs.js';
import { templateError } from './template/index.js';

export function exportOperations(deps: CfnDeps) {
  return {
    ListExports(ctx, input) {
      const state = deps.store.of(ctx);
      const names = Object.keys(state.exports).sort();
      const { page, nextToken } = paginate(names, { scope: 'ListExports', key: (n) => n, nextToken: input.NextToken, max: 100, invalidToken: () => templateError('Invalid NextToken') });
      return { Exports: page.map((name) => ({ ExportingStackId: state.exports[name]!.stackId, Name: name, Value: state.exports[name]!.value })), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    ListImports(ctx, input) {
      const state = deps.store.of(ctx);
      const importers = importersOf(state, input.ExportName);
      if (importers.length === 0) throw templateError(`Export '${input.ExportName}' is not imported by any stack.`);
      const { page, nextToken } = paginate(importers, { scope: `ListImports:${input.ExportName}`, key: (n) => n, nextToken: input.NextToken, max: 100, invalidToken: () => templateError('Invalid NextToken') });
      return { Imports: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  } satisfies Partial<CloudformationApi>;
}
