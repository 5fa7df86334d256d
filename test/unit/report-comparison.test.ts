import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import type { GateObservation } from '../../src/engine/gates.js';
import type { Gate } from '../../src/engine/model.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { emptyContext, type Snapshot } from '../../src/report/snapshot.js';
import { renderGoNoGo } from '../../src/report/template.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { DEFAULT_GO_NO_GO_TEMPLATE } from '../../src/report/default-template.js';
import { gate, NOW, plan, seriesOf, state } from '../support/fixtures.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';

/** A deterministic noise in [-1, 1]. */
const noise = (i: number, seed: number) => Math.sin(i * 12.9898 + seed * 78.233) % 1;

function snapshot(gates: Gate[], observations: Map<string, GateObservation>): Snapshot {
  const decision = decide({ plan: plan(), gates, state: state(), target: null, observations, nowMs: NOW });
  return {
    ...decision, schemaVersion: 1, tool: { name: 'rollout-gate', version: 't' }, rollout: 'chat', command: 'evaluate', at: new Date(NOW).toISOString(),
    actor: null, approvers: [], dryRun: false, stateChanged: false, stateBefore: null, stateAfter: null, config: { file: 'c.yml', sha256: 'abcdef0123456789' }, context: emptyContext, evidencePath: null,
  };
}

const compareGate = (name: string, over: Partial<Omit<Gate, 'pass'>> = {}) =>
  gate({
    name, pass: null, baseline: 'stable', overMs: 60 * 30_000, stepMs: 30_000, minSamples: 10,
    compare: { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0.1, sigma: null }, ...over,
  });
const shifted = (factor: number, seed: number) => seriesOf(60, 30, (i) => 100 * factor + 5 * noise(i, seed));

describe('reports of comparison gates', () => {
  const failing = compareGate('p95_vs_stable');
  const shadow = compareGate('p99_vs_stable', { shadow: true });
  const observations = new Map<string, GateObservation>([
    ['p95_vs_stable', { samples: shifted(1.3, 1), baseline: shifted(1, 2) }],
    ['p99_vs_stable', { samples: shifted(1.5, 3), baseline: shifted(1, 4) }],
  ]);
  const snap = snapshot([failing, shadow], observations);

  it('the decision: the failing gate holds, the shadow gate only warns', () => {
    expect(snap.decision).toBe('HOLD');
    expect(snap.failedGates).toEqual(['p95_vs_stable']);
    expect(snap.gates[1]!.status).toBe('fail');
  });

  it('the comment and job summary: the comparison sentence, the means, and both series as sparklines', () => {
    const md = renderMarkdown(snap);
    const row = md.split('\n').find((l) => l.startsWith('| p95\\_vs\\_stable'))!;
    expect(row).toMatch(/mean 1[23]\d(\.\d+)? vs (99|100)(\.\d+)? \(\+3\d%\)/);
    expect(row).toMatch(/ [▁▂▃▄▅▆▇█]{24} vs [▁▂▃▄▅▆▇█]{24} /);
    expect(md).toMatch(/p95\\_vs\\_stable: \+30% vs baseline \(98% CI \+\d+%…\+\d+% of the baseline mean, p &lt; 0\.0001; mean \+30%; effective samples \d+ of 60 and \d+ of 60\): fails \(allowed \+10%\)/);
    expect(md.split('\n').find((l) => l.startsWith('| p99\\_vs\\_stable'))).toContain('❌ fail (shadow: does not decide)');
    expect(md).not.toContain('```mermaid');
  });

  it('charts: mermaid adds a line chart per comparison inside <details>', () => {
    const md = renderMarkdown(snap, { charts: 'mermaid' });
    expect(md.match(/```mermaid\nxychart-beta\n/g)).toHaveLength(2);
    expect(md).toContain('<details><summary>Charts: canary against baseline</summary>');
    expect(md).toContain('**p99\\_vs\\_stable**: first line (shadow) canary, second line baseline');
  });

  it('over the length limit the charts go first, then the details, each with a note', () => {
    const full = renderMarkdown(snap, { charts: 'mermaid' });
    const withoutCharts = renderMarkdown(snap, { charts: 'mermaid', maxLength: full.length - 1 });
    expect(withoutCharts.length).toBeLessThan(full.length);
    expect(withoutCharts).not.toContain('```mermaid');
    expect(withoutCharts).not.toContain('▁▁▁');
    expect(withoutCharts).toContain('<summary>Queries and reasons</summary>');
    expect(withoutCharts).toContain('_Charts left out: the full report is');
    const bare = renderMarkdown(snap, { charts: 'mermaid', maxLength: withoutCharts.length - 1 });
    expect(bare).not.toContain('Queries and reasons');
    expect(bare).toContain('_Charts and details left out');
    expect(bare.length).toBeLessThanOrEqual(withoutCharts.length - 1);
  });

  it('hundreds of gates stay within GitHub\'s 65,536 characters', () => {
    const many = Array.from({ length: 400 }, (_, i) => compareGate(`gate_${i}`));
    const obs = new Map(many.map((g, i) => [g.name, { samples: shifted(1 + (i % 3) * 0.2, i), baseline: shifted(1, i + 1000) }]));
    const md = renderMarkdown(snapshot(many, obs), { charts: 'mermaid', maxLength: 65_536 });
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toContain('left out: the full report is');
  });

  it('the terminal table and the Go/No-Go say it too', () => {
    const term = renderTerminal(snap, false);
    expect(term).toMatch(/p95_vs_stable: \+30% vs baseline \(98% CI/);
    expect(term).toMatch(/p99_vs_stable .*fail \(shadow\)/);
    expect(term).toMatch(/[▁▂▃▄▅▆▇█]{24} vs [▁▂▃▄▅▆▇█]{24}/);
    const doc = renderGoNoGo(DEFAULT_GO_NO_GO_TEMPLATE, snap);
    expect(doc).toMatch(/\| p95\\_vs\\_stable \| major \| mean 1[23]\d(\.\d+)? vs (99|100)(\.\d+)? \(\+3\d%\) \| [▁▂▃▄▅▆▇█]{24} vs [▁▂▃▄▅▆▇█]{24} \|/);
    expect(doc).toContain('fail (shadow)');
    expect(doc).toMatch(/\*\*p95\\_vs\\_stable\*\*: \+30% vs baseline/);
  });

  it('a threshold gate over a window shows its own sparkline, an instant gate none', () => {
    const windowed = gate({ name: 'errors', pass: '< 1', overMs: 10 * 60_000, stepMs: 60_000 });
    const instant = gate({ name: 'queue', pass: '< 1' });
    const s = snapshot([windowed, instant], new Map([
      ['errors', { samples: seriesOf(10, 60, (i) => i / 20) }],
      ['queue', { samples: seriesOf(1, 60, () => 0) }],
    ]));
    const md = renderMarkdown(s);
    expect(md.split('\n').find((l) => l.startsWith('| errors'))).toContain('| ▁▂▃▃▄▅▆▆▇█ |');
    expect(md.split('\n').find((l) => l.startsWith('| queue'))).toContain('| — |');
  });

  it('the Go/No-Go carries the Mermaid charts when the config asks for them', () => {
    expect(renderGoNoGo(DEFAULT_GO_NO_GO_TEMPLATE, snap, { charts: 'mermaid' }).match(/```mermaid\nxychart-beta/g)).toHaveLength(2);
    expect(renderGoNoGo(DEFAULT_GO_NO_GO_TEMPLATE, snap)).not.toContain('mermaid');
  });
});

describe('config: report.charts', () => {
  const text = (report: string) => `version: 1\nrollout: { name: r, stages: [{ name: a, traffic: 1 }] }\n${report}gates: []\n`;
  it('defaults to sparklines, and takes mermaid', () => {
    expect(parseConfig(text(''), 'c.yml', {}).charts).toBe('sparkline');
    expect(parseConfig(text('report: { charts: mermaid }\n'), 'c.yml', {}).charts).toBe('mermaid');
  });
  it('anything else is an error naming report.charts', () => {
    expect(() => parseConfig(text('report: { charts: svg }\n'), 'c.yml', {})).toThrow(ConfigError);
    expect(() => parseConfig(text('report: { charts: svg }\n'), 'c.yml', {})).toThrow(/report\.charts/);
  });
});

