/**
 * Python-side test tools: whether the Python modules a suite drives are importable. A suite
 * that needs them skips only outside CI (`describe.skipIf(!havePython(...) && !process.env.CI)`),
 * so CI, which installs them (scripts/ensure-test-tools.mjs), fails loudly when they are missing.
 */
import { execFileSync } from 'node:child_process';

/** Whether python3 imports every module named (`havePython('boto3')`). */
export function havePython(...modules: string[]): boolean {
  try {
    execFileSync('python3', ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
