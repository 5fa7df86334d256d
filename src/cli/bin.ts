import { main } from './main.js';

process.on('unhandledRejection', (e) => {
  process.stderr.write(`rollout-gate: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
process.exitCode = await main(process.argv.slice(2));
// The verdict is out: a connection abandoned at the deadline (a server that never answered)
// may delay the exit by a second at most, never keep the process alive.
setTimeout(() => process.exit(), 1_000).unref();
