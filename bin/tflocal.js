#!/usr/bin/env node
// `tflocal`: terraform with the AWS provider pointed at the local emulator (src/wrappers/tflocal.ts, built into dist/).
import { launch } from './wrapper-launcher.js';

await launch('tflocal');
