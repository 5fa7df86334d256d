import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  binomialTailAtLeast,
  calibrateGate,
  expectedFalseAlarmRate,
  ceil2,
  chunkRange,
  cutWindows,
  floor2,
  historyWindows,
  minWindowsFor,
  outwardThreshold,
  parseExclusion,
  percentile,
  sampleStats,
  suggestThreshold,
  tallyComparisons,
  tallyWindows,
  windowCount,
} from '../../src/engine/calibrate.js';
import { parseCondition } from '../../src/engine/conditions.js';
import type { CompareSpec, Gate, Sample } from '../../src/engine/model.js';
import { gate, H, M, NOW, NOW_S } from '../support/fixtures.js';
import { fleetRatios } from '../support/fleets.js';
import { yieldingProperty } from '../support/property.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = process.env.CI ? 42 : undefined;

/** `hours` of history ending at NOW, one sample every `stepS`, value f(i) (i = 0 oldest). */
function history(hours: number, stepS: number, f: (i: number, t: number) => number): Sample[] {
  const n = (hours * 3600) / stepS;
  return Array.from({ length: n }, (_, i) => {
    const t = NOW_S - (n - 1 - i) * stepS;
    return [t, f(i, t)] as const;
  });
}

const hourly = (over: Partial<Omit<Gate, 'pass'>> & { pass?: string | string[] | null } = {}) =>
  gate({ name: 'error_rate', overMs: H, stepMs: 60_000, pass: '< 0.01', ...over });

describe('ceil2 / floor2 / outwardThreshold', () => {
  it.each([
    [0.0123, 0.013, 0.012],
    [0.012, 0.012, 0.012],
    [1234, 1300, 1200],
    [0.0996, 0.1, 0.099],
    [0.0991, 0.1, 0.099],
    [-0.0996, -0.099, -0.1],
    [-0.0123, -0.012, -0.013],
    [7, 7, 7],
    [0, 0, 0],
  ])('%d: up %d, down %d', (v, up, down) => {
    expect(ceil2(v)).toBe(up);
    expect(floor2(v)).toBe(down);
  });

  it.each([
    ['<', 0.01, 0.011],
    ['<=', 0.01, 0.01],
    ['<', 0.0123, 0.013],
    ['>', 0.5, 0.49],
    ['>=', 0.5, 0.5],
    ['>', 0.1, 0.099],
    ['<', -0.1, -0.099],
    ['<', 0, 0.001],
    ['>', 0, -0.001],
  ] as const)('%s: a value %d needs the threshold %d', (op, c, x) => {
    expect(outwardThreshold(op, c, 0.001)).toBe(x);
  });

  it('property: ceil2 is the smallest number of 2 significant digits at or above v', async () => {
    await fc.assert(
      yieldingProperty(fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((v) => v !== 0 && Math.abs(v) > 1e-12), (v) => {
        const up = ceil2(v);
        expect(up).toBeGreaterThanOrEqual(v);
        expect(Number(up.toPrecision(2))).toBe(up);
        // The next 2-digit number down from it is below v: nothing of 2 digits lies in [v, up).
        expect(outwardThreshold('>', up, 1e-12)).toBeLessThan(v);
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('chunkRange', () => {
  it.each([
    ['one chunk', 0, 99_000, 1000, 11_000, [[0, 99_000, 100]]],
    ['exactly the limit', 0, 10_999_000, 1000, 11_000, [[0, 10_999_000, 11_000]]],
    ['one past the limit', 0, 11_000_000, 1000, 11_000, [[0, 10_999_000, 11_000], [11_000_000, 11_000_000, 1]]],
    ['end off the grid', 0, 2_500, 1000, 2, [[0, 1000, 2], [2000, 2000, 1]]],
    ['empty', 10, 0, 1000, 5, []],
  ] as const)('%s', (_name, start, end, step, max, expected) => {
    expect(chunkRange(start, end, step, max).map((c) => [c.startMs, c.endMs, c.points])).toEqual(expected);
  });

  it('property: every grid point lands in exactly one chunk of at most maxPoints points', async () => {
    await fc.assert(
      yieldingProperty(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 300 }), (steps, step, max) => {
        const stepMs = step * 1000;
        const chunks = chunkRange(1_000_000, 1_000_000 + steps * stepMs + (stepMs >> 1), stepMs, max);
        // Consecutive, on the grid, no point twice: each chunk starts one step after the last ended.
        let next = 1_000_000;
        const bad = chunks.find((c) => {
          const wrong = c.points < 1 || c.points > max || c.startMs !== next || c.endMs !== c.startMs + (c.points - 1) * stepMs;
          next = c.endMs + stepMs;
          return wrong;
        });
        expect(bad).toBeUndefined();
        expect(next).toBe(1_000_000 + (steps + 1) * stepMs);
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('cutWindows', () => {
  it('cuts (end − over, end] windows back from the end, oldest first; older samples are left out', () => {
    const s = history(3, 60 * 20, (i) => i); // 9 samples, 20 minutes apart
    const w = cutWindows(s, NOW, H, 2);
    expect(w.map((x) => x.map(([, v]) => v))).toEqual([[3, 4, 5], [6, 7, 8]]);
    expect(windowCount(14 * 24 * H, H)).toBe(336);
    expect(windowCount(90 * M, H)).toBe(1);
  });

  it('property: each sample inside the span is in exactly one window, inside its bounds', async () => {
    await fc.assert(
      yieldingProperty(
        fc.uniqueArray(fc.integer({ min: -20_000, max: 100 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 12 }),
        (offsets, overS, count) => {
          const samples: Sample[] = [...offsets].sort((a, b) => a - b).map((o) => [NOW_S + o, o] as const);
          const windows = cutWindows(samples, NOW, overS * 1000, count);
          expect(windows).toHaveLength(count);
          windows.forEach((w, k) => {
            const high = NOW_S - (count - 1 - k) * overS;
            for (const [t] of w) {
              expect(t).toBeGreaterThan(high - overS);
              expect(t).toBeLessThanOrEqual(high);
            }
          });
          const inside = samples.filter(([t]) => t > NOW_S - count * overS && t <= NOW_S);
          expect(windows.flat()).toEqual(inside);
        },
      ),
      { numRuns: runs, seed },
    );
  });
});

describe('tallyWindows: the engine judges each window', () => {
  // 24 hourly windows of 1-minute samples; window k has a violation run of k minutes.
  const spikes = history(24, 60, (i) => (i % 60 < Math.floor(i / 60) ? 0.05 : 0.001));

  it.each([
    ['over only: any violating sample fails the window', {}, 23],
    ['failAfter 5m: runs of 5 minutes and more fail', { failAfterMs: 5 * M }, 19],
    ['failAfter 30m', { failAfterMs: 30 * M }, 24 - 30],
  ] as const)('%s', (_name, extra, failing) => {
    const g = hourly(extra);
    const t = tallyWindows(g, historyWindows(spikes, null, NOW, H, 24));
    expect(t).toEqual({ windows: 24, failing: Math.max(0, failing), noData: 0 });
  });

  it('windows with fewer than minSamples samples are no data, not judged', () => {
    const sparse = spikes.filter(([t]) => t > NOW_S - 20 * 3600);
    const t = tallyWindows(hourly({ minSamples: 30 }), historyWindows(sparse, null, NOW, H, 24));
    expect(t.noData).toBe(4);
    expect(t.windows).toBe(20);
  });

  it('NaN samples are left out as the engine does', () => {
    const withNaN = history(2, 60, (i) => (i % 2 ? NaN : 0.001));
    expect(tallyWindows(hourly(), historyWindows(withNaN, null, NOW, H, 2))).toEqual({ windows: 2, failing: 0, noData: 0 });
  });

  it('a relative gate is judged against the baseline over the same window', () => {
    const base = history(3, 60, () => 100);
    const value = history(3, 60, (i) => (i < 60 ? 105 : i < 120 ? 115 : 109));
    const g = hourly({ pass: '<= +10%', baseline: 'stable' });
    expect(tallyWindows(g, historyWindows(value, base, NOW, H, 3))).toEqual({ windows: 3, failing: 1, noData: 0 });
    expect(tallyWindows(g, historyWindows(value, [], NOW, H, 3))).toEqual({ windows: 0, failing: 0, noData: 3 });
  });
});

describe('suggestThreshold', () => {
  // Window k (0…23) peaks at (k + 1) / 1000; the rest is 0.0005.
  const peaks = history(24, 60, (i) => (i % 60 === 30 ? (Math.floor(i / 60) + 1) / 1000 : 0.0005));
  const windows = historyWindows(peaks, null, NOW, H, 24);

  it.each([
    ['< : no failing window', '< 0.01', 0, 0.025],
    ['< : one in 24 may fail', '< 0.01', 1 / 24, 0.024],
    ['< : half may fail', '< 0.01', 0.5, 0.013],
    ['<= : the peak itself meets it', '<= 0.01', 0, 0.024],
    ['<= : one in 24 may fail', '<= 0.01', 1 / 24, 0.023],
  ] as const)('%s', (_name, pass, rate, expected) => {
    const s = suggestThreshold(hourly({ pass }), windows, rate);
    expect(s.suggested).toBe(expected);
    expect(s.condition).toBe(`${pass.split(' ')[0]} ${expected}`);
  });

  it('a lower bound suggests the largest threshold', () => {
    const dips = history(10, 60, (i) => (i % 60 === 0 ? 0.9 - Math.floor(i / 60) / 100 : 0.99));
    const w = historyWindows(dips, null, NOW, H, 10);
    expect(suggestThreshold(hourly({ pass: '> 0.5' }), w, 0).suggested).toBe(0.8);
    expect(suggestThreshold(hourly({ pass: '>= 0.5' }), w, 0).suggested).toBe(0.81);
    expect(suggestThreshold(hourly({ pass: '>= 0.5' }), w, 0.1).suggested).toBe(0.82);
  });

  it('failAfter counts: a short peak above the threshold is allowed', () => {
    // Every window has a 2-minute run at 0.05 and a 10-minute run at 0.02.
    const s = history(6, 60, (i) => (i % 60 < 2 ? 0.05 : i % 60 >= 30 && i % 60 < 40 ? 0.02 : 0.001));
    const w = historyWindows(s, null, NOW, H, 6);
    expect(suggestThreshold(hourly({ failAfterMs: 5 * M }), w, 0).suggested).toBe(0.021);
    expect(suggestThreshold(hourly(), w, 0).suggested).toBe(0.051);
  });

  it.each([
    ['== 0', 'not a numeric'],
    ['!= 1', 'not a numeric'],
    ['<= +10%', 'not a numeric'],
    ['== true', 'not a numeric'],
    [['> 0', '< 1'], 'more than one condition'],
  ] as const)('%s: no suggestion, with a note', (pass, note) => {
    const s = suggestThreshold(hourly({ pass: pass as string | string[] }), windows, 0.01);
    expect(s.suggested).toBeNull();
    expect(s.note).toContain(note);
  });

  it('property: the suggestion meets the target and the next tighter 2-digit threshold does not', async () => {
    const arb = fc.record({
      values: fc.array(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
      op: fc.constantFrom('<', '<=', '>', '>=' as const),
      rate: fc.constantFrom(0, 0.1, 0.25, 0.5),
      failAfter: fc.boolean(),
    });
    await fc.assert(
      yieldingProperty(arb, ({ values, op, rate, failAfter }) => {
        const samples = values.flatMap((w, k) => w.map((v, j) => [NOW_S - (values.length - 1 - k) * 3600 - (5 - j) * 600, v / 100] as const));
        const g = hourly({ pass: `${op} 1`, stepMs: 600_000, failAfterMs: failAfter ? 20 * M : null });
        const w = historyWindows(samples, null, NOW, H, values.length);
        const s = suggestThreshold(g, w, rate);
        const rateAt = (x: number) => {
          const t = tallyWindows(g, w, [parseCondition(`${op} ${x}`)]);
          return t.failing / t.windows;
        };
        expect(s.suggested).not.toBeNull();
        expect(rateAt(s.suggested!)).toBeLessThanOrEqual(rate);
        const up = op === '<' || op === '<=';
        const tighter = outwardThreshold(up ? '>' : '<', s.suggested!, 1e-3);
        expect(rateAt(tighter)).toBeGreaterThan(rate);
      }),
      { numRuns: Math.max(1, Math.round(runs / 4)), seed },
    );
  });
});

const MW: CompareSpec = { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0, sigma: null };

describe('tallyComparisons: A/A', () => {
  const spec = { test: 'sigma' as const, direction: 'increase' as const, confidence: null, allowedChange: null, sigma: 3 };
  const g = hourly({ pass: null, compare: spec, baseline: 'stable' });

  it('a steady series passes every pair; a step up fails the pair where it happens', () => {
    const steady = history(6, 60, (i) => 100 + (i % 5));
    expect(tallyComparisons(g, historyWindows(steady, null, NOW, H, 6))).toEqual({ windows: 5, failing: 0, noData: 0 });
    const step = history(6, 60, (i) => (i < 240 ? 100 : 200) + (i % 5));
    expect(tallyComparisons(g, historyWindows(step, null, NOW, H, 6))).toEqual({ windows: 5, failing: 1, noData: 0 });
  });

  it('calibrateGate: a compare gate gets its fail rate and no suggestion', () => {
    const step = history(6, 60, (i) => (i < 240 ? 100 : 200) + (i % 5));
    const c = calibrateGate(g, step, null, NOW, 6 * H, 0.01);
    expect(c).toMatchObject({ windows: 5, failing: 1, failRate: 0.2, suggested: null, condition: 'sigma increase > 3σ' });
    expect(c.note).toContain('A/A');
    expect(c.falseAlarm).toEqual({ rate: 0.2, expected: null, excessive: false });
    expect(c.note).toBe('A/A: each window of the baseline against the window before it: false alarms in 1 of 5 (20%); a comparison has no threshold to suggest');
  });

  it.each<[Partial<CompareSpec>, number | null]>([
    [{}, 0.01],
    [{ direction: 'either' }, 0.02],
    [{ direction: 'decrease', confidence: 0.9 }, 0.05],
    [{ test: 'sigma' }, null],
  ])('expectedFalseAlarmRate(%j) = %s', (over, rate) => {
    const r = expectedFalseAlarmRate({ ...MW, ...over });
    if (rate === null) expect(r).toBeNull();
    else expect(r).toBeCloseTo(rate, 12);
  });

  it.each([
    [3, 0.5, 2, 0.5],
    [3, 0.5, 0, 1],
    [3, 0.5, 4, 0],
    [10, 0.1, 1, 1 - 0.9 ** 10],
    [5, 0, 1, 0],
    [5, 1, 5, 1],
  ])('binomialTailAtLeast(%i, %d, %i) = %d', (n, p, k, tail) => {
    expect(binomialTailAtLeast(n, p, k)).toBeCloseTo(tail, 12);
  });

  it('binomialTailAtLeast keeps its precision over thousands of windows', () => {
    expect(binomialTailAtLeast(5000, 0.01, 50)).toBeGreaterThan(0.4);
    expect(binomialTailAtLeast(5000, 0.01, 50)).toBeLessThan(0.55);
    expect(binomialTailAtLeast(5000, 0.01, 100)).toBeLessThan(1e-6);
  });

  it('identical fleets (a rate-window ratio at 15 s): the A/A rate found stays at the test\'s own, and says so', () => {
    // Two days of `sum(rate(errors[5m])) / sum(rate(requests[5m]))` every 15 s: 95 pairs of 30-minute windows.
    const series = fleetRatios({ seed: 77, ticks: 2 * 24 * 240, stepTicks: 1, endS: NOW_S });
    const mw = gate({ name: 'errors_vs_stable', pass: null, query: 'sum(rate(errors{track="canary"}[5m])) / sum(rate(requests{track="canary"}[5m]))', baseline: 'sum(rate(errors{track="stable"}[5m])) / sum(rate(requests{track="stable"}[5m]))', overMs: 30 * M, stepMs: 15_000, minSamples: 10, compare: MW });
    const c = calibrateGate(mw, series, null, NOW, 2 * 24 * H, 0.01);
    expect(c.windows).toBe(95);
    expect(c.falseAlarm!.expected).toBeCloseTo(0.01, 12);
    expect(c.falseAlarm!.excessive).toBe(false);
    // A correct test at 1% exceeds 5 of 95 with probability under 0.5%.
    expect(binomialTailAtLeast(95, 0.01, 6)).toBeLessThan(0.005);
    expect(c.failing).toBeLessThanOrEqual(5);
    expect(c.note).toMatch(/^A\/A: each window of the baseline against the window before it: false alarms in \d of 95 \(\d(\.\d)?%\), where a 98% test on identical data fails about 1% \(increase only\); a comparison has no threshold to suggest$/);
  });

  it('a history whose level steps up every window is more than chance, and the note says why it may be', () => {
    const stepping = history(12, 60, (i) => 100 * 1.5 ** Math.floor(i / 60) + (i % 7));
    const c = calibrateGate(hourly({ pass: null, compare: MW, baseline: 'stable' }), stepping, null, NOW, 12 * H, 0.01);
    expect(c).toMatchObject({ windows: 11, failing: 11 });
    expect(c.falseAlarm).toMatchObject({ rate: 1, excessive: true });
    expect(c.falseAlarm!.expected).toBeCloseTo(0.01, 12);
    expect(c.note).toContain('more than chance: consecutive windows of this history differ for real');
  });
});

describe('sampleStats', () => {
  it.each([
    [[], { samples: 0, mean: null, std: null, p50: null, p90: null, p99: null, max: null }],
    [[5], { samples: 1, mean: 5, std: 0, p50: 5, p90: 5, p99: 5, max: 5 }],
    [[1, 2, 3, 4], { samples: 4, mean: 2.5, std: Math.sqrt(5 / 3), p50: 2.5, p90: 3.7, p99: 3.97, max: 4 }],
    [[0.1, 0.1, 0.1], { samples: 3, mean: 0.1, std: 0, p50: 0.1, p90: 0.1, p99: 0.1, max: 0.1 }],
    [[1, NaN, Infinity, 3], { samples: 2, mean: 2, std: Math.SQRT2, p50: 2, p90: 2.8, p99: 2.98, max: 3 }],
  ])('%j', (values, expected) => {
    const s = sampleStats(values.map((v, i) => [i, v] as const));
    for (const [k, v] of Object.entries(expected)) {
      if (v === null) expect(s[k as keyof typeof s]).toBeNull();
      else expect(s[k as keyof typeof s]).toBeCloseTo(v, 12);
    }
  });

  it('property: p50 ≤ p90 ≤ p99 ≤ max, and the mean lies between the smallest value and max', async () => {
    await fc.assert(
      yieldingProperty(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), (values) => {
        const s = sampleStats(values.map((v, i) => [i, v] as const));
        expect(s.p50!).toBeLessThanOrEqual(s.p90!);
        expect(s.p90!).toBeLessThanOrEqual(s.p99!);
        expect(s.p99!).toBeLessThanOrEqual(s.max!);
        expect(s.mean!).toBeGreaterThanOrEqual(Math.min(...values) - 1e-6);
        expect(s.mean!).toBeLessThanOrEqual(s.max! + 1e-6);
        expect(percentile(Float64Array.from(values).sort(), 1)).toBe(s.max);
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('the guard: too few windows for the fail rate asked', () => {
  it.each([
    [0.01, 100],
    [0.05, 20],
    [0.03, 34],
    [0.5, 2],
    [1, 1],
    [0, 0],
  ])('at %d a history needs %d windows', (rate, need) => {
    expect(minWindowsFor(rate)).toBe(need);
    // With that many windows one may fail; with one fewer, none.
    if (rate > 0) {
      expect(Math.floor(rate * need + 1e-9)).toBeGreaterThanOrEqual(1);
      expect(Math.floor(rate * (need - 1) + 1e-9)).toBe(0);
    }
  });

  it('property: the suggestion is withheld exactly when the windows are fewer than the rate needs, and never without exclusions otherwise', async () => {
    await fc.assert(
      yieldingProperty(fc.integer({ min: 2, max: 30 }), fc.constantFrom(0.01, 0.05, 0.1, 0.25, 0.5), fc.boolean(), (hours, rate, excluded) => {
        const series = history(hours, 300, (i) => 0.001 + (i % 7) * 0.001);
        const exclude = excluded ? [{ fromMs: NOW - 2 * H, toMs: NOW - H }] : [];
        const c = calibrateGate(hourly(), series, null, NOW, hours * H, rate, exclude);
        const few = c.windows < minWindowsFor(rate);
        expect(c.withheld !== null).toBe(few && !excluded);
        expect(c.warning !== null).toBe(few);
        if (c.withheld) expect(c.suggestedCondition).toBeNull();
        else expect(c.suggestedCondition).not.toBeNull();
        expect(c.excluded).toBe(excluded ? 1 : 0);
      }),
      { numRuns: Math.min(runs, 200), seed },
    );
  });

  it.each<[string, string | { from: string; to: string }]>([
    ['2026-11-21T09:00Z..2026-11-21T11:30Z', { from: '2026-11-21T09:00:00.000Z', to: '2026-11-21T11:30:00.000Z' }],
    ['2026-11-21..2026-11-21', { from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' }],
    [' 2026-11-21 .. 2026-11-22T06:00:00+01:00 ', { from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T05:00:00.000Z' }],
    ['2026-11-21', 'is not a range'],
    ['a..b..c', 'is not a range'],
    ['2026-11-21T10:00Z..soon', 'ends at "soon", not an instant'],
    ['2026-11-21T10:00Z..2026-11-21T10:00Z', 'ends before it starts'],
  ])('parseExclusion(%j)', (raw, expected) => {
    const r = parseExclusion(raw);
    if (typeof expected === 'string') expect(r).toEqual(expect.stringContaining(expected));
    else expect(typeof r === 'string' ? r : { from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString() }).toEqual(expected);
  });
});
