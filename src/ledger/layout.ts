/**
 * Where a ledger keeps its decision log: one file per rollout and UTC day,
 * `decision-log/<rollout>/<YYYY-MM-DD>.jsonl`. Ledgers written before the day shards kept one
 * file per rollout, `decision-log/<rollout>.jsonl`; that file is left as it is and read as the
 * part of the log before the first shard.
 */

export const DECISION_LOG_DIR = 'decision-log';

const SHARD = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The shard a decision made at `ms` is appended to. */
export function decisionLogShard(rollout: string, ms: number): string {
  return `${DECISION_LOG_DIR}/${rollout}/${new Date(ms).toISOString().slice(0, 10)}.jsonl`;
}

/** The one-file log of a ledger written before the day shards. */
export function legacyDecisionLog(rollout: string): string {
  return `${DECISION_LOG_DIR}/${rollout}.jsonl`;
}

/** The day of a shard's file name (`2026-12-03.jsonl` → `2026-12-03`), or null for any other name. */
export function shardDay(name: string): string | null {
  return SHARD.exec(name)?.[1] ?? null;
}

/**
 * For a log path: the directory of its shards and the one-file log that came before them, when
 * the path is a day shard; null for a log kept in one file (calibration log).
 */
export function shardsOf(path: string): { dir: string; legacy: string; day: string } | null {
  const slash = path.lastIndexOf('/');
  const day = shardDay(path.slice(slash + 1));
  if (slash <= 0 || day === null) return null;
  const dir = path.slice(0, slash);
  return { dir, legacy: `${dir}.jsonl`, day };
}
