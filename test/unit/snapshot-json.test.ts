import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide } from '../../src/engine/decide.js';
import { emptyContext, parseSnapshot, snapshotJson, type Snapshot } from '../../src/report/snapshot.js';
import { gate, NOW, NOW_S, plan, seriesOf, state } from '../support/fixtures.js';

function snapshotWith(names: string[], samples: number): Snapshot {
  const gates = names.map((name, i) => gate({ name, index: i, query: `q${i}`, pass: '< 100', overMs: samples * 30_000, stepMs: 30_000 }));
  const observations = new Map(names.map((name, i) => [name, { samples: seriesOf(samples, 30, (k) => (k * 7 + i) % 50) }]));
  const decision = decide({ plan: plan(), gates, state: state({ stage: null, enteredAt: null }), target: null, observations, nowMs: NOW });
  return {
    ...decision, schemaVersion: 1, tool: { name: 'rollout-gate', version: 't' }, rollout: 'r', command: 'evaluate', at: new Date(NOW).toISOString(),
    actor: null, approvers: [], dryRun: false, stateChanged: false, stateBefore: null, stateAfter: null, config: { file: 'c.yml', sha256: 'x' }, context: emptyContext, evidencePath: null,
  };
}

describe('snapshot.json', () => {
  it('reads back exactly what was written, with each series on one line', () => {
    const s = snapshotWith(['a', 'b'], 40);
    expect(s.gates[0]!.series.length).toBe(40);
    const text = snapshotJson(s);
    expect(parseSnapshot(text, 'x')).toEqual(JSON.parse(JSON.stringify(s)));
    const lines = text.split('\n');
    expect(lines.filter((l) => l.trimStart().startsWith('"series": [[')).length).toBe(2);
    expect(lines.find((l) => l.includes('"series"'))).toContain(`[${NOW_S - 39 * 30},0]`);
    // The rest is indented as before.
    expect(text).toContain('\n  "decision": ');
  });

  it('gates that share one series list each read it back', () => {
    const s = snapshotWith(['a', 'b', 'c'], 5);
    const shared = s.gates[0]!.series;
    s.gates = s.gates.map((g) => ({ ...g, series: shared }));
    const back = JSON.parse(snapshotJson(s));
    for (const g of back.gates) expect(g.series).toEqual(JSON.parse(JSON.stringify(shared)));
  });

  it('a gate with no samples keeps an empty list', () => {
    const s = snapshotWith(['a'], 0);
    expect(JSON.parse(snapshotJson(s)).gates[0].series).toEqual([]);
  });

  it('property: any gate name and reason, including text that looks like the series marker, reads back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('\u0000series:0', '"\\u0000series:', '\u0000')), { minLength: 1, maxLength: 4 }), (names) => {
        const s = snapshotWith(names.map((n, i) => `${n}#${i}`), 3);
        s.reasons = [...names, '\u0000series:abc:0'];
        expect(JSON.parse(snapshotJson(s))).toEqual(JSON.parse(JSON.stringify(s)));
      }),
      { numRuns: 300 },
    );
  });
});
