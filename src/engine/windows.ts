import { describeConditions, holds, resolveOperand, type Condition } from './conditions.js';
import { formatDuration } from './duration.js';
import type { Sample } from './model.js';

/** The verdict of a gate's conditions over its samples (instant, `over`, or `over` + `failAfter`). */
export type WindowVerdict =
  | { kind: 'pass'; detail: string; violations: number; baselineNote?: string }
  | {
      kind: 'fail';
      detail: string;
      violations: number;
      worst: Sample;
      breach: Breach;
      /** The sample the detail names (the first violation, or the start of the run that failed). */
      named?: Sample;
      /** The baseline the failure was judged against, as the reason quotes it. */
      baselineNote?: string;
    }
  | { kind: 'no_data'; detail: string };

export interface WindowSpec {
  overMs: number | null;
  failAfterMs: number | null;
  /**
   * The series' own resolution r (the spacing the store returned, or the period it reports),
   * never the step that was asked for: a run of k violating samples lasts k·r, and a gap of more
   * than 1.5·r breaks a run. Null: 15 s.
   */
  resolutionMs: number | null;
}

/**
 * What broke the rule in a failing verdict: the sample furthest past its threshold, the threshold
 * it broke (resolved, so a relative one is a number), and the unbroken run of violations around it
 * (for failAfter, the longest run, the one that failed the gate).
 */
export interface Breach {
  worst: Sample;
  threshold: number | boolean | null;
  runFromTs: number;
  /** The run's length: k violating samples last k·r (r the series' resolution); 0 for an instant gate. */
  runMs: number;
}

const iso = (ts: number) => new Date(ts * 1000).toISOString().replace('.000Z', 'Z');

/** The baseline value in force at `ts`: the newest baseline sample not after it (or the oldest). */
function baselineLookup(baseline: readonly Sample[] | null): (ts: number) => number | null {
  if (!baseline || baseline.length === 0) return () => null;
  const numeric = baseline
    .map(([t, v]) => [t, typeof v === 'boolean' ? (v ? 1 : 0) : v] as const)
    .filter(([, v]) => Number.isFinite(v));
  if (numeric.length === 0) return () => null;
  return (ts) => {
    let lo = 0;
    let hi = numeric.length - 1;
    if (ts < numeric[0]![0]) return numeric[0]![1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (numeric[mid]![0] <= ts) lo = mid;
      else hi = mid - 1;
    }
    return numeric[lo]![1];
  };
}

/**
 * Applies the conditions to the samples. Samples must be sorted by time and already limited to
 * the window. Without `over` only the newest sample counts; with `over` every sample must hold;
 * with `failAfter` only an unbroken run of violations lasting at least that long fails. A run of
 * k samples lasts k·r, r being the series' resolution; a gap of more than 1.5·r between samples
 * breaks a run (missing data is not a violation). When r > failAfter/2 the window cannot be
 * judged finer than one sample: one violating sample counts its whole interval and fails.
 */
export function judgeSamples(
  samples: readonly Sample[],
  conditions: readonly Condition[],
  spec: WindowSpec,
  baseline: readonly Sample[] | null,
): WindowVerdict {
  const verdict = judgeWindow(samples, conditions, spec, baseline);
  if (verdict.kind === 'no_data' || baseline === null) return verdict;
  const note = baselineJudged(verdict, samples, spec, baselineLookup(baseline));
  return note === null ? verdict : { ...verdict, baselineNote: note };
}

/**
 * The baseline a verdict was judged against, as the reason quotes it: for a failure, the value in
 * force at the sample the reason names (with the window's range when the baseline moved); for a
 * pass, the one value or the range over the window. Never simply the newest baseline sample.
 */
function baselineJudged(verdict: Exclude<WindowVerdict, { kind: 'no_data' }>, samples: readonly Sample[], spec: WindowSpec, baselineAt: (ts: number) => number | null): string | null {
  const judged = spec.overMs === null ? samples.slice(-1) : samples;
  let lo = Infinity;
  let hi = -Infinity;
  for (const [ts] of judged) {
    const b = baselineAt(ts);
    if (b === null) continue;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  if (lo === Infinity) return null;
  const range = lo === hi ? null : `${fmt(lo)} to ${fmt(hi)} over the window`;
  if (verdict.kind === 'pass') return range ? `baseline ${range}` : `baseline ${fmt(lo)}`;
  const named = verdict.named ?? verdict.worst;
  const at = baselineAt(named[0]);
  if (at === null) return null;
  return range && spec.overMs !== null ? `baseline ${fmt(at)} at ${iso(named[0])}; ${range}` : `baseline ${fmt(at)}`;
}

function judgeWindow(
  samples: readonly Sample[],
  conditions: readonly Condition[],
  spec: WindowSpec,
  baseline: readonly Sample[] | null,
): WindowVerdict {
  const text = describeConditions(conditions);
  const baselineAt = baselineLookup(baseline);
  const judged = spec.overMs === null ? samples.slice(-1) : samples;
  if (judged.length === 0) return { kind: 'no_data', detail: 'no samples' };

  // Indexed access, no destructuring: this loop runs once per sample, mostly before the JIT
  // has optimised it (a CLI run is short), where array destructuring goes through iterators.
  const ok: boolean[] = new Array(judged.length);
  const noBaseline = baseline === null;
  for (let i = 0; i < judged.length; i++) {
    const sample = judged[i]!;
    const ts = sample[0];
    const value = sample[1];
    const base = noBaseline ? null : baselineAt(ts);
    for (let k = 0; k < conditions.length; k++) {
      const c = conditions[k]!;
      const r = holds(c, value, base);
      if (r === null) return { kind: 'no_data', detail: `no baseline value at ${iso(ts)} for "${c.text}"` };
      if (!r) {
        ok[i] = false;
        break;
      }
      ok[i] = true;
    }
  }

  if (spec.overMs === null) {
    const [, value] = judged[0]!;
    return ok[0]
      ? { kind: 'pass', detail: `${fmt(value)} meets ${text}`, violations: 0 }
      : { kind: 'fail', detail: `${fmt(value)} breaks ${text}`, violations: 1, worst: judged[0]!, breach: breachOf(judged, 0, 0, conditions, baselineAt, 0) };
  }

  let violations = 0;
  let firstBad = -1;
  for (let i = 0; i < ok.length; i++) if (!ok[i]) { violations++; if (firstBad < 0) firstBad = i; }
  const window = formatDuration(spec.overMs);
  if (violations === 0) {
    return { kind: 'pass', detail: `all ${judged.length} samples over ${window} meet ${text}`, violations };
  }
  const rS = (spec.resolutionMs ?? 15_000) / 1000;
  const maxGapS = rS * 1.5;
  if (spec.failAfterMs === null) {
    const [ts, v] = judged[firstBad]!;
    const worst = worstOf(judged, ok, 0, judged.length - 1, conditions, baselineAt);
    // The run around the worst sample: neighbours that also break the rule, with no gap between.
    let from = worst;
    while (from > 0 && !ok[from - 1] && judged[from]![0] - judged[from - 1]![0] <= maxGapS) from--;
    let to = worst;
    while (to < judged.length - 1 && !ok[to + 1] && judged[to + 1]![0] - judged[to]![0] <= maxGapS) to++;
    return {
      kind: 'fail',
      detail: `${violations} of ${judged.length} samples over ${window} break ${text} (first ${fmt(v)} at ${iso(ts)})`,
      named: judged[firstBad]!,
      violations,
      worst: judged[worst]!,
      breach: breachOf(judged, worst, from, conditions, baselineAt, (to - from + 1) * rS * 1000),
    };
  }

  // The longest unbroken run, counted in samples: k samples at resolution r last k·r.
  let longestK = 0;
  let longestStart = -1;
  let longestEnd = -1;
  let runStart = -1;
  for (let i = 0; i < ok.length; i++) {
    const brokenByGap = i > 0 && judged[i]![0] - judged[i - 1]![0] > maxGapS;
    if (!ok[i]) {
      if (runStart < 0 || brokenByGap) runStart = i;
      const k = i - runStart + 1;
      if (k > longestK) {
        longestK = k;
        longestStart = runStart;
        longestEnd = i;
      }
    } else {
      runStart = -1;
    }
  }
  const longestMs = longestK * rS * 1000;
  const longest = formatDuration(longestMs);
  const need = formatDuration(spec.failAfterMs);
  // Coarser than half of failAfter, two samples already exceed it and one cannot be split: one
  // violating sample stands for its whole interval, and fails (fail-closed).
  const coarse = rS * 1000 > spec.failAfterMs / 2;
  const coarseNote = coarse ? `; samples ${formatDuration(rS * 1000)} apart cannot judge failAfter ${need} finer than one sample, so one violating sample fails` : '';
  if (longestMs >= spec.failAfterMs || (coarse && longestK >= 1)) {
    const [ts, v] = judged[longestStart]!;
    const worst = worstOf(judged, ok, longestStart, longestEnd, conditions, baselineAt);
    return {
      kind: 'fail',
      detail: `${text} broken without a break for ${longest} (${longestK} sample${longestK === 1 ? '' : 's'} at ${formatDuration(rS * 1000)}; failAfter ${need}), from ${iso(ts)} (${fmt(v)})${coarseNote}`,
      named: judged[longestStart]!,
      violations,
      worst: judged[worst]!,
      breach: breachOf(judged, worst, longestStart, conditions, baselineAt, longestMs),
    };
  }
  return {
    kind: 'pass',
    detail: `${violations} of ${judged.length} samples over ${window} break ${text}, but the longest unbroken violation is ${longest} (${longestK} sample${longestK === 1 ? '' : 's'} at ${formatDuration(rS * 1000)}; < failAfter ${need})`,
    violations,
  };
}

/** The median gap between consecutive timestamps (seconds, ascending); null under two or when it is 0. */
export function medianSpacingSeconds(timestamps: readonly number[]): number | null {
  if (timestamps.length < 2) return null;
  const gaps = new Float64Array(timestamps.length - 1);
  for (let i = 1; i < timestamps.length; i++) gaps[i - 1] = timestamps[i]! - timestamps[i - 1]!;
  gaps.sort();
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return median > 0 ? median : null;
}

/**
 * The resolution of a series in time order: the median gap between consecutive samples (robust
 * to a missing sample or a late one), ms; null with fewer than two samples.
 */
export function medianGapMs(samples: readonly Sample[]): number | null {
  const s = medianSpacingSeconds(samples.map((x) => x[0]));
  return s === null ? null : s * 1000;
}

/**
 * How far a sample is past the first condition it breaks, relative to that condition's threshold
 * (so samples judged against different baseline values compare fairly), and that threshold.
 */
function excess(sample: Sample, conditions: readonly Condition[], baselineAt: (ts: number) => number | null): { score: number; threshold: number | boolean | null } {
  const a = typeof sample[1] === 'boolean' ? (sample[1] ? 1 : 0) : sample[1];
  for (const c of conditions) {
    const base = baselineAt(sample[0]);
    if (holds(c, sample[1], base) !== false) continue;
    const operand = resolveOperand(c, base);
    if (operand === null) break;
    const b = typeof operand === 'boolean' ? (operand ? 1 : 0) : operand;
    const past = c.op === '<' || c.op === '<=' ? a - b : c.op === '>' || c.op === '>=' ? b - a : c.op === '==' ? Math.abs(a - b) : 0;
    return { score: past / (Math.abs(b) || 1), threshold: typeof operand === 'boolean' ? operand : b };
  }
  return { score: 0, threshold: null };
}

/** The index of the violating sample in [from, to] furthest past its threshold (the earliest of equals). */
function worstOf(judged: readonly Sample[], ok: readonly boolean[], from: number, to: number, conditions: readonly Condition[], baselineAt: (ts: number) => number | null): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let i = from; i <= to; i++) {
    if (ok[i]) continue;
    const { score } = excess(judged[i]!, conditions, baselineAt);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best < 0 ? from : best;
}

function breachOf(judged: readonly Sample[], worst: number, runFrom: number, conditions: readonly Condition[], baselineAt: (ts: number) => number | null, runMs: number): Breach {
  return { worst: judged[worst]!, threshold: excess(judged[worst]!, conditions, baselineAt).threshold, runFromTs: judged[runFrom]![0], runMs };
}

export function fmt(v: number | boolean): string {
  if (typeof v === 'boolean') return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}
