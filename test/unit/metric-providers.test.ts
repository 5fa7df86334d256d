import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { cloudwatchPeriod, metricDataQuery, resultsToSeries as cloudwatchSeries } from '../../src/providers/cloudwatch.js';
import { datadogBaseUrl, parseDatadogQuery, parseTimeseries, rateLimitWaitMs, timeseriesBody } from '../../src/providers/datadog.js';
import { anchorNrql, column, MAX_BUCKETS, resultsToSeries as nrqlSeries, splitRange } from '../../src/providers/newrelic.js';
import { ProviderError } from '../../src/providers/types.js';
import { configText, gateResult, runGates } from '../servers/gates.js';
import { scenarioTable, startDatadogStandin, startNewRelicStandin, type Standin } from '../servers/metric-standins.js';
import { NOW, NOW_S } from '../support/fixtures.js';

describe('datadog queries', () => {
  it('one line is one query, its own formula', () => {
    expect(parseDatadogQuery('avg:system.load.1{env:prod} by {host}')).toEqual({ queries: [{ name: 'a', query: 'avg:system.load.1{env:prod} by {host}' }], formula: 'a' });
  });

  it('named queries and a formula line', () => {
    const q = parseDatadogQuery('errors = sum:trace.http.request.errors{service:chat}.as_count()\nhits = sum:trace.http.request.hits{service:chat}.as_count()\n100 * errors / hits\n');
    expect(q.queries.map((x) => x.name)).toEqual(['errors', 'hits']);
    expect(q.formula).toBe('100 * errors / hits');
    expect(timeseriesBody(q, 1000, 61_000, 60_000)).toEqual({
      data: {
        type: 'timeseries_request',
        attributes: {
          from: 1000,
          to: 61_000,
          interval: 60_000,
          queries: [
            { data_source: 'metrics', query: 'sum:trace.http.request.errors{service:chat}.as_count()', name: 'errors' },
            { data_source: 'metrics', query: 'sum:trace.http.request.hits{service:chat}.as_count()', name: 'hits' },
          ],
          formulas: [{ formula: '100 * errors / hits' }],
        },
      },
    });
  });

  it.each([
    ['a = avg:x{*}\nb = avg:y{*}', /need a formula line/],
    ['a = avg:x{*}\na = avg:y{*}\na', /named twice/],
    ['a = avg:x{*}\na * 2\na / 2', /one formula/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDatadogQuery(text)).toThrow(message);
  });

  it('reads series, times and nulls; group tags become labels', () => {
    const parsed = parseTimeseries({
      data: { attributes: { series: [{ group_tags: ['env:prod', 'host:a'] }], times: [1_000, 2_000], values: [[null, 0.5]] } },
    });
    expect(parsed).toEqual([{ labels: { env: 'prod', host: 'a' }, points: [[1, null], [2, 0.5]] }]);
    expect(() => parseTimeseries({ data: { attributes: { series: [{}], times: [1_000], values: [['x']] } } })).toThrow(ProviderError);
  });

  it('X-RateLimit-Reset is seconds to wait on a 429; otherwise Retry-After', () => {
    expect(rateLimitWaitMs(429, new Headers({ 'x-ratelimit-reset': '7' }), 0)).toBe(7000);
    expect(rateLimitWaitMs(503, new Headers({ 'x-ratelimit-reset': '7', 'retry-after': '2' }), 0)).toBe(2000);
    expect(rateLimitWaitMs(429, new Headers(), 0)).toBeNull();
  });

  it('the site picks the API host; url overrides it', () => {
    expect(datadogBaseUrl({ site: 'datadoghq.eu' })).toBe('https://api.datadoghq.eu');
    expect(datadogBaseUrl({})).toBe('https://api.datadoghq.com');
    expect(datadogBaseUrl({ site: 'datadoghq.eu', url: 'http://127.0.0.1:8080' })).toBe('http://127.0.0.1:8080');
  });
});

describe('datadog formulas against the stand-in', () => {
  let standin: Standin;
  beforeAll(async () => {
    const table = { ...scenarioTable(NOW_S), errors: [{ labels: {}, value: () => 5 }], hits: [{ labels: {}, value: () => 1000 }] };
    standin = await startDatadogStandin({ table, apiKey: 'k-unit', appKey: 'a-unit', queries: { 'sum:rg.errors{*}.as_count()': 'errors', 'sum:rg.hits{*}.as_count()': 'hits' } });
  });
  afterAll(() => standin.stop());

  it('errors / hits over a window: every sample is the ratio', async () => {
    const r = await runGates(
      configText(
        `dd: { type: datadog, url: "${standin.url}", apiKey: k-unit, appKey: a-unit }`,
        `- name: error_ratio
  provider: dd
  query: |
    errors = sum:rg.errors{*}.as_count()
    hits = sum:rg.hits{*}.as_count()
    errors / hits
  pass: "< 0.01"
  over: 30m`,
      ),
      { nowMs: NOW },
    );
    const g = gateResult(r, 'error_ratio');
    expect(g.status, g.reason).toBe('pass');
    expect(g.max).toBe(0.005);
    // 121 buckets 15 s apart cover [end − 30m, end]; the one stamped at the end reaches past it
    // (still filling) and is left out.
    expect(g.samples).toBe(120);
    const body = standin.requests.at(-1)!.body as { data: { attributes: { formulas: unknown; interval: number } } };
    expect(body.data.attributes.formulas).toEqual([{ formula: 'errors / hits' }]);
    expect(body.data.attributes.interval).toBe(15_000);
  });
});

describe('newrelic NRQL', () => {
  const at = { nowMs: 1_700_000_000_000, range: null };
  it('an instant gate anchors the relative SINCE at now (NRQL\'s default hour without one)', () => {
    expect(anchorNrql("SELECT count(*) FROM Transaction WHERE name = 'since' SINCE 30 minutes ago", at)).toBe(
      "SELECT count(*) FROM Transaction WHERE name = 'since' SINCE 1699998200000 UNTIL 1700000000000",
    );
    expect(anchorNrql('SELECT count(*) FROM Transaction', at)).toBe('SELECT count(*) FROM Transaction SINCE 1699996400000 UNTIL 1700000000000');
  });

  it('a windowed gate gets SINCE/UNTIL and TIMESERIES at its step', () => {
    expect(anchorNrql('SELECT average(duration) FROM Transaction FACET appName', { nowMs: 0, range: { startMs: 1_000_000, endMs: 2_800_000, stepMs: 30_000 } })).toBe(
      'SELECT average(duration) FROM Transaction FACET appName SINCE 1000000 UNTIL 2800000 TIMESERIES 30 seconds',
    );
  });

  it.each([
    ['SELECT count(*) FROM T TIMESERIES', null, /TIMESERIES/],
    ['SELECT count(*) FROM T UNTIL 1 hour ago', null, /UNTIL/],
    ["SELECT count(*) FROM T SINCE '2026-01-01'", null, /relative/],
    ['SELECT count(*) FROM T SINCE 1 hour ago', { startMs: 0, endMs: 60_000, stepMs: 15_000 }, /leave SINCE out/],
    ['SELECT count(*) FROM T', { startMs: 0, endMs: (MAX_BUCKETS + 1) * 15_000, stepMs: 15_000 }, /367 buckets/],
  ])('refuses %j', (nrql, range, message) => {
    expect(() => anchorNrql(nrql, { nowMs: 1e12, range })).toThrow(message);
  });

  it('a longer window is asked in parts of at most 366 buckets, edge to edge', () => {
    const parts = splitRange({ startMs: 0, endMs: 1000 * 15_000, stepMs: 15_000 }, MAX_BUCKETS);
    expect(parts.map((p) => [p.startMs / 15_000, p.endMs / 15_000])).toEqual([[0, 366], [366, 732], [732, 1000]]);
  });

  it('a column by name, dots inside names included (percentile.duration.95)', () => {
    const row = { 'percentile.duration': { '95': 0.42, '99': 0.9 }, count: 3 };
    expect(column(row, 'percentile.duration.95')).toBe(0.42);
    expect(column(row, 'count')).toBe(3);
    expect(column(row, 'nothing')).toBeUndefined();
  });

  it('rows become series per facet at each bucket\'s end; one value column is found without select', () => {
    const rows = [
      { beginTimeSeconds: 0, endTimeSeconds: 60, facet: 'a', appName: 'a', 'average.duration': 1 },
      { beginTimeSeconds: 0, endTimeSeconds: 60, facet: 'b', appName: 'b', 'average.duration': null },
      { beginTimeSeconds: 60, endTimeSeconds: 120, facet: 'a', appName: 'a', 'average.duration': 2 },
    ];
    expect(nrqlSeries(rows, null, 0, true)).toEqual([
      { labels: { facet: 'a' }, points: [[60, 1], [120, 2]] },
      { labels: { facet: 'b' }, points: [[60, null]] },
    ]);
    expect(() => nrqlSeries([{ count: 1, sum: 2 }], null, 0, false)).toThrow(/columns count, sum: set select/);
    expect(nrqlSeries([{ count: 1, sum: 2 }], 'sum', 5_000, false)).toEqual([{ labels: {}, points: [[5, 2]] }]);
  });
});

describe('newrelic windows longer than one TIMESERIES', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startNewRelicStandin({ table: scenarioTable(NOW_S), apiKey: 'NRAK-unit', accountId: 5, queries: { 'SELECT average(errorRatio) FROM Metric': { entry: 'error_ratio', column: 'average.errorRatio' } } });
  });
  afterAll(() => standin.stop());

  it('4 hours at 30s (480 buckets) is read in two NRQL questions, every bucket once', async () => {
    const r = await runGates(
      configText(`nr: { type: newrelic, url: "${standin.url}/graphql", accountId: 5, apiKey: NRAK-unit }`, '- { name: g, provider: nr, query: "SELECT average(errorRatio) FROM Metric", pass: "< 0.01", over: 4h, step: 30s }'),
      { nowMs: NOW },
    );
    const g = gateResult(r, 'g');
    expect(g.status, g.reason).toBe('pass');
    expect(g.samples).toBe(480);
    const asked = standin.requests.map((q) => (q.body as { variables: { nrql: string } }).variables.nrql);
    // The window ends at now − New Relic's default lag of 1m.
    const end = NOW - 60_000;
    expect(asked).toEqual([
      `SELECT average(errorRatio) FROM Metric SINCE ${end - 4 * 3_600_000} UNTIL ${end - 4 * 3_600_000 + 366 * 30_000} TIMESERIES 30 seconds`,
      `SELECT average(errorRatio) FROM Metric SINCE ${end - 4 * 3_600_000 + 366 * 30_000} UNTIL ${end} TIMESERIES 30 seconds`,
    ]);
  });
});

describe('cloudwatch queries', () => {
  it.each([
    [1, 1],
    [15, 30],
    [30, 30],
    [45, 60],
    [61, 120],
  ])('a step of %is reads at a period of %is', (step, period) => {
    expect(cloudwatchPeriod(step)).toBe(period);
  });

  it('an expression carries the period; a MetricStat its own', () => {
    expect(metricDataQuery('SUM(SEARCH(\'{AWS/ELB} MetricName="Errors"\', \'Sum\', 60))', 300)).toEqual({
      Id: 'q',
      Expression: 'SUM(SEARCH(\'{AWS/ELB} MetricName="Errors"\', \'Sum\', 60))',
      Period: 300,
      ReturnData: true,
    });
    expect(metricDataQuery('{"namespace":"AWS/EC2","metric":"CPUUtilization","stat":"Average"}', 60).MetricStat).toEqual({
      Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [] },
      Period: 60,
      Stat: 'Average',
    });
  });

  it('pages of one result are one series, stamped at the period\'s end; Forbidden is an error', () => {
    const page = (ts: number[], vs: number[]) => ({ Id: 'q', Label: 'cpu', Timestamps: ts.map((t) => new Date(t * 1000)), Values: vs, StatusCode: 'PartialData' as const });
    expect(cloudwatchSeries([page([0, 60], [1, 2]), page([120], [3])], 60)).toEqual([{ labels: { label: 'cpu' }, points: [[60, 1], [120, 2], [180, 3]] }]);
    expect(() => cloudwatchSeries([{ Id: 'q', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'no' }] }], 60)).toThrow(/Forbidden/);
    // The period 120–180 is still running at 150: its partial Sum is not a value yet.
    expect(cloudwatchSeries([page([0, 60, 120], [1, 2, 0.1])], 60, 150)).toEqual([{ labels: { label: 'cpu' }, points: [[60, 1], [120, 2]] }]);
  });
});

describe('config of the three providers', () => {
  const text = configText(
    `dd: { type: datadog, site: datadoghq.eu, apiKey: "\${DD_API_KEY}", appKey: literal-app-key-1 }
cw: { type: cloudwatch, region: eu-central-1 }
nr: { type: newrelic, accountId: "\${NR_ACCOUNT}", apiKey: "\${NR_KEY}", region: EU }`,
    `- { name: dd, provider: dd, query: "avg:x{*}", pass: "< 1", reduce: max, staleAfter: 10m }
- name: cw
  provider: cw
  query: { namespace: AWS/EC2, metric: CPUUtilization, dimensions: { AutoScalingGroupName: chat }, stat: p90, period: 300 }
  pass: "< 80"
- { name: nr, provider: nr, query: "SELECT count(*) FROM TransactionError", select: count, pass: "== 0" }`,
  );

  it('loads; a MetricStat becomes its JSON text; keys are secrets whether from ${VAR} or written out', () => {
    const c = parseConfig(text, 'rollout-gate.yml', { DD_API_KEY: 'dd-key-from-env', NR_ACCOUNT: '1234', NR_KEY: 'NRAK-from-env' });
    expect(c.gates.find((g) => g.name === 'cw')!.query).toBe(
      '{"namespace":"AWS/EC2","metric":"CPUUtilization","dimensions":{"AutoScalingGroupName":"chat"},"stat":"p90","period":300}',
    );
    expect(c.secrets).toEqual(expect.arrayContaining(['dd-key-from-env', 'NRAK-from-env', 'literal-app-key-1']));
    expect(c.providers.nr).toMatchObject({ type: 'newrelic', accountId: '1234', region: 'EU' });
  });
});
