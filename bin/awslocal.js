#!/usr/bin/env node
// `awslocal`: the aws CLI at the local emulator (src/wrappers/awslocal.ts, built into dist/).
import { launch } from './wrapper-launcher.js';

await launch('awslocal');
