/**
 * Two projects: `quick`, everything that runs in seconds, and `slow`, the suites that drive real
 * tools or move a lot of data. `npm test` (what CI runs) runs both; `npm run test:quick`, for
 * everyday work, runs `quick` only. A file runs in exactly one of them, so `npx vitest run FILE`
 * runs it once whichever it is.
 *
 * A suite is slow when it takes tens of seconds or more on its own (measured on a 2-core
 * machine: see README, Development). Name a new one `*.slow.test.ts`, or list it below with why.
 */
import { defineConfig } from 'vitest/config';

const ALL = ['test/**/*.test.ts', 'runtime/**/*.test.ts', 'src/**/*.test.ts'];

/** The slow suites, each with what makes it slow. */
const SLOW = [
  ...ALL.map((glob) => glob.replace('*.test.ts', '*.slow.test.ts')),
  'test/cli/docker.e2e.test.ts', // builds the image, runs containers (minutes on a cold engine)
  'test/cli/docker-hooks.e2e.test.ts', // builds the image twice (with and without the AWS CLI), runs init hooks in a container
  'test/cli/compose.e2e.test.ts', // builds the image, docker-compose up/down three times, start -d with hooks
  'test/services/s3/terraform.test.ts', // terraform init and apply with the real AWS provider
  'test/services/sqs/terraform-s3-notification.test.ts', // terraform apply/plan/destroy (the provider waits ~25 s per SQS queue and policy)
  'test/cli/wrappers/terraform.test.ts', // tflocal around the real terraform
  'test/cli/wrappers/awslocal.test.ts', // awslocal around the real AWS CLI
  'test/bench/compare-smoke.test.ts', // npm run bench --smoke: every scenario under load
  'test/conformance/aws-cli.test.ts', // a Python process per AWS CLI call
  'test/services/s3/aws-cli.test.ts', // the AWS CLI, a 100 MiB multipart copy
  'test/services/sns/cli.test.ts', // a Python process per AWS CLI call (about 40 of them)
  'test/conformance/boto3.test.ts', // every operation of 15 services through boto3
  'test/services/s3/boto3.test.ts', // boto3
  'test/conformance/conformance.test.ts', // every operation of 32 services, every modelled error
  'test/testcontainers/node.test.ts', // @testcontainers/localstack: builds the image, runs a container
  'test/testcontainers/python.test.ts', // testcontainers-python under pytest, a container
  'test/testcontainers/java.test.ts', // Maven, testcontainers-java 2.x and 1.x, two containers
  'test/protocols/streaming.test.ts', // 1 GiB up and down, RSS watched
  'test/fuzz/protocols.fuzz.test.ts', // 3000 mutated requests
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real runtime processes; two cores are all a machine here has.
    maxWorkers: 2,
    reporters: ['default'],
    // oclif prints through console.log; @oclif/test's runCommand captures process.stdout, which
    // vitest's console interception would bypass
    disableConsoleIntercept: true,
    // in-process runtimes log at WARN (test/support/quiet-logs.ts): no request log per request
    setupFiles: ['test/support/quiet-logs.ts'],
    projects: [
      { extends: true, test: { name: 'quick', include: ALL, exclude: ['**/node_modules/**', ...SLOW] } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
