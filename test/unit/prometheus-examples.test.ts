import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

describe('the Prometheus and Alertmanager examples are valid configs', () => {
  it('examples/prometheus.yml', () => {
    const env = { PROMETHEUS_URL: 'https://prometheus.example.internal', PROMETHEUS_TOKEN: 'example-token-123' };
    const cfg = loadConfigFile(example('prometheus.yml'), env);
    expect(cfg.providers.prom).toMatchObject({ type: 'prometheus', url: env.PROMETHEUS_URL, concurrency: 4 });
    expect(cfg.secrets).toContain(env.PROMETHEUS_TOKEN);
    const byName = Object.fromEntries(cfg.gates.map((g) => [g.name, g]));
    expect(Object.keys(byName)).toEqual(['error_ratio', 'p95_latency_seconds', 'double_charges', 'p75_latency_vs_stable', 'pod_memory_ratio', 'reconciler_lag_seconds']);
    expect(byName.p95_latency_seconds!.failAfterMs).toBe(5 * 60_000);
    expect(byName.p75_latency_vs_stable!.baseline).toMatch(/track="stable"/);
    expect(byName.pod_memory_ratio!.reduce).toBe('max');
    expect(byName.error_ratio!.staleAfterMs).toBe(2 * 60_000);
    expect(byName.error_ratio!.thresholds.full).toHaveLength(1);
  });

  it('examples/alertmanager.yml', () => {
    const cfg = loadConfigFile(example('alertmanager.yml'), { ALERTMANAGER_URL: 'http://alertmanager.example:9093' });
    expect(cfg.providers.am).toMatchObject({ type: 'alertmanager' });
    expect(cfg.gates.map((g) => [g.name, g.activeForMs, g.severity])).toEqual([
      ['no_sustained_critical_alerts', 120_000, 'critical'],
      ['no_warning_alerts', null, 'minor'],
    ]);
  });

  it('a missing environment variable is an error naming it', () => {
    expect(() => loadConfigFile(example('prometheus.yml'), { PROMETHEUS_URL: 'https://p.example' })).toThrow(ConfigError);
    expect(() => loadConfigFile(example('prometheus.yml'), { PROMETHEUS_URL: 'https://p.example' })).toThrow(/PROMETHEUS_TOKEN/);
  });
});
