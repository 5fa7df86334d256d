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
    // 48 windows can estimate a 5% fail rate (two may fail), not the default 1% (see the guard below).
    const r = await cli(['calibrate', '--config', 'rollout-gate.yml', '--days', '2', '--fail-rate', '0.05', '--now', NOW, '--json'], dir);
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
    expect(r.err).toMatch(/^calibrated error_rate: 1 chunk, 2880 samples, 48 windows, 47 failing \(98%\), suggested < 0\.021; it would let through 47 windows failing today$/m);
    expect(plain.letThrough).toHaveLength(47);
    expect(plain.letThrough[0]).toEqual({ from: '2026-11-20T13:00:00Z', to: '2026-11-20T14:00:00Z', worst: 0.02 });
    expect(floor).toMatchObject({ withheld: null, warning: null, letThrough: [] });
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

describe('calibrate: the guard and --exclude, on one day with a 5% breach', () => {
  /**
   * One day of one-minute samples: an error rate of 0.002–0.00245, and a 5% breach for the half
   * hour 09:00–09:30 (an incident). The gate judges 30-minute windows: 48 of them.
   */
  function oneDay(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-calibrate-guard-'));
    dirs.push(dir);
    const n = 24 * 60;
    const from = Date.parse('2026-11-22T09:00:00Z') / 1000;
    const to = Date.parse('2026-11-22T09:30:00Z') / 1000;
    const series = Array.from({ length: n }, (_, i) => {
      const t = NOW_S - (n - 1 - i) * 60;
      return [t, t > from && t <= to ? 0.05 : 0.002 + (0.0005 * ((i * 7) % 10)) / 10];
    });
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ error_rate: series }));
    writeFileSync(
      join(dir, 'rollout-gate.yml'),
      `version: 1
rollout:
  name: checkout
  stages: [{ name: canary, traffic: 5 }, { name: full, traffic: 100 }]
providers:
  snap: { type: file, path: metrics.json }
gates:
  - { name: error_rate, provider: snap, query: error_rate, pass: "< 0.01", over: 30m, step: 60s }
`,
    );
    return dir;
  }

  it('at the default 1%, 48 windows allow none to fail: the suggestion (the breach itself) is withheld, with a warning and the window it would let through', async () => {
    const dir = oneDay();
    const r = await cli(['calibrate', '--days', '1', '--now', NOW, '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const [g] = JSON.parse(r.out).gates;
    expect(g).toMatchObject({ windows: 48, failing: 1, suggested: null, suggestedCondition: null, withheld: '< 0.051', excluded: 0 });
    expect(g.warning).toContain('48 windows of 30m cannot estimate a 1% fail rate (it needs 100, --days 3)');
    expect(g.warning).toContain('withheld (it would be < 0.051)');
    expect(g.letThrough).toEqual([{ from: '2026-11-22T09:00:00Z', to: '2026-11-22T09:30:00Z', worst: 0.05 }]);
    expect(r.err).toContain('calibrated error_rate: 1 chunk, 1440 samples, 48 windows, 1 failing (2.1%), suggestion withheld (< 0.051); it would let through 1 window failing today');
    expect(r.err).toMatch(/^warning: error_rate: 48 windows of 30m cannot estimate a 1% fail rate/m);
    const md = readFileSync(join(dir, '.rollout/calibration/calibration.md'), 'utf8');
    expect(md).toContain('| withheld (&lt; 0.051) ⚠️ |');
    expect(md).toContain('## Windows the suggestion would let through');
    expect(md).toContain('- 2026-11-22T09:00:00Z to 2026-11-22T09:30:00Z: worst 0.05');
  });

  it('--exclude leaves the incident out: the suggestion fits the other windows, marked, and lets nothing through', async () => {
    const dir = oneDay();
    const r = await cli(['calibrate', '--days', '1', '--now', NOW, '--json', '--exclude', '2026-11-22T09:00Z..2026-11-22T09:30Z'], dir);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.exclude).toEqual([{ from: '2026-11-22T09:00:00Z', to: '2026-11-22T09:30:00Z' }]);
    const [g] = doc.gates;
    expect(g).toMatchObject({ windows: 47, failing: 0, excluded: 1, suggestedCondition: '< 0.0025', withheld: null, letThrough: [] });
    expect(g.warning).toContain('once the excluded ranges are left out');
    expect(g.stats.max).toBeLessThan(0.0025);
  });

  it('a fail rate the history can estimate gets a suggestion without a warning', async () => {
    const dir = oneDay();
    const r = await cli(['calibrate', '--days', '1', '--now', NOW, '--json', '--fail-rate', '0.05'], dir);
    const [g] = JSON.parse(r.out).gates;
    // 48 windows at 5%: two may fail, so the breach window does, and the suggestion fits the rest.
    expect(g).toMatchObject({ suggestedCondition: '< 0.0025', withheld: null, warning: null, letThrough: [] });
  });

  it.each([
    ['2026-11-22T09:00Z', 'is not a range'],
    ['yesterday..today', 'starts at "yesterday", not an instant'],
    ['2026-11-22T10:00Z..2026-11-22T09:00Z', 'ends before it starts'],
  ])('--exclude %s is a usage error', async (value, message) => {
    const dir = oneDay();
    const r = await cli(['calibrate', '--days', '1', '--now', NOW, '--exclude', value], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--exclude: "${value}" ${message}`);
  });
});
