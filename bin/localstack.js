#!/usr/bin/env node
// The `localstack` CLI (oclif; commands in dist/commands, built from commands/).
import { execute } from '@oclif/core';
import { hoistGlobalOptions } from '../dist/src/argv.js';

let args;
try {
  args = hoistGlobalOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`Error: ${error.message}\n`);
  process.exit(2);
}
await execute({ dir: import.meta.url, args });
