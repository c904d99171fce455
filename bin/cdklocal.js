#!/usr/bin/env node
// `cdklocal`: the AWS CDK CLI at the local emulator (src/wrappers/cdklocal.ts, built into dist/).
import { launch } from './wrapper-launcher.js';

await launch('cdklocal');
