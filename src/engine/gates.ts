import { compareSamples, comparisonFails, describeCompareSpec, describeComparison, overlapOf, type CompareStats } from './compare.js';
import { describeConditions, parseCondition, type Condition, type Value } from './conditions.js';
import { formatDuration } from './duration.js';
import { effectiveStepMs, windowEndMs, type Gate, type Sample } from './model.js';
import { fmt, judgeSamples, medianGapMs } from './windows.js';

/** What a provider saw for one gate. An error or a no-data reason means the value is unknown. */
export interface GateObservation {
  samples: Sample[];
  baseline?: Sample[] | null;
  warnings?: string[];
  /** The provider failed (after retries): the gate has no data, with this text as the reason. */
  error?: string | null;
  /** The error is the store refusing the query itself as invalid: a query error, not no data. */
  queryError?: boolean;
  /** The provider answered, but with nothing usable (empty result, NaN, stale): why. */
  noDataReason?: string | null;
  /** Provider-specific facts worth keeping in the evidence (approvers, missing checklist items, series labels). */
  detail?: Record<string, unknown>;
  /** Milliseconds the provider took. */
  elapsedMs?: number;
  /**
   * The resolution the store reports for this series (CloudWatch's period, a bucket's length),
   * when it says; otherwise the engine takes the median gap between the samples it returned.
   */
  resolutionMs?: number | null;
}

/**
 * `query_error`: the store refused the query as invalid (a parse error, an unknown column). It is
 * no evidence either way, so it fails closed like no data, but it is a mistake in the config,
 * and `noData: pass` does not cover it.
 */
export type GateStatus = 'pass' | 'fail' | 'no_data' | 'query_error' | 'skipped';
export type GateEffect = 'none' | 'warning' | 'hold' | 'rollback';

export interface GateResult {
  name: string;
  provider: string;
  providerType: string;
  query: string | null;
  baselineQuery: string | null;
  /** Set when the baseline is the gate's own query this much earlier (`baselineOffset`), e.g. "7d". */
  baselineOffset: string | null;
  severity: Gate['severity'];
  noData: Gate['noData'];
  condition: string | null;
  /**
   * A windowed gate's window: its length, failAfter, the step asked for, and (when samples came
   * back) the interval actually judged and the series' own resolution, which the judgment uses.
   */
  window: { over: string; failAfter: string | null; step: string; from?: string; to?: string; resolution?: string | null; lag?: string | null } | null;
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
  /** The baseline's finite samples in the window (shifted by `baselineOffset`, so both share one time axis); empty without a baseline. */
  baselineSeries: Sample[];
  /** A compare gate's test result; null for every other gate. */
  stats: CompareStats | null;
  /** Judged and reported, never part of the decision: a failure is a warning at most. */
  shadow: boolean;
  elapsedMs: number | null;
  /**
   * A failing windowed gate: the value that broke the rule worst, when, the threshold it broke,
   * and the unbroken violation run around it (for failAfter, the run that failed the gate).
   * Absent in snapshots written before it existed, and for every other gate.
   */
  worst?: GateBreach;
}

export interface GateBreach {
  value: Value;
  /** ISO-8601 instant of the worst sample. */
  at: string;
  /** The threshold it broke, resolved (a relative condition's is a number); null when unknown. */
  threshold: number | boolean | null;
  /** When the violation run began (ISO-8601) and how long it lasted (ms, one step per sample). */
  runFrom: string;
  runMs: number;
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
  // A shadow gate that would have blocked (or warned) only warns: it never decides.
  if (gate.shadow) return 'warning';
  // A broken query holds whatever noData says (a typo must not pass a gate), but never rolls a
  // release back: it says nothing about the release. A minor gate only warns, as when it fails.
  if (status === 'query_error') return gate.severity === 'minor' ? 'warning' : 'hold';
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
  // The window judged ends `lag` before now: the store's newest data is not complete yet.
  const lagMs = gate.lagMs ?? 0;
  const endMs = windowEndMs(gate, nowMs);
  const base: GateResult = {
    name: gate.name,
    provider: gate.provider,
    providerType: gate.providerType,
    query: gate.query,
    baselineQuery: gate.baselineOffsetMs !== null ? gate.query : gate.baseline,
    baselineOffset: gate.baselineOffsetMs !== null ? formatDuration(gate.baselineOffsetMs) : null,
    severity: gate.severity,
    noData: gate.noData,
    condition: gate.compare ? describeCompareSpec(gate.compare) : conds.length ? describeConditions(conds) : null,
    window: gate.overMs === null ? null : {
      over: formatDuration(gate.overMs),
      failAfter: gate.failAfterMs === null ? null : formatDuration(gate.failAfterMs),
      step: formatDuration(stepMs!),
      from: isoOf((endMs - gate.overMs) / 1000),
      to: isoOf(endMs / 1000),
      resolution: null,
      lag: lagMs > 0 ? formatDuration(lagMs) : null,
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
    baselineSeries: [],
    stats: null,
    shadow: gate.shadow,
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
  if (obs.error && obs.queryError) return done('query_error', `query error: ${obs.error}`, { error: obs.error });
  if (obs.error) return done('no_data', obs.error, { error: obs.error });
  if (obs.noDataReason) return done('no_data', obs.noDataReason);

  const lowS = gate.overMs === null ? -Infinity : (endMs - gate.overMs) / 1000;
  // Without a lag, a minute of slack past now allows for clock skew; with one, nothing after the window's end counts.
  const highS = gate.overMs === null ? Infinity : lagMs > 0 ? endMs / 1000 : (nowMs + 60_000) / 1000;
  const canary = inWindow(obs.samples, lowS, highS);
  const baseline = obs.baseline ?? null;
  // An earlier window's (baselineOffset) later samples are real, and outside it.
  const baselineHighS = gate.baselineOffsetMs !== null && gate.overMs !== null ? endMs / 1000 : highS;
  const baselineSide = baseline ? inWindow(baseline, lowS, baselineHighS) : null;
  const duplicate = canary.duplicateTs ?? baselineSide?.duplicateTs ?? null;
  if (duplicate !== null) {
    const side = canary.duplicateTs !== null ? '' : 'the baseline has ';
    return done('no_data', `${side}two samples at ${isoOf(duplicate)}: a series needs one value per timestamp (aggregate them in the query, or set select/reduce)`, { series: canary.series, samples: canary.series.length });
  }
  // The series' own resolution: what the store reports, else the spacing it returned, else the step asked for.
  const resolutionMs = gate.overMs === null || canary.series.length === 0 ? null : obs.resolutionMs ?? medianGapMs(canary.series) ?? effectiveStepMs(gate);
  if (base.window && resolutionMs !== null) base.window = { ...base.window, resolution: formatDuration(resolutionMs) };
  // Coverage: a series that stopped reporting is no data, never a pass on its old samples.
  const stopped = gate.overMs === null || resolutionMs === null ? null : coverageGap(canary.series, endMs, resolutionMs);
  if (stopped) return done('no_data', stopped, { series: canary.series, samples: canary.series.length, value: canary.series.at(-1)?.[1] ?? null });
  if (gate.compare) return judgeComparison(gate, canary, baselineSide, done);

  const { series, dropped, min, max } = canary;
  const latest = series.at(-1);
  const stats: Partial<GateResult> = {
    series,
    samples: series.length,
    value: latest ? latest[1] : null,
    min: series.length ? min : null,
    max: series.length ? max : null,
    baselineSeries: baselineSide?.series ?? [],
  };
  const lastBaseline = baseline ? lastFinite(baseline) : undefined;
  if (lastBaseline) stats.baselineValue = num(lastBaseline[1]);

  const nanNote = dropped > 0 ? ` (${dropped} NaN/Inf sample${dropped === 1 ? '' : 's'} ignored)` : '';
  if (series.length < gate.minSamples) {
    const what = series.length === 0 ? 'no samples' : `${series.length} sample${series.length === 1 ? '' : 's'}, fewer than minSamples ${gate.minSamples}`;
    return done('no_data', `${what}${gate.overMs !== null ? ` in the last ${formatDuration(gate.overMs)}` : ''}${nanNote}`, stats);
  }
  if (conds.some((c) => c.operand.kind === 'relative') && !lastBaseline) {
    return done('no_data', 'the baseline query returned no data', stats);
  }
  const verdict = judgeSamples(series, conds, { overMs: gate.overMs, failAfterMs: gate.failAfterMs, resolutionMs }, baseline);
  if (verdict.kind === 'no_data') return done('no_data', verdict.detail + nanNote, stats);
  // The baseline the samples were judged against (the newest one only when that is the one).
  const judgedAgainst = verdict.baselineNote ?? (stats.baselineValue !== undefined && stats.baselineValue !== null ? `baseline ${fmt(stats.baselineValue)}` : null);
  const baselineNote = judgedAgainst ? ` (${judgedAgainst})` : '';
  const reason = governanceReason(gate, obs, verdict.kind === 'pass') ?? verdict.detail + baselineNote + nanNote;
  const breach: Partial<GateResult> = verdict.kind === 'fail' && gate.overMs !== null
    ? {
        worst: {
          value: verdict.breach.worst[1],
          at: isoOf(verdict.breach.worst[0]),
          threshold: verdict.breach.threshold,
          runFrom: isoOf(verdict.breach.runFromTs),
          runMs: verdict.breach.runMs,
        },
      }
    : {};
  return done(verdict.kind, reason, { ...stats, violations: verdict.violations, ...breach });
}

const isoOf = (ts: number) => new Date(ts * 1000).toISOString();

/**
 * Coverage (SPEC §8.1): when the newest sample is older than the window's end by more than two
 * resolutions, the series has stopped; says where. Null when it covers the window's end.
 */
export function coverageGap(series: readonly Sample[], endMs: number, resolutionMs: number): string | null {
  const newest = series.at(-1);
  if (!newest) return null;
  const behindMs = endMs - newest[0] * 1000;
  if (behindMs <= 2 * resolutionMs) return null;
  const at = new Date(newest[0] * 1000).toISOString().slice(11, 16);
  return `the series stops at ${at} UTC, ${formatDuration(Math.round(behindMs / 1000) * 1000)} before the window's end (${isoOf(endMs / 1000).replace('.000Z', 'Z')}; samples ${formatDuration(resolutionMs)} apart)`;
}

function lastFinite(samples: readonly Sample[]): Sample | undefined {
  for (let i = samples.length - 1; i >= 0; i--) if (Number.isFinite(num(samples[i]![1]))) return samples[i];
  return undefined;
}

interface WindowSide {
  /** Finite samples inside the window, in time order. */
  series: Sample[];
  /** NaN/±Inf samples left out. */
  dropped: number;
  min: number;
  max: number;
  /** The first timestamp that holds two samples (unix seconds), or null. */
  duplicateTs: number | null;
}

/**
 * Keeps finite values inside [lowS, highS], in time order (one pass; series can be long). When
 * every sample is kept, as from a range query, the provider's own list is used, not a copy.
 */
function inWindow(all: readonly Sample[], lowS: number, highS: number): WindowSide {
  let dropped = 0;
  let sorted = true;
  let min = Infinity;
  let max = -Infinity;
  let lastTs = -Infinity;
  // null while every sample so far is kept: the copy starts at the first one left out.
  let kept: Sample[] | null = null;
  for (let i = 0; i < all.length; i++) {
    const s = all[i]!;
    const ts = s[0];
    const v = s[1];
    const finite = typeof v !== 'number' || Number.isFinite(v);
    if (!finite || ts < lowS || ts > highS) {
      if (!finite) dropped++;
      kept ??= all.slice(0, i);
      continue;
    }
    if (ts < lastTs) sorted = false;
    lastTs = ts;
    if (kept) kept.push(s);
    const n = num(v);
    if (n < min) min = n;
    if (n > max) max = n;
  }
  let series = kept ?? (all as Sample[]);
  if (!sorted) series = (kept ?? [...all]).sort((a, b) => a[0] - b[0]);
  let duplicateTs: number | null = null;
  for (let i = 1; i < series.length; i++) {
    if (series[i]![0] === series[i - 1]![0]) {
      duplicateTs = series[i]![0];
      break;
    }
  }
  return { series, dropped, min, max, duplicateTs };
}

/** Mean summed around the first value, as the stats module does, so a constant side gives that value exactly. */
function meanOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const first = values[0]!;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! - first;
  return first + sum / values.length;
}

type Done = (status: GateStatus, reason: string, extra?: Partial<GateResult>) => GateResult;

/**
 * A compare gate: the canary's window (x) against the baseline's (y) by the gate's test. The value
 * is the canary's mean, the baseline value the baseline's; either side short of minSamples is no data.
 */
function judgeComparison(gate: Gate, canary: WindowSide, baseline: WindowSide | null, done: Done): GateResult {
  const spec = gate.compare!;
  const label = gate.baselineOffsetMs !== null ? `${formatDuration(gate.baselineOffsetMs)} earlier` : 'baseline';
  const xs = canary.series.map(([, v]) => num(v));
  const ys = baseline ? baseline.series.map(([, v]) => num(v)) : [];
  const values: Partial<GateResult> = {
    series: canary.series,
    baselineSeries: baseline?.series ?? [],
    samples: xs.length,
    value: meanOf(xs),
    baselineValue: meanOf(ys),
    min: xs.length ? canary.min : null,
    max: xs.length ? canary.max : null,
  };
  const droppedX = canary.dropped;
  const droppedY = baseline?.dropped ?? 0;
  const ignored = [droppedX ? `${droppedX} canary` : '', droppedY ? `${droppedY} ${label}` : ''].filter(Boolean).join(' and ');
  const nanNote = ignored ? ` (${ignored} NaN/Inf sample${droppedX + droppedY === 1 ? '' : 's'} ignored)` : '';
  if (!baseline) return done('no_data', `the ${label} query returned no data`, values);

  const window = gate.overMs !== null ? ` in the last ${formatDuration(gate.overMs)}` : '';
  const short = (side: string, count: number) =>
    count === 0 ? `${side}: no samples${window}` : `${side}: ${count} sample${count === 1 ? '' : 's'}${window}, fewer than minSamples ${gate.minSamples}`;
  const missing: string[] = [];
  if (xs.length < gate.minSamples) missing.push(short('canary', xs.length));
  if (ys.length < gate.minSamples) missing.push(short(label, ys.length));
  if (missing.length > 0) return done('no_data', missing.join('; ') + nanNote, values);

  // How far each side's samples overlap: its query's range window over the spacing it came at.
  const overlap = {
    x: overlapOf(gate.query, canary.series.map(([t]) => t)),
    y: overlapOf(gate.baselineOffsetMs !== null ? gate.query : gate.baseline, baseline.series.map(([t]) => t)),
  };
  const stats = compareSamples(xs, ys, spec, label, overlap);
  return done(comparisonFails(stats) ? 'fail' : 'pass', describeComparison(stats) + nanNote, { ...values, stats });
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
