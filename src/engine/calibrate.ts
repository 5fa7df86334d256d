import { describeCompareSpec } from './compare.js';
import { describeConditions, parseCondition, type Condition, type Operator } from './conditions.js';
import { formatDuration } from './duration.js';
import { evaluateGate, conditionsFor } from './gates.js';
import type { CompareSpec, Gate, Sample } from './model.js';

/**
 * Calibration (SPEC §7.3), the pure part: a gate's history cut into consecutive windows of its
 * `over`, each judged by the engine's own `evaluateGate` (so `failAfter`, `minSamples`, NaN and
 * the compare test count exactly as in a decision), the fail rate, the tightest threshold that
 * keeps it under a target, and the statistics of the samples. No I/O, no clock.
 */

/** One window of history and the baseline's samples over the same time (a relative gate), both in time order. */
export interface HistoryWindow {
  /** Unix ms of the window's end; the window is (end − over, end]. */
  endMs: number;
  samples: Sample[];
  baseline: Sample[] | null;
}

export interface SampleStats {
  samples: number;
  mean: number | null;
  std: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface GateCalibration {
  name: string;
  condition: string | null;
  /** Windows judged pass or fail; windows with no data are counted apart. */
  windows: number;
  failing: number;
  noData: number;
  /** failing / windows; null without a judged window. */
  failRate: number | null;
  /** The tightest threshold of the gate's comparison with a fail rate ≤ the target, or null (see `note`). */
  suggested: number | null;
  /** The suggested threshold as a condition (`< 0.012`), or null. */
  suggestedCondition: string | null;
  note: string | null;
  stats: SampleStats;
  /** A comparison gate's A/A check (null for every other gate): see `falseAlarm`. */
  falseAlarm: FalseAlarm | null;
  /** Set when the history could not be read; every count is then 0. */
  error: string | null;
  /** Windows left out because they overlap an excluded range (`--exclude`, known incidents). */
  excluded: number;
  /**
   * The suggestion withheld by the guard (too few windows for the fail rate asked: it would be
   * the worst window's value, so every past window, incidents included, would pass it); null
   * when nothing was withheld. `suggested` and `suggestedCondition` are then null.
   */
  withheld: string | null;
  /** Why the suggestion was withheld, and what would make one: more days, a higher rate, exclusions. */
  warning: string | null;
  /** Past windows that fail the gate's condition today and would pass the suggestion (or the withheld one). */
  letThrough: LetThrough[];
}

/** A past window a suggested threshold would let through, with its worst value. */
export interface LetThrough {
  /** ISO instants of the window (from, to]. */
  from: string;
  to: string;
  /** The window's value furthest on the failing side (the maximum under < / <=, the minimum under > / >=). */
  worst: number | null;
}

/** A time range left out of calibration (a known incident): unix ms, from < to. */
export interface ExcludedRange {
  fromMs: number;
  toMs: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One excluded range `FROM..TO`: ISO-8601 instants, or dates (a date as FROM is its start, as TO
 * its end, UTC). The range, or why the text is not one (repeating it).
 */
export function parseExclusion(raw: string): ExcludedRange | string {
  const parts = raw.split('..');
  const bad = (why: string) => `"${raw}" ${why}; expected FROM..TO, ISO-8601 instants or dates (e.g. 2026-11-21T09:00Z..2026-11-21T11:30Z, or 2026-11-21..2026-11-21)`;
  if (parts.length !== 2) return bad('is not a range');
  const at = (text: string, end: boolean): number | null => {
    if (!/^\d{4}-\d{2}-\d{2}(T|$)/.test(text)) return null;
    const ms = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(ms)) return null;
    return DATE_ONLY.test(text) && end ? ms + 86_400_000 : ms;
  };
  const [from, to] = parts.map((p) => p.trim()) as [string, string];
  const fromMs = at(from, false);
  if (fromMs === null) return bad(`starts at "${from}", not an instant`);
  const toMs = at(to, true);
  if (toMs === null) return bad(`ends at "${to}", not an instant`);
  if (toMs <= fromMs) return bad('ends before it starts');
  return { fromMs, toMs };
}

/** The fewest windows that can estimate a fail rate: at rate r, 1/r windows allow one to fail. */
export function minWindowsFor(targetRate: number): number {
  return targetRate > 0 ? Math.ceil(1 / targetRate - 1e-9) : 0;
}

/** Whether a window (end − over, end] overlaps an excluded range. */
function overlaps(w: HistoryWindow, overMs: number, ranges: readonly ExcludedRange[]): boolean {
  return ranges.some((r) => r.fromMs < w.endMs && r.toMs > w.endMs - overMs);
}

/**
 * What a comparison gate's A/A check found: the fail rate of identical data (the baseline against
 * itself, a window earlier), what a test at its confidence should show, and whether the
 * difference is more than chance.
 */
export interface FalseAlarm {
  /** failing / pairs judged; null without a judged pair. */
  rate: number | null;
  /** The rate a correct test fails identical data: 1 − confidence for `either`, half of it for one direction; null for sigma (no nominal rate). */
  expected: number | null;
  /** The rate found is above `expected` by more than chance (binomial upper tail below 1%). */
  excessive: boolean;
}

/** The rate a comparison gate's test fails identical data, by its confidence and direction; null for sigma. */
export function expectedFalseAlarmRate(spec: CompareSpec): number | null {
  if (spec.test !== 'mann-whitney') return null;
  const alpha = 1 - (spec.confidence ?? 0.98);
  return spec.direction === 'either' ? alpha : alpha / 2;
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed exactly (k ≤ n). */
export function binomialTailAtLeast(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // Sum P(X = x) for x < k, in logs so a few thousand windows do not underflow the first term.
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logTerm = n * logQ; // log P(X = 0)
  let below = 0;
  for (let x = 0; x < k; x++) {
    below += Math.exp(logTerm);
    logTerm += Math.log((n - x) / (x + 1)) + logP - logQ;
  }
  return Math.min(1, Math.max(0, 1 - below));
}

/** The A/A result of a comparison gate from its tally. */
export function falseAlarmOf(spec: CompareSpec, tally: WindowTally): FalseAlarm {
  const rate = tally.windows > 0 ? tally.failing / tally.windows : null;
  const expected = expectedFalseAlarmRate(spec);
  const excessive = expected !== null && rate !== null && rate > expected && binomialTailAtLeast(tally.windows, expected, tally.failing) < 0.01;
  return { rate, expected, excessive };
}

const percentText = (rate: number): string => `${Number((rate * 100).toPrecision(2))}%`;

/** The A/A note of a comparison gate, in words. */
function falseAlarmNote(spec: CompareSpec, tally: WindowTally, alarm: FalseAlarm): string {
  const head = 'A/A: each window of the baseline against the window before it';
  if (alarm.rate === null) return `${head}; no pair of windows could be judged; a comparison has no threshold to suggest`;
  const found = `false alarms in ${tally.failing} of ${tally.windows} (${percentText(alarm.rate)})`;
  const expected =
    alarm.expected === null
      ? ''
      : `, where a ${Number(((spec.confidence ?? 0.98) * 100).toPrecision(6))}% test on identical data fails about ${percentText(alarm.expected)}${spec.direction === 'either' ? '' : ` (${spec.direction} only)`}`;
  const excess = alarm.excessive
    ? '; more than chance: consecutive windows of this history differ for real (a daily cycle, a deploy), or the series is correlated for longer than a window shows'
    : '';
  return `${head}: ${found}${expected}${excess}; a comparison has no threshold to suggest`;
}

/** A time range cut into queries of at most `maxPoints` steps each; no step in two chunks. */
export interface Chunk {
  startMs: number;
  endMs: number;
  points: number;
}

/**
 * The grid start, start + step, …, ≤ end, as consecutive chunks of at most `maxPoints` points.
 * A range query answers both ends inclusive, so a chunk ends one step before the next begins.
 */
export function chunkRange(startMs: number, endMs: number, stepMs: number, maxPoints: number): Chunk[] {
  if (!(stepMs > 0) || !(maxPoints >= 1) || endMs < startMs) return [];
  const total = Math.floor((endMs - startMs) / stepMs) + 1;
  const out: Chunk[] = [];
  for (let first = 0; first < total; first += maxPoints) {
    const points = Math.min(maxPoints, total - first);
    out.push({ startMs: startMs + first * stepMs, endMs: startMs + (first + points - 1) * stepMs, points });
  }
  return out;
}

/** How many whole windows of `overMs` fit in `spanMs`. */
export function windowCount(spanMs: number, overMs: number): number {
  return overMs > 0 ? Math.floor(spanMs / overMs) : 0;
}

/**
 * Cuts a series (sorted by time) into `count` consecutive windows (end − over, end], the last
 * ending at `endMs`, stepping back by `over`; returned oldest first. A sample belongs to at
 * most one window; non-finite values stay in (the engine leaves them out and says so).
 */
export function cutWindows(samples: readonly Sample[], endMs: number, overMs: number, count: number): Sample[][] {
  const out: Sample[][] = [];
  const firstStartS = (endMs - count * overMs) / 1000;
  let i = 0;
  while (i < samples.length && samples[i]![0] <= firstStartS) i++;
  for (let k = count - 1; k >= 0; k--) {
    const highS = (endMs - k * overMs) / 1000;
    const from = i;
    while (i < samples.length && samples[i]![0] <= highS) i++;
    out.push(samples.slice(from, i) as Sample[]);
  }
  return out;
}

/** Pairs each window with the baseline's samples over the same time (null without a baseline series). */
export function historyWindows(samples: readonly Sample[], baseline: readonly Sample[] | null, endMs: number, overMs: number, count: number): HistoryWindow[] {
  const own = cutWindows(samples, endMs, overMs, count);
  const base = baseline ? cutWindows(baseline, endMs, overMs, count) : null;
  return own.map((s, k) => ({ endMs: endMs - (count - 1 - k) * overMs, samples: s, baseline: base ? base[k]! : null }));
}

export interface WindowTally {
  windows: number;
  failing: number;
  noData: number;
}

/** The gate as the engine sees it in calibration: its default conditions, for every target. */
function asJudged(gate: Gate, conditions: readonly Condition[]): Gate {
  return { ...gate, pass: [...conditions], thresholds: {}, appliesTo: null, shadow: false };
}

/** Judges every window with `evaluateGate`, as a decision at the window's end would, under `conditions`. */
export function tallyWindows(gate: Gate, windows: readonly HistoryWindow[], conditions: readonly Condition[] = conditionsFor(gate, null)): WindowTally {
  let failing = 0;
  let noData = 0;
  for (const r of judgeWindows(gate, windows, conditions)) {
    if (r.status === 'fail') failing++;
    else if (r.status === 'no_data') noData++;
  }
  return { windows: windows.length - noData, failing, noData };
}

/** Each window's status under `conditions`, with its smallest and largest value. */
function judgeWindows(gate: Gate, windows: readonly HistoryWindow[], conditions: readonly Condition[]): { status: string; min: number | null; max: number | null }[] {
  const judged = asJudged(gate, conditions);
  return windows.map((w) => {
    const r = evaluateGate(judged, null, { samples: w.samples, baseline: w.baseline }, w.endMs);
    return { status: r.status, min: typeof r.min === 'number' ? r.min : null, max: typeof r.max === 'number' ? r.max : null };
  });
}

/** The windows failing under the gate's conditions that would pass `suggested` (`< 0.05`). */
export function windowsLetThrough(gate: Gate, windows: readonly HistoryWindow[], suggested: string): LetThrough[] {
  const current = judgeWindows(gate, windows, conditionsFor(gate, null));
  const cond = parseCondition(suggested);
  const next = judgeWindows(gate, windows, [cond]);
  const up = cond.op === '<' || cond.op === '<=';
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const out: LetThrough[] = [];
  windows.forEach((w, k) => {
    if (current[k]!.status === 'fail' && next[k]!.status === 'pass') {
      out.push({ from: iso(w.endMs - gate.overMs!), to: iso(w.endMs), worst: up ? current[k]!.max : current[k]!.min });
    }
  });
  return out;
}

/**
 * A/A for a comparison gate: each window of the baseline's own history against the window
 * before it, by the gate's test (the engine's compare path, through `evaluateGate`). The
 * earlier window is moved forward by `over`, as `baselineOffset` does.
 */
export function tallyComparisons(gate: Gate, windows: readonly HistoryWindow[]): WindowTally {
  const overMs = gate.overMs!;
  // The history is the baseline's own series: judged as its query (its range window) would be.
  const judged: Gate = { ...gate, query: gate.baseline ?? gate.query, baseline: null, baselineOffsetMs: overMs, appliesTo: null, shadow: false };
  let failing = 0;
  let noData = 0;
  for (let k = 1; k < windows.length; k++) {
    const offsetS = overMs / 1000;
    const earlier = windows[k - 1]!.samples.map(([t, v]) => [t + offsetS, v] as const);
    const r = evaluateGate(judged, null, { samples: windows[k]!.samples, baseline: earlier }, windows[k]!.endMs);
    if (r.status === 'fail') failing++;
    else if (r.status === 'no_data') noData++;
  }
  const pairs = Math.max(0, windows.length - 1);
  return { windows: pairs - noData, failing, noData };
}

/** The decimal exponent of a finite non-zero number (0.0123 → -2), free of log10 rounding. */
function exponentOf(v: number): number {
  return Number(v.toExponential().split('e')[1]);
}

/** The smallest number of 2 significant digits ≥ v. */
export function ceil2(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const r = Number(v.toPrecision(2));
  if (r >= v) return r;
  return Number((r + 10 ** (exponentOf(v) - 1)).toPrecision(2));
}

/** The largest number of 2 significant digits ≤ v. */
export function floor2(v: number): number {
  return v === 0 ? 0 : -ceil2(-v);
}

/**
 * The threshold of 2 significant digits nearest to `c` on the loose side under `op`: a value
 * equal to `c` meets `<= X` at X = c but needs X > c for `< X`. `zeroStep` is the step used
 * past zero, where a strict threshold has no nearest 2-digit neighbour.
 */
export function outwardThreshold(op: '<' | '<=' | '>' | '>=', c: number, zeroStep: number): number {
  const up = op === '<' || op === '<=';
  const strict = op === '<' || op === '>';
  const v = up ? c : -c;
  let x = ceil2(v);
  if (strict && x <= v) x = v === 0 ? zeroStep : ceil2(v + Math.max(Math.abs(v) * 1e-9, Number.MIN_VALUE));
  return up ? x : -x;
}

const ORDERED: readonly Operator[] = ['<', '<=', '>', '>='];

function numberCondition(op: Operator, x: number): Condition {
  return { op, operand: { kind: 'number', value: x }, text: `${op} ${x}` };
}

export interface Suggestion {
  suggested: number | null;
  condition: string | null;
  note: string | null;
}

/**
 * The tightest threshold of the gate's own comparison whose fail rate on these windows is at
 * most `targetRate`, rounded outward to 2 significant digits. Candidates are the sample values:
 * the fail rate only changes where the threshold crosses one, and it only falls as the threshold
 * loosens, so a binary search over them, each step judged by `tallyWindows`, finds it.
 */
export function suggestThreshold(gate: Gate, windows: readonly HistoryWindow[], targetRate: number): Suggestion {
  const conditions = conditionsFor(gate, null);
  const none = (note: string): Suggestion => ({ suggested: null, condition: null, note });
  if (conditions.length !== 1) return none(conditions.length === 0 ? 'the gate has no condition' : 'more than one condition: no single threshold to suggest');
  const c = conditions[0]!;
  if (c.operand.kind !== 'number' || !ORDERED.includes(c.op)) {
    return none(`"${c.text}" is not a numeric < <= > >= comparison: no threshold to suggest`);
  }
  const op = c.op as '<' | '<=' | '>' | '>=';
  const up = op === '<' || op === '<=';
  // Distinct finite values, tightest first (ascending for an upper bound, descending for a lower one);
  // a typed array, not a Set: a month of 30 s samples is 86,400 values.
  let total = 0;
  for (const w of windows) total += w.samples.length;
  const all = new Float64Array(total);
  let n = 0;
  for (const w of windows) {
    for (let i = 0; i < w.samples.length; i++) {
      const v = w.samples[i]![1];
      const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      if (Number.isFinite(x)) all[n++] = x;
    }
  }
  if (n === 0) return none('no samples in the history');
  const sorted = all.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i]!;
  const candidates = sorted.subarray(0, distinct);
  if (!up) candidates.reverse();
  const current = c.operand.value;
  const zeroStep = current !== 0 ? 10 ** (exponentOf(Math.abs(current)) - 1) : 1e-6;
  const thresholdAt = (i: number) => outwardThreshold(op, candidates[i]!, zeroStep);
  const meets = (x: number) => {
    const t = tallyWindows(gate, windows, [numberCondition(op, x)]);
    return t.windows > 0 && t.failing / t.windows <= targetRate;
  };
  // The loosest candidate passes every window (no sample breaks it); find the tightest that meets the target.
  let lo = 0;
  let hi = candidates.length - 1;
  if (!meets(thresholdAt(hi))) return none('no threshold meets the target fail rate (no window was judged)');
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (meets(thresholdAt(mid))) hi = mid;
    else lo = mid + 1;
  }
  const x = thresholdAt(lo);
  return { suggested: x, condition: `${op} ${x}`, note: null };
}

/** The q-quantile (0…1) of sorted values, linearly interpolated between closest ranks. */
export function percentile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a === b ? a : a + (b - a) * (pos - lo);
}

/** Count, mean, sample standard deviation (n − 1), p50/p90/p99 and max of the finite values. */
export function sampleStats(samples: readonly Sample[]): SampleStats {
  const values = new Float64Array(samples.length);
  let n = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]![1];
    const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (Number.isFinite(x)) values[n++] = x;
  }
  if (n === 0) return { samples: 0, mean: null, std: null, p50: null, p90: null, p99: null, max: null };
  const sorted = values.subarray(0, n).sort();
  // Summed around the first value, so a constant series gives that value and a std of exactly 0.
  const first = sorted[0]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]! - first;
  const mean = first + sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i]! - mean) ** 2;
  return {
    samples: n,
    mean,
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted[n - 1]!,
  };
}

/** Whether the gate's conditions compare against a baseline value (`+N%`), so its windows need the baseline's. */
export function needsBaseline(gate: Gate): boolean {
  return gate.compare === null && conditionsFor(gate, null).some((c) => c.operand.kind === 'relative');
}

/**
 * Calibrates one gate from its history ending at `endMs` (`series`: the gate's query, or for a
 * compare gate the baseline's own series; `baseline`: the baseline's, for a relative gate).
 * Windows overlapping an `exclude` range are left out, and so are their samples from the stats.
 * The guard: with fewer windows than the fail rate can be estimated from (48 windows at 1%
 * allow none to fail), the suggestion would be the worst window's value: withheld with a warning,
 * or with exclusions given (the history declared clean of known incidents) kept and marked by
 * the warning. Either way the windows the suggestion would let through are listed.
 */
export function calibrateGate(
  gate: Gate,
  series: readonly Sample[],
  baseline: readonly Sample[] | null,
  endMs: number,
  spanMs: number,
  targetRate: number,
  exclude: readonly ExcludedRange[] = [],
): GateCalibration {
  const overMs = gate.overMs!;
  const count = windowCount(spanMs, overMs);
  const all = historyWindows(series, baseline, endMs, overMs, count);
  const windows = exclude.length ? all.filter((w) => !overlaps(w, overMs, exclude)) : all;
  const kept = exclude.length ? series.filter(([t]) => !exclude.some((r) => t * 1000 > r.fromMs && t * 1000 <= r.toMs)) : series;
  const stats = sampleStats(kept);
  const conditions = conditionsFor(gate, null);
  const condition = gate.compare ? describeCompareSpec(gate.compare) : conditions.length ? describeConditions(conditions) : null;
  let tally: WindowTally;
  let suggestion: Suggestion;
  let falseAlarm: FalseAlarm | null = null;
  if (gate.compare) {
    tally = tallyComparisons(gate, windows);
    falseAlarm = falseAlarmOf(gate.compare, tally);
    suggestion = { suggested: null, condition: null, note: falseAlarmNote(gate.compare, tally, falseAlarm) };
  } else {
    tally = tallyWindows(gate, windows, conditions);
    suggestion = suggestThreshold(gate, windows, targetRate);
  }
  let withheld: string | null = null;
  let warning: string | null = null;
  const need = minWindowsFor(targetRate);
  if (suggestion.condition !== null && tally.windows < need) {
    const days = Math.ceil((need * overMs) / 86_400_000);
    const few = `${tally.windows} window${tally.windows === 1 ? '' : 's'} of ${formatDuration(overMs)} cannot estimate a ${Number((targetRate * 100).toPrecision(2))}% fail rate (it needs ${need}, --days ${days}): none may fail, so the suggestion is the worst window's value`;
    if (exclude.length === 0) {
      // Nothing says the history is clean: an incident in it would pass the suggestion.
      withheld = suggestion.condition;
      warning = `${few}, and every past window, incidents included, would pass it; withheld (it would be ${withheld}). Read more days, ask a higher --fail-rate, or --exclude known incidents`;
    } else {
      warning = `${few} once the excluded ranges are left out: every remaining window passes it`;
    }
  }
  const letThrough = suggestion.condition !== null ? windowsLetThrough(gate, windows, suggestion.condition) : [];
  return {
    name: gate.name,
    condition,
    windows: tally.windows,
    failing: tally.failing,
    noData: tally.noData,
    failRate: tally.windows > 0 ? tally.failing / tally.windows : null,
    suggested: withheld ? null : suggestion.suggested,
    suggestedCondition: withheld ? null : suggestion.condition,
    note: suggestion.note,
    stats,
    falseAlarm,
    error: null,
    excluded: all.length - windows.length,
    withheld,
    warning,
    letThrough,
  };
}
