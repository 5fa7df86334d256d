import { describeConditions, holds, type Condition } from './conditions.js';
import { formatDuration } from './duration.js';
import type { Sample } from './model.js';

/** The verdict of a gate's conditions over its samples (instant, `over`, or `over` + `failAfter`). */
export type WindowVerdict =
  | { kind: 'pass'; detail: string; violations: number }
  | { kind: 'fail'; detail: string; violations: number; worst: Sample }
  | { kind: 'no_data'; detail: string };

export interface WindowSpec {
  overMs: number | null;
  failAfterMs: number | null;
  stepMs: number | null;
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
 * with `failAfter` only an unbroken run of violations lasting at least that long fails, where a
 * gap of more than 1.5 steps between samples breaks a run (missing data is not a violation).
 */
export function judgeSamples(
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
      : { kind: 'fail', detail: `${fmt(value)} breaks ${text}`, violations: 1, worst: judged[0]! };
  }

  let violations = 0;
  let firstBad = -1;
  for (let i = 0; i < ok.length; i++) if (!ok[i]) { violations++; if (firstBad < 0) firstBad = i; }
  const window = formatDuration(spec.overMs);
  if (violations === 0) {
    return { kind: 'pass', detail: `all ${judged.length} samples over ${window} meet ${text}`, violations };
  }
  if (spec.failAfterMs === null) {
    const [ts, v] = judged[firstBad]!;
    return {
      kind: 'fail',
      detail: `${violations} of ${judged.length} samples over ${window} break ${text} (first ${fmt(v)} at ${iso(ts)})`,
      violations,
      worst: judged[firstBad]!,
    };
  }

  const stepS = (spec.stepMs ?? 15_000) / 1000;
  const maxGapS = stepS * 1.5;
  let longestS = 0;
  let longestStart = -1;
  let runStart = -1;
  for (let i = 0; i < ok.length; i++) {
    const brokenByGap = i > 0 && judged[i]![0] - judged[i - 1]![0] > maxGapS;
    if (!ok[i]) {
      if (runStart < 0 || brokenByGap) runStart = i;
      // A run of k samples one step apart covers k steps of time.
      const lenS = judged[i]![0] - judged[runStart]![0] + stepS;
      if (lenS > longestS) {
        longestS = lenS;
        longestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  const longest = formatDuration(longestS * 1000);
  const need = formatDuration(spec.failAfterMs);
  if (longestS * 1000 >= spec.failAfterMs) {
    const [ts, v] = judged[longestStart]!;
    return {
      kind: 'fail',
      detail: `${text} broken without a break for ${longest} (failAfter ${need}), from ${iso(ts)} (${fmt(v)})`,
      violations,
      worst: judged[longestStart]!,
    };
  }
  return {
    kind: 'pass',
    detail: `${violations} of ${judged.length} samples over ${window} break ${text}, but the longest unbroken violation is ${longest} (< failAfter ${need})`,
    violations,
  };
}

export function fmt(v: number | boolean): string {
  if (typeof v === 'boolean') return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}
