import type { Config } from '../config/load.js';
import type { RolloutState } from '../engine/model.js';
import type { Logger } from '../logger.js';
import type { NotifyOutcome } from '../notify/index.js';
import type { ProviderFactories } from '../providers/index.js';
import type { Command, RunContext, Snapshot } from '../report/snapshot.js';
import type { Redactor } from '../secrets.js';
import type { StateStore, WriteResult } from '../state/types.js';
import type { CommandRequest } from './request.js';

export interface RunOptions {
  config: Config;
  command: Command;
  /** Requested target stage; default: the next stage (promote) or the previous one (rollback). */
  target: string | null;
  /** The instant to evaluate at (ms). The CLI's --now replays a past instant. */
  nowMs: number;
  store: StateStore;
  factories: ProviderFactories;
  cwd: string;
  logger: Logger;
  redactor: Redactor;
  context: RunContext;
  actor: string | null;
  /** Turn a HOLD into PROCEED (needs `reason`; honoured only for rollout.forceAllowed actors). */
  force?: boolean;
  /** Why: required with force; recorded for rollbacks. */
  reason?: string | null;
  killSwitch?: boolean;
  dryRun?: boolean;
  /** Write the evidence bundle and the decision-log line (Action input `evidence: commit`). */
  writeEvidence?: boolean;
  /** Unique per run (`<run id>.<attempt>` in the Action): evidence of a rerun never overwrites. */
  runKey?: string;
  fetch?: typeof fetch;
  /** Resolves `@org/team` entries of rollout.forceAllowed; null when it cannot tell. */
  isTeamMember?: (actor: string, team: string) => Promise<boolean | null>;
  /** Extra approvers reported by approval gates are gathered from gate details. */
  maxAttempts?: number;
  /** Set when the config's gates were narrowed to these (`evaluate --gate`): the snapshot says so. */
  onlyGates?: readonly string[] | null;
  /** A link to the evidence once written (the Action: the ledger commit), for notifications. */
  evidenceUrl?: (write: WriteResult) => string | null;
}

export interface RunResult {
  snapshot: Snapshot;
  /** The filled Go/No-Go document, rendered on first read. */
  readonly goNoGo: string;
  write: WriteResult | null;
  /** Set when writing the state or evidence failed; the decision itself stands. */
  writeError: Error | null;
  /**
   * Set when `apply` failed: on a promotion the state was then not changed; on a rollback the
   * rollback stands. Either way the run is not a success (exit 1). The message names the URL.
   */
  applyError: Error | null;
  /** One per notification sent (failed ones are also warnings of the snapshot). */
  notifications: NotifyOutcome[];
  attempts: number;
}

/** What a command made of the state it read: the report, and the state it moves the rollout to. */
export interface Judgment {
  snapshot: Snapshot;
  /** The state after this run (its history is appended by the transaction), or null when nothing changes. */
  next: Omit<RolloutState, 'history'> | null;
  /** Whether `apply` moves the traffic before the state is written (a promotion: a failed apply leaves the state as it was). */
  applyBeforeWrite: boolean;
}

/**
 * One command, written once and called by the CLI, the Action and pull request comments: its
 * validation, its judgment of the state, when its effects run, and what counts as success.
 */
export interface CommandModule {
  readonly name: Command;
  /**
   * Whether the outcome is a verdict on gates: PROCEED succeeds, HOLD and ROLLBACK fail the step
   * (exit 3 and 4). An operator action (rollback, pause, resume) succeeds once it is written.
   */
  readonly judgesGates: boolean;
  /** The request alone, before anything is read; throws UsageError. */
  check(req: CommandRequest): void;
  /** The state read → the report and the next state; throws UsageError when the state rules it out. */
  judge(opts: RunOptions, state: RolloutState, deadlineAt: number | null): Promise<Judgment>;
}
