import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

/** The first ```yaml block after a heading. */
function blockAfter(heading: string): string {
  const at = readme.indexOf(heading);
  expect(at, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  return /```yaml\n([\s\S]*?)```/.exec(readme.slice(at))![1]!;
}

describe('the README\'s configuration examples load', () => {
  it('the main configuration example', () => {
    const cfg = parseConfig(blockAfter('## Configuration'), 'README.yml', { PROMETHEUS_URL: 'http://127.0.0.1:9090', PROMETHEUS_TOKEN: 't' });
    expect(cfg.charts).toBe('mermaid');
    expect(cfg.gates.map((g) => g.name)).toEqual(['error_rate', 'ttfv_p95_ms']);
  });

  it('the comparison gate, in a config of its own', () => {
    const gate = blockAfter('### Comparing the canary with its baseline');
    const text = `version: 1\nrollout: { name: r, stages: [{ name: a, traffic: 1 }] }\nproviders: { prom: { type: prometheus, url: "http://127.0.0.1:9090" } }\ngates:\n${gate}`;
    const cfg = parseConfig(text, 'README.yml', {});
    expect(cfg.gates[0]).toMatchObject({
      name: 'write_latency_vs_stable',
      minSamples: 10,
      compare: { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0.1, sigma: null },
    });
  });
});
