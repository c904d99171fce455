import { Args, type Command } from '@oclif/core';
import { BaseCommand } from '../src/base-command.js';
import { bashScript, fishScript, summaryOf, zshScript, type CompletionModel } from '../src/completion.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

export default class Completion extends BaseCommand {
  static override description = `Print a completion script for bash, zsh or fish

Install it once:
  bash: localstack completion bash > ~/.local/share/bash-completion/completions/localstack
        (or add  eval "$(localstack completion bash)"  to ~/.bashrc)
  zsh:  add  eval "$(localstack completion zsh)"  to ~/.zshrc, after compinit
  fish: localstack completion fish > ~/.config/fish/completions/localstack.fish
then open a new shell.`;

  static override examples = ['<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/<%= config.bin %>'];
  static override args = {
    shell: Args.string({ required: true, options: [...SHELLS], description: 'the shell' }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    const model = this.model();
    const script = args.shell === 'bash' ? bashScript(model) : args.shell === 'zsh' ? zshScript(model) : fishScript(model);
    process.stdout.write(script);
  }

  /** The commands and flags oclif loaded, as the generators need them. */
  private model(): CompletionModel {
    const commands = this.config.commands
      .filter((c) => !c.hidden)
      .map((c: Command.Loadable) => {
        const firstArg = Object.values(c.args ?? {})[0] as { options?: readonly string[] } | undefined;
        return {
          id: c.id,
          summary: summaryOf(c.summary ?? c.description),
          flags: Object.entries(c.flags ?? {})
            .filter(([, f]) => !f.hidden)
            .map(([name, f]) => ({
              name,
              ...(f.char ? { char: f.char } : {}),
              takesValue: f.type === 'option',
              ...(f.type === 'option' && f.options ? { options: f.options } : {}),
              description: summaryOf(f.summary ?? f.description),
            })),
          ...(firstArg?.options ? { argValues: firstArg.options } : {}),
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
    const topics = Object.fromEntries(this.config.topics.map((t) => [t.name, summaryOf(t.description)]));
    return { bin: this.config.bin, commands, topics };
  }
}
