import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCondition } from '../../src/engine/conditions.js';
import { judgeSamples } from '../../src/engine/windows.js';
import { evaluateGate } from '../../src/engine/gates.js';
import type { Sample } from '../../src/engine/model.js';
import { gate, M, NOW, NOW_S, seriesOf } from '../support/fixtures.js';
import { yieldingProperty } from '../support/property.js';

const lt1500 = [parseCondition('< 1500')];
const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = process.env.CI ? 42 : undefined;

describe('judgeSamples', () => {
  // 120 samples, 30 s apart = the last hour; a spike of k samples at the middle.
  const spike = (k: number) => seriesOf(120, 30, (i) => (i >= 60 && i < 60 + k ? 2000 : 1000));

  it.each([
    ['instant: only the newest sample counts', null, null, seriesOf(3, 30, (i) => (i < 2 ? 9999 : 1000)), 'pass'],
    ['instant: newest breaks', null, null, seriesOf(3, 30, (i) => (i < 2 ? 1000 : 9999)), 'fail'],
    ['over: every sample must hold', 60 * M, null, spike(1), 'fail'],
    ['over: all hold', 60 * M, null, spike(0), 'pass'],
    ['failAfter 5m: a 3m spike passes', 60 * M, 5 * M, spike(6), 'pass'],
    ['failAfter 5m: a 5m spike fails (10 samples × 30 s)', 60 * M, 5 * M, spike(10), 'fail'],
    ['failAfter 5m: a 4.5m spike passes', 60 * M, 5 * M, spike(9), 'pass'],
    ['failAfter 5m: a 20m spike fails', 60 * M, 5 * M, spike(40), 'fail'],
  ] as const)('%s', (_name, overMs, failAfterMs, samples, expected) => {
    const v = judgeSamples(samples, lt1500, { overMs, failAfterMs, resolutionMs: 30_000 }, null);
    expect(v.kind).toBe(expected);
  });

  it('a gap in the series breaks a violation run', () => {
    // 6 bad samples, a 5-minute hole, 6 more bad samples: two 3-minute runs, not one 8-minute run.
    const before = seriesOf(6, 30, () => 2000).map(([t, v]) => [t - 600, v] as const);
    const after = seriesOf(6, 30, () => 2000);
    const v = judgeSamples([...before, ...after], lt1500, { overMs: 60 * M, failAfterMs: 5 * M, resolutionMs: 30_000 }, null);
    expect(v.kind).toBe('pass');
    expect(v.detail).toContain('longest unbroken violation is 3m');
  });

  it('a passing sample in between breaks a violation run', () => {
    const s = seriesOf(18, 30, (i) => (i === 9 ? 1000 : 2000)); // 9 + 8 bad samples, 17 in all
    expect(judgeSamples(s, lt1500, { overMs: 60 * M, failAfterMs: 5 * M, resolutionMs: 30_000 }, null).kind).toBe('pass');
  });

  it('relative conditions compare each sample with the baseline in force at its time', () => {
    const cond = [parseCondition('<= +10%')];
    const samples = seriesOf(4, 60, () => 105);
    const baseline = seriesOf(4, 60, (i) => (i < 2 ? 100 : 90)); // 105 > 99 once the baseline drops
    expect(judgeSamples(samples, cond, { overMs: 10 * M, failAfterMs: null, resolutionMs: 60_000 }, baseline).kind).toBe('fail');
    expect(judgeSamples(samples, cond, { overMs: 10 * M, failAfterMs: null, resolutionMs: 60_000 }, seriesOf(4, 60, () => 100)).kind).toBe('pass');
  });

  it('property: with failAfter, a series fails iff some unbroken violation run lasts ≥ failAfter', async () => {
    await fc.assert(
      yieldingProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (bad, needSteps) => {
        const samples = seriesOf(bad.length, 30, (i) => (bad[i] ? 2000 : 1000));
        const v = judgeSamples(samples, lt1500, { overMs: 200 * 30_000, failAfterMs: needSteps * 30_000, resolutionMs: 30_000 }, null);
        let longest = 0;
        let run = 0;
        for (const b of bad) {
          run = b ? run + 1 : 0;
          longest = Math.max(longest, run);
        }
        expect(v.kind).toBe(longest >= needSteps ? 'fail' : 'pass');
      }),
      { numRuns: runs, seed },
    );
  });

  it('property: failAfter never fails a series that passes without it, and `over` alone fails on any violation', async () => {
    await fc.assert(
      yieldingProperty(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 120 }), (values) => {
        const samples = seriesOf(values.length, 30, (i) => values[i]!);
        const strict = judgeSamples(samples, lt1500, { overMs: 3_600_000, failAfterMs: null, resolutionMs: 30_000 }, null);
        const lenient = judgeSamples(samples, lt1500, { overMs: 3_600_000, failAfterMs: 5 * M, resolutionMs: 30_000 }, null);
        expect(strict.kind).toBe(values.some((v) => v >= 1500) ? 'fail' : 'pass');
        if (strict.kind === 'pass') expect(lenient.kind).toBe('pass');
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('evaluateGate', () => {
  const obs = (samples: ReturnType<typeof seriesOf>, extra = {}) => ({ samples, ...extra });

  it.each([
    ['pass', gate(), obs(seriesOf(1, 30, () => 0.5)), 'pass', 'none'],
    ['major fail → hold', gate(), obs(seriesOf(1, 30, () => 2)), 'fail', 'hold'],
    ['critical fail → rollback', gate({ severity: 'critical' }), obs(seriesOf(1, 30, () => 2)), 'fail', 'rollback'],
    ['minor fail → warning', gate({ severity: 'minor' }), obs(seriesOf(1, 30, () => 2)), 'fail', 'warning'],
    ['no data, noData hold → hold', gate(), obs([]), 'no_data', 'hold'],
    ['no data, noData pass → warning', gate({ noData: 'pass' }), obs([]), 'no_data', 'warning'],
    ['no data, noData fail, critical → rollback', gate({ noData: 'fail', severity: 'critical' }), obs([]), 'no_data', 'rollback'],
    ['no data, noData fail, minor → warning', gate({ noData: 'fail', severity: 'minor' }), obs([]), 'no_data', 'warning'],
    ['provider error → no data', gate(), { samples: [] as Sample[], error: 'HTTP 503' }, 'no_data', 'hold'],
    ['only NaN → no data', gate(), obs(seriesOf(3, 30, () => NaN)), 'no_data', 'hold'],
    ['+Inf is not a value', gate({ pass: '> 0' }), obs(seriesOf(1, 30, () => Infinity)), 'no_data', 'hold'],
    ['fewer than minSamples → no data', gate({ minSamples: 5, overMs: 10 * M }), obs(seriesOf(4, 30, () => 0)), 'no_data', 'hold'],
    ['samples outside the window are ignored', gate({ overMs: 5 * M }), obs(seriesOf(60, 30, (i) => (i < 40 ? 9 : 0))), 'pass', 'none'],
    ['SQL boolean meets == true', gate({ pass: '== true' }), obs(seriesOf(1, 30, () => true)), 'pass', 'none'],
    ['false breaks == true', gate({ pass: '== true', severity: 'critical' }), obs(seriesOf(1, 30, () => false)), 'fail', 'rollback'],
    ['all conditions of a list must hold', gate({ pass: ['> 0', '< 1'] }), obs(seriesOf(1, 30, () => 1)), 'fail', 'hold'],
  ] as const)('%s', (_n, g, o, status, effect) => {
    const r = evaluateGate(g, 'canary_50', o, NOW);
    expect(r.status).toBe(status);
    expect(r.effect).toBe(effect);
    expect(r.reason.length).toBeGreaterThan(0);
  });

  it('records value, condition, window, samples and the reason in words', () => {
    const r = evaluateGate(gate({ overMs: 60 * M, failAfterMs: 5 * M, stepMs: 30_000, pass: '< 1500' }), 'canary_50', obs(seriesOf(120, 30, (i) => 1000 + i)), NOW);
    expect(r).toMatchObject({ value: 1119, min: 1000, max: 1119, samples: 120, condition: '< 1500', window: { over: '1h', failAfter: '5m', step: '30s' } });
    expect(r.reason).toBe('all 120 samples over 1h meet < 1500');
  });

  it('uses the threshold of the target stage instead of pass', () => {
    const g = gate({ pass: '< 0.01', thresholds: { canary_50: [parseCondition('< 0.005')] } });
    const o = obs(seriesOf(1, 30, () => 0.007));
    expect(evaluateGate(g, 'canary_10', o, NOW).status).toBe('pass');
    expect(evaluateGate(g, 'canary_50', o, NOW)).toMatchObject({ status: 'fail', condition: '< 0.005' });
  });

  it('skips gates that do not apply to the target', () => {
    const r = evaluateGate(gate({ appliesTo: ['full'] }), 'canary_50', undefined, NOW);
    expect(r).toMatchObject({ status: 'skipped', effect: 'none' });
    expect(r.reason).toContain('appliesTo: full');
  });

  it('a relative condition without baseline data is no data, not a pass', () => {
    const g = gate({ pass: '<= +10%', baseline: 'b' });
    expect(evaluateGate(g, 'full', { samples: seriesOf(1, 30, () => 1), baseline: [] }, NOW).status).toBe('no_data');
    expect(evaluateGate(g, 'full', { samples: seriesOf(1, 30, () => 1), baseline: seriesOf(1, 30, () => 1) }, NOW).status).toBe('pass');
  });

  it('approval and checklist gates compare the count the provider reports', () => {
    const approvals = gate({ pass: null, approvals: { min: 2, from: null }, query: null });
    expect(evaluateGate(approvals, 'full', obs([[NOW_S, 1]]), NOW)).toMatchObject({ status: 'fail', condition: '>= 2' });
    expect(evaluateGate(approvals, 'full', obs([[NOW_S, 2]]), NOW).status).toBe('pass');
    const checklist = gate({ pass: null, checklist: ['Rollback verified'], query: null });
    expect(evaluateGate(checklist, 'full', obs([[NOW_S, 1]]), NOW).status).toBe('fail');
    expect(evaluateGate(checklist, 'full', obs([[NOW_S, 0]]), NOW).status).toBe('pass');
  });
});
