import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';

const ROOT = join(import.meta.dirname, '../..');
const page = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The first ```yaml block after a heading whose text starts with `startsWith` (default: any). */
function blockAfter(text: string, heading: string, startsWith = ''): string {
  const at = text.indexOf(heading);
  expect(at, `the page has "${heading}"`).toBeGreaterThanOrEqual(0);
  const block = [...text.slice(at).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(startsWith));
  expect(block, `a yaml block after "${heading}" starting with "${startsWith}"`).toBeDefined();
  return block!;
}

describe('the documented configuration examples load', () => {
  it('the quick start config in the README', () => {
    const cfg = parseConfig(blockAfter(page('README.md'), '## Quick start', 'version: 1'), 'README.yml', { PROMETHEUS_URL: 'http://127.0.0.1:9090' });
    expect(cfg.gates.map((g) => [g.name, g.severity])).toEqual([['error_rate', 'critical']]);
  });

  it('the main configuration example', () => {
    const cfg = parseConfig(blockAfter(page('docs/configuration.md'), '# Configuration'), 'configuration.yml', {
      PROMETHEUS_URL: 'http://127.0.0.1:9090', PROMETHEUS_TOKEN: 't', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x', FLAGS_API: 'https://flags.internal', FLAGS_TOKEN: 'f',
    });
    expect(cfg.charts).toBe('mermaid');
    expect(cfg.watch).toEqual({ onCritical: 'rollback', onMajor: 'pause', checkpointsMs: [15 * 60_000, 30 * 60_000, 60 * 60_000] });
    expect(cfg.notify.map((n) => n.type)).toEqual(['slack']);
    expect(cfg.apply).toMatchObject({ method: 'PUT', url: 'https://flags.internal/rollouts/chat' });
    expect(cfg.rollout.stages[0]!.flags).toEqual({ newComposer: true });
    expect(cfg.gates.map((g) => g.name)).toEqual(['error_rate', 'ttfv_p95_ms']);
  });

  it('the comparison gate, in a config of its own', () => {
    const gate = blockAfter(page('docs/configuration.md'), '## Comparing the canary with its baseline');
    const text = `version: 1\nrollout: { name: r, stages: [{ name: a, traffic: 1 }] }\nproviders: { prom: { type: prometheus, url: "http://127.0.0.1:9090" } }\ngates:\n${gate}`;
    const cfg = parseConfig(text, 'configuration.yml', {});
    expect(cfg.gates[0]).toMatchObject({
      name: 'write_latency_vs_stable',
      minSamples: 10,
      compare: { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0.1, sigma: null },
    });
  });
});
