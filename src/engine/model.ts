import type { Condition, Value } from './conditions.js';

/** The domain model the engine works on: a validated, normalised config and the rollout state. */

export type Severity = 'critical' | 'major' | 'minor';
export type NoDataPolicy = 'hold' | 'fail' | 'pass';
export type DecisionKind = 'PROCEED' | 'HOLD' | 'ROLLBACK';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface Stage {
  name: string;
  traffic: number;
  minDurationMs: number | null;
  /** `flags:` of the stage (any JSON object): sent with `apply`, output by the Action. */
  flags: Record<string, unknown> | null;
}

/** A pause: the rollout stays where it is, and evaluate/promote HOLD, until someone resumes it. */
export interface Pause {
  at: string;
  reason: string;
  actor: string | null;
}

export interface ReleaseWindow {
  days: Weekday[];
  start: string; // HH:MM
  end: string; // HH:MM; earlier than start means the window crosses midnight
  tz: string;
}

export interface Freeze {
  fromMs: number;
  toMs: number;
  reason: string | null;
}

export interface RolloutPlan {
  name: string;
  stages: Stage[];
  ramp: {
    maxStepFactor: number | null;
    cooldownAfterRollbackMs: number | null;
    allowSkip: boolean;
  };
  windows: ReleaseWindow[];
  freezes: Freeze[];
  forceAllowed: string[] | null;
}

export type CompareTest = 'mann-whitney' | 'sigma';
export type CompareDirection = 'increase' | 'decrease' | 'either';

/** How a `compare` gate judges the canary's window against the baseline's (SPEC §7.1), defaults applied. */
export interface CompareSpec {
  test: CompareTest;
  /** Which way is bad. */
  direction: CompareDirection;
  /** mann-whitney only (else null): the confidence of the Hodges–Lehmann interval. */
  confidence: number | null;
  /** mann-whitney only (else null): the change of the mean, as a fraction (10% = 0.1), that is still fine. */
  allowedChange: number | null;
  /** sigma only (else null): how many baseline standard deviations the canary mean may move. */
  sigma: number | null;
}

export interface Gate {
  /** Position in the config's `gates` list, for messages that point back at it. */
  index: number;
  name: string;
  provider: string;
  providerType: string;
  query: string | null;
  baseline: string | null;
  pass: Condition[] | null;
  thresholds: Record<string, Condition[]>;
  appliesTo: string[] | null;
  severity: Severity;
  noData: NoDataPolicy;
  minSamples: number;
  overMs: number | null;
  failAfterMs: number | null;
  stepMs: number | null;
  select: string | null;
  reduce: 'max' | 'min' | 'avg' | 'sum' | null;
  staleAfterMs: number | null;
  activeForMs: number | null;
  approvals: { min: number; from: string[] | null } | null;
  checklist: string[] | null;
  /** Set for a comparison gate: the window's samples against the baseline's, by a statistical test. */
  compare: CompareSpec | null;
  /** The baseline is the gate's own query over the same window this much earlier (instead of `baseline`). */
  baselineOffsetMs: number | null;
  /** Judged and reported, but never part of the decision. */
  shadow: boolean;
  /**
   * How far behind `now` the judged window ends (`lag:` of the gate, else of its provider, else
   * the provider type's default): the store's newest data is incomplete until then. 0 or absent:
   * the window ends at now.
   */
  lagMs?: number;
}

/** One point of a series: unix seconds and the value. */
export type Sample = readonly [number, Value];

export interface HistoryEntry {
  at: string;
  from: string | null;
  to: string | null;
  decision: string;
  forced: boolean;
  actor: string | null;
  reason: string | null;
  evidence: string | null;
}

export interface RolloutState {
  rollout: string;
  /** null: not started yet (or rolled back below the first stage). */
  stage: string | null;
  enteredAt: string | null;
  killSwitch: boolean;
  lastRollbackAt: string | null;
  /** Set by `pause` (or a watch that saw a major failure); cleared by `resume`. */
  paused: Pause | null;
  history: HistoryEntry[];
}

export function initialState(rollout: string): RolloutState {
  return { rollout, stage: null, enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] };
}

/** The end of the window a gate judges: `now − lag`. */
export function windowEndMs(gate: Pick<Gate, 'lagMs'>, nowMs: number): number {
  return nowMs - (gate.lagMs ?? 0);
}

/** The step of a windowed gate: explicit, or over/120 and never below 15 s. */
export function effectiveStepMs(gate: Pick<Gate, 'overMs' | 'stepMs'>): number | null {
  if (gate.overMs === null) return null;
  return gate.stepMs ?? Math.max(15_000, Math.ceil(gate.overMs / 120 / 1000) * 1000);
}
