import { dirname, isAbsolute, join } from 'node:path';
import { runCommand } from './commands/index.js';
import type { RunOptions, RunResult } from './commands/types.js';

// The pieces that met here now live in src/commands/: one module per command (evaluate.ts,
// rollback.ts, pause.ts, resume.ts, watch.ts), the compare-and-swap loop in transaction.ts, the
// evidence (Go/No-Go, decision-log line, history entry) in evidence.ts, apply and notify in effects.ts.
export type { RunOptions, RunResult } from './commands/types.js';
export { UsageError } from './commands/errors.js';
export { loadTemplate } from './commands/evidence.js';
export { deepFreeze } from './commands/transaction.js';

/** Evaluates (and for promote/rollback, applies) one run: the library's entry to the command layer. */
export function runRollout(opts: RunOptions): Promise<RunResult> {
  return runCommand(opts);
}

export function evidenceRoot(statePath: string, cwd: string): string {
  return dirname(isAbsolute(statePath) ? statePath : join(cwd, statePath));
}
