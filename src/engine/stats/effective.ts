/**
 * Effective sample size: how many independent values a correlated series is worth. Samples 15 s
 * apart under a 5-minute `rate` window share most of their data; a test that counts each of them
 * as independent is far too sure of itself. Numbers in, numbers out.
 *
 * Two estimates, the smaller wins (see docs/configuration.md, "Comparison gates"):
 * - `overlapEffectiveSize`: what the query itself says. A value averaged over a window of `w`
 *   sample spacings shares data with its neighbours up to `w` apart; for independent increments
 *   under the window, the correlation at lag k is max(0, 1 − k/w) (a triangle).
 * - `autocorrelationTime`: what the data says, from the sample autocorrelations (Geyer's initial
 *   positive sequence), which also sees correlation the query does not name (a wandering error
 *   rate, a store's own smoothing). A comparison pools both sides: under the null hypothesis
 *   they share one structure, and two series estimate it more steadily than one.
 */

/**
 * n² / (n + 2·Σ_{k=1}^{n−1} (n − k)·ρ_k): the n_eff whose variance of the mean, σ²/n_eff, equals
 * that of n values with autocorrelations ρ_k. `rho(k)` is the correlation at lag k (k ≥ 1).
 */
export function effectiveSizeFromCorrelation(n: number, rho: (k: number) => number): number {
  if (!(n >= 1)) return 0;
  let sum = n;
  for (let k = 1; k < n; k++) {
    const r = rho(k);
    if (r === 0) continue;
    sum += 2 * (n - k) * r;
  }
  return sum > 0 ? clamp((n * n) / sum, n) : n;
}

/**
 * n_eff of n samples, each the average (a `rate`, an `avg_over_time`) over a window `overlap`
 * sample spacings long: 1 (or less) for windows that do not overlap, 20 for `[5m]` every 15 s.
 * Exact for independent increments under the window; about n / overlap when n ≫ overlap.
 */
export function overlapEffectiveSize(n: number, overlap: number): number {
  if (!(n >= 1)) return 0;
  if (!(overlap > 1) || !Number.isFinite(overlap)) return n;
  return effectiveSizeFromCorrelation(n, (k) => (k < overlap ? 1 - k / overlap : 0));
}

/**
 * n_eff from the series' own autocorrelation, by Geyer's initial positive sequence (Statistical
 * Science 7(4), 1992): τ = −1 + 2·Σ Γ_j over the leading positive pair sums Γ_j = ρ_2j + ρ_2j+1,
 * n_eff = n / τ, kept in [1, n] (a negatively correlated series is not counted as more than n
 * values). A constant series has no correlation to measure: n.
 */
export function autocorrelationEffectiveSize(values: ArrayLike<number>): number {
  const n = values.length;
  return clamp(n / autocorrelationTime([values]), n);
}

/** A series minus its mean (summed around the first value), and its lag-0 sum of squares. */
function centred(values: ArrayLike<number>): { c: Float64Array; s0: number } {
  const n = values.length;
  const first = values[0]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]! - first;
  const mean = first + sum / n;
  const c = new Float64Array(n);
  let s0 = 0;
  for (let i = 0; i < n; i++) {
    c[i] = values[i]! - mean;
    s0 += c[i]! * c[i]!;
  }
  return { c, s0 };
}

function lagSum(c: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i + k < c.length; i++) s += c[i]! * c[i + k]!;
  return s;
}

/**
 * The integrated autocorrelation time τ ≥ 1 (n / τ is the effective size) of one or more series
 * assumed to share their correlation structure (the two sides of an A/A comparison): their sample
 * autocorrelations averaged lag by lag, summed by Geyer's initial positive sequence. Lags are
 * computed only up to where that sum stops, so a weakly correlated series costs a few passes.
 * 1 when no series has at least 3 values that vary.
 */
export function autocorrelationTime(series: readonly ArrayLike<number>[]): number {
  const usable = series.filter((v) => v.length >= 3).map(centred).filter((v) => v.s0 > 0);
  if (usable.length === 0) return 1;
  const maxLag = Math.min(...usable.map((v) => v.c.length)) - 1;
  const rho = (k: number): number => {
    let r = 0;
    for (const v of usable) r += lagSum(v.c, k) / v.s0;
    return r / usable.length;
  };
  let tau = -1;
  for (let j = 0; 2 * j + 1 <= maxLag; j++) {
    const pair = (j === 0 ? 1 : rho(2 * j)) + rho(2 * j + 1);
    if (!(pair > 0)) break;
    tau += 2 * pair;
  }
  return Math.max(1, tau);
}

/**
 * The effective sample size of a series of values: the smaller of n/τ (τ its autocorrelation
 * time, or one estimated together with other series) and, when the query averages over a
 * window (`overlap` sample spacings), what that overlap allows.
 */
export function effectiveSampleSize(values: ArrayLike<number>, overlap: number | null = null, tau: number = autocorrelationTime([values])): number {
  const fromData = clamp(values.length / tau, values.length);
  return overlap === null ? fromData : Math.min(fromData, overlapEffectiveSize(values.length, overlap));
}

function clamp(v: number, n: number): number {
  return Number.isFinite(v) ? Math.max(Math.min(1, n), Math.min(n, v)) : n;
}
