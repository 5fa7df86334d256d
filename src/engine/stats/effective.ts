/**
 * Effective sample size: how many independent values a correlated series is worth. Samples 15 s
 * apart under a 5-minute `rate` window share most of their data; a test that counts each of them
 * as independent is far too sure of itself. Numbers in, numbers out.
 *
 * Two estimates, the smaller wins (see docs/configuration.md, "Comparison gates"):
 * - `overlapEffectiveSize`: what the query itself says. A value averaged over a window of `w`
 *   sample spacings shares data with its neighbours up to `w` apart; for independent increments
 *   under the window, the correlation at lag k is max(0, 1 − k/w) (a triangle).
 * - `autocorrelationEffectiveSize`: what the data says, from its own sample autocorrelations
 *   (Geyer's initial positive sequence), which also sees correlation the query does not name
 *   (a slowly wandering error rate, a store's own smoothing).
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

/** Sample autocovariances γ̂_0…γ̂_maxLag (divisor n, around the sample mean). */
export function autocovariances(values: ArrayLike<number>, maxLag: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(Math.max(0, Math.min(maxLag, n - 1) + 1));
  if (n === 0) return out;
  const first = values[0]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]! - first;
  const mean = first + sum / n;
  const centred = new Float64Array(n);
  for (let i = 0; i < n; i++) centred[i] = values[i]! - mean;
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let i = 0; i + k < n; i++) s += centred[i]! * centred[i + k]!;
    out[k] = s / n;
  }
  return out;
}

/**
 * n_eff from the series' own autocorrelation, by Geyer's initial positive sequence (Statistical
 * Science 7(4), 1992): τ = −1 + 2·Σ Γ_j over the leading positive pair sums Γ_j = ρ_2j + ρ_2j+1,
 * n_eff = n / τ, kept in [1, n] (a negatively correlated series is not counted as more than n
 * values). A constant series has no correlation to measure: n.
 */
export function autocorrelationEffectiveSize(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 3) return n;
  const gamma = autocovariances(values, n - 1);
  const g0 = gamma[0]!;
  if (!(g0 > 0)) return n;
  let tau = -1;
  for (let j = 0; 2 * j + 1 < n; j++) {
    const pair = (gamma[2 * j]! + gamma[2 * j + 1]!) / g0;
    if (!(pair > 0)) break;
    tau += 2 * pair;
  }
  return clamp(n / Math.max(1, tau), n);
}

/**
 * The effective sample size of a series of values: the smaller of what its autocorrelation
 * shows and, when the query averages over a window (`overlap` sample spacings), what that
 * overlap allows.
 */
export function effectiveSampleSize(values: ArrayLike<number>, overlap: number | null = null): number {
  const fromData = autocorrelationEffectiveSize(values);
  return overlap === null ? fromData : Math.min(fromData, overlapEffectiveSize(values.length, overlap));
}

function clamp(v: number, n: number): number {
  return Number.isFinite(v) ? Math.max(Math.min(1, n), Math.min(n, v)) : n;
}
