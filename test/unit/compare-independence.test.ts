import { describe, expect, it } from 'vitest';
import { compareSamples } from '../../src/engine/compare.js';
import { evaluateGate } from '../../src/engine/gates.js';
import type { CompareSpec, Gate, Sample } from '../../src/engine/model.js';
import { mannWhitney } from '../../src/engine/stats/index.js';
import { gate, M } from '../support/fixtures.js';
import { fleetRatios, TICK_S } from '../support/fleets.js';

/**
 * A/A by simulation (SPEC §8.1): two identical fleets (see support/fleets.ts: request and error
 * counters every 15 s, read as `sum(rate(errors[5m])) / sum(rate(requests[5m]))`, the error
 * probability wandering with a 2-minute correlation time) at steps from 15 s to 5 min. Disjoint
 * windows, each judged by the engine's own `evaluateGate` with default comparison gates.
 */

const RATE_WINDOW_TICKS = 20; // [5m] in 15 s ticks
const WINDOWS = 400;
const END_S = 1_800_000_000; // any whole minute

const QUERY = (track: string) => `sum(rate(http_errors_total{track="${track}"}[5m])) / sum(rate(http_requests_total{track="${track}"}[5m]))`;
const MW: CompareSpec = { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0, sigma: null };
const SIGMA: CompareSpec = { test: 'sigma', direction: 'increase', confidence: null, allowedChange: null, sigma: 3 };

function comparisonGate(spec: CompareSpec, overMs: number, stepMs: number): Gate {
  return gate({ name: 'errors_vs_stable', pass: null, query: QUERY('canary'), baseline: QUERY('stable'), overMs, stepMs, minSamples: 10, compare: spec });
}

/** P(Binomial(n, p) > k), summed exactly. */
function binomialUpperTail(n: number, p: number, k: number): number {
  let term = (1 - p) ** n; // P(X = 0)
  let below = 0;
  for (let x = 0; x <= k; x++) {
    below += term;
    term *= ((n - x) / (x + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}

/** The largest failure count a correct test at rate `alpha` exceeds with probability < 0.001 over `n` windows. */
function margin(n: number, alpha: number): number {
  let k = 0;
  while (binomialUpperTail(n, alpha, k) >= 0.001) k++;
  return k;
}

// Steps 15 s … 5 min; a 30-minute window, or an hour at 5 minutes (30m holds 6 samples there, under minSamples 10).
const STEPS: [string, number, number][] = [
  ['15s', 1, 30],
  ['30s', 2, 30],
  ['1m', 4, 30],
  ['2m', 8, 30],
  ['5m', 20, 60],
];

interface Tally {
  mannWhitney: number;
  either: number;
  sigma: number;
  classical: number;
  noData: number;
}

async function simulate(stepTicks: number, overMin: number, errorFactor: number, seedBase: number): Promise<Tally> {
  const overMs = overMin * M;
  const windowTicks = (overMin * 60) / TICK_S;
  const stepMs = stepTicks * TICK_S * 1000;
  const gates = { mannWhitney: comparisonGate(MW, overMs, stepMs), either: comparisonGate({ ...MW, direction: 'either' }, overMs, stepMs), sigma: comparisonGate(SIGMA, overMs, stepMs) };
  const tally: Tally = { mannWhitney: 0, either: 0, sigma: 0, classical: 0, noData: 0 };
  for (let w = 0; w < WINDOWS; w++) {
    if (w % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 0)); // keep each synchronous stretch short
    const canary = fleetRatios({ seed: seedBase + 2 * w, ticks: windowTicks, stepTicks, errorFactor, endS: END_S });
    const stable = fleetRatios({ seed: seedBase + 2 * w + 1, ticks: windowTicks, stepTicks, endS: END_S });
    for (const key of ['mannWhitney', 'either', 'sigma'] as const) {
      const r = evaluateGate(gates[key], null, { samples: canary, baseline: stable }, END_S * 1000);
      if (r.status === 'no_data') tally.noData++;
      if (r.status === 'fail') tally[key]++;
    }
    // The classical test, every sample counted as independent: what the gate did before.
    const x = canary.map(([, v]) => v as number);
    const y = stable.map(([, v]) => v as number);
    const classical = mannWhitney(x, y, 0.98);
    if (classical.ciLow > 0) tally.classical++;
  }
  return tally;
}

describe('comparison gates judge independent evidence: identical fleets, overlapping rate windows', () => {
  const alpha = 1 - 0.98;
  const limit = margin(WINDOWS, alpha);

  it('the margin: a test that fails 2% of windows exceeds it in fewer than 1 in 1,000 runs of 400 windows', () => {
    expect(limit).toBe(18); // 4.5% of 400; the expected count is 8
    expect(binomialUpperTail(WINDOWS, alpha, limit)).toBeLessThan(0.001);
    expect(binomialUpperTail(WINDOWS, alpha, limit - 1)).toBeGreaterThanOrEqual(0.001);
  });

  it.each(STEPS)('step %s: at most 1 − confidence of windows fail, with the binomial margin', async (_step, stepTicks, overMin) => {
    const t = await simulate(stepTicks, overMin, 1, 1_000 * stepTicks);
    expect(t.noData).toBe(0);
    expect(t.mannWhitney, `mann-whitney increase: ${t.mannWhitney} of ${WINDOWS}`).toBeLessThanOrEqual(limit);
    expect(t.either, `mann-whitney either: ${t.either} of ${WINDOWS}`).toBeLessThanOrEqual(limit);
    expect(t.sigma, `sigma: ${t.sigma} of ${WINDOWS}`).toBeLessThanOrEqual(limit);
    if (stepTicks < RATE_WINDOW_TICKS) {
      // Without the effective sample size the same windows fail far more often (the defect).
      expect(t.classical, `classical: ${t.classical} of ${WINDOWS}`).toBeGreaterThan(2 * limit);
    }
  });

  it.each(STEPS)('step %s: a real +30%% error rate still fails at least 80%% of windows', async (_step, stepTicks, overMin) => {
    const t = await simulate(stepTicks, overMin, 1.3, 7_000_000 + 1_000 * stepTicks);
    expect(t.mannWhitney / WINDOWS, `mann-whitney increase: ${t.mannWhitney} of ${WINDOWS}`).toBeGreaterThanOrEqual(0.8);
    expect(t.either / WINDOWS, `mann-whitney either: ${t.either} of ${WINDOWS}`).toBeGreaterThanOrEqual(0.75);
  });

  it('the report shows the effective sample size', () => {
    const canary = fleetRatios({ seed: 11, ticks: 120, stepTicks: 1, endS: END_S });
    const stable = fleetRatios({ seed: 12, ticks: 120, stepTicks: 1, endS: END_S });
    const r = evaluateGate(comparisonGate(MW, 30 * M, 15_000), null, { samples: canary, baseline: stable }, END_S * 1000);
    expect(r.stats!.n).toBe(120);
    expect(r.stats!.nEff).toBeLessThan(12);
    expect(r.stats!.mEff).toBeLessThan(12);
    expect(r.reason).toMatch(/; effective samples \d+(\.\d)? of 120 and \d+(\.\d)? of 120\): /);
    // The same values with no range window in the query: the autocorrelation alone still shrinks them.
    const x = canary.map(([, v]) => v as number);
    const y = stable.map(([, v]) => v as number);
    const bare = compareSamples(x, y, MW);
    expect(bare.nEff).toBeLessThan(30);
  });
});
