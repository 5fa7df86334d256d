import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { configText, gateResult, runGates } from '../servers/gates.js';
import { startPrometheus, type Fixtures } from '../servers/prometheus.js';
import { normal as standardNormal } from '../support/random.js';

/**
 * Compare gates against the real Prometheus: noisy canary and baseline series backfilled with
 * promtool (one server for the file), read back with range queries, judged by the engine.
 */
const havePrometheus = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');

const SCRAPE_S = 15;
/** Each window holds 40 minutes of samples: a 30m gate window and room before it. */
const SPAN_S = 40 * 60;
const WEEK_S = 7 * 24 * 3600;
/** Seeds of the identical-distribution runs: SPEC asks for at least 20. */
const SEEDS = 40;

/** Standard normal draws, seeded (the seed spread so that neighbouring seeds differ). */
const normal = (seed: number) => standardNormal(Math.imul(seed, 0x9e3779b1));

interface Side {
  /** Seconds before the end where this stretch of samples ends (0 = now, WEEK_S = a week earlier). */
  agoS: number;
  mean: number;
  sd: number;
  seed: number;
}

interface Series {
  labels: Record<string, string>;
  sides: Side[];
}

const SERIES: Series[] = [];
const add = (labels: Record<string, string>, ...sides: Side[]) => SERIES.push({ labels, sides });
const now = (mean: number, sd: number, seed: number): Side => ({ agoS: 0, mean, sd, seed });
const weekAgo = (mean: number, sd: number, seed: number): Side => ({ agoS: WEEK_S, mean, sd, seed });

add({ scenario: 'shift30', track: 'stable' }, now(100, 10, 1));
add({ scenario: 'shift30', track: 'canary' }, now(130, 10, 2));
add({ scenario: 'shift3', track: 'stable' }, now(100, 2, 3));
add({ scenario: 'shift3', track: 'canary' }, now(103, 2, 4));
for (let s = 0; s < SEEDS; s++) {
  add({ scenario: `same${s}`, track: 'stable' }, now(100, 10, 1000 + 2 * s));
  add({ scenario: `same${s}`, track: 'canary' }, now(100, 10, 1001 + 2 * s));
}
// One series per scenario, its baseline a week back in the same series.
add({ scenario: 'weekly_up' }, weekAgo(100, 10, 5), now(130, 10, 6));
add({ scenario: 'weekly_same' }, weekAgo(100, 10, 7), now(100, 10, 8));

/** OpenMetrics for promtool: one gauge family, each series' samples in time order. */
function fixtures(nowMs: number): Fixtures {
  const endS = Math.floor(nowMs / 1000 / 300) * 300 - 300;
  const lines = ['# TYPE compare_latency_ms gauge'];
  const expo: string[] = [];
  let samples = 0;
  for (const s of SERIES) {
    const labels = `{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
    for (const side of [...s.sides].sort((a, b) => b.agoS - a.agoS)) {
      const draw = normal(side.seed);
      for (let t = endS - side.agoS - SPAN_S; t <= endS - side.agoS; t += SCRAPE_S) {
        const v = (side.mean + side.sd * draw()).toFixed(3);
        lines.push(`compare_latency_ms${labels} ${v} ${t}`);
        expo.push(`compare_latency_ms${labels} ${v} ${t * 1000}`);
        samples++;
      }
    }
  }
  lines.push('# EOF');
  return { endMs: endS * 1000, openMetrics: `${lines.join('\n')}\n`, exposition: `${expo.join('\n')}\n`, seriesCount: SERIES.length, sampleCount: samples };
}

const q = (labels: string) => `'max(compare_latency_ms{${labels}})'`;

describe.skipIf(!havePrometheus)('compare gates against the real Prometheus', () => {
  let server: RunningServer;
  let fx: Fixtures;
  const provider = () => `prom: { type: prometheus, url: "${server.url}", timeout: 10s }`;

  beforeAll(async () => {
    fx = fixtures(Date.now());
    server = await startPrometheus(fx);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a canary shifted +30% with noise fails (mann-whitney and sigma); +3% passes with allowedChange 10% and fails without', async () => {
    const run = await runGates(
      configText(
        provider(),
        `- name: shift30
  provider: prom
  query: ${q('scenario="shift30",track="canary"')}
  baseline: ${q('scenario="shift30",track="stable"')}
  over: 30m
  compare: { test: mann-whitney, confidence: 0.98, allowedChange: "10%" }
- name: shift30_sigma
  provider: prom
  query: ${q('scenario="shift30",track="canary"')}
  baseline: ${q('scenario="shift30",track="stable"')}
  over: 30m
  compare: { test: sigma, sigma: 2 }
- name: shift3_allowed
  provider: prom
  query: ${q('scenario="shift3",track="canary"')}
  baseline: ${q('scenario="shift3",track="stable"')}
  over: 30m
  compare: { allowedChange: "10%" }
- name: shift3_strict
  provider: prom
  query: ${q('scenario="shift3",track="canary"')}
  baseline: ${q('scenario="shift3",track="stable"')}
  over: 30m
  compare: {}
  shadow: true`,
      ),
      { nowMs: fx.endMs },
    );
    const shift30 = gateResult(run, 'shift30');
    expect(shift30.status, shift30.reason).toBe('fail');
    // 30m at the default 15 s step, both ends included.
    expect(shift30.stats).toMatchObject({ test: 'mann-whitney', n: 121, m: 121, classification: 'high', confidence: 0.98, allowedChange: 0.1 });
    expect(shift30.stats!.ratio!).toBeGreaterThan(1.2);
    expect(shift30.stats!.ciLow!).toBeGreaterThan(20);
    expect(shift30.series).toHaveLength(121);
    expect(shift30.baselineSeries).toHaveLength(121);
    expect(shift30.reason).toMatch(/^\+[23]\d% vs baseline \(98% CI \+\d\d%…\+\d\d% of the baseline mean, p < 0\.0001; mean \+\d\d%; effective samples \d+(\.\d)? of 121 and \d+(\.\d)? of 121\): fails \(allowed \+10%\)$/);

    const sigma = gateResult(run, 'shift30_sigma');
    expect(sigma.status, sigma.reason).toBe('fail');
    expect(sigma.stats!.z!).toBeGreaterThan(2);

    const allowed = gateResult(run, 'shift3_allowed');
    expect(allowed.status, allowed.reason).toBe('pass');
    expect(allowed.reason).toMatch(/passes \(within the allowed \+10%\)$/);
    const strict = gateResult(run, 'shift3_strict');
    expect(strict.status, strict.reason).toBe('fail');
    expect(strict.effect).toBe('warning');

    expect(run.decision.decision).toBe('HOLD');
    expect(new Set(run.decision.failedGates)).toEqual(new Set(['shift30', 'shift30_sigma']));
    expect(run.decision.warnings).toContain(`shadow gate shift3_strict would have failed: ${strict.reason}`);
  });

  it(`identical distributions (different seeds) pass at confidence 0.98 on at least 95% of ${SEEDS} seeds`, async () => {
    const gates = Array.from(
      { length: SEEDS },
      (_, s) => `- { name: same${s}, provider: prom, query: ${q(`scenario="same${s}",track="canary"`)}, baseline: ${q(`scenario="same${s}",track="stable"`)}, over: 30m, compare: { confidence: 0.98 } }`,
    );
    const run = await runGates(configText(provider(), gates.join('\n')), { nowMs: fx.endMs });
    const results = run.decision.gates;
    expect(results).toHaveLength(SEEDS);
    for (const g of results) {
      expect(g.status === 'pass' || g.status === 'fail', `${g.name}: ${g.reason}`).toBe(true);
      expect(g.stats).toMatchObject({ n: 121, m: 121 });
    }
    const passed = results.filter((g) => g.status === 'pass').length;
    expect(passed / SEEDS, results.filter((g) => g.status !== 'pass').map((g) => `${g.name}: ${g.reason}`).join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('baselineOffset: 7d compares with the same series a week earlier', async () => {
    const run = await runGates(
      configText(
        provider(),
        `- { name: weekly_up, provider: prom, query: ${q('scenario="weekly_up"')}, over: 30m, baselineOffset: 7d, compare: { allowedChange: "10%" } }
- { name: weekly_same, provider: prom, query: ${q('scenario="weekly_same"')}, over: 30m, baselineOffset: 7d, compare: { direction: either } }
- { name: weekly_none, provider: prom, query: ${q('scenario="shift30",track="canary"')}, over: 30m, baselineOffset: 7d, compare: {} }`,
      ),
      { nowMs: fx.endMs },
    );
    const up = gateResult(run, 'weekly_up');
    expect(up.status, up.reason).toBe('fail');
    expect(up).toMatchObject({ baselineOffset: '7d', baselineQuery: 'max(compare_latency_ms{scenario="weekly_up"})' });
    expect(up.stats).toMatchObject({ n: 121, m: 121, classification: 'high', baselineLabel: '7d earlier' });
    expect(up.baselineValue!).toBeGreaterThan(95);
    expect(up.baselineValue!).toBeLessThan(105);
    expect(up.value as number).toBeGreaterThan(125);
    expect(up.reason).toMatch(/^\+\d\d% vs 7d earlier \(98% CI /);
    // The week-old samples sit on the current window's time axis, so both series chart together.
    expect(up.baselineSeries.map(([t]) => t)).toEqual(up.series.map(([t]) => t));

    const same = gateResult(run, 'weekly_same');
    expect(same.status, same.reason).toBe('pass');

    // A series with nothing a week ago: the baseline side is empty, which is no data.
    const none = gateResult(run, 'weekly_none');
    expect(none.status).toBe('no_data');
    expect(none.reason).toMatch(/^no data: baseline: empty result/);
  });
});
