import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../servers/common.js';
import { configText, gateResult, runGates } from '../servers/gates.js';
import {
  BUCKETS,
  CPU,
  ERRORS_PER_SCRAPE,
  generateFixtures,
  LATENCY,
  REQUESTS_PER_SCRAPE,
  startPrometheus,
  startVictoriaMetrics,
  type Fixtures,
} from '../servers/prometheus.js';
import type { RunningServer } from '../servers/common.js';
import { calibrate, readHistory, type CalibrateOptions } from '../../src/calibrate.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';

const havePrometheus = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');
const haveVictoria = requireBinary('victoria-metrics', 'victoria-metrics');

/** histogram_quantile's linear interpolation inside the bucket, from the fixture's bucket shares. */
function expectedQuantile(q: number, shares: readonly number[]): number {
  const bounds = BUCKETS.map((b) => (b === '+Inf' ? Infinity : Number(b)));
  const counts = shares.map((s) => Math.round(s * REQUESTS_PER_SCRAPE));
  const rank = q * counts.at(-1)!;
  const b = counts.findIndex((c) => c >= rank);
  const lower = b === 0 ? 0 : bounds[b - 1]!;
  const below = b === 0 ? 0 : counts[b - 1]!;
  return lower + ((bounds[b]! - lower) * (rank - below)) / (counts[b]! - below);
}

const p75 = (service: string, track: string) =>
  `histogram_quantile(0.75, sum by (le) (rate(http_request_duration_seconds_bucket{service="${service}",track="${track}"}[5m])))`;
const errorRatio = (service: string, track: string) =>
  `sum(rate(http_requests_total{service="${service}",track="${track}",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="${service}",track="${track}"}[5m]))`;

const backends: { name: string; available: boolean; start: (fx: Fixtures) => Promise<RunningServer> }[] = [
  { name: 'Prometheus', available: havePrometheus, start: startPrometheus },
  { name: 'VictoriaMetrics', available: haveVictoria, start: startVictoriaMetrics },
];

describe.each(backends)('prometheus provider against $name', ({ name, available, start }) => {
  let server: RunningServer;
  let fx: Fixtures;
  const provider = () => `prom: { type: prometheus, url: "${server.url}", timeout: 10s }`;

  beforeAll(async () => {
    if (!available) return;
    fx = generateFixtures();
    server = await start(fx);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.skipIf(!available)('PROCEED when every gate holds: error ratio, latency vs baseline, invariant counter, a short spike, reduce', async () => {
    const run = await runGates(
      configText(
        provider(),
        `- name: error_ratio
  provider: prom
  query: '${errorRatio('chat', 'canary')}'
  pass: "< 0.01"
  severity: critical
- name: p75_vs_stable
  provider: prom
  query: '${p75('chat', 'canary')}'
  baseline: '${p75('chat', 'stable')}'
  pass: "<= +10%"
- name: ack_without_receipt
  provider: prom
  query: sum(increase(ack_without_receipt_total{service="chat"}[10m]))
  pass: "== 0"
  severity: critical
  over: 60m
- name: queue_lag_short_spike
  provider: prom
  query: max(queue_lag_seconds{kind="short"})
  pass: "< 10"
  over: 60m
  failAfter: 5m
  step: 30s
- name: cpu_max
  provider: prom
  query: cpu_usage_ratio
  reduce: max
  pass: "< 0.95"`,
      ),
      { nowMs: fx.endMs },
    );
    expect(run.decision.decision, JSON.stringify(run.decision.reasons)).toBe('PROCEED');

    const ratio = gateResult(run, 'error_ratio');
    expect(ratio.status).toBe('pass');
    expect(ratio.value).toBeCloseTo(ERRORS_PER_SCRAPE.chatCanary / REQUESTS_PER_SCRAPE, 6);

    const latency = gateResult(run, 'p75_vs_stable');
    expect(latency.status).toBe('pass');
    expect(latency.value).toBeCloseTo(expectedQuantile(0.75, LATENCY.canaryClose), 6);
    expect(latency.baselineValue).toBeCloseTo(expectedQuantile(0.75, LATENCY.stable), 6);

    const invariant = gateResult(run, 'ack_without_receipt');
    expect(invariant.status).toBe('pass');
    expect(invariant.samples).toBeGreaterThanOrEqual(100); // 60m at the default 30s step
    expect(invariant.max).toBe(0);

    const spike = gateResult(run, 'queue_lag_short_spike');
    expect(spike.status).toBe('pass');
    expect(spike.violations).toBeGreaterThan(0); // the spike was seen, and forgiven by failAfter
    expect(spike.reason).toMatch(/longest unbroken violation is 3m/);

    expect(gateResult(run, 'cpu_max').value).toBe(Math.max(...Object.values(CPU)));
  });

  it.skipIf(!available)('HOLD for a sustained spike (failAfter), a slow canary vs stable, and a stale series (range and instant)', async () => {
    const run = await runGates(
      configText(
        provider(),
        `- name: queue_lag_long_spike
  provider: prom
  query: max(queue_lag_seconds{kind="long"})
  pass: "< 10"
  over: 60m
  failAfter: 5m
  step: 30s
- name: api_p75_vs_stable
  provider: prom
  query: '${p75('api', 'canary')}'
  baseline: '${p75('api', 'stable')}'
  pass: "<= +10%"
- name: nightly_batch
  provider: prom
  query: max(batch_last_run_ok)
  pass: "== 1"
  over: 60m
- name: nightly_batch_now
  provider: prom
  query: max(batch_last_run_ok)
  pass: "== 1"`,
      ),
      { nowMs: fx.endMs },
    );
    expect(run.decision.decision).toBe('HOLD');
    expect(new Set(run.decision.failedGates)).toEqual(new Set(['queue_lag_long_spike', 'api_p75_vs_stable', 'nightly_batch', 'nightly_batch_now']));

    const spike = gateResult(run, 'queue_lag_long_spike');
    expect(spike.status).toBe('fail');
    expect(spike.reason).toMatch(/without a break for 12m/);

    const api = gateResult(run, 'api_p75_vs_stable');
    expect(api.status).toBe('fail');
    expect(api.value).toBeCloseTo(expectedQuantile(0.75, LATENCY.canarySlow), 6);
    expect(api.value! as number).toBeGreaterThan(api.baselineValue! * 1.1);

    const batch = gateResult(run, 'nightly_batch');
    expect(batch.status).toBe('no_data');
    expect(batch.reason).toMatch(/stale: the newest sample is from .*staleAfter 5m/);
    // At an instant the server's lookback (5m) already drops a series that stopped 30m ago.
    const now = gateResult(run, 'nightly_batch_now');
    expect(now.status).toBe('no_data');
    expect(now.reason).toMatch(/empty result/);
  });

  it.skipIf(!available)('ROLLBACK when an invariant counter increases or a critical error ratio is broken', async () => {
    const run = await runGates(
      configText(
        provider(),
        `- name: payments_ack_without_receipt
  provider: prom
  query: sum(increase(ack_without_receipt_total{service="payments"}[10m]))
  pass: "== 0"
  severity: critical
  over: 60m
- name: payments_error_ratio
  provider: prom
  query: '${errorRatio('payments', 'canary')}'
  pass: "< 0.01"
  severity: critical`,
      ),
      { nowMs: fx.endMs },
    );
    expect(run.decision.decision).toBe('ROLLBACK');
    const invariant = gateResult(run, 'payments_ack_without_receipt');
    expect(invariant.status).toBe('fail');
    expect(invariant.max as number).toBeGreaterThan(0);
    const ratio = gateResult(run, 'payments_error_ratio');
    expect(ratio.status).toBe('fail');
    expect(ratio.value).toBeCloseTo(ERRORS_PER_SCRAPE.paymentsCanary / REQUESTS_PER_SCRAPE, 6);
  });

  it.skipIf(!available)('several series: an error naming their labels without reduce; max/min/avg/sum with it, instant and range', async () => {
    const values: number[] = Object.values(CPU);
    const run = await runGates(
      configText(
        provider(),
        `- { name: cpu_plain, provider: prom, query: cpu_usage_ratio, pass: "< 1" }
- { name: cpu_max, provider: prom, query: cpu_usage_ratio, reduce: max, pass: "< 1" }
- { name: cpu_min, provider: prom, query: cpu_usage_ratio, reduce: min, pass: "< 1" }
- { name: cpu_avg, provider: prom, query: cpu_usage_ratio, reduce: avg, pass: "< 1" }
- { name: cpu_sum, provider: prom, query: cpu_usage_ratio, reduce: sum, pass: "< 1" }
- { name: cpu_max_range, provider: prom, query: cpu_usage_ratio, reduce: max, pass: "< 0.5", over: 30m }`,
      ),
      { nowMs: fx.endMs },
    );
    const plain = gateResult(run, 'cpu_plain');
    expect(plain.status).toBe('no_data');
    expect(plain.error).toMatch(/returned 3 series/);
    for (const instance of Object.keys(CPU)) expect(plain.error).toContain(`instance="${instance}"`);
    expect(plain.error).toContain(`prometheus "prom"`);

    expect(gateResult(run, 'cpu_max').value).toBeCloseTo(Math.max(...values), 9);
    expect(gateResult(run, 'cpu_min').value).toBeCloseTo(Math.min(...values), 9);
    expect(gateResult(run, 'cpu_avg').value).toBeCloseTo(values.reduce((a, b) => a + b) / values.length, 9);
    const sum = gateResult(run, 'cpu_sum');
    expect(sum.value).toBeCloseTo(values.reduce((a, b) => a + b), 9);
    expect(sum.status).toBe('fail');

    const range = gateResult(run, 'cpu_max_range');
    expect(range.status).toBe('fail');
    expect(range.samples).toBeGreaterThanOrEqual(100);
    expect(range.min).toBeCloseTo(Math.max(...values), 9);
    expect(run.decision.decision).toBe('HOLD');
  });

  it.skipIf(!available)('a PromQL syntax error is reported with the server\'s own message', async () => {
    const bad = 'sum(rate(http_requests_total[5m])';
    const direct = (await (await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(bad)}&time=${fx.endMs / 1000}`)).json()) as { error: string; errorType: string };
    const run = await runGates(configText(provider(), `- { name: broken, provider: prom, query: '${bad}', pass: "< 1" }`), { nowMs: fx.endMs });
    const g = gateResult(run, 'broken');
    // Prometheus refuses the PromQL with bad_data (HTTP 400): a query error. VictoriaMetrics answers
    // 422, which it also uses for its resource limits: no data, as any other failed query.
    expect(g.status).toBe(direct.errorType === 'bad_data' ? 'query_error' : 'no_data');
    if (name === 'Prometheus') expect(g.status).toBe('query_error');
    expect(g.error).toContain(direct.error);
    expect(g.error).toContain(direct.errorType);
    if (name === 'Prometheus') expect(g.error).toMatch(/bad_data: .*parse error/);
    expect(run.decision.decision).toBe('HOLD');
    // A 4xx is the query's fault: it is asked once, not retried.
    expect(run.logs.filter((l) => l.includes('gate "broken"') && l.includes('→ HTTP'))).toHaveLength(1);
  });

  it.skipIf(!available)('an execution error (many-to-many matching) is reported with the server\'s own message', async () => {
    const bad = 'http_requests_total / on(service) http_requests_total';
    const direct = (await (await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(bad)}&time=${fx.endMs / 1000}`)).json()) as { status: string; error: string; errorType: string };
    expect(direct.status).toBe('error');
    const run = await runGates(configText(provider(), `- { name: ambiguous, provider: prom, query: '${bad}', pass: "< 1" }`), { nowMs: fx.endMs });
    const g = gateResult(run, 'ambiguous');
    expect(g.status).toBe('no_data');
    // Which duplicate series a server names can vary between calls: compare the opening words.
    expect(g.error).toContain(`${direct.errorType}: ${direct.error.slice(0, 40)}`);
    expect(g.error).toMatch(
      name === 'Prometheus'
        ? /^prometheus "prom": execution: found duplicate series .*many-to-many matching not allowed.*\(HTTP 422\)$/
        : /^prometheus "prom": 422: error when executing query=.*duplicate time series.*\(HTTP 422\)$/,
    );
  });

  it.skipIf(!available)('a query that matches nothing, or is NaN, is no data; noData: pass lets it through with a warning', async () => {
    const run = await runGates(
      configText(
        provider(),
        `- { name: nothing, provider: prom, query: 'sum(http_requests_total{service="ghost"})', pass: "< 1" }
- { name: nothing_tolerated, provider: prom, query: 'up{job="ghost"}', pass: "< 1", noData: pass }
- { name: nan, provider: prom, query: '(sum(rate(http_requests_total{service="ghost",code=~"5.."}[5m])) or vector(0)) / (sum(rate(http_requests_total{service="ghost"}[5m])) or vector(0))', pass: "< 1" }`,
      ),
      { nowMs: fx.endMs },
    );
    expect(gateResult(run, 'nothing').status).toBe('no_data');
    expect(gateResult(run, 'nothing').reason).toMatch(/empty result/);
    expect(gateResult(run, 'nothing_tolerated').effect).toBe('warning');
    const nan = gateResult(run, 'nan');
    expect(nan.status).toBe('no_data');
    // Prometheus answers NaN; VictoriaMetrics drops NaN from results, which is an empty answer.
    expect(nan.reason).toMatch(name === 'Prometheus' ? /the value is NaN/ : /NaN|empty result/);
    expect(run.decision.decision).toBe('HOLD');
  });

  it.skipIf(!available)('the documented "no traffic is zero" pattern gives 0 without traffic and the ratio with it', async () => {
    const zeroIfIdle = (service: string) =>
      `(sum(rate(http_requests_total{service="${service}",code=~"5.."}[5m])) / (sum(rate(http_requests_total{service="${service}"}[5m])) > 0)) or vector(0)`;
    const run = await runGates(
      configText(
        provider(),
        `- { name: idle, provider: prom, query: '${zeroIfIdle('ghost')}', pass: "< 0.01" }
- { name: busy, provider: prom, query: '${zeroIfIdle('payments')}', pass: "< 0.01" }`,
      ),
      { nowMs: fx.endMs },
    );
    expect(gateResult(run, 'idle').status).toBe('pass');
    expect(gateResult(run, 'idle').value).toBe(0);
    expect(gateResult(run, 'busy').value).toBeCloseTo(ERRORS_PER_SCRAPE.paymentsCanary / REQUESTS_PER_SCRAPE, 6);
  });

  it.skipIf(!available)('every query in examples/prometheus.yml is valid PromQL on this server', async () => {
    const text = readFileSync(new URL('../../examples/prometheus.yml', import.meta.url), 'utf8');
    const run = await runGates(text, { nowMs: fx.endMs, env: { PROMETHEUS_URL: server.url, PROMETHEUS_TOKEN: 'unused-token' } });
    expect(run.decision.gates).toHaveLength(6);
    for (const g of run.decision.gates) {
      // The example's metrics do not exist here: every gate is "no data" or a pass, never a query error.
      expect(g.error, `${g.name}: ${g.error}`).toBeNull();
    }
    expect(gateResult(run, 'double_charges').status).toBe('pass'); // "or vector(0)" turns no series into 0
  });
});

// --- Failure modes against local stand-ins (and the real Prometheus behind an auth proxy) ---

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  return new Promise((done) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });
}

describe('prometheus provider failure modes', () => {
  it('a server that is down is no data → HOLD, well within the timeout', async () => {
    const { server, url } = await listen(() => {});
    server.close(); // the port is now closed: connections are refused
    await new Promise((r) => server.once('close', r));
    const run = await runGates(
      configText(`prom: { type: prometheus, url: "${url}", timeout: 5s }`, '- { name: up, provider: prom, query: up, pass: "== 1", severity: critical }'),
      { nowMs: Date.now() },
    );
    const g = gateResult(run, 'up');
    expect(g.status).toBe('no_data');
    expect(g.error).toMatch(/cannot reach .*ECONNREFUSED.*after 3 attempts/);
    expect(run.decision.decision).toBe('HOLD');
    expect(run.elapsedMs).toBeLessThan(5_000);
    // One debug line per attempt.
    expect(run.logs.filter((l) => /^debug: prometheus "prom": GET \/api\/v1\/query gate "up": up → .*ECONNREFUSED/.test(l)), run.logs.join('\n')).toHaveLength(3);
  });

  it('a server that never answers times out at the provider timeout → HOLD', async () => {
    const pending: ServerResponse[] = [];
    const { server, url } = await listen((_req, res) => void pending.push(res));
    try {
      const run = await runGates(
        configText(`prom: { type: prometheus, url: "${url}", timeout: 1s }`, '- { name: slow, provider: prom, query: up, pass: "== 1" }'),
        { nowMs: Date.now() },
      );
      const g = gateResult(run, 'slow');
      expect(g.status).toBe('no_data');
      expect(g.error).toMatch(/timed out after 1s/);
      expect(run.decision.decision).toBe('HOLD');
      expect(run.elapsedMs).toBeGreaterThanOrEqual(950);
      expect(run.elapsedMs).toBeLessThan(3_000);
    } finally {
      for (const r of pending) r.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  it('the run deadline cuts a slow provider short → HOLD with "deadline exceeded"', async () => {
    const pending: ServerResponse[] = [];
    const { server, url } = await listen((_req, res) => void pending.push(res));
    try {
      const run = await runGates(
        configText(`prom: { type: prometheus, url: "${url}", timeout: 30s }`, '- { name: slow, provider: prom, query: up, pass: "== 1" }'),
        { nowMs: Date.now(), deadlineMs: 500 },
      );
      expect(run.decision.decision).toBe('HOLD');
      expect(run.decision.reasons[0]).toMatch(/deadline exceeded/);
      expect(run.elapsedMs).toBeLessThan(2_000);
    } finally {
      for (const r of pending) r.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  describe.skipIf(!havePrometheus)('behind an auth proxy in front of the real Prometheus', () => {
    const TOKEN = 'tok-7f3a9c1e5b2d4f60';
    let prom: RunningServer;
    let fx: Fixtures;
    let proxy: { server: Server; url: string };
    const seen: { authorization?: string; tenant?: string }[] = [];
    const load = { inFlight: 0, peak: 0 };

    beforeAll(async () => {
      fx = generateFixtures();
      prom = await startPrometheus(fx);
      proxy = await listen(async (req, res) => {
        const auth = req.headers.authorization;
        seen.push({ authorization: auth, tenant: req.headers['x-scope-orgid'] as string | undefined });
        const url = new URL(req.url!, 'http://x');
        // A careless proxy that echoes what it received in its errors and warnings.
        if (auth !== `Bearer ${TOKEN}`) {
          res.writeHead(401, { 'content-type': 'text/plain' }).end(`unauthorized: got ${auth ?? 'nothing'}`);
          return;
        }
        if ((url.searchParams.get('query') ?? '').includes('echo_error')) {
          res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'execution', error: `query rejected for ${auth}` }));
          return;
        }
        load.inFlight++;
        load.peak = Math.max(load.peak, load.inFlight);
        const upstream = await fetch(`${prom.url}${url.pathname}${url.search}`);
        const body = (await upstream.json()) as Record<string, unknown>;
        await new Promise((r) => setTimeout(r, 5)); // a little server time, so requests overlap
        load.inFlight--;
        body.warnings = [`served for ${auth} (tenant ${req.headers['x-scope-orgid']})`];
        res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    afterAll(async () => {
      proxy?.server.close();
      await prom?.stop();
    });

    it('the bearer token is sent, and never appears in observations, results, reasons or logs', async () => {
      const gates = `- { name: cpu, provider: prom, query: max(cpu_usage_ratio), pass: "< 1" }
- { name: echo, provider: prom, query: echo_error, pass: "< 1" }
- { name: wrong_token, provider: wrong, query: max(cpu_usage_ratio), pass: "< 1" }`;
      const providers = `prom: { type: prometheus, url: "${proxy.url}", headers: { Authorization: "Bearer \${PROM_TOKEN}", X-Scope-OrgID: tenant-a } }
wrong: { type: prometheus, url: "${proxy.url}", headers: { Authorization: "Bearer not-the-token-9d8e" } }`;
      const run = await runGates(configText(providers, gates), { nowMs: fx.endMs, env: { PROM_TOKEN: TOKEN } });

      expect(seen.some((s) => s.authorization === `Bearer ${TOKEN}` && s.tenant === 'tenant-a')).toBe(true);
      const cpu = gateResult(run, 'cpu');
      expect(cpu.status).toBe('pass');
      expect(cpu.value).toBe(Math.max(...Object.values(CPU)));
      expect(cpu.warnings.join(' ')).toMatch(/served for \*\*\* \(tenant tenant-a\)/);
      expect(gateResult(run, 'echo').error).toMatch(/execution: query rejected for \*\*\*/);
      const wrong = gateResult(run, 'wrong_token');
      expect(wrong.error).toMatch(/HTTP 401 .*check the provider's headers or basicAuth.*unauthorized: got \*\*\*/);

      const everything = JSON.stringify({ decision: run.decision, observations: [...run.observations], logs: run.logs });
      expect(run.logs.length).toBeGreaterThan(0);
      expect(everything).not.toContain(TOKEN);
      // A token written into the config (not from the environment) is hidden too.
      expect(everything).not.toContain('not-the-token-9d8e');
    });

    it.each([
      [200, 8, 'the run\'s default bound', undefined],
      [60, 3, 'the provider\'s concurrency', 3],
    ])('%i range-query gates put at most %i queries in flight (%s)', async (n, limit, _why, concurrency) => {
      load.peak = 0;
      const providers = `prom: { type: prometheus, url: "${proxy.url}", headers: { Authorization: "Bearer \${PROM_TOKEN}" }${concurrency ? `, concurrency: ${concurrency}` : ''} }`;
      const gates = Array.from({ length: n }, (_, i) => `- { name: g${i}, provider: prom, query: 'max(queue_lag_seconds{kind="short"}) + ${i}', pass: "< 1000", over: 60m, step: 30s }`).join('\n');
      const run = await runGates(configText(providers, gates), { nowMs: fx.endMs, env: { PROM_TOKEN: TOKEN } });
      expect(run.decision.gates.filter((g) => g.status === 'pass')).toHaveLength(n);
      expect(gateResult(run, `g${n - 1}`).max).toBe(50 + n - 1); // each gate got its own answer
      expect(load.peak).toBe(limit);
    });
  });
});

/**
 * Calibration against a real Prometheus holding 14 days of history (backfilled with promtool):
 * one gauge sampled every minute, quiet around 0.001–0.006 with, in some hours, a spike of a few
 * minutes. The expectations are computed here from the generated values, not by the engine.
 */
describe('calibrate against Prometheus with 14 days of history', () => {
  const DAYS = 14;
  const WINDOWS = DAYS * 24;
  let server: RunningServer;
  let endS: number;
  /** The value of every minute from the first window's start (exclusive) to the end, oldest first: WINDOWS × 60. */
  const values: number[] = [];

  /** mulberry32: a fixed pseudo-random sequence, so the history is the same on every run. */
  const random = (() => {
    let a = 0x9e3779b9;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  })();

  beforeAll(async () => {
    if (!havePrometheus) return;
    endS = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
    const startS = endS - WINDOWS * 3600;
    for (let w = 0; w < WINDOWS; w++) {
      const hour = Array.from({ length: 60 }, () => (10 + Math.floor(random() * 50)) / 10_000);
      if (random() < 0.15) {
        const length = 1 + Math.floor(random() * 10);
        const from = Math.floor(random() * (60 - length));
        const height = (80 + Math.floor(random() * 220)) / 10_000;
        for (let m = from; m < from + length; m++) hour[m] = height;
      }
      values.push(...hour);
    }
    const om = ['# TYPE calib_ratio gauge'];
    // A few minutes before the first window too, as a scraped series would have.
    for (let m = -5; m <= 0; m++) om.push(`calib_ratio ${values[0]} ${startS + m * 60}`);
    values.forEach((v, i) => om.push(`calib_ratio ${v} ${startS + (i + 1) * 60}`));
    om.push('# EOF');
    server = await startPrometheus({ openMetrics: `${om.join('\n')}\n` } as Fixtures);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const options = (gates: string, over: Partial<CalibrateOptions> = {}): CalibrateOptions => ({
    config: parseConfig(configText(`prom: { type: prometheus, url: "${server.url}", timeout: 30s }`, gates), 'rollout-gate.yml', {}),
    gateNames: [],
    days: DAYS,
    failRate: 0.01,
    nowMs: endS * 1000,
    factories: defaultFactories,
    cwd: process.cwd(),
    logger: silentLogger,
    redactor: new Redactor(),
    ...over,
  });

  /** The smallest number of 2 significant digits above v > 0, by integer arithmetic on the 1/10,000 grid. */
  const above2 = (v: number) => {
    const k = Math.round(v * 10_000); // 10…299
    const unit = k >= 100 ? 10 : 1;
    return ((Math.floor(k / unit) + 1) * unit) / 10_000;
  };
  /** Per window: the largest value c such that `run` consecutive minutes all reach c (run 1: the maximum). */
  const critical = (run: number) =>
    Array.from({ length: WINDOWS }, (_, w) => {
      const hour = values.slice(w * 60, w * 60 + 60);
      let best = -Infinity;
      for (let m = 0; m + run <= 60; m++) best = Math.max(best, Math.min(...hour.slice(m, m + run)));
      return best;
    });
  /** Failing windows at `< x`, and the suggestion for a target fail rate: above the (allowed + 1)-th largest critical value. */
  const expected = (crit: number[], x: number, rate: number) => {
    const sorted = [...crit].sort((a, b) => b - a);
    const allowed = Math.floor(rate * WINDOWS + 1e-9);
    return { failing: crit.filter((c) => c >= x).length, suggested: above2(sorted[allowed]!) };
  };

  it.skipIf(!havePrometheus)('windows, failing windows and the suggested threshold match the data, failAfter included', async () => {
    const result = await calibrate(
      options(`- { name: ratio, provider: prom, query: max(calib_ratio), pass: "< 0.01", over: 60m, step: 60s }
- { name: ratio_sustained, provider: prom, query: max(calib_ratio), pass: "< 0.01", over: 60m, failAfter: 5m, step: 60s }`),
    );
    const [plain, sustained] = result.gates;
    const e1 = expected(critical(1), 0.01, 0.01);
    const e5 = expected(critical(5), 0.01, 0.01);
    expect(plain).toMatchObject({ error: null, windows: WINDOWS, noData: 0, failing: e1.failing, suggested: e1.suggested });
    expect(sustained).toMatchObject({ error: null, windows: WINDOWS, noData: 0, failing: e5.failing, suggested: e5.suggested });
    // The data makes the two differ: some spikes are shorter than 5 minutes.
    expect(e5.failing).toBeLessThan(e1.failing);
    expect(e1.failing).toBeGreaterThan(3);
    expect(plain!.stats.samples).toBe(WINDOWS * 60);
    expect(plain!.stats.max).toBe(Math.max(...values));
    expect(plain!.stats.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);

    const loose = await calibrate({ ...options(`- { name: ratio, provider: prom, query: max(calib_ratio), pass: "< 0.01", over: 60m, step: 60s }`), failRate: 0.05 });
    expect(loose.gates[0]!.suggested).toBe(expected(critical(1), 0.01, 0.05).suggested);
  }, 120_000);

  it.skipIf(!havePrometheus)('a chunked read (15 s steps: 80,640 points in 8 queries) returns every point once', async () => {
    const opts = options(`- { name: fine, provider: prom, query: max(calib_ratio), pass: "< 0.01", over: 60m, step: 15s }`);
    const gate = opts.config.gates[0]!;
    const progress: string[] = [];
    const h = await readHistory(gate, (endS - WINDOWS * 3600) * 1000, endS * 1000, { ...opts, onProgress: (g, done, total) => progress.push(`${g} ${done}/${total}`) });
    expect(h.error).toBeNull();
    expect(h.chunks).toBe(Math.ceil((WINDOWS * 240) / 11_000));
    expect(progress.at(-1)).toBe(`fine ${h.chunks}/${h.chunks}`);
    expect(h.series).toHaveLength(WINDOWS * 240);
    const steps = new Set(h.series.slice(1).map(([t], i) => t - h.series[i]![0]));
    expect([...steps]).toEqual([15]);
    expect(h.series[0]![0]).toBe(endS - WINDOWS * 3600 + 15);
    expect(h.series.at(-1)![0]).toBe(endS);
    // The value at a 15 s point is the minute's sample (Prometheus' lookback).
    expect(h.series.slice(3, 8).map(([, v]) => v)).toEqual([values[0], values[0], values[0], values[0], values[1]]);
  }, 120_000);
});
