import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { requireBinary } from '../servers/common.js';
import { configText, gateResult, runGates, type GateRun } from '../servers/gates.js';
import {
  scenarioTable,
  startCloudWatchStandin,
  startDatadogStandin,
  startFaultProxy,
  startNewRelicStandin,
  type FaultProxy,
} from '../servers/metric-standins.js';
import { generateFixtures, startPrometheus } from '../servers/prometheus.js';
import { NOW } from '../support/fixtures.js';

/**
 * The provider contract: the same cases against Prometheus (the real server) and the Datadog,
 * CloudWatch and New Relic providers (local stand-ins in each API's shapes). Every target sits
 * behind one fault proxy, which fails, stalls or echoes secrets on cue.
 */

const SECRET = 'contract-Secret-9Qz4Lk';

interface Target {
  name: string;
  available: boolean;
  /** Starts the backend; returns its URL, the gates' time and a stop. */
  start(): Promise<{ url: string; nowMs: number; stop(): Promise<void> }>;
  /** The provider's YAML (one line), its secrets as ${CONTRACT_SECRET}. */
  provider(url: string, timeout: string): string;
  /** The provider's environment (AWS credentials). */
  providerEnv?: Record<string, string>;
  /** Queries as YAML values (a string, or a MetricStat mapping). */
  q: { value: unknown; multi: unknown; stable: unknown; close: unknown; slow: unknown; empty: unknown; notNumber: unknown; gap: unknown };
  expect: { value: number; multiMax: number; notNumber: RegExp };
}

const yaml = (v: unknown) => JSON.stringify(v);

const targets: Target[] = [
  {
    name: 'prometheus',
    available: requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus'),
    async start() {
      const fx = generateFixtures();
      const server = await startPrometheus(fx);
      return { url: server.url, nowMs: fx.endMs, stop: () => server.stop() };
    },
    provider: (url, timeout) => `p: { type: prometheus, url: "${url}", headers: { Authorization: "Bearer \${CONTRACT_SECRET}" }, timeout: ${timeout}, retries: 2 }`,
    q: {
      value: 'sum(rate(http_requests_total{service="chat",track="canary",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="chat",track="canary"}[5m]))',
      multi: 'cpu_usage_ratio',
      stable: 'histogram_quantile(0.75, sum by (le) (rate(http_request_duration_seconds_bucket{service="chat",track="stable"}[5m])))',
      close: 'histogram_quantile(0.75, sum by (le) (rate(http_request_duration_seconds_bucket{service="chat",track="canary"}[5m])))',
      slow: 'histogram_quantile(0.75, sum by (le) (rate(http_request_duration_seconds_bucket{service="api",track="canary"}[5m])))',
      empty: 'contract_metric_that_does_not_exist',
      notNumber: 'vector(0) / 0',
      gap: 'queue_lag_seconds{kind="short"} < 10',
    },
    expect: { value: 0.005, multiMax: 0.9, notNumber: /NaN/ },
  },
  {
    name: 'datadog',
    available: true,
    async start() {
      const s = await startDatadogStandin({
        table: scenarioTable(NOW / 1000),
        apiKey: SECRET,
        appKey: 'contract-app-key',
        queries: {
          'avg:rg.error_ratio{service:chat}': 'error_ratio',
          'avg:rg.cpu{*} by {instance}': 'cpu',
          'avg:rg.latency{track:stable}': 'latency_stable',
          'avg:rg.latency{track:canary}': 'latency_close',
          'avg:rg.latency{track:slow}': 'latency_slow',
          'avg:rg.all_null{*}': 'all_null',
          'avg:rg.gap{*}': 'gap',
        },
      });
      return { url: s.url, nowMs: NOW, stop: () => s.stop() };
    },
    provider: (url, timeout) => `p: { type: datadog, url: "${url}", apiKey: "\${CONTRACT_SECRET}", appKey: contract-app-key, timeout: ${timeout}, retries: 2 }`,
    q: {
      value: 'avg:rg.error_ratio{service:chat}',
      multi: 'avg:rg.cpu{*} by {instance}',
      stable: 'avg:rg.latency{track:stable}',
      close: 'avg:rg.latency{track:canary}',
      slow: 'avg:rg.latency{track:slow}',
      empty: 'avg:rg.nothing{*}',
      notNumber: 'avg:rg.all_null{*}',
      gap: 'avg:rg.gap{*}',
    },
    expect: { value: 0.005, multiMax: 0.9, notNumber: /null/ },
  },
  {
    name: 'cloudwatch',
    available: true,
    async start() {
      const s = await startCloudWatchStandin({
        table: scenarioTable(NOW / 1000),
        accessKeyId: 'AKIACONTRACT0000001',
        queries: {
          'SELECT AVG(ErrorRatio) FROM "Chat"': 'error_ratio',
          'SEARCH(\'{Chat,InstanceId} MetricName="CPUUtilization"\', \'Average\', 60)': 'cpu',
          'Chat/LatencyStable': 'latency_stable',
          'Chat/LatencyCanary': 'latency_close',
          'Chat/LatencySlow': 'latency_slow',
          'SELECT AVG(Gap) FROM "Chat"': 'gap',
        },
      });
      return { url: s.url, nowMs: NOW, stop: () => s.stop() };
    },
    provider: (url, timeout) => `p: { type: cloudwatch, region: eu-central-1, endpoint: "${url}", timeout: ${timeout}, retries: 2 }`,
    providerEnv: { AWS_ACCESS_KEY_ID: 'AKIACONTRACT0000001', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: `session-${SECRET}` },
    q: {
      value: 'SELECT AVG(ErrorRatio) FROM "Chat"',
      multi: 'SEARCH(\'{Chat,InstanceId} MetricName="CPUUtilization"\', \'Average\', 60)',
      stable: { namespace: 'Chat', metric: 'LatencyStable', stat: 'p75' },
      close: { namespace: 'Chat', metric: 'LatencyCanary', stat: 'p75' },
      slow: { namespace: 'Chat', metric: 'LatencySlow', stat: 'p75' },
      empty: 'SELECT AVG(Nothing) FROM "Chat"',
      // CloudWatch leaves out a period without data; a metric with none at all is an empty result.
      notNumber: { namespace: 'Chat', metric: 'NeverReported', stat: 'Average' },
      gap: 'SELECT AVG(Gap) FROM "Chat"',
    },
    expect: { value: 0.005, multiMax: 0.9, notNumber: /empty result/ },
  },
  {
    name: 'newrelic',
    available: true,
    async start() {
      const s = await startNewRelicStandin({
        table: scenarioTable(NOW / 1000),
        apiKey: SECRET,
        accountId: 1234567,
        queries: {
          "SELECT average(errorRatio) FROM Metric WHERE service = 'chat'": { entry: 'error_ratio', column: 'average.errorRatio' },
          'SELECT average(cpu) FROM Metric FACET instance': { entry: 'cpu', column: 'average.cpu' },
          "SELECT percentile(duration, 75) FROM Transaction WHERE track = 'stable'": { entry: 'latency_stable', column: 'percentile.duration' },
          "SELECT percentile(duration, 75) FROM Transaction WHERE track = 'canary'": { entry: 'latency_close', column: 'percentile.duration' },
          "SELECT percentile(duration, 75) FROM Transaction WHERE track = 'slow'": { entry: 'latency_slow', column: 'percentile.duration' },
          'SELECT average(nothing) FROM Metric': { entry: 'none', column: 'average.nothing' },
          'SELECT average(allNull) FROM Metric': { entry: 'all_null', column: 'average.allNull' },
          'SELECT average(gap) FROM Metric': { entry: 'gap', column: 'average.gap' },
        },
      });
      return { url: s.url, nowMs: NOW, stop: () => s.stop() };
    },
    provider: (url, timeout) => `p: { type: newrelic, accountId: 1234567, apiKey: "\${CONTRACT_SECRET}", url: "${url}/graphql", timeout: ${timeout}, retries: 2 }`,
    q: {
      value: "SELECT average(errorRatio) FROM Metric WHERE service = 'chat'",
      multi: 'SELECT average(cpu) FROM Metric FACET instance',
      stable: "SELECT percentile(duration, 75) FROM Transaction WHERE track = 'stable'",
      close: "SELECT percentile(duration, 75) FROM Transaction WHERE track = 'canary'",
      slow: "SELECT percentile(duration, 75) FROM Transaction WHERE track = 'slow'",
      empty: 'SELECT average(nothing) FROM Metric',
      notNumber: 'SELECT average(allNull) FROM Metric',
      gap: 'SELECT average(gap) FROM Metric',
    },
    expect: { value: 0.005, multiMax: 0.9, notNumber: /null/ },
  },
];

describe.each(targets)('provider contract: $name', (t) => {
  let backend: { url: string; nowMs: number; stop(): Promise<void> } | null = null;
  let proxy: FaultProxy;
  const env = { CONTRACT_SECRET: SECRET };

  beforeAll(async () => {
    if (!t.available) return;
    backend = await t.start();
    proxy = await startFaultProxy(backend.url);
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await backend?.stop();
  });

  const run = (gates: string, opts: { timeout?: string; deadlineMs?: number } = {}): Promise<GateRun> =>
    runGates(configText(t.provider(proxy.url, opts.timeout ?? '10s'), gates), { env, nowMs: backend!.nowMs, providerEnv: t.providerEnv, deadlineMs: opts.deadlineMs });

  const expectNoSecret = (r: GateRun) => {
    const everything = JSON.stringify(r.decision) + JSON.stringify([...r.observations.values()]) + r.logs.join('\n');
    expect(everything).not.toContain(SECRET);
  };

  it.skipIf(!t.available)('an instant gate reads the current value', async () => {
    proxy.script([]);
    const r = await run(`- { name: g, provider: p, query: ${yaml(t.q.value)}, pass: "< 0.01", severity: critical }`);
    const g = gateResult(r, 'g');
    expect(g.status, g.reason).toBe('pass');
    expect(g.value).toBeCloseTo(t.expect.value, 9);
    expect(g.samples).toBe(1);
    expect(r.decision.decision).toBe('PROCEED');
  });

  it.skipIf(!t.available)('a windowed gate over several series needs reduce, and reduce: max judges the largest', async () => {
    proxy.script([]);
    const without = await run(`- { name: g, provider: p, query: ${yaml(t.q.multi)}, pass: "< 0.95", over: 30m }`);
    expect(gateResult(without, 'g').status).toBe('no_data');
    expect(gateResult(without, 'g').reason).toMatch(/3 series, a gate needs one/);
    const r = await run(`- { name: g, provider: p, query: ${yaml(t.q.multi)}, pass: "< 0.85", over: 30m, reduce: max }`);
    const g = gateResult(r, 'g');
    expect(g.max).toBeCloseTo(t.expect.multiMax, 9);
    expect(g.samples).toBeGreaterThanOrEqual(30);
    expect(g.status).toBe('fail');
    expect(r.decision.decision).toBe('HOLD');
  });

  it.skipIf(!t.available)('baseline + compare through the engine: a slow canary fails, a close one passes', async () => {
    proxy.script([]);
    const gate = (name: string, canary: unknown) =>
      `- name: ${name}
  provider: p
  query: ${yaml(canary)}
  baseline: ${yaml(t.q.stable)}
  over: 30m
  compare: { test: mann-whitney, direction: increase, allowedChange: 10% }`;
    const r = await run(`${gate('slow', t.q.slow)}\n${gate('close', t.q.close)}`);
    const slow = gateResult(r, 'slow');
    const close = gateResult(r, 'close');
    expect(slow.status, slow.reason).toBe('fail');
    expect(slow.stats?.classification).toBe('high');
    expect(slow.baselineSeries.length).toBeGreaterThanOrEqual(10);
    expect(close.status, close.reason).toBe('pass');
    expect(r.decision.decision).toBe('HOLD');
    expect(r.decision.failedGates).toEqual(['slow']);
  });

  it.skipIf(!t.available)('an empty result is no data, never a pass', async () => {
    proxy.script([]);
    const r = await run(`- { name: g, provider: p, query: ${yaml(t.q.empty)}, pass: "< 1" }`);
    const g = gateResult(r, 'g');
    expect(g.status).toBe('no_data');
    expect(g.reason).toMatch(/empty result/);
    expect(r.decision.decision).toBe('HOLD');
  });

  it.skipIf(!t.available)('a value that is no number (NaN, null) is no data; gaps in a window are skipped, not judged', async () => {
    proxy.script([]);
    const r = await run(
      `- { name: nan, provider: p, query: ${yaml(t.q.notNumber)}, pass: "< 1", noData: fail, severity: critical }
- { name: gap, provider: p, query: ${yaml(t.q.gap)}, pass: "== 1", over: 60m, step: 30s }`,
    );
    const nan = gateResult(r, 'nan');
    expect(nan.status).toBe('no_data');
    expect(nan.reason).toMatch(t.expect.notNumber);
    expect(r.decision.decision).toBe('ROLLBACK');
    const gap = gateResult(r, 'gap');
    expect(gap.status, gap.reason).toBe('pass');
    expect(gap.samples).toBeGreaterThan(60);
    expect(gap.samples).toBeLessThan(120);
  });

  it.skipIf(!t.available)('[fault] a server that does not answer is no data after the timeout', async () => {
    proxy.script(['hang', 'hang', 'hang']);
    const r = await run(`- { name: g, provider: p, query: ${yaml(t.q.value)}, pass: "< 1" }`, { timeout: '1s' });
    const g = gateResult(r, 'g');
    expect(g.status).toBe('no_data');
    expect(g.error).toMatch(/timed out after 1s/);
    expect(proxy.seen.length).toBe(1);
  });

  it.skipIf(!t.available)('[fault] a 5xx is retried, and the retry answers', async () => {
    proxy.script([{ status: 503, body: '{"errors":["unavailable"],"status":"error","error":"unavailable"}' }]);
    const r = await run(`- { name: g, provider: p, query: ${yaml(t.q.value)}, pass: "< 0.01" }`);
    const g = gateResult(r, 'g');
    expect(g.status, g.reason).toBe('pass');
    expect(g.value).toBeCloseTo(t.expect.value, 9);
    expect(proxy.seen.length).toBe(2);
  });

  it.skipIf(!t.available)('[fault] past the deadline the run holds with "deadline exceeded"', async () => {
    proxy.script(['hang', 'hang', 'hang']);
    const r = await run(`- { name: g, provider: p, query: ${yaml(t.q.value)}, pass: "< 1" }`, { timeout: '30s', deadlineMs: 1000 });
    expect(r.decision.decision).toBe('HOLD');
    expect(r.decision.reasons.join('\n')).toMatch(/deadline exceeded/);
    expect(gateResult(r, 'g').error).toMatch(/deadline/);
  });

  it.skipIf(!t.available)('[secret] a server echoing the credentials into its error leaves them out of errors, logs and the decision', async () => {
    const echo = `bad credentials ${SECRET} session-${SECRET}`;
    proxy.script([{ status: 403, body: JSON.stringify({ status: 'error', error: echo, errors: [echo], message: echo, __type: 'AccessDeniedException' }) }]);
    const r = await run(`- { name: g, provider: p, query: ${yaml(t.q.value)}, pass: "< 1" }`);
    const g = gateResult(r, 'g');
    expect(g.status).toBe('no_data');
    expect(g.error).toMatch(/403/);
    expect(g.error).toContain('***');
    expectNoSecret(r);

    // The same through the CLI: the snapshot document (--json) and everything printed.
    const dir = mkdtempSync(join(tmpdir(), 'rg-contract-secret-'));
    try {
      writeFileSync(join(dir, 'rollout-gate.yml'), configText(t.provider(proxy.url, '10s'), `- { name: g, provider: p, query: ${yaml(t.q.value)}, pass: "< 1" }`));
      for (const [k, v] of Object.entries(t.providerEnv ?? {})) vi.stubEnv(k, v);
      proxy.script([{ status: 403, body: JSON.stringify({ status: 'error', error: echo, errors: [echo], message: echo }) }]);
      let out = '';
      let err = '';
      const code = await main(['evaluate', '--config', 'rollout-gate.yml', '--json', '--dry-run', '--now', new Date(backend!.nowMs).toISOString()], {
        stdout: (x) => void (out += x),
        stderr: (x) => void (err += x),
        env,
        cwd: dir,
        isTTY: false,
      });
      expect(code, err).toBe(3);
      const snapshot = JSON.parse(out) as { gates: { name: string; error: string | null }[] };
      expect(snapshot.gates[0]!.error).toMatch(/403/);
      expect(out + err).not.toContain(SECRET);
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
