/**
 * Runtimes started inside the test process (withInProcessRuntime, the conformance echo
 * runtime, the fuzzer) log at WARN unless LS_LOG says otherwise: at INFO each would print a
 * line per request (the request log), thousands per file. Runtimes started as processes log
 * as configured, and their tests read what they print.
 */
import { setLogLevel } from '../../runtime/logger.js';

setLogLevel(process.env.LS_LOG ?? 'warn');
