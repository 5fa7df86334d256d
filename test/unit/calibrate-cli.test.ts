import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { fleetRatios } from '../support/fleets.js';

const NOW = '2026-11-22T12:00:00Z';
const NOW_S = Date.parse(NOW) / 1000;
let dirs: string[] = [];
afterEach(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  dirs = [];
});

/**
 * Two days of one-minute samples in a file provider: the error rate is 0.001 except a spike
 * of 0.02 for `k` minutes in the k-th hour (k = 0…47), so hour k has a k-minute violation run.
 */
function project(gates: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-calibrate-cli-'));
  dirs.push(dir);
  const n = 48 * 60;
  const series = Array.from({ length: n }, (_, i) => {
    const t = NOW_S - (n - 1 - i) * 60;
    const hour = Math.floor(i / 60);
    return [t, i % 60 < hour ? 0.02 : 0.001];
  });
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ error_rate: series, latency: series.map(([t], i) => [t, 100 + (i % 60)]) }));
  writeFileSync(
    join(dir, 'rollout-gate.yml'),
    `version: 1
rollout:
  name: chat-v1.1
  stages: [{ name: canary, traffic: 10 }, { name: full, traffic: 100 }]
providers:
  snap: { type: file, path: metrics.json }
gates:
${gates}`,
  );
  return dir;
}

const GATES = `  - { name: error_rate, provider: snap, query: error_rate, pass: "< 0.01", over: 60m, step: 60s }
  - { name: error_rate_sustained, provider: snap, query: error_rate, pass: "< 0.01", over: 60m, failAfter: 10m, step: 60s }
  - { name: latency_floor, provider: snap, query: latency, pass: "> 50", over: 60m, step: 60s }
  - { name: instant, provider: snap, query: latency, pass: "< 1000" }
`;

async function cli(args: string[], cwd: string, opts: { stderrTTY?: boolean } = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {}, cwd, isTTY: false, stderrTTY: opts.stderrTTY ?? false });
  return { code, out, err };
}

describe('rollout-gate calibrate', () => {
  it('writes calibration.md, baseline.md and calibration.json; --json prints the document', async () => {
    const dir = project(GATES);
    const r = await cli(['calibrate', '--config', 'rollout-gate.yml', '--days', '2', '--now', NOW, '--json'], dir);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(readFileSync(join(dir, '.rollout/calibration/calibration.json'), 'utf8')).toBe(r.out);
    // Only windowed gates; 48 hourly windows; hour k has a k-minute violation (k = 0 passes).
    expect(doc.gates.map((g: { name: string }) => g.name)).toEqual(['error_rate', 'error_rate_sustained', 'latency_floor']);
    const [plain, sustained, floor] = doc.gates;
    expect(plain).toMatchObject({ condition: '< 0.01', windows: 48, failing: 47, suggested: 0.021 });
    expect(plain.failRate).toBeCloseTo(47 / 48, 12);
    // failAfter 10m: runs of 10 minutes and more fail (hours 10…47); the suggestion allows every run.
    expect(sustained).toMatchObject({ windows: 48, failing: 38, suggested: 0.021 });
    expect(floor).toMatchObject({ condition: '> 50', windows: 48, failing: 0, suggested: 99 });
    expect(plain.stats).toMatchObject({ samples: 48 * 60, max: 0.02 });
    const md = readFileSync(join(dir, '.rollout/calibration/calibration.md'), 'utf8');
    expect(md).toMatch(/\| error\\_rate \| &lt; 0\.01 \| 1h \| 48 \| 47 \| 98% \| &lt; 0\.021 \| [▁-█]{48} \|/);
    expect(md).toContain('| 1h (failAfter 10m) | 48 | 38 | 79% |');
    const base = readFileSync(join(dir, '.rollout/calibration/baseline.md'), 'utf8');
    expect(base).toMatch(/\| latency\\_floor \| 1m \| 2880 \| 129\.5 \|/);
    expect(r.err).toMatch(/^calibrated error_rate: 1 chunk, 2880 samples, 48 windows, 47 failing \(98%\), suggested < 0\.021$/m);
  });

  it('--gate limits it; --fail-rate loosens the suggestion; --out picks the directory', async () => {
    const dir = project(GATES);
    const r = await cli(['calibrate', '--config', 'rollout-gate.yml', '--days', '2', '--now', NOW, '--gate', 'error_rate', '--fail-rate', '0.5', '--out', 'out/cal'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('out/cal/calibration.md');
    const doc = JSON.parse(readFileSync(join(dir, 'out/cal/calibration.json'), 'utf8'));
    expect(doc.gates).toHaveLength(1);
    // Half the 48 windows may fail: the spike values are all 0.02, so only the quiet level counts.
    expect(doc.gates[0].suggested).toBe(0.021);
    expect(existsSync(join(dir, 'out/cal/baseline.md'))).toBe(true);
  });

  it('progress on a terminal: a redrawn line per gate, then its summary', async () => {
    const dir = project(GATES);
    const r = await cli(['calibrate', '--days', '2', '--now', NOW, '--gate', 'latency_floor'], dir, { stderrTTY: true });
    expect(r.code).toBe(0);
    expect(r.err).toContain('calibrating latency_floor: 1/1 chunks');
    expect(r.err).toContain('\r\u001b[2Kcalibrated latency_floor:');
  });

  it.each([
    [['--gate', 'nope'], /gate "nope": no such gate in rollout-gate\.yml; the gates with `over` are: error_rate, error_rate_sustained, latency_floor/],
    [['--gate', 'instant'], /gate "instant": gates\[3\] has no `over`/],
    [['--days', '0'], /days: "0" is not a whole number of days from 1 to 400/],
    [['--days', '3650'], /days: "3650" is not a whole number of days from 1 to 400/],
    [['--fail-rate', '2'], /fail rate: "2" is not a fraction from 0 to 1/],
    [['--now', 'yesterday'], /--now: "yesterday" is not an ISO-8601 instant/],
    [['--force'], /--force does not go with calibrate/],
    [['extra'], /unexpected argument "extra"/],
  ])('usage error %j exits 2', async (args, message) => {
    const dir = project(GATES);
    const r = await cli(['calibrate', ...args], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(existsSync(join(dir, '.rollout/calibration'))).toBe(false);
  });

  it('--days goes with calibrate only', async () => {
    const dir = project(GATES);
    const r = await cli(['evaluate', '--days', '3'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--days goes with calibrate');
  });

  it('a config error names the file and exits 2', async () => {
    const dir = project('  - { name: x, provider: snap, query: q, pass: "<< 1", over: 1h }\n');
    const r = await cli(['calibrate'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/rollout-gate\.yml.*gates\[0\]\.pass: \"<< 1\" is not a condition/s);
  });

  it('a gate whose history cannot be read: exit 1, the files name it and why', async () => {
    const dir = project(`${GATES}  - { name: missing, provider: snap, query: nothing.here, pass: "< 1", over: 60m }\n  - { name: from_github, provider: github, query: "is:open", pass: "== 0", over: 60m }\n`);
    const r = await cli(['calibrate', '--days', '2', '--now', NOW, '--json'], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    const gh = doc.gates.find((g: { name: string }) => g.name === 'from_github');
    expect(gh.error).toContain('github provider needs the GitHub Action');
    const md = readFileSync(join(dir, '.rollout/calibration/calibration.md'), 'utf8');
    expect(md).toContain('**from\\_github**: could not read the history');
    // A query with nothing at it is history without data, not an error.
    expect(doc.gates.find((g: { name: string }) => g.name === 'missing')).toMatchObject({ windows: 0, noData: 48, error: null, suggested: null });
  });

  it('a comparison gate: the A/A false-alarm rate it finds, against what its test should show', async () => {
    // Two identical fleets' error ratios, as `rate(…[5m])` reads them every 15 s, for two days in a file.
    const dir = project('  - { name: errors_vs_stable, provider: snap, query: canary_errors, baseline: stable_errors, over: 30m, step: 15s, compare: { test: mann-whitney } }\n');
    const ticks = 2 * 24 * 240;
    writeFileSync(
      join(dir, 'metrics.json'),
      JSON.stringify({
        canary_errors: fleetRatios({ seed: 3, ticks, stepTicks: 1, endS: NOW_S }),
        stable_errors: fleetRatios({ seed: 4, ticks, stepTicks: 1, endS: NOW_S }),
      }),
    );
    const r = await cli(['calibrate', '--days', '2', '--now', NOW, '--json'], dir);
    expect(r.code).toBe(0);
    const [g] = JSON.parse(r.out).gates;
    expect(g).toMatchObject({ name: 'errors_vs_stable', condition: 'mann-whitney increase, 98%', windows: 95, suggested: null });
    // No range window in a file query: the series' own autocorrelation sets the effective size.
    expect(g.falseAlarm.expected).toBeCloseTo(0.01, 12);
    expect(g.falseAlarm.excessive).toBe(false);
    expect(g.failing).toBeLessThanOrEqual(5); // P(more than 5 of 95 at 1%) < 0.5%
    expect(g.falseAlarm.rate).toBeCloseTo(g.failing / 95, 12);
    expect(r.err).toMatch(/^calibrated errors_vs_stable: \d+ chunks?, 11520 samples, 95 windows, \d failing \(\d(\.\d)?%\), A\/A false alarms \d(\.\d)?% \(identical data should fail about 1%\)$/m);
    const md = readFileSync(join(dir, '.rollout/calibration/calibration.md'), 'utf8');
    expect(md).toMatch(/\*\*errors\\_vs\\_stable\*\*: A\/A: each window of the baseline against the window before it: false alarms in \d of 95/);
  });
});
