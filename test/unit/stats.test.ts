import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mannWhitney, normalCdf, normalQuantile, normalSf, sigmaTest } from '../../src/engine/stats/index.js';
import { mulberry32 } from '../support/random.js';

// Brute-force properties sort every difference: keep runs and sizes small (a blocked worker is killed after 60 s).
const runs = Math.min(300, Number(process.env.FUZZ_RUNS ?? 300));
const seed = process.env.CI ? 42 : undefined;
const fcOptions = { numRuns: runs, seed };

function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  if (expected === 0) expect(actual).toBe(0);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance);
}


/** k of [D(k+1), D(nm−k)], restated from the definition. */
function intervalK(n: number, m: number, confidence: number): number {
  const total = n * m;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const k = Math.floor(total / 2 - z * Math.sqrt((total * (n + m + 1)) / 12));
  return Math.max(0, Math.min(k, Math.floor((total - 1) / 2)));
}

/** U by counting pairs, and the Hodges–Lehmann numbers from all n·m differences sorted. */
function bruteForce(x: readonly number[], y: readonly number[], confidence: number) {
  let u = 0;
  const diffs = new Float64Array(x.length * y.length);
  let w = 0;
  for (const a of x) {
    for (const b of y) {
      u += a > b ? 1 : a === b ? 0.5 : 0;
      diffs[w++] = a - b;
    }
  }
  return { u, ...fromSortedDifferences(diffs.sort(), x.length, y.length, confidence) };
}

function fromSortedDifferences(d: Float64Array, n: number, m: number, confidence: number) {
  const total = n * m;
  const half = Math.floor(total / 2);
  const estimate = total % 2 === 1 ? d[half]! : (d[half - 1]! + d[half]!) / 2;
  const k = intervalK(n, m, confidence);
  return { estimate: estimate + 0, ciLow: d[k]! + 0, ciHigh: d[total - 1 - k]! + 0 };
}

/** U of x from average ranks in the combined sample: rank sum of x minus n(n+1)/2. */
function rankU(x: readonly number[], y: readonly number[]): number {
  const all = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  for (let start = 0; start < all.length; ) {
    let end = start;
    while (end < all.length && all[end]!.v === all[start]!.v) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (all[i]!.fromX) rankSum += averageRank;
    start = end;
  }
  return rankSum - (x.length * (x.length + 1)) / 2;
}

const negate = (v: number) => -v + 0;

// ClickHouse tests/queries/0_stateless/01560_mann_whitney.sql: sample_index 0 is x, 1 is y;
// the .reference expects (223, 0.5426959774289482) for mannWhitneyUTest('two-sided', 1).
const CLICKHOUSE_X = [310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295];
const CLICKHOUSE_Y = [116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261];
// R's ?wilcox.test two-sample example (documented: W = 35, exact p-value = 0.2544).
const R_X = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const R_Y = [1.15, 0.88, 0.9, 0.74, 1.21];

interface Reference {
  name: string;
  x: number[];
  y: number[];
  u: number;
  pValue: number;
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

// U and pValue: scipy 1.17.1 scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic',
// use_continuity=True) (it happened to be installed), cross-checked against the same formula evaluated with
// Python's math.erfc and brute-force average ranks (agreement ≤ 3e-14 relative). estimate/ciLow/ciHigh: Python,
// all n·m differences sorted, median as (d[h−1] + d[h]) / 2, k from statistics.NormalDist().inv_cdf; confidence 0.95.
const REFERENCES: Reference[] = [
  {
    name: 'ClickHouse 01560_mann_whitney',
    x: CLICKHOUSE_X,
    y: CLICKHOUSE_Y,
    u: 223,
    pValue: 0.5426959774289482,
    estimate: 24,
    ciLow: -81,
    ciHigh: 119,
  },
  {
    name: "R's ?wilcox.test two-sample example",
    x: R_X,
    y: R_Y,
    u: 35,
    pValue: 0.24462360512698333,
    estimate: 0.30500000000000005,
    ciLow: -0.15000000000000002,
    ciHigh: 0.7599999999999999,
  },
  {
    name: 'many ties',
    x: [1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 4, 5],
    y: [1, 2, 2, 3, 3, 3, 3, 4, 5, 5],
    u: 56,
    pValue: 0.813130863881149,
    estimate: 0,
    ciLow: -1,
    ciHigh: 1,
  },
  { name: 'all values equal (sigma 0)', x: [3, 3, 3], y: [3, 3, 3, 3], u: 6, pValue: 1, estimate: 0, ciLow: 0, ciHigh: 0 },
  { name: 'equal samples', x: [1, 2, 3, 4, 5], y: [1, 2, 3, 4, 5], u: 12.5, pValue: 1, estimate: 0, ciLow: -2, ciHigh: 2 },
  {
    name: 'every x above every y (tiny p)',
    x: Array.from({ length: 100 }, (_, i) => 1001 + i),
    y: Array.from({ length: 100 }, (_, i) => 1 + i),
    u: 10000,
    pValue: 2.562143669163401e-34,
    estimate: 1000,
    ciLow: 992,
    ciHigh: 1008,
  },
  { name: 'n = 1, m = 1', x: [2], y: [1], u: 1, pValue: 1, estimate: 1, ciLow: 1, ciHigh: 1 },
  { name: 'n = 1, m = 1, equal', x: [1], y: [1], u: 0.5, pValue: 1, estimate: 0, ciLow: 0, ciHigh: 0 },
  { name: 'n = 1, m = 5', x: [10], y: [1, 2, 3, 4, 5], u: 5, pValue: 0.24156658696897293, estimate: 7, ciLow: 5, ciHigh: 9 },
  {
    name: 'unequal sizes with ties',
    x: [0.5, 1.25, 1.25, 3.5, 2.0, 7.75, 0.125],
    y: [1.0, 1.25, 0.75, 2.5, 3.0, 0.25, 1.5, 2.0, 0.5, 4.25, 1.25, 0.0, 6.5],
    u: 48,
    pValue: 0.8735068773351443,
    estimate: 0,
    ciLow: -1.25,
    ciHigh: 2,
  },
  {
    name: 'unequal sizes, shifted',
    x: [5.5, 7.25, 6.0, 9.5, 8.0, 12.75, 6.125],
    y: [1.0, 1.25, 0.75, 2.5, 3.0, 0.25, 1.5, 2.0, 0.5, 4.25, 1.25, 0.0, 6.5],
    u: 88,
    pValue: 0.0008701672197433764,
    estimate: 5.625,
    ciLow: 4.125,
    ciHigh: 8,
  },
];

describe('mannWhitney reference values', () => {
  it.each(REFERENCES)('$name', ({ x, y, u, pValue, estimate, ciLow, ciHigh }) => {
    const r = mannWhitney(x, y, 0.95);
    expect(r.n).toBe(x.length);
    expect(r.m).toBe(y.length);
    expect(r.u).toBe(u);
    expectRelative(r.pValue, pValue);
    expect(r.estimate).toBe(estimate);
    expect(r.ciLow).toBe(ciLow);
    expect(r.ciHigh).toBe(ciHigh);
  });

  it('ClickHouse vector as printed by its .reference (U = 223, p = 0.5426959774289482)', () => {
    const r = mannWhitney(CLICKHOUSE_X, CLICKHOUSE_Y, 0.95);
    expect(r.u).toBe(223);
    expectRelative(r.pValue, 0.5426959774289482);
  });

  it('does not depend on input order', () => {
    const a = mannWhitney(R_X, R_Y, 0.9);
    const b = mannWhitney([...R_X].reverse(), [...R_Y].reverse(), 0.9);
    expect(b).toEqual(a);
  });
});

describe('mannWhitney input checks', () => {
  it.each<[string, number[], number[], number]>([
    ['empty x', [], [1], 0.95],
    ['empty y', [1], [], 0.95],
    ['NaN value', [1, Number.NaN], [1], 0.95],
    ['infinite value', [1], [Infinity], 0.95],
    ['confidence 0', [1], [2], 0],
    ['confidence 1', [1], [2], 1],
    ['confidence NaN', [1], [2], Number.NaN],
  ])('%s throws a RangeError', (_, x, y, confidence) => {
    expect(() => mannWhitney(x, y, confidence)).toThrow(RangeError);
  });

  it('leaves its inputs untouched', () => {
    const x = [3, 1, 2];
    const y = [9, 7, 8];
    mannWhitney(x, y, 0.95);
    expect(x).toEqual([3, 1, 2]);
    expect(y).toEqual([9, 7, 8]);
  });
});

const smallIntegers = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 });
const smallMixed = fc.array(
  fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true })),
  { minLength: 1, maxLength: 30 },
);
const confidences = fc.constantFrom(0.5, 0.8, 0.9, 0.95, 0.99, 0.999);

describe('mannWhitney against brute force', () => {
  it('U, estimate and interval equal the pair count and the sorted differences (integers 0..20, ties likely)', () => {
    fc.assert(
      fc.property(smallIntegers, smallIntegers, confidences, (x, y, confidence) => {
        const r = mannWhitney(x, y, confidence);
        const b = bruteForce(x, y, confidence);
        expect(r.u).toBe(b.u);
        expect(r.u).toBe(rankU(x, y));
        expect(r.estimate).toBe(b.estimate);
        expect(r.ciLow).toBe(b.ciLow);
        expect(r.ciHigh).toBe(b.ciHigh);
      }),
      fcOptions,
    );
  });

  it('selection is exact on non-integer doubles too', () => {
    fc.assert(
      fc.property(smallMixed, smallMixed, confidences, (x, y, confidence) => {
        const r = mannWhitney(x, y, confidence);
        const b = bruteForce(x, y, confidence);
        expect(r.u).toBe(b.u);
        expect(r.estimate).toBe(b.estimate);
        expect(r.ciLow).toBe(b.ciLow);
        expect(r.ciHigh).toBe(b.ciHigh);
      }),
      fcOptions,
    );
  });
});

describe('mannWhitney properties', () => {
  it('swapping x and y mirrors U, keeps p, and negates the shift', () => {
    fc.assert(
      fc.property(smallMixed, smallMixed, confidences, (x, y, confidence) => {
        const r = mannWhitney(x, y, confidence);
        const s = mannWhitney(y, x, confidence);
        expect(s.u).toBe(r.n * r.m - r.u);
        expect(s.pValue).toBe(r.pValue);
        expect(s.estimate).toBe(negate(r.estimate));
        expect(s.ciLow).toBe(negate(r.ciHigh));
        expect(s.ciHigh).toBe(negate(r.ciLow));
      }),
      fcOptions,
    );
  });

  it('shifting x by c shifts the estimate and the interval by c', () => {
    fc.assert(
      fc.property(smallIntegers, smallIntegers, fc.integer({ min: -1000, max: 1000 }), confidences, (x, y, c, confidence) => {
        const r = mannWhitney(x, y, confidence);
        const s = mannWhitney(
          x.map((v) => v + c),
          y,
          confidence,
        );
        expect(s.estimate).toBe(r.estimate + c);
        expect(s.ciLow).toBe(r.ciLow + c);
        expect(s.ciHigh).toBe(r.ciHigh + c);
      }),
      fcOptions,
    );
  });

  it('p is in (0, 1], the estimate lies in its interval, and higher confidence never narrows it', () => {
    fc.assert(
      fc.property(smallMixed, smallMixed, (x, y) => {
        const narrow = mannWhitney(x, y, 0.8);
        const wide = mannWhitney(x, y, 0.99);
        for (const r of [narrow, wide]) {
          expect(r.pValue).toBeGreaterThan(0);
          expect(r.pValue).toBeLessThanOrEqual(1);
          expect(r.ciLow).toBeLessThanOrEqual(r.estimate);
          expect(r.estimate).toBeLessThanOrEqual(r.ciHigh);
        }
        expect(wide.ciLow).toBeLessThanOrEqual(narrow.ciLow);
        expect(wide.ciHigh).toBeGreaterThanOrEqual(narrow.ciHigh);
        expect(wide.pValue).toBe(narrow.pValue);
      }),
      fcOptions,
    );
  });
});

describe('mannWhitney on 2,000 × 2,000 samples', () => {
  it('matches the 4,000,000 sorted differences, the rank U, and scipy', () => {
    const random = mulberry32(20240607);
    // floor(·)/100 leaves ties in the data; y is drawn after x from the same stream.
    const x = Array.from({ length: 2000 }, () => Math.floor(random() * 100000) / 100 + 3);
    const y = Array.from({ length: 2000 }, () => Math.floor(random() * 100000) / 100);
    const r = mannWhitney(x, y, 0.95);

    const diffs = new Float64Array(4_000_000);
    let w = 0;
    for (const a of x) for (const b of y) diffs[w++] = a - b;
    const b = fromSortedDifferences(diffs.sort(), 2000, 2000, 0.95);
    expect(r.estimate).toBe(b.estimate);
    expect(r.ciLow).toBe(b.ciLow);
    expect(r.ciHigh).toBe(b.ciHigh);
    expect(r.u).toBe(rankU(x, y));
    // Same stream replayed in Python (mulberry32 port), then scipy.stats.mannwhitneyu(method='asymptotic').
    expect(x.slice(0, 3)).toEqual([127.06, 962.0, 559.6]);
    expect(r.u).toBe(2043981);
    expectRelative(r.pValue, 0.22847168667911644);
  });
});

describe('normal distribution', () => {
  // Exact values of Φ at these doubles, from mpmath.ncdf at 60 digits, rounded to double.
  it.each<[number, number]>([
    [1.959963984540054, 0.975],
    [0.5, 0.6914624612740131],
    [-1, 0.15865525393145705],
    [0.66291, 0.7463059016102601],
    [0.7, 0.758036347776927],
    [3, 0.9986501019683699],
    [8, 0.9999999999999993],
    [-5, 2.866515718791939e-7],
    [-6, 9.86587645037698e-10],
    [-10, 7.619853024160525e-24],
    [-20, 2.7536241186062337e-89],
    [-37.5, 4.605353009581955e-308],
  ])('Φ(%s) = %s', (z, expected) => {
    expectRelative(normalCdf(z), expected, 1e-15);
    expectRelative(normalSf(-z), expected, 1e-15);
  });

  it('limits and the centre', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalSf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalSf(40)).toBe(0);
    expect(normalSf(-40)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });

  // Inverses of these doubles, from mpmath.findroot on mpmath.ncdf at 40 digits, rounded to double.
  it.each<[number, number]>([
    [0.99, 2.3263478740408408],
    [0.975, 1.9599639845400538],
    [0.025, -1.9599639845400543],
    [0.3, -0.5244005127080408],
    [0.9, 1.2815515655446006],
    [1e-10, -6.361340902404057],
    [1e-20, -9.262340089798407],
    [1e-300, -37.0470962993612],
  ])('Φ⁻¹(%s) = %s', (p, expected) => {
    expectRelative(normalQuantile(p), expected, 1e-15);
  });

  it('quantile edges', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    for (const p of [-0.1, 1.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });

  it('Φ(Φ⁻¹(p)) = p and Φ⁻¹(1 − p) = −Φ⁻¹(p)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p) => {
        const x = normalQuantile(p);
        // Rounding x to a double alone moves Φ(x) by about x²·2⁻⁵³ relative.
        expectRelative(normalCdf(x), p, 1e-15 + 4e-16 * x * x);
      }),
      { numRuns: 1000, seed },
    );
    for (const p of [0.001, 0.01, 0.05, 0.2, 0.4]) expectRelative(normalQuantile(1 - p), -normalQuantile(p), 1e-14);
  });
});

describe('sigmaTest', () => {
  // Non-trivial expectations from Python's statistics.mean / statistics.stdev.
  it.each<[string, number[], number[], { meanX: number; meanY: number; sdY: number; z: number }]>([
    ['identical samples', [1, 2, 3], [1, 2, 3], { meanX: 2, meanY: 2, sdY: 1, z: 0 }],
    ['clear shift', [10, 11, 12], [1, 2, 3, 4, 5], { meanX: 11, meanY: 3, sdY: 1.5811388300841898, z: 5.059644256269407 }],
    [
      'fractional data',
      [101.5, 99.25, 100.75],
      [98.0, 99.5, 100.25, 97.75, 98.5],
      { meanX: 100.5, meanY: 98.8, sdY: 1.0517841983981315, z: 1.616301141041199 },
    ],
    ['below the baseline', [0], [1, 2, 3], { meanX: 0, meanY: 2, sdY: 1, z: -2 }],
    ['sd 0, canary above', [6], [5, 5, 5], { meanX: 6, meanY: 5, sdY: 0, z: Infinity }],
    ['sd 0, canary below', [4, 4], [5, 5, 5], { meanX: 4, meanY: 5, sdY: 0, z: -Infinity }],
    ['sd 0, equal means', [4, 6], [5, 5, 5], { meanX: 5, meanY: 5, sdY: 0, z: 0 }],
    ['sd 0 with an inexact constant', [0.2], [0.1, 0.1, 0.1], { meanX: 0.2, meanY: 0.1, sdY: 0, z: Infinity }],
    ['single baseline value (no spread)', [4], [3], { meanX: 4, meanY: 3, sdY: 0, z: Infinity }],
  ])('%s', (_, x, y, expected) => {
    const r = sigmaTest(x, y);
    expect(r.n).toBe(x.length);
    expect(r.m).toBe(y.length);
    for (const key of ['meanX', 'meanY', 'sdY', 'z'] as const) {
      if (Number.isFinite(expected[key])) expectRelative(r[key], expected[key], 1e-12);
      else expect(r[key]).toBe(expected[key]);
    }
  });

  it('throws a RangeError for an empty sample', () => {
    expect(() => sigmaTest([], [1])).toThrow(RangeError);
    expect(() => sigmaTest([1], [])).toThrow(RangeError);
  });
});
