import type { CompareDirection, CompareSpec, CompareTest } from './model.js';
import { autocorrelationTime, effectiveSampleSize, mannWhitney, sigmaTest } from './stats/index.js';
import { fmt, medianSpacingSeconds } from './windows.js';

/**
 * The judge of a `compare` gate (SPEC §7.1): classifies the canary's window against the
 * baseline's with the pure tests of `stats/`, and says the result in words. Numbers in, no I/O.
 */

/** `high`/`low`: the canary differs from the baseline significantly and beyond the allowance, whichever way is bad. */
export type Classification = 'pass' | 'high' | 'low';

export interface CompareStats {
  test: CompareTest;
  direction: CompareDirection;
  /** What the canary was compared with, in words: "baseline", or "7d earlier" for `baselineOffset`. */
  baselineLabel: string;
  /** Finite samples of the canary (x) and of the baseline (y) in the window. */
  n: number;
  m: number;
  /**
   * How many independent values x and y are worth (SPEC §8.1): overlapping `rate` windows and
   * autocorrelation shrink them below n and m. The test's variance is taken at these sizes.
   */
  nEff: number;
  mEff: number;
  meanX: number;
  meanY: number;
  /** Standard deviation of y (n − 1 for independent values, see sigmaTest); 0 for one value. */
  sdY: number;
  /** Mann–Whitney (null for sigma): U of x, two-sided p, Hodges–Lehmann shift x − y and its interval. */
  u: number | null;
  pValue: number | null;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  confidence: number | null;
  /** mean(x) / mean(y); null when mean(y) is 0. */
  ratio: number | null;
  /** Sigma (null for Mann–Whitney): (mean(x) − mean(y)) / sd(y); ±Infinity when sd(y) is 0 and the means differ. */
  z: number | null;
  classification: Classification;
  /** Mann–Whitney: the change of the mean still allowed, as a fraction (0.1 = 10%). */
  allowedChange: number | null;
  /** Sigma: the allowed distance in baseline standard deviations. */
  sigma: number | null;
}

/**
 * Change of the mean relative to the baseline's size: ratio − 1 for a positive baseline (and
 * exact at an allowance boundary, where 1.1 − 1 is not 0.1); it keeps its sign for a negative one.
 */
function relativeChange(meanX: number, meanY: number): number {
  return (meanX - meanY) / Math.abs(meanY);
}

/**
 * How much each side's samples overlap: the window a query averages over (its longest range
 * selector, `[5m]` in `rate(x[5m])`) in sample spacings. null when unknown (no range in the
 * query, fewer than two samples): the data's own autocorrelation is then the only estimate.
 */
export interface Overlap {
  x: number | null;
  y: number | null;
}

const RANGE = /\[\s*((?:\d+(?:ms|s|m|h|d|w|y))+)\s*(?::[^\]]*)?\]/g;
const RANGE_PART = /(\d+)(ms|s|m|h|d|w|y)/g;
const RANGE_UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/**
 * The longest range-vector window of a PromQL-style query, in seconds: 300 for
 * `sum(rate(errors[5m])) / sum(rate(requests[5m]))`, 1800 for the subquery `max_over_time(x[30m:1m])`.
 * null when the query names none (a Datadog or SQL query, `[$__rate_interval]`).
 */
export function rangeWindowSeconds(query: string | null): number | null {
  if (!query) return null;
  let longest: number | null = null;
  for (const match of query.matchAll(RANGE)) {
    let seconds = 0;
    for (const part of match[1]!.matchAll(RANGE_PART)) seconds += Number(part[1]) * RANGE_UNIT_S[part[2]!]!;
    if (seconds > 0 && (longest === null || seconds > longest)) longest = seconds;
  }
  return longest;
}

export { medianSpacingSeconds };

/** A query's window over its samples' spacing: 20 for `[5m]` every 15 s; null when either is unknown. */
export function overlapOf(query: string | null, timestamps: readonly number[]): number | null {
  const window = rangeWindowSeconds(query);
  const spacing = medianSpacingSeconds(timestamps);
  return window !== null && spacing !== null ? window / spacing : null;
}

/**
 * Runs the gate's test on x (canary) against y (baseline), both non-empty and finite, in time
 * order. Each side counts as the independent values it is worth, not as its number of samples:
 * the smaller of n/τ (τ the autocorrelation time of both sides together) and what the overlap
 * of its query's range window allows (effectiveSampleSize).
 */
export function compareSamples(x: readonly number[], y: readonly number[], spec: CompareSpec, baselineLabel = 'baseline', overlap: Overlap = { x: null, y: null }): CompareStats {
  // Under the null hypothesis both sides share one correlation structure: estimated from both,
  // it is steadier than from either alone (the test's variance is a property of that null).
  const tau = autocorrelationTime([x, y]);
  const nEff = effectiveSampleSize(x, overlap.x, tau);
  const mEff = effectiveSampleSize(y, overlap.y, tau);
  const { meanX, meanY, sdY, z } = sigmaTest(x, y, mEff);
  const ratio = meanY !== 0 ? meanX / meanY : null;
  const common = { test: spec.test, direction: spec.direction, baselineLabel, n: x.length, m: y.length, nEff, mEff, meanX, meanY, sdY, ratio };
  if (spec.test === 'sigma') {
    const limit = spec.sigma ?? 3;
    const classification: Classification = z > limit ? 'high' : z < -limit ? 'low' : 'pass';
    return { ...common, u: null, pValue: null, estimate: null, ciLow: null, ciHigh: null, confidence: null, z, classification, allowedChange: null, sigma: limit };
  }
  const confidence = spec.confidence ?? 0.98;
  const allowed = spec.allowedChange ?? 0;
  const mw = mannWhitney(x, y, confidence, { n: nEff, m: mEff });
  const change = relativeChange(meanX, meanY); // NaN when both means are 0: no change either way
  const classification: Classification =
    mw.ciLow > 0 && change > allowed ? 'high' : mw.ciHigh < 0 && -change > allowed ? 'low' : 'pass';
  return {
    ...common,
    u: mw.u,
    pValue: mw.pValue,
    estimate: mw.estimate,
    ciLow: mw.ciLow,
    ciHigh: mw.ciHigh,
    confidence,
    z: null,
    classification,
    allowedChange: allowed,
    sigma: null,
  };
}

/** Whether the classification is the way the gate calls bad. */
export function comparisonFails(stats: Pick<CompareStats, 'classification' | 'direction'>): boolean {
  if (stats.classification === 'high') return stats.direction !== 'decrease';
  if (stats.classification === 'low') return stats.direction !== 'increase';
  return false;
}

const SIGN: Record<CompareDirection, string> = { increase: '+', decrease: '-', either: '±' };

/** A fraction as a signed percentage: +18%, -3.2%, +0.42%. */
export function percent(fraction: number): string {
  if (Number.isNaN(fraction)) return 'n/a';
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+∞%' : '-∞%';
  const p = fraction * 100;
  const abs = Math.abs(p);
  const digits = abs >= 10 ? 0 : abs >= 1 ? 1 : 2;
  const text = String(Number(abs.toFixed(digits)));
  if (text === '0') return '0%';
  return `${p < 0 ? '-' : '+'}${text}%`;
}

function allowedText(direction: CompareDirection, fraction: number): string {
  return fraction === 0 ? '0%' : `${SIGN[direction]}${percent(fraction).slice(1)}`;
}

function pText(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${Number(p.toPrecision(2))}`;
}

function sigmas(z: number): string {
  if (!Number.isFinite(z)) return z > 0 ? '+∞σ' : '-∞σ';
  const abs = Math.abs(z);
  return `${z < 0 ? '-' : ''}${Number(abs.toFixed(abs >= 10 ? 0 : 1))}σ`;
}

/** An effective size to 2 significant digits (3 from 100 on): 6.4, 60, 120. */
function sizeText(v: number): string {
  return String(Number(v.toPrecision(v >= 100 ? 3 : 2)));
}

/** `effective samples 6.4 of 120 and 6.1 of 120`: what each side is worth as independent values. */
export function effectiveText(stats: Pick<CompareStats, 'n' | 'm' | 'nEff' | 'mEff'>): string {
  return `effective samples ${sizeText(stats.nEff)} of ${stats.n} and ${sizeText(stats.mEff)} of ${stats.m}`;
}

/** The condition column of a compare gate: `mann-whitney increase, 98%, allowed +10%` / `sigma increase > 3σ`. */
export function describeCompareSpec(spec: CompareSpec): string {
  if (spec.test === 'sigma') return `sigma ${spec.direction} > ${spec.sigma ?? 3}σ`;
  const confidence = `${Number(((spec.confidence ?? 0.98) * 100).toPrecision(6))}%`;
  const allowed = spec.allowedChange ? `, allowed ${allowedText(spec.direction, spec.allowedChange)}` : '';
  return `mann-whitney ${spec.direction}, ${confidence}${allowed}`;
}

/** Why a comparison that does not fail passes, or what it was allowed when it fails. */
function verdict(stats: CompareStats, significantUp: boolean, significantDown: boolean): string {
  const onlyWay = stats.direction === 'increase' ? 'only an increase fails' : 'only a decrease fails';
  if (comparisonFails(stats)) {
    return stats.test === 'sigma'
      ? `fails (allowed ${stats.sigma}σ)`
      : `fails (allowed ${allowedText(stats.direction, stats.allowedChange ?? 0)})`;
  }
  if (stats.classification !== 'pass') return `passes (${onlyWay})`;
  if (stats.test === 'sigma') return `passes (allowed ${stats.sigma}σ)`;
  const harmless = (significantUp && stats.direction === 'decrease') || (significantDown && stats.direction === 'increase');
  if (harmless) return `passes (${onlyWay})`;
  if (significantUp || significantDown) return `passes (within the allowed ${allowedText(stats.direction, stats.allowedChange ?? 0)})`;
  return `passes (no significant difference at ${Number(((stats.confidence ?? 0.98) * 100).toPrecision(6))}%)`;
}

/**
 * The result of a comparison in one sentence, for the gate's reason and every report:
 * `+18% vs baseline (98% CI +12%…+25% of the baseline mean, p = 0.0004; mean +17%; effective samples 12 of 120 and 11 of 120): fails (allowed +10%)`,
 * `mean 142 vs baseline 120 ± 5 (z = 4.4σ; effective samples 60 of 60 and 20 of 20): fails (allowed 3σ)`.
 */
export function describeComparison(stats: CompareStats, baselineLabel: string = stats.baselineLabel): string {
  if (stats.test === 'sigma') {
    const flat = stats.sdY === 0 ? ', the baseline does not vary' : '';
    const z = stats.z ?? 0;
    return `mean ${fmt(stats.meanX)} vs ${baselineLabel} ${fmt(stats.meanY)} ± ${fmt(Number(stats.sdY.toPrecision(3)))} (z = ${sigmas(z)}${flat}; ${effectiveText(stats)}): ${verdict(stats, false, false)}`;
  }
  const estimate = stats.estimate ?? 0;
  const low = stats.ciLow ?? 0;
  const high = stats.ciHigh ?? 0;
  const conf = `${Number(((stats.confidence ?? 0.98) * 100).toPrecision(6))}%`;
  const p = pText(stats.pValue ?? 1);
  const tail = verdict(stats, low > 0, high < 0);
  if (stats.meanY === 0) {
    // No scale to express the shift in percent: say it in the metric's own unit.
    const signed = (v: number) => `${v > 0 ? '+' : ''}${fmt(v)}`;
    return `${signed(estimate)} vs ${baselineLabel} mean 0 (${conf} CI ${signed(low)}…${signed(high)}, ${p}; ${effectiveText(stats)}): ${tail}`;
  }
  const scale = Math.abs(stats.meanY);
  const mean = percent(relativeChange(stats.meanX, stats.meanY));
  return `${percent(estimate / scale)} vs ${baselineLabel} (${conf} CI ${percent(low / scale)}…${percent(high / scale)} of the baseline mean, ${p}; mean ${mean}; ${effectiveText(stats)}): ${tail}`;
}
