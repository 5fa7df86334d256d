import * as core from '@actions/core';
import { run } from './main.js';

process.on('unhandledRejection', (reason) => {
  core.setFailed(`unexpected error: ${reason instanceof Error ? reason.message : String(reason)}`);
});

await run();
