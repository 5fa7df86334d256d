import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../run.js';

/**
 * The snapshot file `explain` reads for the path it was given: the file itself, or for an
 * evidence directory its `snapshot.json`. A directory holding several runs' evidence is a usage
 * error naming the newest snapshot in it, so the user knows which file to pass.
 */
export async function snapshotPath(given: string, cwd: string): Promise<string> {
  const full = resolve(cwd, given);
  let dir = false;
  try {
    dir = statSync(full).isDirectory();
  } catch {
    return full; // the read that follows says what is wrong with it
  }
  if (!dir) return full;
  const inside = join(full, 'snapshot.json');
  if (existsSync(inside)) return inside;
  const { findSnapshots } = await import('../backtest.js');
  const found = await findSnapshots(full);
  if (found.length === 0) throw new UsageError(`${given} is a directory without a snapshot.json; explain reads one run's snapshot.json (in its evidence directory)`);
  const newest = found[found.length - 1]!;
  const shown = join(given, relative(full, newest));
  throw new UsageError(
    `${given} is a directory of ${found.length} runs' evidence; explain reads one run's snapshot.json, e.g. the newest: rollout-gate explain ${shown}` +
      (found.length > 1 ? ' (backtest --evidence DIR re-judges them all)' : ''),
  );
}
