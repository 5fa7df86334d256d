import { main } from './main.js';

process.on('unhandledRejection', (e) => {
  process.stderr.write(`rollout-gate: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
process.exitCode = await main(process.argv.slice(2));
