import { describeConditions, parseCondition, type Condition, type Value } from './conditions.js';
import { formatDuration } from './duration.js';
import { effectiveStepMs, type Gate, type Sample } from './model.js';
import { fmt, judgeSamples } from './windows.js';

/** What a provider saw for one gate. An error or a no-data reason means the value is unknown. */
export interface GateObservation {
  samples: Sample[];
  baseline?: Sample[] | null;
  warnings?: string[];
  /** The provider failed (after retries): the gate has no data, with this text as the reason. */
  error?: string | null;
  /** The provider answered, but with nothing usable (empty result, NaN, stale): why. */
  noDataReason?: string | null;
  /** Provider-specific facts worth keeping in the evidence (approvers, missing checklist items, series labels). */
  detail?: Record<string, unknown>;
  /** Milliseconds the provider took. */
  elapsedMs?: number;
}

export type GateStatus = 'pass' | 'fail' | 'no_data' | 'skipped';
export type GateEffect = 'none' | 'warning' | 'hold' | 'rollback';

export interface GateResult {
  name: string;
  provider: string;
  providerType: string;
  query: string | null;
  baselineQuery: string | null;
  severity: Gate['severity'];
  noData: Gate['noData'];
  condition: string | null;
  window: { over: string; failAfter: string | null; step: string } | null;
  status: GateStatus;
  effect: GateEffect;
  /** The newest value (null without data). */
  value: Value | null;
  baselineValue: number | null;
  min: number | null;
  max: number | null;
  samples: number;
  violations: number;
  reason: string;
  error: string | null;
  warnings: string[];
  detail: Record<string, unknown> | null;
  series: Sample[];
  elapsedMs: number | null;
}

export function appliesTo(gate: Gate, target: string | null): boolean {
  return gate.appliesTo === null || (target !== null && gate.appliesTo.includes(target));
}

/** The conditions a gate checks when promoting to `target`: its threshold for that stage, or `pass`. */
export function conditionsFor(gate: Gate, target: string | null): Condition[] {
  if (gate.approvals) return [parseCondition(`>= ${gate.approvals.min}`)];
  if (gate.checklist) return [parseCondition('== 0')];
  return (target !== null ? gate.thresholds[target] : undefined) ?? gate.pass ?? [];
}

function effectOf(status: GateStatus, gate: Gate): GateEffect {
  if (status === 'pass' || status === 'skipped') return 'none';
  if (status === 'no_data') {
    if (gate.noData === 'pass') return 'warning';
    if (gate.noData === 'hold') return 'hold';
  }
  return gate.severity === 'critical' ? 'rollback' : gate.severity === 'major' ? 'hold' : 'warning';
}

function num(v: Value): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Judges one gate for the transition's target from what its provider saw. Pure. */
export function evaluateGate(gate: Gate, target: string | null, obs: GateObservation | undefined, nowMs: number): GateResult {
  const conds = conditionsFor(gate, target);
  const stepMs = effectiveStepMs(gate);
  const base: GateResult = {
    name: gate.name,
    provider: gate.provider,
    providerType: gate.providerType,
    query: gate.query,
    baselineQuery: gate.baseline,
    severity: gate.severity,
    noData: gate.noData,
    condition: conds.length ? describeConditions(conds) : null,
    window: gate.overMs === null ? null : {
      over: formatDuration(gate.overMs),
      failAfter: gate.failAfterMs === null ? null : formatDuration(gate.failAfterMs),
      step: formatDuration(stepMs!),
    },
    status: 'skipped',
    effect: 'none',
    value: null,
    baselineValue: null,
    min: null,
    max: null,
    samples: 0,
    violations: 0,
    reason: '',
    error: null,
    warnings: obs?.warnings ?? [],
    detail: obs?.detail ?? null,
    series: [],
    elapsedMs: obs?.elapsedMs ?? null,
  };
  if (!appliesTo(gate, target)) {
    return { ...base, reason: `not applicable to target ${target ?? '(none)'} (appliesTo: ${gate.appliesTo!.join(', ')})` };
  }
  const done = (status: GateStatus, reason: string, extra: Partial<GateResult> = {}): GateResult => {
    const r = { ...base, ...extra, status, reason };
    r.effect = effectOf(status, gate);
    if (status === 'no_data') {
      r.reason = `no data: ${reason}${gate.noData === 'pass' ? ' (noData: pass)' : gate.noData === 'fail' ? ' (noData: fail)' : ''}`;
    }
    return r;
  };
  if (!obs) return done('no_data', 'the provider was not queried');
  if (obs.error) return done('no_data', obs.error, { error: obs.error });
  if (obs.noDataReason) return done('no_data', obs.noDataReason);

  // Keep finite values inside the window, in time order (one pass; series can be long).
  const lowS = gate.overMs === null ? -Infinity : (nowMs - gate.overMs) / 1000;
  const highS = gate.overMs === null ? Infinity : (nowMs + 60_000) / 1000;
  let dropped = 0;
  let sorted = true;
  let min = Infinity;
  let max = -Infinity;
  const series: Sample[] = [];
  const all = obs.samples;
  for (let i = 0; i < all.length; i++) {
    const s = all[i]!;
    const ts = s[0];
    const v = s[1];
    if (typeof v === 'number' && !Number.isFinite(v)) { dropped++; continue; }
    if (ts < lowS || ts > highS) continue;
    if (sorted && series.length > 0 && series[series.length - 1]![0] > ts) sorted = false;
    series.push(s);
    const n = num(v);
    if (n < min) min = n;
    if (n > max) max = n;
  }
  if (!sorted) series.sort((a, b) => a[0] - b[0]);
  const latest = series.at(-1);
  const stats: Partial<GateResult> = {
    series,
    samples: series.length,
    value: latest ? latest[1] : null,
    min: series.length ? min : null,
    max: series.length ? max : null,
  };
  const baseline = obs.baseline ?? null;
  const lastBaseline = baseline?.filter(([, v]) => Number.isFinite(num(v))).at(-1);
  if (lastBaseline) stats.baselineValue = num(lastBaseline[1]);

  const nanNote = dropped > 0 ? ` (${dropped} NaN/Inf sample${dropped === 1 ? '' : 's'} ignored)` : '';
  if (series.length < gate.minSamples) {
    const what = series.length === 0 ? 'no samples' : `${series.length} sample${series.length === 1 ? '' : 's'}, fewer than minSamples ${gate.minSamples}`;
    return done('no_data', `${what}${gate.overMs !== null ? ` in the last ${formatDuration(gate.overMs)}` : ''}${nanNote}`, stats);
  }
  if (conds.some((c) => c.operand.kind === 'relative') && !lastBaseline) {
    return done('no_data', 'the baseline query returned no data', stats);
  }
  const verdict = judgeSamples(series, conds, { overMs: gate.overMs, failAfterMs: gate.failAfterMs, stepMs }, baseline);
  if (verdict.kind === 'no_data') return done('no_data', verdict.detail + nanNote, stats);
  const baselineNote = stats.baselineValue !== undefined && stats.baselineValue !== null ? ` (baseline ${fmt(stats.baselineValue)})` : '';
  const reason = governanceReason(gate, obs, verdict.kind === 'pass') ?? verdict.detail + baselineNote + nanNote;
  return done(verdict.kind, reason, { ...stats, violations: verdict.violations });
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Approval and checklist gates explain themselves by name, not by a count. */
function governanceReason(gate: Gate, obs: GateObservation, passed: boolean): string | null {
  const d = obs.detail ?? {};
  if (gate.checklist) {
    const missing = strings(d.missing);
    if (passed) return `all ${gate.checklist.length} checklist item${gate.checklist.length === 1 ? '' : 's'} ticked in the pull request`;
    return `not ticked in the pull request: ${missing.map((m) => `"${m}"`).join(', ')}`;
  }
  if (gate.approvals) {
    const approvers = strings(d.approvers);
    const stale = strings(d.staleApprovals);
    const who = approvers.length ? ` (${approvers.join(', ')})` : '';
    const staleNote = stale.length ? `; approvals of an older commit do not count (${stale.join(', ')})` : '';
    return `${approvers.length} approving review${approvers.length === 1 ? '' : 's'} on the head commit${who}, ${passed ? 'meets' : 'needs'} ${gate.approvals.min}${staleNote}`;
  }
  return null;
}
