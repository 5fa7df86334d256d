import { UsageError } from './errors.js';
import { EXIT } from './exit.js';

/**
 * `backtest`: re-judges recorded snapshots with the current config, querying nothing. Its request
 * is the evidence directory alone; it succeeds whenever it ran, whatever would change.
 */
export function checkBacktest(req: { evidence: string | undefined; extra: readonly string[]; stray: readonly string[] }): string {
  if (req.extra.length > 0) throw new UsageError(`unexpected argument "${req.extra[0]}" (backtest reads the snapshots under --evidence DIR)`);
  if (req.stray.length > 0) throw new UsageError(`${req.stray.map((s) => `--${s}`).join(', ')} ${req.stray.length === 1 ? 'does' : 'do'} not go with backtest`);
  if (!req.evidence) throw new UsageError('backtest needs --evidence DIR (a directory holding snapshot.json files, such as a checkout of the ledger branch)');
  return req.evidence;
}

export const BACKTEST_EXIT = EXIT.ok;
