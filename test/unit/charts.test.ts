import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buckets, gateSparklines, mermaidChart, sparkline, SPARK_WIDTH } from '../../src/report/charts.js';
import type { Sample } from '../../src/engine/model.js';

const series = (values: number[], start = 1_795_000_000, step = 30): Sample[] => values.map((v, i) => [start + i * step, v] as const);

describe('sparklines', () => {
  it.each<[string, number[], string]>([
    ['rising', [0, 1, 2, 3, 4, 5, 6, 7], '▁▂▃▄▅▆▇█'],
    ['falling', [7, 6, 5, 4, 3, 2, 1, 0], '█▇▆▅▄▃▂▁'],
    ['flat', [5, 5, 5], '▁▁▁'],
    ['flat but for float noise', [0.005, 0.004999999999, 0.005000000001, 0.005], '▁▁▁▁'],
    ['small values that do vary', [1e-9, 2e-9, 3e-9], '▁▅█'],
    ['a spike', [1, 1, 1, 9, 1], '▁▁▁█▁'],
    ['one value', [3], '▁'],
    ['empty', [], ''],
  ])('%s', (_name, values, expected) => {
    expect(sparkline(values)).toBe(expected);
  });

  it('two lines on one scale compare by eye: the baseline sits lower', () => {
    const lines = gateSparklines(series([10, 10, 10, 10]), series([5, 5, 5, 5]))!;
    expect(lines).toEqual({ series: '████', baseline: '▁▁▁▁' });
  });

  it('a long series is cut into slices of equal size, each its mean', () => {
    expect(buckets(series([1, 3, 5, 7, 9, 11]), 3)).toEqual([2, 6, 10]);
    expect(buckets(series([1, 2]), 24)).toEqual([1, 2]);
    expect(buckets(series([0, 1, 0, 1]).map(([t, v]) => [t, v === 1] as const), 2)).toEqual([0.5, 0.5]);
  });

  it('fewer than two samples draw nothing', () => {
    expect(gateSparklines(series([1]))).toBeNull();
  });

  it('property: one character per slice, at most the width, and a rising series never drops', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 500 }), (values) => {
        const line = gateSparklines(series(values))!.series;
        expect([...line].length).toBe(Math.min(SPARK_WIDTH, values.length));
        const sorted = [...values].sort((x, y) => x - y);
        const rising = [...gateSparklines(series(sorted))!.series];
        for (let i = 1; i < rising.length; i++) expect('▁▂▃▄▅▆▇█'.indexOf(rising[i]!)).toBeGreaterThanOrEqual('▁▂▃▄▅▆▇█'.indexOf(rising[i - 1]!));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Mermaid charts', () => {
  it('a line per side on shared axes, labelled by UTC time', () => {
    const chart = mermaidChart('latency_vs_stable', series([100, 120, 140], Date.parse('2026-11-22T11:00:00Z') / 1000, 60), series([100, 100, 100]))!;
    expect(chart).toBe([
      'xychart-beta',
      '  title "latency_vs_stable"',
      '  x-axis ["11:00", "11:01", "11:02"]',
      '  y-axis 98 --> 142',
      '  line [100, 120, 140]',
      '  line [100, 100, 100]',
    ].join('\n'));
  });

  it('at most 40 points, and numbers without exponents', () => {
    const chart = mermaidChart('tiny', series(Array.from({ length: 1000 }, (_, i) => 1e-7 * (i % 7))))!;
    const line = chart.split('\n').find((l) => l.startsWith('  line'))!;
    expect(line.split(',').length).toBe(40);
    expect(chart).not.toMatch(/\de[-+]?\d/);
  });

  it('a title cannot leave its quotes', () => {
    expect(mermaidChart('a"]\nline [1]', series([1, 2]))!.split('\n')[1]).toBe('  title "aline 1"');
  });
});
