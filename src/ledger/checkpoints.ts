import type { LastDecision } from '../state/types.js';

/**
 * Bounded growth (SPEC §8.2), pure: a `watch` that changes nothing appends its decision-log line
 * (with each gate's value) and writes full evidence (snapshot, Go/No-Go) only when it is worth
 * keeping: the first run past each checkpoint after the stage was entered, every state change,
 * and the first failing and the first recovered run.
 */

export const DEFAULT_CHECKPOINTS_MS: readonly number[] = [15 * 60_000, 30 * 60_000, 60 * 60_000];

export interface EvidenceInput {
  command: string;
  /** Whether this run changes the state. */
  stateChanged: boolean;
  /** Whether a gate failed (or had no data) in this run, or the decision is not PROCEED. */
  failing: boolean;
  /** When the current stage was entered (ISO), or null. */
  enteredAt: string | null;
  nowMs: number;
  checkpointsMs: readonly number[];
  /** The log's last line in brief; null: none yet; undefined: the store cannot tell. */
  last: LastDecision | null | undefined;
}

/** Why this run writes full evidence, or null when its log line is enough. */
export function fullEvidenceReason(i: EvidenceInput): string | null {
  if (i.command !== 'watch') return `a ${i.command}`;
  if (i.stateChanged) return 'a state change';
  if (i.last === undefined) return 'no earlier decision to compare with';
  if (i.last === null) return 'the first decision of the log';
  if (i.failing && !i.last.failing) return 'the first failing run';
  if (!i.failing && i.last.failing) return 'the first recovered run';
  const entered = i.enteredAt === null ? Number.NaN : Date.parse(i.enteredAt);
  const lastAt = Date.parse(i.last.at);
  if (Number.isFinite(entered)) {
    for (const c of i.checkpointsMs) {
      const t = entered + c;
      // The first run past the checkpoint: this one is past it and the run before was not.
      if (i.nowMs >= t && !(lastAt >= t)) return `the first run past T+${Math.round(c / 60_000)}m`;
    }
  }
  return null;
}
