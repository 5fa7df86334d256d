import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configText, gateResult, runGates } from '../servers/gates.js';
import { startCloudWatchStandin, startDatadogStandin, startNewRelicStandin, type Standin, type TableSeries } from '../servers/metric-standins.js';
import { NOW } from '../support/fixtures.js';

/**
 * SPEC §8.1, the bucket still filling: a hosted store's newest bucket covers an interval that
 * reaches past now, and holds only the part that has passed. A throughput gate `>= 100` on a
 * steady 150 reads 50 there and failed a healthy canary (argoproj/argo-rollouts#3665). Each
 * stand-in here answers as its store does: the bucket holding its clock reads low.
 */

// 20 s past a whole minute, so no bucket boundary falls on now.
const AT = NOW + 20_000;
const table: Record<string, TableSeries[]> = { throughput: [{ labels: {}, value: () => 150 }] };
const gate = (provider: string, query: string) => `- { name: throughput, provider: ${provider}, query: ${JSON.stringify(query)}, pass: ">= 100", over: 30m }`;

let dd: Standin;
let cw: Standin;
let nr: Standin;
let ddLagged: Standin;

beforeAll(async () => {
  [dd, cw, nr, ddLagged] = await Promise.all([
    startDatadogStandin({ table, queries: { 'sum:rg.requests{*}.as_rate()': 'throughput' }, apiKey: 'k', appKey: 'a', fillingAtS: AT / 1000 }),
    startCloudWatchStandin({ table, queries: { 'SELECT SUM(RequestCount) FROM "ALB"': 'throughput' }, accessKeyId: 'AKIAFILLING000000001', fillingAtS: AT / 1000 }),
    // New Relic's events arrive within about a minute: at its clock the last 30 s are still arriving.
    startNewRelicStandin({ table, queries: { 'SELECT rate(count(*), 1 second) FROM Transaction': { entry: 'throughput', column: 'rate' } }, apiKey: 'NRAK-f', accountId: 7, fillingAtS: AT / 1000 - 30 }),
    // Datadog's rollup of a 30-minute window, 20 s (coarser than the 15 s step asked for).
    startDatadogStandin({ table, queries: { 'sum:rg.requests{*}.as_rate()': 'throughput' }, apiKey: 'k', appKey: 'a', fillingAtS: AT / 1000, rollupMs: 20_000 }),
  ]);
});

afterAll(async () => {
  await Promise.all([dd, cw, nr, ddLagged].map((s) => s?.stop()));
});

const aws = { AWS_ACCESS_KEY_ID: 'AKIAFILLING000000001', AWS_SECRET_ACCESS_KEY: 'filling-secret' };

describe('a >= gate whose bucket holding now reads low passes', () => {
  it.each([
    ['datadog, its default lag (1m)', () => `dd: { type: datadog, url: "${dd.url}", apiKey: k, appKey: a }`, 'dd', 'sum:rg.requests{*}.as_rate()'],
    ['datadog, lag 0s: the filling bucket is left out', () => `dd: { type: datadog, url: "${dd.url}", apiKey: k, appKey: a, lag: 0s }`, 'dd', 'sum:rg.requests{*}.as_rate()'],
    ['datadog at its own 20 s rollup, lag 0s', () => `dd: { type: datadog, url: "${ddLagged.url}", apiKey: k, appKey: a, lag: 0s }`, 'dd', 'sum:rg.requests{*}.as_rate()'],
    ['cloudwatch, its default lag (2m)', () => `cw: { type: cloudwatch, region: eu-west-1, endpoint: "${cw.url}" }`, 'cw', 'SELECT SUM(RequestCount) FROM "ALB"'],
    ['cloudwatch, lag 0s: the running period is left out', () => `cw: { type: cloudwatch, region: eu-west-1, endpoint: "${cw.url}", lag: 0s }`, 'cw', 'SELECT SUM(RequestCount) FROM "ALB"'],
    ['newrelic, its default lag (1m)', () => `nr: { type: newrelic, url: "${nr.url}/graphql", accountId: 7, apiKey: NRAK-f }`, 'nr', 'SELECT rate(count(*), 1 second) FROM Transaction'],
  ] as const)('%s', async (_name, provider, name, query) => {
    const r = await runGates(configText(provider(), gate(name, query)), { nowMs: AT, providerEnv: aws });
    const g = gateResult(r, 'throughput');
    expect(g.status, g.reason).toBe('pass');
    expect(g.min).toBe(150);
    expect(g.window?.resolution).toMatch(/^(15s|20s|1m)$/);
  });

  it('the stand-ins do return the low bucket: judged, it would fail (the cases above are not vacuous)', async () => {
    // A gate that reads up to the stand-in's clock, and does not leave the filling bucket out.
    const r = await runGates(configText(`nr: { type: newrelic, url: "${nr.url}/graphql", accountId: 7, apiKey: NRAK-f, lag: 0s }`, gate('nr', 'SELECT rate(count(*), 1 second) FROM Transaction')), { nowMs: AT });
    const g = gateResult(r, 'throughput');
    expect(g.status).toBe('fail');
    expect(g.min).toBeLessThan(100);
  });
});

describe('cloudwatch: the period asked for', () => {
  const periods = () => cw.requests.map((r) => (r.body as { MetricDataQueries: { Period?: number }[] }).MetricDataQueries[0]!.Period);

  it.each([
    ['over 30m asks for the 15 s step by default: CloudWatch is asked for Period 60 (one point a minute)', '', 60, '1m'],
    ['a step of 10s asks for a high-resolution period', ', step: 10s', 10, '10s'],
    ['a 6-hour window (step 3m) reads at 180 s', ', step: 3m', 180, '3m'],
  ] as const)('%s', async (_name, extra, period, resolution) => {
    cw.requests.length = 0;
    const r = await runGates(
      configText(`cw: { type: cloudwatch, region: eu-west-1, endpoint: "${cw.url}" }`, `- { name: throughput, provider: cw, query: 'SELECT SUM(RequestCount) FROM "ALB"', pass: ">= 100", over: 30m${extra} }`),
      { nowMs: AT, providerEnv: aws },
    );
    expect(new Set(periods())).toEqual(new Set([period]));
    expect(gateResult(r, 'throughput').window?.resolution).toBe(resolution);
  });
});
