import { describe, expect, it } from 'vitest';
import { compareSamples, comparisonFails, describeCompareSpec, describeComparison, percent, type CompareStats } from '../../src/engine/compare.js';
import { evaluateGate, type GateResult } from '../../src/engine/gates.js';
import type { CompareSpec, Gate, Sample } from '../../src/engine/model.js';
import { gate, M, NOW, NOW_S, seriesOf } from '../support/fixtures.js';
import { normal } from '../support/random.js';


/** 60 samples 30 s apart (the last 30 minutes), mean `mean`, standard deviation `sd`. */
function noisy(seed: number, mean: number, sd: number): Sample[] {
  const draw = normal(seed);
  return seriesOf(60, 30, () => mean + sd * draw());
}

/** 60 samples cycling through `values`. */
const cycle = (values: number[], n = 60): Sample[] => seriesOf(n, 30, (i) => values[i % values.length]!);

const MW: CompareSpec = { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0, sigma: null };
const SIGMA: CompareSpec = { test: 'sigma', direction: 'increase', confidence: null, allowedChange: null, sigma: 3 };

function compareGate(spec: Partial<CompareSpec> = {}, over: Partial<Omit<Gate, 'pass'>> = {}): Gate {
  const test = spec.test ?? 'mann-whitney';
  return gate({
    name: 'latency_vs_stable',
    pass: null,
    baseline: 'stable',
    overMs: 30 * M,
    minSamples: 10,
    compare: { ...(test === 'sigma' ? SIGMA : MW), ...spec },
    ...over,
  });
}

const judge = (g: Gate, samples: Sample[], baseline: Sample[] | null): GateResult => evaluateGate(g, 'canary_50', { samples, baseline }, NOW);

describe('evaluateGate: compare gates', () => {
  const stable = noisy(1, 100, 10);
  const sameDistribution = noisy(2, 100, 10);

  it.each<[string, Partial<CompareSpec>, Sample[], Sample[], GateResult['status'], CompareStats['classification']]>([
    ['mann-whitney: the same distribution (another seed) passes', {}, sameDistribution, stable, 'pass', 'pass'],
    ['mann-whitney: +30% fails for an increase', {}, noisy(3, 130, 10), stable, 'fail', 'high'],
    ['mann-whitney: -30% passes for an increase (the harmless way)', {}, noisy(3, 70, 10), stable, 'pass', 'low'],
    ['mann-whitney: -30% fails for a decrease', { direction: 'decrease' }, noisy(3, 70, 10), stable, 'fail', 'low'],
    ['mann-whitney: +30% passes for a decrease', { direction: 'decrease' }, noisy(3, 130, 10), stable, 'pass', 'high'],
    ['mann-whitney: either fails on +30%', { direction: 'either' }, noisy(3, 130, 10), stable, 'fail', 'high'],
    ['mann-whitney: either fails on -30%', { direction: 'either' }, noisy(3, 70, 10), stable, 'fail', 'low'],
    ['mann-whitney: either passes the same distribution', { direction: 'either' }, sameDistribution, stable, 'pass', 'pass'],
    ['mann-whitney: +30% within allowedChange 50% passes', { allowedChange: 0.5 }, noisy(3, 130, 10), stable, 'pass', 'pass'],
    ['mann-whitney: +3% with allowedChange 10% passes', { allowedChange: 0.1 }, noisy(3, 103, 1), noisy(4, 100, 1), 'pass', 'pass'],
    ['mann-whitney: +3% without allowedChange fails (significant with little noise)', {}, noisy(3, 103, 1), noisy(4, 100, 1), 'fail', 'high'],
    // Means exactly 100 and 110 (and 110.5): +10% is within "10%", anything beyond is not.
    ['allowedChange boundary: exactly +10% passes at 10%', { allowedChange: 0.1 }, cycle([100, 105, 110, 115, 120]), cycle([90, 95, 100, 105, 110]), 'pass', 'pass'],
    ['allowedChange boundary: +10.5% fails at 10%', { allowedChange: 0.1 }, cycle([100.5, 105.5, 110.5, 115.5, 120.5]), cycle([90, 95, 100, 105, 110]), 'fail', 'high'],
    ['allowedChange boundary: exactly -10% passes at 10% for a decrease', { direction: 'decrease', allowedChange: 0.1 }, cycle([80, 85, 90, 95, 100]), cycle([90, 95, 100, 105, 110]), 'pass', 'pass'],
    ['allowedChange boundary: -10.5% fails at 10% for a decrease', { direction: 'decrease', allowedChange: 0.1 }, cycle([79.5, 84.5, 89.5, 94.5, 99.5]), cycle([90, 95, 100, 105, 110]), 'fail', 'low'],
    ['sigma: the same distribution passes', { test: 'sigma' }, sameDistribution, stable, 'pass', 'pass'],
    ['sigma: a mean 4 sd above fails', { test: 'sigma' }, cycle([140]), stable, 'fail', 'high'],
    ['sigma: a mean 4 sd below fails for a decrease', { test: 'sigma', direction: 'decrease' }, cycle([60]), stable, 'fail', 'low'],
    ['sigma: a mean 4 sd below passes for an increase', { test: 'sigma' }, cycle([60]), stable, 'pass', 'low'],
    ['sigma: a mean 2 sd above passes at 3σ', { test: 'sigma' }, cycle([120]), cycle([90, 110]), 'pass', 'pass'],
    ['sigma: a mean 2 sd above fails at 1.5σ', { test: 'sigma', sigma: 1.5 }, cycle([120]), cycle([90, 110]), 'fail', 'high'],
    ['sigma: baseline sd 0, any increase fails', { test: 'sigma' }, cycle([100.001]), cycle([100]), 'fail', 'high'],
    ['sigma: baseline sd 0, equal means pass', { test: 'sigma', direction: 'either' }, cycle([100]), cycle([100]), 'pass', 'pass'],
    ['sigma: baseline sd 0, a decrease fails for either', { test: 'sigma', direction: 'either' }, cycle([99]), cycle([100]), 'fail', 'low'],
  ])('%s', (_name, spec, canary, baseline, status, classification) => {
    const r = judge(compareGate(spec), canary, baseline);
    expect(r.status, r.reason).toBe(status);
    expect(r.stats!.classification).toBe(classification);
    expect(r.effect).toBe(status === 'fail' ? 'hold' : 'none');
    expect(r.reason).toMatch(status === 'fail' ? /: fails \(allowed / : /: passes \(/);
  });

  it('reports the means, both series, and only the fields of its test', () => {
    const canary = cycle([100, 105, 110, 115, 120]);
    const baseline = cycle([90, 95, 100, 105, 110]);
    const r = judge(compareGate({ allowedChange: 0.1 }), canary, baseline);
    expect(r).toMatchObject({ value: 110, baselineValue: 100, min: 100, max: 120, samples: 60, violations: 0, shadow: false });
    expect(r.series).toEqual(canary);
    expect(r.baselineSeries).toEqual(baseline);
    expect(r.condition).toBe('mann-whitney increase, 98%, allowed +10%');
    expect(r.stats).toMatchObject({ test: 'mann-whitney', direction: 'increase', n: 60, m: 60, confidence: 0.98, allowedChange: 0.1, ratio: 1.1, z: null, sigma: null, estimate: 10 });
    expect(r.stats!.u).toBeGreaterThan(1800);
    expect(r.stats!.pValue).toBeLessThan(0.01);
    expect(r.stats!.ciLow).toBeGreaterThan(0);
    expect(r.reason).toBe('+10% vs baseline (98% CI +5%…+15% of the baseline mean, p < 0.0001; mean +10%; effective samples 56 of 60 and 56 of 60): passes (within the allowed +10%)');

    const s = judge(compareGate({ test: 'sigma' }), cycle([142]), cycle([115, 125], 20));
    expect(s.condition).toBe('sigma increase > 3σ');
    expect(s.stats).toMatchObject({ test: 'sigma', n: 60, m: 20, u: null, pValue: null, estimate: null, ciLow: null, ciHigh: null, confidence: null, allowedChange: null, sigma: 3, meanX: 142, meanY: 120 });
    expect(s.stats!.z).toBeCloseTo(22 / Math.sqrt(500 / 19), 12);
    expect(s.reason).toBe('mean 142 vs baseline 120 ± 5.13 (z = 4.3σ; effective samples 60 of 60 and 20 of 20): fails (allowed 3σ)');
  });

  it('a baseline without spread says so: z is infinite', () => {
    const r = judge(compareGate({ test: 'sigma' }), cycle([101]), cycle([100]));
    expect(r.stats!.z).toBe(Infinity);
    expect(r.reason).toBe('mean 101 vs baseline 100 ± 0 (z = +∞σ, the baseline does not vary; effective samples 60 of 60 and 60 of 60): fails (allowed 3σ)');
  });

  it.each<[string, Sample[], Sample[], string]>([
    ['too few canary samples', cycle([100], 5), cycle([100]), 'no data: canary: 5 samples in the last 30m, fewer than minSamples 10'],
    ['too few baseline samples', cycle([100]), cycle([100], 9), 'no data: baseline: 9 samples in the last 30m, fewer than minSamples 10'],
    ['no baseline samples in the window', cycle([100]), [[NOW_S - 3600, 100]], 'no data: baseline: no samples in the last 30m'],
    ['too few on both sides', cycle([100], 1), cycle([100], 2), 'no data: canary: 1 sample in the last 30m, fewer than minSamples 10; baseline: 2 samples in the last 30m, fewer than minSamples 10'],
    ['only NaN and Inf on the canary side', seriesOf(60, 30, (i) => (i % 2 ? NaN : Infinity)), cycle([100]), 'no data: canary: no samples in the last 30m (60 canary NaN/Inf samples ignored)'],
  ])('%s is no data, naming the side', (_name, canary, baseline, reason) => {
    const r = judge(compareGate(), canary, baseline);
    expect(r.status).toBe('no_data');
    expect(r.effect).toBe('hold');
    expect(r.reason).toBe(reason);
    expect(r.stats).toBeNull();
  });

  it('no baseline answer at all is no data', () => {
    const r = judge(compareGate(), cycle([100]), null);
    expect(r.status).toBe('no_data');
    expect(r.reason).toBe('no data: the baseline query returned no data');
  });

  it('NaN and ±Inf are dropped from both sides before the test, and counted in the reason', () => {
    const canary = noisy(3, 130, 10);
    const baseline = noisy(1, 100, 10);
    const clean = judge(compareGate(), canary, baseline);
    const poisoned = (s: Sample[], bad: number[]) => [...s, ...bad.map((v, i) => [NOW_S - 10 * i - 5, v] as const)];
    const r = judge(compareGate(), poisoned(canary, [NaN, Infinity]), poisoned(baseline, [-Infinity]));
    expect(r.stats).toEqual(clean.stats);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe(`${clean.reason} (2 canary and 1 baseline NaN/Inf samples ignored)`);
  });

  it('samples outside the window are left out on both sides', () => {
    const old = seriesOf(60, 30, () => 1000).map(([t, v]) => [t - 3600, v] as const);
    const r = judge(compareGate(), [...old, ...cycle([100, 101])], [...old, ...cycle([100, 101])]);
    expect(r.samples).toBe(60);
    expect(r.stats!.n).toBe(60);
    expect(r.stats!.m).toBe(60);
    expect(r.status).toBe('pass');
  });

  it('booleans count as 0 and 1', () => {
    const r = judge(compareGate({ direction: 'either' }), seriesOf(60, 30, (i) => i % 2 === 0), seriesOf(60, 30, (i) => i % 2 === 1));
    expect(r.status).toBe('pass');
    expect(r.value).toBe(0.5);
  });

  it('baselineOffset: the baseline is named by its offset, and its query is the gate\'s own', () => {
    const g = compareGate({}, { baseline: null, baselineOffsetMs: 7 * 24 * 60 * M, query: 'p95' });
    const r = judge(g, noisy(3, 130, 10), noisy(1, 100, 10));
    expect(r).toMatchObject({ baselineQuery: 'p95', baselineOffset: '7d', status: 'fail' });
    expect(r.stats!.baselineLabel).toBe('7d earlier');
    expect(r.reason).toMatch(/^\+\d+% vs 7d earlier \(98% CI /);
    expect(judge(g, cycle([100]), cycle([100], 3)).reason).toBe('no data: 7d earlier: 3 samples in the last 30m, fewer than minSamples 10');
  });

  it('baselineOffset: past the end of the earlier window nothing counts, while the canary keeps a minute of slack for clock skew', () => {
    const g = compareGate({ direction: 'either' }, { baseline: null, baselineOffsetMs: 7 * 24 * 60 * M });
    const late: Sample = [NOW_S + 30, 1000];
    const r = judge(g, [...cycle([100, 101]), late], [...cycle([100, 101]), late]);
    expect(r.stats).toMatchObject({ n: 61, m: 60 });
  });

  it('a gate without compare has no stats, and a windowed baseline series', () => {
    const g = gate({ pass: '<= +10%', baseline: 'stable', overMs: 30 * M });
    const r = judge(g, cycle([100]), cycle([95]));
    expect(r.stats).toBeNull();
    expect(r.baselineSeries).toHaveLength(60);
    expect(r.baselineOffset).toBeNull();
    expect(judge(gate(), cycle([0]), null).baselineSeries).toEqual([]);
  });

  it('a shadow compare gate that fails only warns', () => {
    const r = judge(compareGate({}, { shadow: true, severity: 'critical' }), noisy(3, 130, 10), noisy(1, 100, 10));
    expect(r).toMatchObject({ status: 'fail', effect: 'warning', shadow: true });
  });
});

describe('describeComparison and describeCompareSpec', () => {
  const base: CompareStats = {
    test: 'mann-whitney', direction: 'increase', baselineLabel: 'baseline', n: 120, m: 120, nEff: 12, mEff: 11.4, meanX: 117, meanY: 100, sdY: 10,
    u: 11000, pValue: 0.0004, estimate: 18, ciLow: 12, ciHigh: 25, confidence: 0.98, ratio: 1.17, z: null,
    classification: 'high', allowedChange: 0.1, sigma: null,
  };

  it.each<[string, Partial<CompareStats>, string, string?]>([
    ['a failing increase', {}, '+18% vs baseline (98% CI +12%…+25% of the baseline mean, p = 0.0004; mean +17%; effective samples 12 of 120 and 11 of 120): fails (allowed +10%)'],
    ['a label', {}, '+18% vs stable (98% CI +12%…+25% of the baseline mean, p = 0.0004; mean +17%; effective samples 12 of 120 and 11 of 120): fails (allowed +10%)', 'stable'],
    ['an insignificant change', { estimate: 1, ciLow: -2, ciHigh: 4.5, pValue: 0.31234, meanX: 101, classification: 'pass' }, '+1% vs baseline (98% CI -2%…+4.5% of the baseline mean, p = 0.31; mean +1%; effective samples 12 of 120 and 11 of 120): passes (no significant difference at 98%)'],
    ['a significant change within the allowance', { estimate: 5, ciLow: 2, ciHigh: 8, meanX: 105, classification: 'pass' }, '+5% vs baseline (98% CI +2%…+8% of the baseline mean, p = 0.0004; mean +5%; effective samples 12 of 120 and 11 of 120): passes (within the allowed +10%)'],
    ['the harmless way', { estimate: -30, ciLow: -35, ciHigh: -25, meanX: 70, pValue: 1e-9, classification: 'low' }, '-30% vs baseline (98% CI -35%…-25% of the baseline mean, p < 0.0001; mean -30%; effective samples 12 of 120 and 11 of 120): passes (only an increase fails)'],
    ['a failing decrease', { direction: 'decrease', estimate: -30, ciLow: -35, ciHigh: -25, meanX: 70, classification: 'low' }, '-30% vs baseline (98% CI -35%…-25% of the baseline mean, p = 0.0004; mean -30%; effective samples 12 of 120 and 11 of 120): fails (allowed -10%)'],
    ['either, no allowance', { direction: 'either', allowedChange: 0 }, '+18% vs baseline (98% CI +12%…+25% of the baseline mean, p = 0.0004; mean +17%; effective samples 12 of 120 and 11 of 120): fails (allowed 0%)'],
    ['a baseline mean of 0', { meanY: 0, meanX: 0.2, estimate: 0.2, ciLow: 0.1, ciHigh: 0.3, ratio: null }, '+0.2 vs baseline mean 0 (98% CI +0.1…+0.3, p = 0.0004; effective samples 12 of 120 and 11 of 120): fails (allowed +10%)'],
    ['sigma', { test: 'sigma', meanX: 142, meanY: 120, sdY: 5, z: 4.4, sigma: 3, u: null, pValue: null, estimate: null, ciLow: null, ciHigh: null, confidence: null, allowedChange: null }, 'mean 142 vs baseline 120 ± 5 (z = 4.4σ; effective samples 12 of 120 and 11 of 120): fails (allowed 3σ)'],
    ['sigma, passing', { test: 'sigma', meanX: 125, meanY: 120, sdY: 5, z: 1, sigma: 3, classification: 'pass' }, 'mean 125 vs baseline 120 ± 5 (z = 1σ; effective samples 12 of 120 and 11 of 120): passes (allowed 3σ)'],
    ['sigma, the harmless way', { test: 'sigma', direction: 'decrease', meanX: 142, meanY: 120, sdY: 5, z: 4.4, sigma: 3 }, 'mean 142 vs baseline 120 ± 5 (z = 4.4σ; effective samples 12 of 120 and 11 of 120): passes (only a decrease fails)'],
  ])('%s', (_name, over, sentence, label) => {
    expect(describeComparison({ ...base, ...over }, label)).toBe(sentence);
  });

  it.each<[CompareSpec, string]>([
    [MW, 'mann-whitney increase, 98%'],
    [{ ...MW, allowedChange: 0.1 }, 'mann-whitney increase, 98%, allowed +10%'],
    [{ ...MW, direction: 'decrease', confidence: 0.995, allowedChange: 0.025 }, 'mann-whitney decrease, 99.5%, allowed -2.5%'],
    [{ ...MW, direction: 'either', allowedChange: 0.1 }, 'mann-whitney either, 98%, allowed ±10%'],
    [SIGMA, 'sigma increase > 3σ'],
    [{ ...SIGMA, direction: 'either', sigma: 2.5 }, 'sigma either > 2.5σ'],
  ])('condition of %j', (spec, text) => {
    expect(describeCompareSpec(spec)).toBe(text);
  });

  it.each<[number, string]>([
    [0.18, '+18%'], [-0.032, '-3.2%'], [0.0042, '+0.42%'], [0, '0%'], [0.00001, '0%'], [Infinity, '+∞%'], [NaN, 'n/a'],
  ])('percent(%d) = %s', (fraction, text) => {
    expect(percent(fraction)).toBe(text);
  });

  it('comparisonFails follows the direction', () => {
    expect(comparisonFails({ classification: 'high', direction: 'increase' })).toBe(true);
    expect(comparisonFails({ classification: 'high', direction: 'decrease' })).toBe(false);
    expect(comparisonFails({ classification: 'low', direction: 'either' })).toBe(true);
    expect(comparisonFails({ classification: 'pass', direction: 'either' })).toBe(false);
  });

  it('compareSamples: a mean ratio of exactly +10% is not beyond an allowance of 10%', () => {
    const y = Array.from({ length: 50 }, (_, i) => 90 + 5 * (i % 5));
    const x = y.map((v) => v + 10);
    expect(compareSamples(x, y, { ...MW, allowedChange: 0.1 }).classification).toBe('pass');
    expect(compareSamples(x, y, { ...MW, allowedChange: 0.099 }).classification).toBe('high');
  });
});
