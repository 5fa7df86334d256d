import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../src/engine/conditions.js';
import { evaluateGate, type GateResult } from '../../src/engine/gates.js';
import { judgeSamples } from '../../src/engine/windows.js';
import { conditionThresholds, formatAgainst, formatNumber, formatTime, gateGroup, orderGates, proseText, rampSummary, valueText } from '../../src/report/format.js';
import { parseSnapshot } from '../../src/report/snapshot.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { fuzz } from '../fuzz/settings.js';
import { gate, M, NOW, NOW_S, seriesOf } from '../support/fixtures.js';
import { yieldingProperty } from '../support/property.js';
import { rollbackSnapshot } from '../support/report-fixtures.js';

describe('numbers', () => {
  it.each([
    [1.01702, '1.017'],
    [0.00199601, '0.001996'],
    [0, '0'],
    [-0, '0'],
    [1234567.8, '1234568'],
    [1500, '1500'],
    [0.5, '0.5'],
    [-0.000123456, '-0.0001235'],
    [1e-9, '1e-9'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '∞'],
  ])('%s → %s (at most 4 significant digits, integer digits kept)', (v, text) => {
    expect(formatNumber(v)).toBe(text);
  });

  it.each([
    [0.00049, [0.0005], '0.00049'],
    [1500.2, [1500], '1500.2'],
    [0.10004, [0.1], '0.10004'],
    [0.0099996, [0.01], '0.0099996'],
    [0.5, [0.1], '0.5'],
    [0.1, [0.1], '0.1'],
  ])('%s against thresholds %j prints %s', (v, thresholds, text) => {
    expect(formatAgainst(v, thresholds)).toBe(text);
  });

  it('a value that differs from a threshold never prints as it, nor on its other side', async () => {
    await fc.assert(
      yieldingProperty(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), (v, t) => {
        fc.pre(v !== t);
        const shown = Number(formatAgainst(v, [t]));
        expect(shown).not.toBe(t);
        expect(Math.sign(shown - t)).toBe(Math.sign(v - t));
      }),
      fuzz,
    );
  });

  it('condition thresholds: absolute numbers only', () => {
    expect(conditionThresholds('< 0.01 and > -5e-3')).toEqual([0.01, -0.005]);
    expect(conditionThresholds('<= +10%')).toEqual([]);
    expect(conditionThresholds('== true')).toEqual([]);
    expect(conditionThresholds(null)).toEqual([]);
  });
});

describe('times', () => {
  it('an instant reads as a minute in UTC; the raw text stays where it is not a time', () => {
    expect(formatTime('2026-11-30T15:36:37.851Z')).toBe('2026-11-30 15:36 UTC');
    expect(formatTime(Date.parse('2026-11-30T23:59:59Z'))).toBe('2026-11-30 23:59 UTC');
    expect(formatTime('soon')).toBe('soon');
    expect(formatTime(null)).toBe('—');
  });

  it('engine text: the instants it names read the same way', () => {
    expect(proseText('first 0.3 at 2026-11-22T11:20:00Z; next opening 2026-11-23T08:00Z')).toBe('first 0.3 at 2026-11-22 11:20 UTC; next opening 2026-11-23 08:00 UTC');
  });
});

const result = (over: Partial<GateResult>): GateResult => ({ ...evaluateGate(gate({ name: 'x' }), null, { samples: [[NOW_S, 0]] }, NOW), ...over });

describe('order', () => {
  it('ROLLBACK, HOLD, no data, warnings, shadow, pass, n/a; config order within a group', () => {
    const gates = [
      result({ name: 'pass1', status: 'pass', effect: 'none' }),
      result({ name: 'skip', status: 'skipped', effect: 'none' }),
      result({ name: 'shadow', status: 'fail', effect: 'warning', shadow: true }),
      result({ name: 'warn', status: 'fail', effect: 'warning' }),
      result({ name: 'nodata', status: 'no_data', effect: 'hold' }),
      result({ name: 'hold1', status: 'fail', effect: 'hold' }),
      result({ name: 'pass2', status: 'pass', effect: 'none' }),
      result({ name: 'hold2', status: 'fail', effect: 'hold' }),
      result({ name: 'rollback', status: 'fail', effect: 'rollback' }),
      result({ name: 'nodata-rollback', status: 'no_data', effect: 'rollback' }),
    ];
    expect(orderGates(gates).map((g) => g.name)).toEqual(['rollback', 'nodata-rollback', 'hold1', 'hold2', 'nodata', 'warn', 'shadow', 'pass1', 'pass2', 'skip']);
    expect(gateGroup(gates[4]!)).toBe('no_data');
  });
});

describe('ramp', () => {
  it('passing checks are one line; failing ones stay whole', () => {
    const all = [
      { rule: 'kill_switch' as const, ok: true, detail: 'kill switch off' },
      { rule: 'target' as const, ok: true, detail: 'a → b' },
      { rule: 'min_duration' as const, ok: false, detail: 'in a for 45m of the minimum 2h; 1h15m to go' },
    ];
    expect(rampSummary(all)).toMatchObject({ failing: [all[2]], line: 'ramp: 2 other checks pass (kill switch, target)' });
    expect(rampSummary(all.slice(0, 1)).line).toBe('ramp: 1 check passes (kill switch)');
    expect(rampSummary([]).line).toBe('');
  });
});

describe('the worst value of a failing windowed gate', () => {
  const over = { overMs: 60 * M, failAfterMs: null, resolutionMs: 60_000 };

  it('is the sample furthest past the threshold, with its run, not the first or the newest', () => {
    const samples = seriesOf(30, 60, (i) => ([10, 11, 12].includes(i) ? [0.2, 0.9, 0.4][i - 10]! : i === 20 ? 0.3 : 0));
    const v = judgeSamples(samples, [parseCondition('== 0')], over, null);
    expect(v.kind).toBe('fail');
    if (v.kind !== 'fail') return;
    expect(v.breach.worst).toEqual(samples[11]);
    expect(v.breach.threshold).toBe(0);
    expect(v.breach.runFromTs).toBe(samples[10]![0]);
    expect(v.breach.runMs).toBe(3 * 60_000);
  });

  it('with failAfter: the worst of the run that failed the gate, even when a short blip elsewhere is worse', () => {
    const samples = seriesOf(30, 60, (i) => (i === 3 ? 99 : i >= 10 && i < 17 ? 5 + (i === 14 ? 1 : 0) : 1));
    const v = judgeSamples(samples, [parseCondition('< 2')], { ...over, failAfterMs: 5 * M }, null);
    expect(v.kind).toBe('fail');
    if (v.kind !== 'fail') return;
    expect(v.breach.worst).toEqual(samples[14]);
    expect(v.breach.threshold).toBe(2);
    expect(v.breach.runFromTs).toBe(samples[10]![0]);
    expect(v.breach.runMs).toBe(7 * 60_000);
  });

  it('a relative threshold is judged against the baseline in force at each sample', () => {
    // 130 against a baseline of 100 is 30% over; 150 against 140 only 7%: the first is worse.
    const samples = seriesOf(4, 60, (i) => [100, 130, 100, 150][i]!);
    const baseline = seriesOf(4, 60, (i) => [100, 100, 140, 140][i]!);
    const v = judgeSamples(samples, [parseCondition('<= +5%')], over, baseline);
    if (v.kind !== 'fail') throw new Error(v.kind);
    expect(v.breach.worst).toEqual(samples[1]);
    expect(v.breach.threshold).toBe(105);
  });

  it('lands in the gate result and the report; a passing or instant gate has none', () => {
    const g = gate({ name: 'acks', pass: '== 0', overMs: 60 * M, stepMs: 60_000 });
    const failing = evaluateGate(g, null, { samples: seriesOf(60, 60, (i) => (i === 30 ? 1.01702 : i === 29 || i === 31 ? 0.5 : 0)) }, NOW);
    expect(failing.worst).toMatchObject({ value: 1.01702, threshold: 0, runMs: 3 * 60_000 });
    expect(valueText(failing)).toBe(`worst 1.017 at ${formatTime(failing.worst!.at)}, broken for 3m (now 0)`);
    expect(evaluateGate(g, null, { samples: seriesOf(60, 60, () => 0) }, NOW).worst).toBeUndefined();
    expect(evaluateGate(gate({ pass: '< 1' }), null, { samples: [[NOW_S, 5]] }, NOW).worst).toBeUndefined();
    // Equal min and max print once.
    expect(valueText(evaluateGate(gate({ pass: '< 1', overMs: 60 * M, stepMs: 60_000 }), null, { samples: seriesOf(60, 60, () => 0.00199601) }, NOW))).toBe('0.001996');
  });

  it('snapshots written before the field existed still render', () => {
    const s = rollbackSnapshot();
    const old = JSON.parse(JSON.stringify(s));
    for (const g of old.gates) delete g.worst;
    const md = renderMarkdown(parseSnapshot(JSON.stringify(old), 'old.json'));
    expect(md.split('\n').find((l) => l.startsWith('| ack\\_without\\_receipt'))).toContain('| 0 (min 0, max 1.017) |');
  });
});
