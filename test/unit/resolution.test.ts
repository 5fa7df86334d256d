import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateGate } from '../../src/engine/gates.js';
import type { Sample } from '../../src/engine/model.js';
import { mulberry32 } from '../support/random.js';
import { gate, M, NOW, NOW_S, seriesOf } from '../support/fixtures.js';
import { yieldingProperty } from '../support/property.js';

/**
 * SPEC §8.1: a windowed gate judges the series at its own resolution r (the spacing the store
 * returned), never at the step that was asked for. These tests drive `evaluateGate` the way a
 * file, HTTP or SQL provider does: samples at whatever spacing the data has, no resolution hint.
 */

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = process.env.CI ? 20 : undefined;
const HEALTHY = 0.001;
const BREACH = 0.05;

/** A 30-minute `< 0.01` gate with failAfter 5m that asks for the default step (15 s). */
const sustained = (over = 30 * M, failAfterMs: number | null = 5 * M) =>
  gate({ name: 'error_rate', pass: '< 0.01', overMs: over, failAfterMs, stepMs: null });

describe('the issue: samples coarser than the step asked for', () => {
  it.each([10, 30, 60, 120])('a 10-minute breach at 5× the limit fails at a resolution of %is', (r) => {
    const n = (30 * 60) / r + 1;
    const samples = seriesOf(n, r, (i) => ((n - 1 - i) * r < 10 * 60 ? BREACH : HEALTHY));
    const g = evaluateGate(sustained(), 'canary_10', { samples }, NOW);
    expect(g.status, g.reason).toBe('fail');
    expect(g.window?.resolution).toBe(`${r === 60 ? '1m' : r === 120 ? '2m' : `${r}s`}`);
  });

  it.each([10, 30, 60, 120])('a 2-minute spike passes a failAfter of 5m at a resolution of %is', (r) => {
    const n = (30 * 60) / r + 1;
    const samples = seriesOf(n, r, (i) => {
      const age = (n - 1 - i) * r;
      return age >= 15 * 60 && age < 17 * 60 ? BREACH : HEALTHY;
    });
    const g = evaluateGate(sustained(), 'canary_10', { samples }, NOW);
    expect(g.status, g.reason).toBe('pass');
  });

  it.each([10, 30, 60, 120])('a series that stopped 20 minutes before the window\'s end is no data at %is, naming where it stops', (r) => {
    const samples = seriesOf((30 * 60) / r + 1, r, () => HEALTHY).filter(([t]) => t <= NOW_S - 20 * 60);
    const g = evaluateGate(sustained(), 'canary_10', { samples }, NOW);
    expect(g.status).toBe('no_data');
    expect(g.reason).toContain('the series stops at 11:40 UTC, 20m before the window\'s end');
  });

  it('the newest sample one resolution old still covers the window (a scrape in flight)', () => {
    const samples = seriesOf(30, 60, () => HEALTHY).map(([t, v]) => [t - 90, v] as const);
    expect(evaluateGate(sustained(), 'canary_10', { samples }, NOW).status).toBe('pass');
  });

  it('coarser than failAfter/2: one violating sample fails, and the report says why', () => {
    // Samples 5 minutes apart cannot show whether one bad value lasted 5 minutes or 5 seconds.
    const samples = seriesOf(7, 300, (i) => (i === 3 ? BREACH : HEALTHY));
    const g = evaluateGate(sustained(), 'canary_10', { samples }, NOW);
    expect(g.status).toBe('fail');
    expect(g.reason).toContain('samples 5m apart cannot judge failAfter 5m finer than one sample');
  });

  it('the resolution the store reports wins over the spacing of what it returned', () => {
    // Two CloudWatch points of a 5-minute period, both bad: 10 minutes of breach, not two instants.
    const samples: Sample[] = [[NOW_S - 300, BREACH], [NOW_S, BREACH]];
    const g = evaluateGate(sustained(60 * M, 8 * M), 'canary_10', { samples, resolutionMs: 300_000 }, NOW);
    expect(g.status, g.reason).toBe('fail');
    expect(g.window?.resolution).toBe('5m');
  });

  it('a gap of more than 1.5 resolutions breaks a run: missing data is not a violation', () => {
    // 9 bad samples a minute apart fail; with the middle one missing they are two 4-minute runs.
    const all = seriesOf(31, 60, (i) => (i >= 22 ? BREACH : HEALTHY));
    expect(evaluateGate(sustained(), 'canary_10', { samples: all }, NOW).status).toBe('fail');
    const g = evaluateGate(sustained(), 'canary_10', { samples: all.filter((_, i) => i !== 26) }, NOW);
    expect(g.status, g.reason).toBe('pass');
    expect(g.reason).toContain('longest unbroken violation is 4m');
  });
});

describe('irregular series (SQL, HTTP, files)', () => {
  it('samples out of order are sorted before they are judged', () => {
    const samples = seriesOf(31, 60, (i) => (i >= 21 ? BREACH : HEALTHY)).reverse();
    expect(evaluateGate(sustained(), 'canary_10', { samples }, NOW).status).toBe('fail');
  });

  it('two samples at one timestamp are no data naming it', () => {
    const samples = [...seriesOf(31, 60, () => HEALTHY), [NOW_S - 600, HEALTHY] as const];
    const g = evaluateGate(sustained(), 'canary_10', { samples }, NOW);
    expect(g.status).toBe('no_data');
    expect(g.reason).toContain('two samples at 2026-11-22T11:50:00.000Z');
  });
});

describe('lag: the window ends before now', () => {
  it('a sample past the lagged end is not judged, and the report shows the window judged', () => {
    const samples = seriesOf(32, 60, (i) => (i === 31 ? BREACH : HEALTHY));
    const g = evaluateGate({ ...sustained(30 * M, null), lagMs: 60_000 }, 'canary_10', { samples }, NOW);
    expect(g.status, g.reason).toBe('pass');
    expect(g.window).toMatchObject({ from: '2026-11-22T11:29:00.000Z', to: '2026-11-22T11:59:00.000Z', lag: '1m', resolution: '1m' });
  });
});

/**
 * The property of the issue: for any piecewise-constant signal and any resolution r ≤ failAfter/2,
 * sampled on a grid (aligned, or each sample jittered by up to 10% of r), the verdict equals the
 * continuous signal's: a breach lasting ≥ failAfter + r fails, one lasting ≤ failAfter − r passes.
 *
 * With jitter the band widens by the jitter at each edge: a sample moved by up to 0.1·r can make
 * a breach look 0.2·r longer or shorter than it was, whatever rule counts it. So the bounds are
 * failAfter ± r aligned and failAfter ± 1.2·r jittered; a breach inside the band may go either way.
 */
describe('property: the verdict follows the signal, whatever the resolution', () => {
  interface Case {
    rS: number;
    failAfterS: number;
    jitter: number;
    /** Breaches as [startAge, duration] in seconds before the window's end, oldest first. */
    breaches: [number, number][];
    seed: number;
  }

  const caseArb: fc.Arbitrary<Case> = fc
    .record({
      rS: fc.integer({ min: 1, max: 600 }),
      factor: fc.double({ min: 2, max: 12, noNaN: true }),
      jitter: fc.constantFrom(0, 0.1),
      count: fc.integer({ min: 1, max: 3 }),
      lengths: fc.array(fc.double({ min: 0.1, max: 2.5, noNaN: true }), { minLength: 3, maxLength: 3 }),
      gaps: fc.array(fc.double({ min: 1.5, max: 6, noNaN: true }), { minLength: 4, maxLength: 4 }),
      seed: fc.integer(),
    })
    .map(({ rS, factor, jitter, count, lengths, gaps, seed: s }) => {
      // r ≤ failAfter/2 as the tool measures r: from jittered spacing it can read up to
      // (1 + 2·jitter)·r, so jittered cases keep failAfter ≥ 2·1.2·r.
      const failAfterS = Math.max(Math.ceil(2 * (1 + 2 * jitter) * rS), Math.round(rS * factor));
      // Laid out from the window's end backwards: healthy gap, breach, healthy gap, breach, …
      // Each healthy gap is at least 1.5·r so that samples see it.
      const breaches: [number, number][] = [];
      let age = gaps[0]! * rS * 0.5;
      for (let k = 0; k < count; k++) {
        const d = Math.max(1, Math.round(lengths[k]! * failAfterS));
        breaches.push([age + d, d]);
        age += d + gaps[k + 1]! * rS;
      }
      return { rS, failAfterS, jitter, breaches: breaches.reverse(), seed: s };
    });

  const overOf = (c: Case) => Math.max(1800, c.breaches[0]![0] + 4 * c.rS);

  function sample(c: Case): Sample[] {
    const rand = mulberry32(c.seed);
    const overS = overOf(c);
    const n = Math.floor(overS / c.rS);
    const out: Sample[] = [];
    for (let i = n; i >= 0; i--) {
      const ideal = i * c.rS;
      const age = ideal + (rand() * 2 - 1) * c.jitter * c.rS;
      const bad = c.breaches.some(([start, d]) => age <= start && age > start - d);
      // The signal at that instant; ages are seconds before the window's end (NOW).
      out.push([NOW_S - age, bad ? BREACH : HEALTHY]);
    }
    // Jitter must not reorder or leave the window: both would test something else.
    return out.filter(([t]) => t >= NOW_S - overS && t <= NOW_S + 30);
  }

  it(`aligned or jittered by up to 10%: ≥ failAfter + r fails, ≤ failAfter − r passes (${runs} runs)`, async () => {
    let decided = 0;
    await fc.assert(
      yieldingProperty(caseArb, (c) => {
        const band = c.rS * (1 + 2 * c.jitter);
        const mustFail = c.breaches.some(([, d]) => d >= c.failAfterS + band);
        const mustPass = c.breaches.every(([, d]) => d <= c.failAfterS - band);
        if (!mustFail && !mustPass) return;
        decided++;
        const g = gate({ name: 'g', pass: '< 0.01', overMs: overOf(c) * 1000, failAfterMs: c.failAfterS * 1000, stepMs: 15_000 });
        const r = evaluateGate(g, 'canary_10', { samples: sample(c) }, NOW);
        expect(r.status, `${JSON.stringify(c)}: ${r.reason}`).toBe(mustFail ? 'fail' : 'pass');
      }),
      { numRuns: runs, seed },
    );
    // The property said something: most cases fall outside the band.
    expect(decided).toBeGreaterThan(runs / 3);
  });

  it(`a series ending more than 2r before the window's end is no data (${runs} runs)`, async () => {
    await fc.assert(
      yieldingProperty(caseArb, fc.double({ min: 2.5, max: 20, noNaN: true }), (c, stopped) => {
        const cut = stopped * c.rS;
        const samples = sample(c).filter(([t]) => t <= NOW_S - cut);
        fc.pre(samples.length >= 3);
        const g = gate({ name: 'g', pass: '< 0.01', overMs: overOf(c) * 1000, failAfterMs: c.failAfterS * 1000, stepMs: 15_000 });
        const r = evaluateGate(g, 'canary_10', { samples }, NOW);
        expect(r.status, r.reason).toBe('no_data');
        expect(r.reason).toContain('the series stops at');
      }),
      { numRuns: runs, seed },
    );
  });
});
