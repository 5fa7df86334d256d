import { setFailed } from './workflow-commands.js';
import { run } from './main.js';

process.on('unhandledRejection', (reason) => {
  setFailed(`unexpected error: ${reason instanceof Error ? reason.message : String(reason)}`);
});

await run();
// The step's result is written: a connection abandoned at the deadline (a server that never
// answered) may delay the exit by a second at most, never hold the job until its own timeout.
setTimeout(() => process.exit(), 1_000).unref();
