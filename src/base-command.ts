/**
 * What every `localstack` command shares: the global flags (--profile, --debug), the
 * configuration they select, and errors as one clear line with a non-zero exit (never a
 * stack trace, unless --debug asks for it).
 */
import { Command, Flags } from '@oclif/core';
import { loadCliConfig, type CliConfig } from './config.js';

/** An expected failure: its message is the whole story. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    profile: Flags.string({ description: 'load ~/.localstack/<profile>.env into the environment', helpGroup: 'GLOBAL' }),
    debug: Flags.boolean({ description: 'verbose output (also sets DEBUG=1 for the runtime)', helpGroup: 'GLOBAL' }),
  };

  private loaded: CliConfig | undefined;
  private debugMode = false;

  /** The configuration of this invocation (environment + profile + --debug). */
  protected cliConfig(flags: { profile?: string; debug?: boolean }): CliConfig {
    this.debugMode = Boolean(flags.debug);
    this.loaded ??= loadCliConfig({ profile: flags.profile, debug: flags.debug, version: this.config.version });
    return this.loaded;
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own exits (help, flag errors) keep their behaviour
    if (error.oclif !== undefined && !(error instanceof CliError)) return super.catch(error);
    process.stderr.write(`Error: ${error.message}\n`);
    if (this.debugMode && !(error instanceof CliError) && error.stack) process.stderr.write(`${error.stack}\n`);
    return this.exit(error instanceof CliError ? error.exitCode : 1); // oclif exits quietly with it
  }
}
