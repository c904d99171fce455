/**
 * LocalStack's global options come before the command (`localstack --profile dev start -d`,
 * `localstack -d logs`), where `-d` means --debug and `-p` means --profile; after the
 * command the same letters are the command's own (`start -d` detaches). oclif reads flags
 * after the command only, so the leading ones are moved behind it as long flags.
 */
export function hoistGlobalOptions(args: readonly string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-d' || a === '--debug') globals.push('--debug');
    else if (a === '-p' || a === '--profile') {
      const name = args[i + 1];
      if (name === undefined) throw new Error(`${a} needs a profile name`);
      globals.push(`--profile=${name}`);
      i++;
    } else if (a.startsWith('--profile=')) globals.push(a);
    else if (/^-p.+/.test(a)) globals.push(`--profile=${a.slice(2)}`);
    else break;
  }
  const rest = args.slice(i);
  // no command: `localstack --debug` shows the help as `localstack` would
  if (rest.length === 0) return [];
  // the command id is every leading word (topics: `status services`, `config show`)
  let end = 0;
  while (end < rest.length && !rest[end]!.startsWith('-')) end++;
  return [...rest.slice(0, end), ...globals, ...rest.slice(end)];
}
