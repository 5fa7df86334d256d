#!/usr/bin/env node
import { main } from '../lib/cli/main.js';

process.on('unhandledRejection', (e) => {
  process.stderr.write(`rollout-gate: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
