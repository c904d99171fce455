import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'runtime/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real runtime processes; two cores are all a machine here has.
    maxWorkers: 2,
    reporters: ['default'],
    // oclif prints through console.log; @oclif/test's runCommand captures process.stdout, which
    // vitest's console interception would bypass
    disableConsoleIntercept: true,
  },
});
