import { normalQuantile, normalSf } from './normal.js';
import { mulberry32 } from './random.js';

/** Mann–Whitney U test of a canary sample x against a baseline sample y, with the Hodges–Lehmann shift. */
export interface MannWhitneyResult {
  /** Sizes of x (canary) and y (baseline). */
  n: number;
  m: number;
  /** The effective sizes the p-value and interval were taken at (n and m for independent samples). */
  nEff: number;
  mEff: number;
  /** U of x: rank sum of x minus n(n+1)/2, ties given their average rank. */
  u: number;
  /** Two-sided p-value: normal approximation, tie-corrected variance, continuity correction 0.5. */
  pValue: number;
  /** Hodges–Lehmann estimate of the shift x − y: median of the n·m differences x_i − y_j. */
  estimate: number;
  /** [D(k+1), D(nm−k)] of the sorted differences, k from the normal approximation at `confidence`. */
  ciLow: number;
  ciHigh: number;
}

/** How many independent values x and y are worth (see effective.ts); each in [1, its size]. */
export interface EffectiveSizes {
  n: number;
  m: number;
}

/**
 * Same p-value as scipy.stats.mannwhitneyu(x, y, method='asymptotic') and R's
 * wilcox.test(x, y, exact=FALSE, correct=TRUE); the differences are never materialised.
 *
 * With `effective` sizes below n and m (correlated samples), U/(nm) keeps its value but its
 * variance is that of n_eff and m_eff independent values, (n_eff + m_eff + 1)/(12·n_eff·m_eff)
 * (tie factor kept), and the continuity correction is one step of U at those sizes; the interval's
 * rank k moves the same way. Without it, or at n and m, the result is the classical test.
 */
export function mannWhitney(x: readonly number[], y: readonly number[], confidence: number, effective?: EffectiveSizes): MannWhitneyResult {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`mannWhitney needs confidence in (0, 1), got ${confidence}`);
  const xs = sortedSample(x, 'x');
  const ys = sortedSample(y, 'y');
  const n = xs.length;
  const m = ys.length;
  const nEff = effectiveSize(effective?.n, n, 'n');
  const mEff = effectiveSize(effective?.m, m, 'm');
  const { u, tieTerm } = rankStats(xs, ys);
  const select = differenceSelector(xs, ys.reverse()); // rankStats is done with the ascending order
  const total = n * m;
  const half = Math.floor(total / 2);
  const estimate = total % 2 === 1 ? select(half) : (select(half - 1) + select(half)) / 2;
  const k = intervalRank(n, m, nEff, mEff, confidence);
  // `+ 0` reports a zero difference as +0: its sign carries no meaning.
  const [ciLow, ciHigh] = [select(k) + 0, select(total - 1 - k) + 0];
  return { n, m, nEff, mEff, u, pValue: twoSidedP(u, n, m, nEff, mEff, tieTerm), estimate: estimate + 0, ciLow, ciHigh };
}

function effectiveSize(value: number | undefined, size: number, name: string): number {
  if (value === undefined || value === size) return size;
  if (!(value >= 1 && value <= size)) throw new RangeError(`mannWhitney needs an effective ${name} in [1, ${size}], got ${value}`);
  return value;
}

/**
 * k of the interval [D(k+1), D(nm−k)]: nm/2 − z·sd(U), floored, kept inside [0, (nm−1)/2];
 * sd(U) = nm·sqrt((nEff + mEff + 1)/(12·nEff·mEff)), the classical sqrt(nm(n+m+1)/12) at n and m.
 */
function intervalRank(n: number, m: number, nEff: number, mEff: number, confidence: number): number {
  const total = n * m;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const sd = nEff === n && mEff === m ? Math.sqrt((total * (n + m + 1)) / 12) : total * Math.sqrt((nEff + mEff + 1) / (12 * nEff * mEff));
  const k = Math.floor(total / 2 - z * sd);
  return Math.max(0, Math.min(k, Math.floor((total - 1) / 2)));
}

function sortedSample(values: readonly number[], name: string): Float64Array {
  if (values.length === 0) throw new RangeError(`mannWhitney needs at least one value in ${name}`);
  const sorted = Float64Array.from(values).sort();
  // NaN or ±Infinity would break the rank and selection loops below.
  if (!Number.isFinite(sorted[0]!) || !Number.isFinite(sorted[sorted.length - 1]!)) {
    throw new RangeError(`mannWhitney needs finite values in ${name}`);
  }
  return sorted;
}

/** U of x (a tie with y counts one half) and Σ(t³ − t) over tie groups, from one merge of the ascending samples. */
function rankStats(xs: Float64Array, ys: Float64Array): { u: number; tieTerm: number } {
  let i = 0;
  let j = 0;
  let u = 0;
  let tieTerm = 0;
  while (i < xs.length || j < ys.length) {
    const value = j >= ys.length || (i < xs.length && xs[i]! <= ys[j]!) ? xs[i]! : ys[j]!;
    const xStart = i;
    const yBelow = j;
    while (i < xs.length && xs[i] === value) i++;
    while (j < ys.length && ys[j] === value) j++;
    const inX = i - xStart;
    const inY = j - yBelow;
    u += inX * yBelow + (inX * inY) / 2;
    const t = inX + inY;
    tieTerm += t * t * t - t;
  }
  return { u, tieTerm };
}

function twoSidedP(u: number, n: number, m: number, nEff: number, mEff: number, tieTerm: number): number {
  const total = n + m;
  const sigma = Math.sqrt(((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  if (!(sigma > 0)) return 1; // every value equal: no evidence either way
  // The larger of U and n·m − U, so the upper tail is the one evaluated (as scipy does).
  const distance = Math.max(u, n * m - u) - (n * m) / 2;
  if (nEff === n && mEff === m) return Math.min(1, 2 * normalSf((distance - 0.5) / sigma));
  // Correlated samples: the same statistic as a fraction of nm, at the effective sizes. The tie
  // factor 1 − Σ(t³ − t)/(N³ − N) is a proportion and carries over unchanged.
  const ties = 1 - tieTerm / (total * (total + 1) * (total - 1));
  const sdFraction = Math.sqrt(((nEff + mEff + 1) / (12 * nEff * mEff)) * ties);
  const z = (distance / (n * m) - 0.5 / (nEff * mEff)) / sdFraction;
  return Math.min(1, 2 * normalSf(z));
}

/**
 * Selection of the k-th smallest (0-based) x_i − y_j over the implicit n×m matrix, rows x ascending and
 * columns y descending so every row and column ascends (float subtraction is monotone in both operands).
 * Monahan-style randomised selection: O(n + m) memory, expected O((n + m)·log(nm)) time per call.
 */
function differenceSelector(xs: Float64Array, yDesc: Float64Array): (k: number) => number {
  const n = xs.length;
  const m = yDesc.length;
  const lo = new Int32Array(n); // in row i, columns below lo[i] are known to be below the target
  const hi = new Int32Array(n); // in row i, columns from hi[i] on are known to be above it
  const less = new Int32Array(n);
  const atMost = new Int32Array(n);
  return (k) => {
    lo.fill(0);
    hi.fill(m);
    const random = mulberry32(0x9e3779b9); // fixed seed: same answer and same work on every call
    let left = n * m;
    while (left > n + m) {
      const pivot = pickRemaining(xs, yDesc, lo, hi, Math.floor(random() * left));
      const [below, notAbove] = countAround(xs, yDesc, pivot, less, atMost);
      if (k >= below && k < notAbove) return pivot;
      if (k < below) for (let i = 0; i < n; i++) hi[i] = Math.min(hi[i]!, less[i]!);
      else for (let i = 0; i < n; i++) lo[i] = Math.max(lo[i]!, atMost[i]!);
      left = 0;
      for (let i = 0; i < n; i++) left += hi[i]! - lo[i]!;
    }
    return finish(xs, yDesc, lo, hi, left, k);
  };
}

/** The r-th (0-based) still-undecided entry, counted row by row. */
function pickRemaining(xs: Float64Array, yDesc: Float64Array, lo: Int32Array, hi: Int32Array, r: number): number {
  for (let i = 0; i < xs.length; i++) {
    const width = hi[i]! - lo[i]!;
    if (r < width) return xs[i]! - yDesc[lo[i]! + r]!;
    r -= width;
  }
  throw new Error('pickRemaining: rank out of range');
}

/** Per row, entries < pivot and ≤ pivot; with rows ascending both counts only grow as i falls. */
function countAround(xs: Float64Array, yDesc: Float64Array, pivot: number, less: Int32Array, atMost: Int32Array): [number, number] {
  let a = 0;
  let b = 0;
  let sumLess = 0;
  let sumAtMost = 0;
  for (let i = xs.length - 1; i >= 0; i--) {
    const xi = xs[i]!;
    while (a < yDesc.length && xi - yDesc[a]! < pivot) a++;
    while (b < yDesc.length && xi - yDesc[b]! <= pivot) b++;
    less[i] = a;
    atMost[i] = b;
    sumLess += a;
    sumAtMost += b;
  }
  return [sumLess, sumAtMost];
}

/** Sort the few undecided entries; everything left of them is below the target. */
function finish(xs: Float64Array, yDesc: Float64Array, lo: Int32Array, hi: Int32Array, left: number, k: number): number {
  const rest = new Float64Array(left);
  let below = 0;
  let w = 0;
  for (let i = 0; i < xs.length; i++) {
    below += lo[i]!;
    for (let j = lo[i]!; j < hi[i]!; j++) rest[w++] = xs[i]! - yDesc[j]!;
  }
  rest.sort();
  return rest[k - below]!;
}
