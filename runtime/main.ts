/**
 * Entry point of the emulator process (`npm start`, the Docker image, `localstack start --host`).
 * Prints `Ready.` on its own line when it serves requests; SIGTERM/SIGINT stop it gracefully.
 */
import { loadConfig } from './config.js';
import { openLogFile, printErr } from './log-file.js';
import { logger, setLogLevel } from './logger.js';
import { Runtime } from './runtime.js';

const log = logger('runtime');

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig();
  } catch (error) {
    process.stderr.write(`localstack: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const { config, warnings } = loaded;
  if (config.logFile) {
    const warning = openLogFile(config.logFile);
    if (warning) warnings.push(warning);
  }
  setLogLevel(config.logLevel);
  for (const w of warnings) log.warn(w);

  const runtime = await Runtime.create(config, { onShutdown: () => process.exit(0) });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    runtime.shutdown();
  };
  // a bug in one request must not take the emulator down: log it and keep serving
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  // nor may an error event nobody listened for (a stream failing in a provider): the state
  // of every other service lives in this process, and exiting would lose it all
  process.on('uncaughtException', (error) => log.error(`uncaught exception: ${error.stack ?? error.message}`));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    await runtime.start();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const message = e.code === 'EADDRINUSE' ? `address already in use (${e.message.replace(/^listen EADDRINUSE: address already in use /, '')}); is another emulator running?` : e.message;
    printErr(`localstack: cannot start: ${message}\n`);
    process.exit(1);
  }
}

void main();
