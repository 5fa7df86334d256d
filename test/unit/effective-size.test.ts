import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSamples, medianSpacingSeconds, overlapOf, rangeWindowSeconds } from '../../src/engine/compare.js';
import type { CompareSpec } from '../../src/engine/model.js';
import {
  autocorrelationEffectiveSize,
  autocorrelationTime,
  effectiveSampleSize,
  effectiveSizeFromCorrelation,
  mannWhitney,
  overlapEffectiveSize,
  sigmaTest,
} from '../../src/engine/stats/index.js';
import { normal } from '../support/random.js';

/**
 * Brute force for overlapEffectiveSize at a whole overlap w: n windows of w unit intervals, one
 * interval apart; each unit is independent with variance 1. The mean of the n window averages
 * weighs unit u by (windows covering u)/(n·w), so n_eff = Var(one window) / Var(mean) = w·n²/Σ c_u².
 */
function boxcarByCoverage(n: number, w: number): number {
  const cover = new Array<number>(n + w - 1).fill(0);
  for (let i = 0; i < n; i++) for (let u = i; u < i + w; u++) cover[u]!++;
  const squares = cover.reduce((s, c) => s + c * c, 0);
  return (w * n * n) / squares;
}

/** An AR(1) series x_t = φ·x_{t−1} + e_t, stationary from the first value. */
function ar1(seed: number, n: number, phi: number): number[] {
  const draw = normal(seed);
  const out: number[] = [];
  let x = draw() / Math.sqrt(1 - phi * phi);
  for (let i = 0; i < n; i++) {
    out.push(x);
    x = phi * x + draw();
  }
  return out;
}

describe('overlapEffectiveSize: samples of a window average that overlap', () => {
  it.each([
    [120, 20],
    [60, 10],
    [30, 5],
    [15, 3],
    [6, 1],
    [10, 30],
    [1, 20],
    [200, 7],
  ])('n = %i, window = %i spacings: matches the count of shared unit intervals', (n, w) => {
    expect(overlapEffectiveSize(n, w)).toBeCloseTo(boxcarByCoverage(n, w), 9);
  });

  it('is n for windows that do not overlap, about n/w for many samples, and never below 1', () => {
    expect(overlapEffectiveSize(50, 1)).toBe(50);
    expect(overlapEffectiveSize(50, 0.5)).toBe(50);
    expect(overlapEffectiveSize(50, Number.NaN)).toBe(50);
    expect(overlapEffectiveSize(10_000, 20) / (10_000 / 20)).toBeCloseTo(1, 2);
    expect(overlapEffectiveSize(120, 20)).toBeCloseTo(6.35, 2); // [5m] every 15 s over 30m
    expect(overlapEffectiveSize(3, 1000)).toBeGreaterThanOrEqual(1);
    expect(overlapEffectiveSize(0, 20)).toBe(0);
  });
});

describe('effectiveSizeFromCorrelation', () => {
  it('independent values count in full; AR(1) correlation gives n(1 − ρ)/(1 + ρ) for large n', () => {
    expect(effectiveSizeFromCorrelation(40, () => 0)).toBe(40);
    for (const rho of [0.3, 0.6, 0.9]) {
      const n = 20_000;
      expect(effectiveSizeFromCorrelation(n, (k) => rho ** k) / ((n * (1 - rho)) / (1 + rho))).toBeCloseTo(1, 2);
    }
  });

  it('negative correlation is not counted as more than n values', () => {
    expect(effectiveSizeFromCorrelation(40, (k) => (-0.5) ** k)).toBe(40);
    expect(effectiveSizeFromCorrelation(2, () => -1)).toBe(2);
  });
});

describe('autocorrelationEffectiveSize: from the data', () => {
  it('independent draws keep nearly all their samples', () => {
    const draw = normal(5);
    const values = Array.from({ length: 4000 }, draw);
    const nEff = autocorrelationEffectiveSize(values);
    expect(nEff).toBeGreaterThan(0.8 * 4000);
    expect(nEff).toBeLessThanOrEqual(4000);
  });

  it.each([0.5, 0.8, 0.95])('an AR(1) series with φ = %d is worth about n(1 − φ)/(1 + φ)', (phi) => {
    const n = 20_000;
    const expected = (n * (1 - phi)) / (1 + phi);
    const ratio = autocorrelationEffectiveSize(ar1(17, n, phi)) / expected;
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.33);
  });

  it('a constant series, or fewer than 3 values, has no correlation to measure', () => {
    expect(autocorrelationEffectiveSize(new Array(30).fill(7))).toBe(30);
    expect(autocorrelationEffectiveSize([1, 2])).toBe(2);
    expect(autocorrelationEffectiveSize([])).toBe(0);
    expect(autocorrelationTime([[5, 5, 5, 5], [1]])).toBe(1);
  });

  it('pooled over two series with one structure, it is steadier than either alone', () => {
    const phi = 0.8;
    const expected = (1 + phi) / (1 - phi); // τ = 9
    const errors = { alone: 0, pooled: 0 };
    for (let seed = 0; seed < 40; seed++) {
      const a = ar1(100 + seed, 300, phi);
      const b = ar1(200 + seed, 300, phi);
      errors.alone += (autocorrelationTime([a]) - expected) ** 2;
      errors.pooled += (autocorrelationTime([a, b]) - expected) ** 2;
    }
    expect(errors.pooled).toBeLessThan(errors.alone);
    const a = ar1(1, 300, phi);
    expect(autocorrelationTime([a, a])).toBeCloseTo(autocorrelationTime([a]), 12);
  });

  it('property: always in [1, n], and the same after any change of unit or offset', async () => {
    await fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (values, scale, shift) => {
          const n = values.length;
          const nEff = autocorrelationEffectiveSize(values);
          expect(nEff).toBeGreaterThanOrEqual(1);
          expect(nEff).toBeLessThanOrEqual(n);
          const moved = autocorrelationEffectiveSize(values.map((v) => v * scale + shift));
          // Values that all round to one number after the move have no spread left to measure.
          if (new Set(values.map((v) => v * scale + shift)).size > 1 && new Set(values).size > 1) {
            expect(Math.abs(moved - nEff) / n).toBeLessThan(1e-6);
          }
        },
      ),
      { seed: 20, numRuns: 300 },
    );
  });

  it('effectiveSampleSize: the smaller of the data and the overlap', () => {
    const draw = normal(9);
    const independent = Array.from({ length: 120 }, draw);
    expect(effectiveSampleSize(independent, null)).toBe(autocorrelationEffectiveSize(independent));
    expect(effectiveSampleSize(independent, 20)).toBeCloseTo(overlapEffectiveSize(120, 20), 12);
    expect(effectiveSampleSize(independent, 1)).toBe(autocorrelationEffectiveSize(independent));
  });
});

describe('the range window of a query and the spacing of its samples', () => {
  it.each<[string | null, number | null]>([
    ['rate(http_requests_total[5m])', 300],
    ['sum(rate(errors[5m])) / sum(rate(requests[1m]))', 300],
    ['histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket{track="canary"}[1m])))', 60],
    ['max_over_time(rate(x[1m])[30m:1m])', 1800],
    ['avg_over_time(x[1h30m])', 5400],
    ['increase(x[500ms])', 0.5],
    ['rate(x[$__rate_interval])', null],
    ['avg:trace.http.request.duration{service:web}', null],
    ["SELECT ts, value FROM samples WHERE tags[1] = 'a'", null],
    ['x offset 5m', null],
    [null, null],
  ])('%s → %s s', (query, seconds) => {
    expect(rangeWindowSeconds(query)).toBe(seconds);
  });

  it('median spacing and overlap', () => {
    expect(medianSpacingSeconds([0, 15, 30, 45, 105])).toBe(15);
    expect(medianSpacingSeconds([0, 10, 30])).toBe(15);
    expect(medianSpacingSeconds([0])).toBeNull();
    expect(medianSpacingSeconds([5, 5, 5])).toBeNull();
    expect(overlapOf('rate(x[5m])', [0, 15, 30, 45])).toBe(20);
    expect(overlapOf('x', [0, 15, 30])).toBeNull();
    expect(overlapOf('rate(x[5m])', [0])).toBeNull();
  });
});

describe('the tests at effective sizes', () => {
  const draw = normal(31);
  const x = Array.from({ length: 60 }, () => 103 + 10 * draw());
  const y = Array.from({ length: 60 }, () => 100 + 10 * draw());

  it('mannWhitney at n and m is the classical test; fewer effective values widen the interval and raise p', () => {
    const classical = mannWhitney(x, y, 0.98);
    expect(mannWhitney(x, y, 0.98, { n: 60, m: 60 })).toEqual(classical);
    let previous = classical;
    for (const size of [40, 20, 10, 5, 2, 1]) {
      const r = mannWhitney(x, y, 0.98, { n: size, m: size });
      expect(r).toMatchObject({ n: 60, m: 60, nEff: size, mEff: size, u: classical.u, estimate: classical.estimate });
      expect(r.pValue).toBeGreaterThanOrEqual(previous.pValue);
      expect(r.ciLow).toBeLessThanOrEqual(previous.ciLow);
      expect(r.ciHigh).toBeGreaterThanOrEqual(previous.ciHigh);
      previous = r;
    }
    expect(() => mannWhitney(x, y, 0.98, { n: 0.5, m: 60 })).toThrow(/effective n in \[1, 60\]/);
    expect(() => mannWhitney(x, y, 0.98, { n: 60, m: 61 })).toThrow(/effective m in \[1, 60\]/);
  });

  it('the p-value at effective sizes is the classical one of that many independent values with the same U/(nm)', () => {
    // 6 against 6 values, U = 30 of 36: the classical p. The same proportion over 60 × 60 samples worth 6 each.
    const small = mannWhitney([7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5, 13], 0.98);
    const big = mannWhitney(
      Array.from({ length: 60 }, (_, i) => [7, 8, 9, 10, 11, 12][i % 6]! + i * 1e-6),
      Array.from({ length: 60 }, (_, i) => [1, 2, 3, 4, 5, 13][i % 6]! + i * 1e-6),
      0.98,
      { n: 6, m: 6 },
    );
    expect(small.u / 36).toBeCloseTo(big.u / 3600, 2);
    expect(big.pValue).toBeCloseTo(small.pValue, 2);
  });

  it('sigmaTest at m is the n − 1 spread; fewer effective values widen it by sqrt((m − 1)/(m(1 − 1/mEff)))', () => {
    const classical = sigmaTest(x, y);
    expect(sigmaTest(x, y, 60)).toEqual(classical);
    const r = sigmaTest(x, y, 6);
    expect(r.sdY / classical.sdY).toBeCloseTo(Math.sqrt(59 / (60 * (1 - 1 / 6))), 12);
    expect(sigmaTest(x, y, 1).sdY / classical.sdY).toBeCloseTo(Math.sqrt(59), 12);
    expect(() => sigmaTest(x, y, 0)).toThrow(/effective m in \[1, 60\]/);
  });

  it('compareSamples shrinks both sides by the overlap it is told', () => {
    const spec: CompareSpec = { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0, sigma: null };
    const free = compareSamples(x, y, spec);
    const overlapping = compareSamples(x, y, spec, 'baseline', { x: 20, y: 20 });
    expect(overlapping.nEff).toBeCloseTo(Math.min(free.nEff, overlapEffectiveSize(60, 20)), 12);
    expect(overlapping.mEff).toBeCloseTo(overlapEffectiveSize(60, 20), 12);
    expect(overlapping.pValue!).toBeGreaterThan(free.pValue!);
  });
});
