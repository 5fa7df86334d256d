import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { configText, runGates } from '../servers/gates.js';
import { scenarioTable, startCloudWatchStandin, startDatadogStandin, startNewRelicStandin, type Standin } from '../servers/metric-standins.js';
import { NOW, NOW_S } from '../support/fixtures.js';

/**
 * The example of each hosted provider in docs/providers.md, run as written against its stand-in
 * (only the endpoint override added): the documented gates load, query and decide.
 */
const docs = readFileSync(join(import.meta.dirname, '../../docs/providers.md'), 'utf8');

function example(heading: string): { providers: Record<string, Record<string, unknown>>; gates: unknown[] } {
  const section = docs.split(`## The \`${heading}\` provider`)[1]!.split('\n## ')[0]!;
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  return parseYaml(yaml) as { providers: Record<string, Record<string, unknown>>; gates: unknown[] };
}

const table = { ...scenarioTable(NOW_S), errors: [{ labels: {}, value: () => 5 }], hits: [{ labels: {}, value: () => 1000 }], zero: [{ labels: {}, value: () => 0 }], p99: [{ labels: {}, value: () => 0.3 }], percent: [{ labels: {}, value: () => 0.4 }] };
const standins: Standin[] = [];
afterAll(async () => {
  for (const s of standins) await s.stop();
});

async function runExample(heading: string, standin: Standin, override: Record<string, string>, env: Record<string, string>, providerEnv?: Record<string, string>) {
  const ex = example(heading);
  const [name, provider] = Object.entries(ex.providers)[0]!;
  const providers = stringify({ [name]: { ...provider, ...override } });
  return runGates(configText(providers.trimEnd(), stringify(ex.gates).trimEnd()), { env, nowMs: NOW, ...(providerEnv ? { providerEnv } : {}) });
}

describe('docs/providers.md: the hosted providers\' examples work as written', () => {
  let dd: Standin;
  let cw: Standin;
  let nr: Standin;
  beforeAll(async () => {
    dd = await startDatadogStandin({
      table,
      apiKey: 'dd-docs-key',
      appKey: 'dd-docs-app',
      queries: {
        'sum:trace.http.request.errors{service:checkout,version:canary}.as_count()': 'errors',
        'sum:trace.http.request.hits{service:checkout,version:canary}.as_count()': 'hits',
        'p95:trace.http.request{service:checkout,version:canary}': 'latency_close',
        'p95:trace.http.request{service:checkout,version:stable}': 'latency_stable',
      },
    });
    cw = await startCloudWatchStandin({
      table,
      accessKeyId: 'AKIADOCS00000000001',
      queries: {
        'SUM(SEARCH(\'{AWS/ApplicationELB,LoadBalancer} MetricName="HTTPCode_Target_5XX_Count" LoadBalancer="app/checkout-canary/1a2b"\', \'Sum\', 60))': 'zero',
        'AWS/ApplicationELB/TargetResponseTime': 'p99',
      },
    });
    nr = await startNewRelicStandin({
      table,
      apiKey: 'NRAK-docs',
      accountId: 3141592,
      queries: {
        "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = 'checkout-canary'": { entry: 'percent', column: 'percentage' },
        "SELECT percentile(duration, 95) FROM Transaction WHERE appName = 'checkout-canary'": { entry: 'p99', column: 'percentile.duration', key: '95' },
      },
    });
    standins.push(dd, cw, nr);
  });

  it('datadog: a formula over a window and a comparison with stable, PROCEED', async () => {
    const r = await runExample('datadog', dd, { url: dd.url }, { DD_API_KEY: 'dd-docs-key', DD_APP_KEY: 'dd-docs-app' });
    expect(r.decision.decision, JSON.stringify(r.decision.gates.map((g) => [g.name, g.status, g.reason]))).toBe('PROCEED');
    expect(r.decision.gates.map((g) => g.name)).toEqual(['checkout_error_ratio', 'p95_latency_vs_stable']);
    expect(r.decision.gates[0]!.max).toBe(0.005);
  });

  it('cloudwatch: a SEARCH expression over a window and a MetricStat, PROCEED', async () => {
    const r = await runExample('cloudwatch', cw, { endpoint: cw.url }, {}, { AWS_ACCESS_KEY_ID: 'AKIADOCS00000000001', AWS_SECRET_ACCESS_KEY: 'docs-secret' });
    expect(r.decision.decision, JSON.stringify(r.decision.gates.map((g) => [g.name, g.status, g.reason]))).toBe('PROCEED');
    expect(r.decision.gates.map((g) => [g.name, g.value])).toEqual([['alb_5xx', 0], ['target_p99', 0.3]]);
  });

  it('newrelic: an NRQL aggregate with SINCE, and a percentile over a window with select, PROCEED', async () => {
    const r = await runExample('newrelic', nr, { url: `${nr.url}/graphql` }, { NEW_RELIC_ACCOUNT_ID: '3141592', NEW_RELIC_API_KEY: 'NRAK-docs' });
    expect(r.decision.decision, JSON.stringify(r.decision.gates.map((g) => [g.name, g.status, g.reason]))).toBe('PROCEED');
    expect(r.decision.gates.map((g) => [g.name, g.value])).toEqual([['error_percentage', 0.4], ['p95_duration', 0.3]]);
    const first = (nr.requests[0]!.body as { variables: { nrql: string } }).variables.nrql;
    // The aggregate ends at now − New Relic's default lag of 1m (events still arriving).
    expect(first).toBe(`SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = 'checkout-canary' SINCE ${NOW - 60_000 - 600_000} UNTIL ${NOW - 60_000}`);
  });
});
