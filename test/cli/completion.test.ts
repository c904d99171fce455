/**
 * `localstack completion bash|zsh|fish`: the scripts are generated from the loaded commands
 * (dist/commands: `npm run build` first). The bash script is checked with `bash -n` and by
 * sourcing it and calling its function with COMP_WORDS set, as bash does on Tab; zsh and
 * fish, when installed, check their scripts the same way.
 */
import { runCommand } from '@oclif/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/wrappers/run.js';
import { ROOT } from '../support/runtime.js';

let dir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCommand(['completion', shell], { root: ROOT });
    expect(r.error).toBeUndefined();
    scripts[shell] = join(dir, `localstack.${shell}`);
    writeFileSync(scripts[shell]!, r.stdout);
  }
  mkdirSync(join(dir, 'profiles'));
  writeFileSync(join(dir, 'profiles', 'dev.env'), 'DEBUG=1\n');
  writeFileSync(join(dir, 'profiles', 'ci.env'), 'DEBUG=0\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash offers for a command line whose last word is being completed. */
function bashComplete(...words: string[]): string[] {
  const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _localstack_complete localstack "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync('bash', ['-c', script, 'bash', scripts.bash!, ...words], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, CONFIG_DIR: join(dir, 'profiles') } });
  return out.split('\n').filter(Boolean);
}

describe('completion bash', () => {
  it('is valid bash', () => {
    execFileSync('bash', ['-n', scripts.bash!]);
  });

  it('completes the commands and topics', () => {
    expect(bashComplete('localstack', '')).toEqual(['completion', 'config', 'image', 'logs', 'restart', 'ssh', 'start', 'state', 'status', 'stop', 'wait']);
    expect(bashComplete('localstack', 'st')).toEqual(['start', 'state', 'status', 'stop']);
    expect(bashComplete('localstack', 'state', '')).toEqual(['export', 'import', 'reset']);
    expect(bashComplete('localstack', 'config', '')).toEqual(['show', 'validate']);
    expect(bashComplete('localstack', 'image', '')).toEqual(['build']);
    expect(bashComplete('localstack', 'status', '')).toEqual(['services']);
    expect(bashComplete('localstack', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('skips the global options before the command, and completes them', () => {
    expect(bashComplete('localstack', '-d', '-p', 'dev', 'config', 'v')).toEqual(['validate']);
    expect(bashComplete('localstack', '--')).toEqual(['--debug', '--profile', '--version', '--help']);
    expect(bashComplete('localstack', '-p', '')).toEqual(['ci', 'dev']);
  });

  it("completes a command's flags and their values", () => {
    expect(bashComplete('localstack', 'status', 'services', '--')).toEqual(['--profile', '--debug', '--format', '--help']);
    expect(bashComplete('localstack', 'status', '-f', '')).toEqual(['table', 'plain', 'dict', 'json']);
    expect(bashComplete('localstack', 'config', 'show', '--format', 'j')).toEqual(['json']);
    expect(bashComplete('localstack', 'start', '--profile', 'd')).toEqual(['dev']);
    // `start -p` publishes a port: its value is skipped, not taken for a command
    expect(bashComplete('localstack', 'start', '-p', '4566:4566', '--no')).toEqual(['--no-banner']);
    expect(bashComplete('localstack', 'wait', '-t', '')).toEqual([]);
  });

  it('completes file names for a file flag', () => {
    writeFileSync(join(dir, 'docker-compose.yml'), '');
    expect(bashComplete('localstack', 'config', 'validate', '-f', join(dir, 'docker-c'))).toEqual([join(dir, 'docker-compose.yml')]);
  });

  it('says how to install it', async () => {
    const r = await runCommand(['completion', '--help'], { root: ROOT });
    expect(r.stdout).toContain('localstack completion bash > ~/.local/share/bash-completion/completions/localstack');
    expect(r.stdout).toContain('~/.config/fish/completions/localstack.fish');
  });

  it('rejects another shell', async () => {
    const r = await runCommand(['completion', 'tcsh'], { root: ROOT });
    expect(r.error?.message).toContain('Expected tcsh to be one of: bash, zsh, fish');
  });
});

// a machine without zsh or fish skips these, but CI never does: a missing shell fails there
describe.skipIf(!findOnPath('zsh') && !process.env.CI)('completion zsh (zsh installed)', () => {
  it('is valid zsh and completes through bashcompinit', () => {
    execFileSync('zsh', ['-n', scripts.zsh!]);
    // bashcompinit sets COMP_CWORD 0-based while zsh arrays count from 1
    const out = execFileSync('zsh', ['-f', '-c', `source "$1"; COMP_WORDS=(localstack -d config ""); COMP_CWORD=3; _localstack_complete localstack "" config; print -l -- "\${COMPREPLY[@]}"`, 'zsh', scripts.zsh!], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
    expect(out.split('\n').filter(Boolean)).toEqual(['show', 'validate']);
  });
});

describe.skipIf(!findOnPath('fish') && !process.env.CI)('completion fish (fish installed)', () => {
  it('is valid fish and completes', () => {
    execFileSync('fish', ['-n', scripts.fish!]);
    const complete = (line: string) =>
      execFileSync('fish', ['-c', `source $argv[1]; complete -C "${line}"`, scripts.fish!], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, CONFIG_DIR: join(dir, 'profiles') } })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]);
    expect(complete('localstack config ')).toEqual(['show', 'validate']);
    expect(complete('localstack -d status -f ')).toEqual(['dict', 'json', 'plain', 'table']);
    expect(complete('localstack --profile ')).toEqual(['ci', 'dev']);
    expect(complete('localstack completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});
