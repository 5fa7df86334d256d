import type { Decision } from '../engine/decide.js';
import type { DecisionKind, RolloutState } from '../engine/model.js';

export type Command = 'evaluate' | 'promote' | 'rollback' | 'resume' | 'pause' | 'watch';

/**
 * Whether a command's outcome is a verdict on gates. `rollback`, `pause` and `resume` are operator
 * actions: they succeed when written, and their decision never fails a step or a check.
 */
export function judgesGates(command: Command): boolean {
  return command === 'evaluate' || command === 'promote' || command === 'watch';
}

/** Where the run happened: filled by the Action from the runner's environment, mostly empty in the CLI. */
export interface RunContext {
  repository: string | null;
  commitSha: string | null;
  runUrl: string | null;
  runId: string | null;
  eventName: string | null;
  pullRequest: number | null;
}

export const emptyContext: RunContext = { repository: null, commitSha: null, runUrl: null, runId: null, eventName: null, pullRequest: null };

/**
 * The one model of a run's outcome. The job summary, the PR comment, the check run, the terminal
 * table and the Go/No-Go document are all renderings of it; snapshot.json is it, as written.
 */
export interface Snapshot extends Decision {
  schemaVersion: 1;
  tool: { name: 'rollout-gate'; version: string };
  rollout: string;
  command: Command;
  /** The instant the run evaluated at (ISO-8601, UTC). */
  at: string;
  decision: DecisionKind;
  actor: string | null;
  approvers: string[];
  dryRun: boolean;
  /** Whether this run changed the rollout state (a promotion or a rollback that was written). */
  stateChanged: boolean;
  stateBefore: RolloutState | null;
  stateAfter: RolloutState | null;
  config: { file: string; sha256: string };
  context: RunContext;
  /** Where the evidence of this run lives (directory, or branch:dir on the ledger). */
  evidencePath: string | null;
}

export const TOOL_VERSION = '0.1.0';

/**
 * snapshot.json: indented for people, except each gate's series, which stays on one line. A
 * series of 480 samples indented is 2,000 lines; with 2,000 gates the file was 56 MB and most
 * of a run's time and memory went into writing it.
 */
export function snapshotJson(s: Snapshot): string {
  const compact: string[] = [];
  // Gates that read one series share its list: it is written out once and placed in each.
  const placed = new Map<unknown, number>();
  // A marker no string in the snapshot can equal: JSON escapes the NUL, and the nonce is per call.
  const nonce = `\u0000series:${Math.random().toString(36).slice(2)}:`;
  const gates = s.gates.map((g) => {
    const keep: Record<string, unknown> = { ...g };
    for (const key of SERIES_KEYS) {
      const series = keep[key];
      if (Array.isArray(series) && series.length > 0) {
        let at = placed.get(series);
        if (at === undefined) {
          at = compact.push(JSON.stringify(series)) - 1;
          placed.set(series, at);
        }
        keep[key] = `${nonce}${at}`;
      }
    }
    return keep;
  });
  const text = JSON.stringify({ ...s, gates }, null, 2);
  if (compact.length === 0) return `${text}\n`;
  const marker = new RegExp(`"${JSON.stringify(nonce).slice(1, -1).replace(/\\/g, '\\\\')}(\\d+)"`, 'g');
  return `${text.replace(marker, (_, i: string) => compact[Number(i)]!)}\n`;
}

/** GateResult fields holding a series of samples. */
const SERIES_KEYS = ['series', 'baselineSeries'] as const;

/** Reads a snapshot.json written by an earlier run (for `explain`). */
export function parseSnapshot(text: string, where: string): Snapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON: ${(e as Error).message}`);
  }
  const d = doc as Partial<Snapshot> | null;
  if (!d || typeof d !== 'object' || d.schemaVersion !== 1 || !Array.isArray(d.gates) || typeof d.decision !== 'string') {
    throw new Error(`${where}: not a rollout-gate snapshot (expected schemaVersion 1 with decision and gates)`);
  }
  return d as Snapshot;
}
