import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { decide } from '../../src/engine/decide.js';
import type { Sample } from '../../src/engine/model.js';
import { silentLogger } from '../../src/logger.js';
import { collectObservations, defaultFactories, shiftSamples, type ProviderFactories } from '../../src/providers/index.js';
import type { ProviderRequest } from '../../src/providers/types.js';
import { Redactor } from '../../src/secrets.js';
import { M, NOW, state } from '../support/fixtures.js';

const DAY = 86_400_000;

function config(gates: string, providers = '  m: { type: file, path: metrics.json }') {
  return parseConfig(
    `version: 1
rollout:
  name: chat
  stages:
    - { name: canary_1, traffic: 1 }
    - { name: canary_10, traffic: 10 }
providers:
${providers}
gates:
${gates}
`,
    'c.yml',
    {},
  );
}

async function collect(cfg: ReturnType<typeof config>, factories: ProviderFactories, cwd = '/') {
  const { observations } = await collectObservations({
    gates: cfg.gates, providers: cfg.providers, factories, nowMs: NOW, target: 'canary_10', cwd, logger: silentLogger, redactor: new Redactor(),
  });
  const decision = decide({ plan: cfg.rollout, gates: cfg.gates, state: state({ stage: 'canary_1' }), target: 'canary_10', observations, nowMs: NOW });
  return { observations, decision };
}

/** A provider that records every request and answers a sample every 30 s over the asked window: 130 for the value, 100 for the baseline, with a little wobble. */
function recordingFactories(requests: ProviderRequest[]): ProviderFactories {
  return {
    file: () => ({
      async query(req) {
        requests.push(req);
        const samples: Sample[] = [];
        for (let t = req.range!.startMs, i = 0; t <= req.range!.endMs; t += 30_000, i++) {
          samples.push([t / 1000, (req.role === 'value' ? 130 : 100) + (i % 5)]);
        }
        return { samples };
      },
    }),
  };
}

describe('providers: the baseline of a compare gate', () => {
  it('baselineOffset asks the gate\'s own query over the same window, that much earlier, and shifts the answer onto the window', async () => {
    const requests: ProviderRequest[] = [];
    const cfg = config('  - { name: lat, provider: m, query: p95, over: 30m, step: 30s, baselineOffset: 7d, compare: {} }');
    const { observations, decision } = await collect(cfg, recordingFactories(requests));
    const byRole = Object.fromEntries(requests.map((r) => [r.role, r]));
    expect(byRole.value).toMatchObject({ query: 'p95', nowMs: NOW, range: { startMs: NOW - 30 * M, endMs: NOW, stepMs: 30_000 } });
    expect(byRole.baseline).toMatchObject({ query: 'p95', nowMs: NOW - 7 * DAY, range: { startMs: NOW - 7 * DAY - 30 * M, endMs: NOW - 7 * DAY, stepMs: 30_000 } });

    const baseline = observations.get('lat')!.baseline!;
    expect(baseline).toHaveLength(61);
    expect(baseline[0]![0]).toBe((NOW - 30 * M) / 1000);
    expect(baseline.at(-1)![0]).toBe(NOW / 1000);

    const g = decision.gates[0]!;
    expect(g).toMatchObject({ status: 'fail', samples: 61, baselineOffset: '7d', baselineQuery: 'p95' });
    expect(g.stats).toMatchObject({ n: 61, m: 61, classification: 'high', baselineLabel: '7d earlier' });
    expect(g.baselineSeries).toEqual(baseline);
    expect(g.reason).toBe('+29% vs 7d earlier (98% CI +28%…+30% of the baseline mean, p < 0.0001; mean +29%; effective samples 61 of 61 and 61 of 61): fails (allowed 0%)');
  });

  it('a baseline query is asked over the same window as the value, as a range query', async () => {
    const requests: ProviderRequest[] = [];
    const cfg = config('  - { name: lat, provider: m, query: canary, baseline: stable, over: 30m, compare: { allowedChange: "50%" } }');
    const { decision } = await collect(cfg, recordingFactories(requests));
    expect(requests.map((r) => [r.role, r.query, r.nowMs, r.range])).toEqual([
      ['value', 'canary', NOW, { startMs: NOW - 30 * M, endMs: NOW, stepMs: 15_000 }],
      ['baseline', 'stable', NOW, { startMs: NOW - 30 * M, endMs: NOW, stepMs: 15_000 }],
    ]);
    expect(decision.gates[0]).toMatchObject({ status: 'pass', baselineOffset: null, baselineQuery: 'stable' });
    expect(decision.decision).toBe('PROCEED');
  });

  it('shiftSamples moves timestamps by the offset and leaves values alone', () => {
    expect(shiftSamples([[100, 1], [130, NaN], [160, true]], 60_000)).toEqual([[160, 1], [190, NaN], [220, true]]);
  });

  describe('a file series with a week of history', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-baseline-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('baselineOffset: 7d reads the samples of a week ago from the same series', async () => {
      // Every 60 s for 7 days and 1 hour: 100 ± 2 a week ago, 125 ± 2 in the last hour, 1000 in between (outside both windows).
      const series: [number, number][] = [];
      for (let t = NOW - 7 * DAY - 60 * M; t <= NOW; t += 60_000) {
        const i = series.length;
        const v = t <= NOW - 7 * DAY ? 100 : t >= NOW - 60 * M ? 125 : 1000;
        series.push([t / 1000, v + ((i % 5) - 2)]);
      }
      writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ chat: { p95: series } }));
      const cfg = config(
        [
          '  - { name: week, provider: m, query: chat.p95, over: 60m, baselineOffset: 7d, compare: { test: sigma } }',
          '  - { name: week_shadow, provider: m, query: chat.p95, over: 60m, baselineOffset: 7d, compare: { direction: decrease }, shadow: true }',
        ].join('\n'),
      );
      const { decision } = await collect(cfg, defaultFactories, dir);
      const week = decision.gates[0]!;
      expect(week.status, week.reason).toBe('fail');
      expect(week.samples).toBe(61);
      expect(week.value).toBeCloseTo(125, 0);
      expect(week.baselineValue).toBeCloseTo(100, 0);
      expect(week.stats).toMatchObject({ test: 'sigma', n: 61, m: 61, meanX: week.value, meanY: week.baselineValue });
      expect(week.reason).toMatch(/^mean 124\.9\d+ vs 7d earlier 99\.9\d+ ± 1\.4\d \(z = 1\dσ; effective samples 61 of 61 and 61 of 61\): fails \(allowed 3σ\)$/);
      expect(decision.gates[1]).toMatchObject({ status: 'pass', shadow: true });
      expect(decision.failedGates).toEqual(['week']);
    });
  });
});

describe('providers: many queries in flight', () => {
  it('twenty compare gates (forty queries) under a deadline raise no listener-leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const gates = Array.from({ length: 20 }, (_, i) => `  - { name: g${i}, provider: m, query: q, baseline: b, over: 30m, compare: { test: sigma } }`).join('\n');
      const cfg = config(gates);
      const requests: ProviderRequest[] = [];
      const { observations } = await collectObservations({
        gates: cfg.gates, providers: cfg.providers, factories: recordingFactories(requests), nowMs: NOW, target: 'canary_10', cwd: '/',
        logger: silentLogger, redactor: new Redactor(), concurrency: 40, deadlineAt: Date.now() + 60_000,
      });
      expect(requests).toHaveLength(40);
      expect(observations.size).toBe(20);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
