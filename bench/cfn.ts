/**
 * `npm run bench:cfn`: CloudFormation end to end, ours next to the peers (LocalStack in host
 * mode, MiniStack; bench/install-peers.sh) started the same way in the same run:
 *
 *   - a stack of 50 resources (10 each of SQS queues, SNS topics, SSM parameters, IAM roles and
 *     S3 buckets, names generated) created and deleted: CreateStack until DescribeStacks says
 *     CREATE_COMPLETE, then DeleteStack until DELETE_COMPLETE, polled every --poll ms (the same
 *     for every target: it bounds the resolution); ListStackResources checks the 50 were made;
 *   - with --cdk: the app of test/services/cloudformation/cdk-app through bin/cdklocal.js and the
 *     CDK CLI of node_modules: bootstrap, deploy and destroy timed, next to `cdk synth` of the
 *     same app (what the CDK CLI costs before it calls anything: the floor of a deploy).
 *
 * The stack is created and deleted 1 + --runs times (default 5) on one start of the target: the
 * first run (cold: every emulator here starts a service on its first use) is reported apart,
 * the others as their median (warm). The CDK part runs once per target (a second bootstrap
 * would be a no-op update). Printed as tables and written as JSON under bench/results/.
 * Options: --targets ours,localstack,ministack --runs N --poll MS --cdk.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, ListStackResourcesCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { BUILTIN_TARGETS, launch, ROOT, type Running, type TargetSpec } from './compare/targets.js';
import { freePort } from './ports.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}
const TARGETS = arg('targets', 'ours,localstack,ministack').split(',').filter(Boolean);
const RUNS = Number(arg('runs', '5'));
const POLL_MS = Number(arg('poll', '25'));
const CDK = process.argv.includes('--cdk');
const PHASE_TIMEOUT_MS = 600_000;

/** The 50-resource template: 10 of each kind, nothing named, so that runs never collide. */
export function fiftyResources(): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < 10; i++) {
    resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue' };
    resources[`Topic${i}`] = { Type: 'AWS::SNS::Topic' };
    resources[`Param${i}`] = { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: `value ${i}` } };
    resources[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
    };
    resources[`Bucket${i}`] = { Type: 'AWS::S3::Bucket' };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface StackRun {
  createMs: number;
  deleteMs: number;
}

interface CdkRun {
  synthMs: number;
  bootstrapMs: number;
  deployMs: number;
  destroyMs: number;
}

interface TargetResult {
  name: string;
  describe: string;
  status: 'ok' | 'not installed' | 'failed';
  reason?: string;
  stack: StackRun[];
  stackError?: string;
  cdk: CdkRun[];
  cdkError?: string;
}

function client(host: string): CloudFormationClient {
  return new CloudFormationClient({ endpoint: `http://${host}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** Until CloudFormation answers (a peer loads its services lazily, LocalStack takes seconds). */
async function ready(cfn: CloudFormationClient, running: Running): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (running.child && (running.child.exitCode !== null || running.child.signalCode !== null)) throw new Error(`exited: ${running.output().trim().split('\n').slice(-3).join(' | ')}`);
    try {
      await cfn.send(new ListStacksCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`CloudFormation did not answer within 180 s: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Polls until the stack leaves *_IN_PROGRESS; its final status. */
async function settle(cfn: CloudFormationClient, stackId: string): Promise<string> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  for (;;) {
    const status = (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
    if (!status.endsWith('_IN_PROGRESS')) return status;
    if (Date.now() > deadline) throw new Error(`still ${status} after ${PHASE_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function stackRun(cfn: CloudFormationClient, n: number): Promise<StackRun> {
  const t0 = performance.now();
  const { StackId } = await cfn.send(new CreateStackCommand({ StackName: `bench-fifty-${n}`, TemplateBody: fiftyResources(), Capabilities: ['CAPABILITY_IAM'] }));
  const created = await settle(cfn, StackId!);
  const t1 = performance.now();
  if (created !== 'CREATE_COMPLETE') throw new Error(`CreateStack ended ${created}`);
  let count = 0;
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: StackId, NextToken: token }));
    count += (page.StackResourceSummaries ?? []).filter((r) => r.ResourceStatus === 'CREATE_COMPLETE').length;
    token = page.NextToken;
  } while (token);
  if (count !== 50) throw new Error(`${count} resources CREATE_COMPLETE, not 50`);
  const t2 = performance.now();
  await cfn.send(new DeleteStackCommand({ StackName: StackId }));
  const deleted = await settle(cfn, StackId!);
  const t3 = performance.now();
  if (deleted !== 'DELETE_COMPLETE') throw new Error(`DeleteStack ended ${deleted}`);
  return { createMs: t1 - t0, deleteMs: t3 - t2 };
}

/** `cdklocal ARGS` in the app's folder against `host`; its duration in ms. */
function cdklocal(dir: string, host: string, args: string[]): Promise<number> {
  const [hostname, port] = host.split(':');
  const env = { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), LOCALSTACK_HOSTNAME: hostname!, EDGE_PORT: port!, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', NO_COLOR: '1' };
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'bin', 'cdklocal.js'), ...args, '--no-notices'], { cwd: dir, env, timeout: PHASE_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`cdklocal ${args[0]}: ${(stdout + stderr).trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(performance.now() - t0);
    }),
  );
}

/** The CDK app of the end-to-end test in a folder of its own (as cdk.e2e.test.ts prepares it). */
function cdkApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cdk-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  copyFileSync(join(ROOT, 'test', 'services', 'cloudformation', 'cdk-app', 'app.ts'), join(dir, 'app.ts'));
  writeFileSync(join(dir, 'asset.txt'), 'bench\n');
  writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node_modules/.bin/esbuild app.ts --format=cjs --platform=node --log-level=warning --outfile=app.js && node app.js' }));
  return dir;
}

async function cdkRun(host: string): Promise<CdkRun> {
  const dir = cdkApp();
  try {
    const synthMs = await cdklocal(dir, host, ['synth', '--quiet']);
    const bootstrapMs = await cdklocal(dir, host, ['bootstrap']);
    const deployMs = await cdklocal(dir, host, ['deploy', '--require-approval', 'never']);
    const destroyMs = await cdklocal(dir, host, ['destroy', '--force']);
    return { synthMs, bootstrapMs, deployMs, destroyMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(spec: TargetSpec): Promise<TargetResult> {
  const result: TargetResult = { name: spec.name, describe: spec.describe, status: 'ok', stack: [], cdk: [] };
  const missing = spec.missing();
  if (missing) return { ...result, status: 'not installed', reason: missing };
  const running = launch(spec, await freePort());
  try {
    const cfn = client(running.host);
    try {
      await ready(cfn, running);
    } catch (error) {
      return { ...result, status: 'failed', reason: (error as Error).message };
    }
    for (let i = 0; i <= RUNS && !result.stackError; i++) {
      try {
        const run = await stackRun(cfn, i);
        result.stack.push(run);
        console.log(`  ${spec.name}: ${i === 0 ? 'cold' : 'warm'}: 50 resources created in ${run.createMs.toFixed(0)} ms, deleted in ${run.deleteMs.toFixed(0)} ms`);
      } catch (error) {
        result.stackError = (error as Error).message.slice(0, 200);
        console.log(`  ${spec.name}: stack: ${result.stackError}`);
      }
    }
    // one bootstrap per target: a second run's bootstrap is a no-op update, not comparable
    if (CDK) {
      try {
        const run = await cdkRun(running.host);
        result.cdk.push(run);
        console.log(`  ${spec.name}: cdk synth ${run.synthMs.toFixed(0)} ms, bootstrap ${run.bootstrapMs.toFixed(0)} ms, deploy ${run.deployMs.toFixed(0)} ms, destroy ${run.destroyMs.toFixed(0)} ms`);
      } catch (error) {
        result.cdkError = (error as Error).message.slice(0, 300);
        console.log(`  ${spec.name}: cdk: ${result.cdkError}`);
      }
    }
    return result;
  } finally {
    await running.stop();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, n) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |${n === 0 ? `\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|` : ''}`).join('\n');
}

async function main(): Promise<void> {
  const specs = TARGETS.map((name) => {
    const spec = BUILTIN_TARGETS.find((t) => t.name === name);
    if (!spec) throw new Error(`unknown target ${name}: one of ${BUILTIN_TARGETS.map((t) => t.name).join(', ')}`);
    return spec;
  });
  console.log(`bench:cfn: ${specs.map((s) => s.name).join(', ')}; ${RUNS} runs, polled every ${POLL_MS} ms${CDK ? ', CDK app' : ''}; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`);
  const results: TargetResult[] = [];
  for (const spec of specs) {
    console.log(`${spec.name}: ${spec.describe}`);
    results.push(await measure(spec));
  }
  const ours = results.find((r) => r.name === 'ours');
  const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : '–');
  const cold = (r: TargetResult) => r.stack[0];
  const warm = (r: TargetResult) => r.stack.slice(1);
  const warmTotal = (r: TargetResult) => median(warm(r).map((s) => s.createMs + s.deleteMs));
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(1)}×` : '–');
  const rows = [['target', 'cold: create / delete', 'warm: create / delete', 'warm create + delete', 'warm: target / ours', 'cold: target / ours']];
  for (const r of results) {
    const why = r.status !== 'ok' ? r.reason : r.stackError;
    const c = cold(r);
    if (!c) {
      rows.push([r.name, why?.slice(0, 60) ?? '–', '', '', '', '']);
      continue;
    }
    const w = warm(r);
    const o = ours ? cold(ours) : undefined;
    rows.push([
      r.name,
      `${fmt(c.createMs)} / ${fmt(c.deleteMs)}`,
      `${fmt(median(w.map((s) => s.createMs)))} / ${fmt(median(w.map((s) => s.deleteMs)))}`,
      fmt(warmTotal(r)),
      ours ? ratio(warmTotal(r), warmTotal(ours)) : '–',
      o ? ratio(c.createMs + c.deleteMs, o.createMs + o.deleteMs) : '–',
    ]);
  }
  console.log(`\n${table(rows)}`);
  if (CDK) {
    const cdkRows = [['target', 'cdk synth', 'bootstrap', 'deploy', 'destroy']];
    for (const r of results) {
      const c = r.cdk[0];
      cdkRows.push(c ? [r.name, fmt(c.synthMs), fmt(c.bootstrapMs), fmt(c.deployMs), fmt(c.destroyMs)] : [r.name, (r.cdkError ?? r.reason ?? '–').slice(0, 60), '', '', '']);
    }
    console.log(`\n${table(cdkRows)}`);
  }
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `cfn-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, runs: RUNS, pollMs: POLL_MS, results }, null, 2));
  console.log(`\nraw results: ${file}`);
}

await main();
