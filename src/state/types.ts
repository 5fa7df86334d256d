import type { RolloutState } from '../engine/model.js';

export interface StateRead {
  /** null when no state exists yet: the rollout has not started. */
  state: RolloutState | null;
  /** An opaque version of what was read (file hash, commit SHA, ETag, row stamp) for compare-and-swap. */
  version: string | null;
  /**
   * The last line of the rollout's decision log, as far as a watch needs it to decide whether
   * to write full evidence; null: the log is empty; undefined: the store cannot tell cheaply.
   */
  lastDecision?: LastDecision | null;
}

/** The last decision-log line, in brief. */
export interface LastDecision {
  at: string;
  command: string;
  decision: string;
  /** The stage the run judged (its `from`). */
  stage: string | null;
  /** Whether a gate failed (or had no data) in that run. */
  failing: boolean;
}

/** A file of the evidence bundle, relative to the store's evidence root. */
export interface EvidenceFile {
  path: string;
  content: string;
}

export interface StateWrite {
  /** The version the run read; a store must refuse the write when the state moved since. */
  expectedVersion: string | null;
  /** The new state, or null when the run changes no state (evaluate, a HOLD). */
  state: RolloutState | null;
  evidence: EvidenceFile[];
  /**
   * One JSON line appended to the decision log; the store adds its chain fields (`prev`,
   * `evidence`). Null: a write of the state alone, whose run writes its evidence next.
   */
  decisionLog: { path: string; line: string } | null;
  /** A one-line summary (the commit message on a ledger). */
  message: string;
  /**
   * Renders this rollout's section of the ledger's status page from the state and decision log
   * the commit will hold (so a ledger that rebuilds the commit on a moved branch renders it again).
   * Stores without a status page ignore it.
   */
  statusPage?: (view: StatusView) => string;
}

/**
 * What a store hands `StateWrite.statusPage`: the state in force after the write, and the
 * decision log: the whole log, or (a ledger updating the page before) the new line with the
 * page's earlier decision rows and last evidence.
 */
export interface StatusView {
  state: RolloutState | null;
  decisionLog: string;
  /** The decision rows of the page before, newest first, kept as they were rendered. */
  previousRows?: string[];
  /** The last evidence directory the page before linked, when the new line has none. */
  lastEvidence?: string | null;
}

export interface WriteResult {
  /** Where the evidence landed, for people: a directory, or `branch:path`. */
  evidencePath: string;
  /** The commit that holds it, when the store is a git ledger. */
  commit: string | null;
  version: string | null;
}

/** The state changed between the run's read and its write: re-read and decide again. */
export class StateConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateConflictError';
  }
}

/** A state document or store that cannot be used as it is (names where and what). */
export class StateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateError';
  }
}

export interface StateStore {
  /** For messages: `file .rollout/state.json`, `github rollout-ledger:state/x.json`. */
  readonly description: string;
  read(): Promise<StateRead>;
  write(change: StateWrite): Promise<WriteResult>;
  close?(): Promise<void>;
}
