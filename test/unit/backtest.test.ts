import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main.js';
import { findSnapshots } from '../../src/backtest.js';
import { loadConfigFile } from '../../src/config/load.js';
import { rejudgeSnapshot } from '../../src/engine/backtest.js';
import type { GateResult } from '../../src/engine/gates.js';
import { parseSnapshot } from '../../src/report/snapshot.js';
import { DEMO_CONFIG } from '../support/demo.js';
// @ts-expect-error: a plain .mjs script shared with the demo and the benchmark
import { writeDemo } from '../../scripts/demo-data.mjs';

/**
 * Backtests run on real evidence: the demo rollout evaluated by the CLI at several instants, on
 * healthy metrics whose error rate is scaled per directory, on a P0 breach, through a promotion
 * and a rollback. Each test then re-judges that evidence with a changed config.
 */

const T = Date.parse('2026-11-22T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
/** Error-rate scale per healthy directory: the demo peaks at 0.0038, so 1.1 and 1.2 peak above 0.004. */
const SCALES = [0.8, 0.9, 1, 1.1, 1.2];
const DEMO_TEXT = readFileSync(DEMO_CONFIG, 'utf8');
const DEMO_THRESHOLDS = 'thresholds: { canary_50: "< 0.005", full: "< 0.002" }';

let root: string;
/** Evidence recorded with the demo config. */
let corpus: string;
/** Evidence recorded with a stricter error-rate threshold: HOLDs. */
let strict: string;
let configs: string;

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { ROLLOUT_DEMO_DIR: root }, cwd: root, isTTY: false });
  return { code, out, err };
}

/** The CLI in a demo data directory (the demo config unless --config is given). */
async function run(dir: string, args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args.includes('--config') ? args : [...args, '--config', DEMO_CONFIG], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { ROLLOUT_DEMO_DIR: dir },
    cwd: dir,
    isTTY: false,
  });
  return { code, out, err };
}

/** A demo data directory whose error rate is `scale` times the demo's. */
function healthyDir(dir: string, scale: number): void {
  (writeDemo as (d: string, n: number, s: string) => void)(dir, T, 'healthy');
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
  metrics.chat.error_rate = metrics.chat.error_rate.map(([t, v]: [number, number]) => [t, Number((v * scale).toFixed(5))]);
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
}

/** A variant of the demo config, written under `configs`. */
function config(name: string, edit: (text: string) => string): string {
  const text = edit(DEMO_TEXT);
  if (text === DEMO_TEXT) throw new Error(`config ${name}: the edit changed nothing`);
  const file = join(configs, `${name}.yml`);
  writeFileSync(file, text);
  return file;
}
const withErrorThreshold = (x: string) => (t: string) => t.replace(DEMO_THRESHOLDS, `thresholds: { canary_50: "< ${x}", full: "< 0.002" }`);

interface Recorded {
  path: string;
  dir: string;
  at: string;
  command: string;
  decision: string;
  errorRateMax: number | null;
}
let recorded: Recorded[] = [];

interface BacktestJson {
  snapshots: { path: string; at: string; recorded: string; now: string; changed: { gate: string; was: string | null; now: string | null; reason: string }[] }[];
  skipped: { path: string; reason: string }[];
  errors: { path: string; error: string }[];
  summary: string;
}

async function backtestJson(configFile: string, evidence: string): Promise<BacktestJson> {
  const r = await cli(['backtest', '--config', configFile, '--evidence', evidence, '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as BacktestJson;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rollout-gate-backtest-'));
  corpus = join(root, 'corpus');
  strict = join(root, 'strict');
  configs = join(root, 'configs');
  mkdirSync(configs);
  for (const scale of SCALES) {
    const dir = join(corpus, `healthy-${scale}`);
    healthyDir(dir, scale);
    for (const at of [T, T - 10 * MIN]) await run(dir, ['evaluate', '--now', iso(at)]);
  }
  const breach = join(corpus, 'breach');
  (writeDemo as (d: string, n: number, s: string) => void)(breach, T, 'breach');
  for (const at of [T, T - 8 * MIN, T - 20 * MIN]) await run(breach, ['evaluate', '--now', iso(at)]);
  // Too early in canary_10 (minDuration 2h): a HOLD of the ramp rules, as they stood then.
  await run(join(corpus, 'healthy-1'), ['evaluate', '--now', iso(T - 90 * MIN)]);
  const promoted = join(corpus, 'promoted');
  healthyDir(promoted, 1);
  await run(promoted, ['promote', '--now', iso(T), '--actor', 'alice']);
  await run(promoted, ['rollback', '--now', iso(T + MIN), '--actor', 'alice', '--reason', 'drill']);

  const strictConfig = config('strict-recorded', withErrorThreshold('0.0032'));
  for (const scale of [0.9, 1]) {
    const dir = join(strict, `healthy-${scale}`);
    healthyDir(dir, scale);
    await run(dir, ['evaluate', '--config', strictConfig, '--now', iso(T)]);
  }

  for (const file of await findSnapshots(root)) {
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    const dir = relative(root, file).split('/').slice(0, 2).join('/');
    const metrics = JSON.parse(readFileSync(join(root, dir, 'metrics.json'), 'utf8'));
    // Independently of the engine: the error-rate samples of the 30-minute window ending at `at`.
    const atS = Date.parse(snap.at) / 1000;
    const window = (metrics.chat.error_rate as [number, number][]).filter(([t]) => t >= atS - 1800 && t <= atS + 60).map(([, v]) => v);
    recorded.push({ path: file, dir, at: snap.at, command: snap.command, decision: snap.decision, errorRateMax: window.length ? Math.max(...window) : null });
  }
  recorded = recorded.sort((a, b) => (a.path < b.path ? -1 : 1));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const inCorpus = () => recorded.filter((r) => r.dir.startsWith('corpus/'));
const judged = () => inCorpus().filter((r) => r.command === 'evaluate' || r.command === 'promote');

describe('the evidence the backtests run on', () => {
  it('holds every kind of recorded decision', () => {
    const decisions = judged().map((r) => r.decision);
    expect(decisions.filter((d) => d === 'PROCEED').length).toBeGreaterThanOrEqual(8);
    expect(decisions).toContain('HOLD');
    expect(decisions).toContain('ROLLBACK');
    expect(inCorpus().map((r) => r.command)).toContain('rollback');
    expect(recorded.filter((r) => r.dir.startsWith('strict/')).map((r) => r.decision)).toEqual(['HOLD', 'HOLD']);
  });
});

describe('rollout-gate backtest', () => {
  it('the unchanged config re-judges every snapshot to its recorded decision', async () => {
    const r = await backtestJson(DEMO_CONFIG, corpus);
    expect(r.snapshots).toHaveLength(judged().length);
    for (const s of r.snapshots) {
      expect(s.now, s.path).toBe(s.recorded);
      expect(s.changed, s.path).toEqual([]);
    }
    expect(r.skipped).toEqual([{ path: expect.stringMatching(/promoted\/evidence\/chat-v1\.1\/.*-canary_50-to-canary_10-.*\/snapshot\.json$/), at: iso(T + MIN), reason: 'rollback: an operator action, not a verdict on gates' }]);
    expect(r.errors).toEqual([]);
    expect(r.summary).toBe(`${judged().length} snapshots re-judged, 0 decisions would change; 1 skipped`);
  });

  it('a tightened threshold flips the recorded PROCEEDs whose window reached it, and no others', async () => {
    const r = await backtestJson(config('tight', withErrorThreshold('0.004')), corpus);
    const flips = new Set(r.snapshots.filter((s) => s.now !== s.recorded).map((s) => s.path));
    const expected = judged().filter((s) => s.decision === 'PROCEED' && s.errorRateMax !== null && s.errorRateMax >= 0.004);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(judged().filter((s) => s.decision === 'PROCEED' && !expected.includes(s)).length).toBeGreaterThanOrEqual(2);
    expect([...flips].sort()).toEqual(expected.map((s) => s.path).sort());
    for (const s of r.snapshots.filter((x) => flips.has(x.path))) {
      expect(s.now).toBe('HOLD');
      expect(s.changed).toEqual([{ gate: 'error_rate', was: 'pass', now: 'fail', reason: expect.stringMatching(/break < 0\.004/) }]);
    }
    expect(r.summary).toContain(`${expected.length} decisions would change: ${expected.length} PROCEED→HOLD`);
  });

  it('a loosened threshold flips a recorded HOLD to PROCEED', async () => {
    const r = await backtestJson(DEMO_CONFIG, strict);
    expect(r.snapshots.map((s) => [s.recorded, s.now])).toEqual([['HOLD', 'PROCEED'], ['HOLD', 'PROCEED']]);
    for (const s of r.snapshots) expect(s.changed).toEqual([{ gate: 'error_rate', was: 'fail', now: 'pass', reason: expect.stringMatching(/< 0\.005/) }]);
  });

  it('the release calendar is judged at each snapshot\'s own instant', async () => {
    // A window on that Sunday that closed at 11:55 UTC: the runs at 12:00 fall outside it, those before inside.
    const file = config('window', (t) => t.replace('  allowSkip: false\n', '  allowSkip: false\n  windows:\n    - { days: [sun], start: "09:00", end: "11:55", tz: "UTC" }\n'));
    const r = await backtestJson(file, corpus);
    const flips = r.snapshots.filter((s) => s.recorded !== s.now);
    const expected = judged().filter((s) => s.decision === 'PROCEED' && s.at === iso(T));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(flips.map((s) => s.path).sort()).toEqual(expected.map((s) => s.path).sort());
    for (const s of flips) expect([s.now, s.changed]).toEqual(['HOLD', []]);
  });

  it('ramp rules are judged from the state the snapshot read, at its instant', async () => {
    const early = judged().find((s) => s.at === iso(T - 90 * MIN))!;
    const snap = parseSnapshot(readFileSync(early.path, 'utf8'), early.path);
    const config = loadConfigFile(DEMO_CONFIG, { ROLLOUT_DEMO_DIR: root });
    const r = rejudgeSnapshot(snap, config.rollout, config.gates);
    expect(r).toMatchObject({ recorded: 'HOLD', now: 'HOLD', changed: [] });
    expect(r.decision.ramp).toContainEqual({ rule: 'min_duration', ok: false, detail: expect.stringContaining('in canary_10 for 1h30m of the minimum 2h') });
    expect(r.decision.ramp).toEqual(snap.ramp);
    expect(r.decision.gates.map((g) => [g.name, g.status, g.reason])).toEqual(snap.gates.map((g) => [g.name, g.status, g.reason]));
  });

  it('re-judging with the unchanged config gives back every gate\'s recorded result', async () => {
    const config = loadConfigFile(DEMO_CONFIG, { ROLLOUT_DEMO_DIR: root });
    for (const rec of judged()) {
      const snap = parseSnapshot(await readFile(rec.path, 'utf8'), rec.path);
      const { decision } = rejudgeSnapshot(snap, config.rollout, config.gates);
      const keep = ({ elapsedMs, ...g }: GateResult) => (void elapsedMs, g);
      expect(decision.gates.map(keep), rec.path).toEqual(snap.gates.map(keep));
      expect([decision.reasons, decision.warnings, decision.failedGates], rec.path).toEqual([snap.reasons, snap.warnings, snap.failedGates]);
    }
  });

  it('a removed gate is reported as gone, and the decisions it made change', async () => {
    const file = config('removed', (t) => t.replace(/  - name: ack_without_receipt_rate\n(    .*\n)+?(?=  - name)/, ''));
    const r = await backtestJson(file, corpus);
    const breach = r.snapshots.filter((s) => s.recorded === 'ROLLBACK');
    expect(breach.length).toBeGreaterThanOrEqual(1);
    for (const s of breach) {
      expect(s.now).toBe('PROCEED');
      expect(s.changed).toEqual([{ gate: 'ack_without_receipt_rate', was: 'fail', now: null, reason: 'no longer in the config' }]);
    }
    const others = r.snapshots.filter((s) => s.recorded !== 'ROLLBACK');
    for (const s of others) expect(s.now).toBe(s.recorded);
  });

  it('a new gate the snapshots never saw has no data: HOLD under noData: hold', async () => {
    const gate = '  - name: queue_depth\n    provider: metrics\n    query: chat.queue_depth\n    pass: "< 100"\n';
    const r = await backtestJson(config('new-gate', (t) => `${t}${gate}`), corpus);
    for (const s of r.snapshots) {
      expect(s.now).toBe(s.recorded === 'PROCEED' ? 'HOLD' : s.recorded);
      expect(s.changed).toContainEqual({ gate: 'queue_depth', was: null, now: 'no_data', reason: 'no data: not in this snapshot' });
    }
  });

  it('a shadow gate added changes nothing', async () => {
    const gate = '  - name: queue_depth\n    provider: metrics\n    query: chat.queue_depth\n    pass: "< 100"\n    shadow: true\n';
    const r = await backtestJson(config('new-shadow', (t) => `${t}${gate}`), corpus);
    for (const s of r.snapshots) expect([s.now, s.changed]).toEqual([s.recorded, []]);
  });

  it('a changed query is not judged by the old query\'s series', async () => {
    const r = await backtestJson(config('query', (t) => t.replace('query: chat.error_rate\n    pass', 'query: chat.error_rate_v2\n    pass')), corpus);
    const proceeded = r.snapshots.filter((s) => s.recorded === 'PROCEED');
    for (const s of proceeded) {
      expect(s.now).toBe('HOLD');
      expect(s.changed).toEqual([{ gate: 'error_rate', was: 'pass', now: 'no_data', reason: "no data: not in this snapshot: the gate's provider or query changed since" }]);
    }
  });

  it('a comparison gate is re-judged from the stored series and baseline series, as a live run would judge it', async () => {
    // The canary writes about 4% slower than stable: within 10%, beyond 2%.
    const file = config('compare', (t) => t.replace('allowedChange: 10%', 'allowedChange: 2%'));
    const r = await backtestJson(file, corpus);
    const flipped = r.snapshots.filter((s) => s.changed.some((g) => g.gate === 'write_latency_vs_stable'));
    expect(flipped.length).toBeGreaterThanOrEqual(5);
    for (const s of flipped) {
      expect(s.changed).toEqual([{ gate: 'write_latency_vs_stable', was: 'pass', now: 'fail', reason: expect.stringMatching(/^\+\d+(\.\d+)?% vs baseline \(98% CI .*\): fails \(allowed \+2%\)$/) }]);
    }
    // The same config run live (dry run, nothing written) at each snapshot's instant decides the same.
    for (const rec of judged().filter((x) => x.command === 'evaluate')) {
      const live = await run(join(root, rec.dir), ['evaluate', '--config', file, '--now', rec.at, '--dry-run', '--json']);
      const snap = JSON.parse(live.out);
      const back = r.snapshots.find((s) => s.path === join(corpus, relative(join(root, 'corpus'), rec.path)))!;
      expect(back.now, rec.path).toBe(snap.decision);
    }
  });

  it('files that are not snapshots are reported by path; the others are still judged', async () => {
    const copy = join(root, 'with-bad-files');
    cpSync(corpus, copy, { recursive: true });
    mkdirSync(join(copy, 'bad/a'), { recursive: true });
    mkdirSync(join(copy, 'bad/b'), { recursive: true });
    writeFileSync(join(copy, 'bad/a/snapshot.json'), '{ "schemaVersion": 1, "decision": ');
    writeFileSync(join(copy, 'bad/b/snapshot.json'), JSON.stringify({ hello: 'world' }));
    const r = await backtestJson(DEMO_CONFIG, copy);
    expect(r.snapshots).toHaveLength(judged().length);
    expect(r.errors).toEqual([
      { path: join(copy, 'bad/a/snapshot.json'), error: expect.stringMatching(/^not valid JSON/) },
      { path: join(copy, 'bad/b/snapshot.json'), error: expect.stringMatching(/^not a rollout-gate snapshot/) },
    ]);
    const text = await cli(['backtest', '--config', DEMO_CONFIG, '--evidence', copy]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`error ${join(copy, 'bad/a/snapshot.json')}: not valid JSON`);
    expect(text.out).toContain('; 1 skipped, 2 unreadable');
  });
});

describe('rollout-gate backtest: forced runs and other rollouts', () => {
  it('a forced promotion is forced again; another rollout\'s snapshot is skipped', async () => {
    const dir = join(root, 'misc');
    healthyDir(dir, 1);
    // Too early in canary_10: HOLD, forced to PROCEED.
    await run(dir, ['evaluate', '--now', iso(T - 90 * MIN), '--force', '--reason', 'hotfix', '--actor', 'alice']);
    const [forced] = await findSnapshots(dir);
    const other = JSON.parse(readFileSync(forced!, 'utf8'));
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other/snapshot.json'), JSON.stringify({ ...other, rollout: 'search-v2' }));

    const gate = '  - name: queue_depth\n    provider: metrics\n    query: chat.queue_depth\n    pass: "< 100"\n';
    const r = await backtestJson(config('forced-new-gate', (t) => `${t}${gate}`), join(root, 'misc'));
    expect(r.snapshots.map((s) => [s.recorded, s.now])).toEqual([['PROCEED', 'PROCEED']]);
    expect(r.skipped).toEqual([{ path: join(dir, 'other/snapshot.json'), at: iso(T - 90 * MIN), reason: 'rollout search-v2, not chat-v1.1' }]);
    // A critical failure is never forced through.
    const critical = '  - name: queue_depth\n    provider: metrics\n    query: chat.queue_depth\n    pass: "< 100"\n    severity: critical\n    noData: fail\n';
    const c = await backtestJson(config('forced-critical', (t) => `${t}${critical}`), dir);
    expect(c.snapshots.map((s) => [s.recorded, s.now])).toEqual([['PROCEED', 'ROLLBACK']]);
  });
});

describe('rollout-gate backtest: the command', () => {
  it('prints a table: one row per snapshot, the changed gates beneath it, and a summary', async () => {
    const r = await cli(['backtest', '--config', config('table', withErrorThreshold('0.004')), '--evidence', corpus]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('rollout-gate backtest chat-v1.1:');
    expect(r.out).toMatch(/at\s+recorded\s+now\s+snapshot/);
    expect(r.out).toMatch(/2026-11-22T12:00:00\.000Z\s+PROCEED\s+HOLD\s+.*healthy-1\.2\/evidence\/chat-v1\.1\/.*\/snapshot\.json/);
    expect(r.out).toMatch(/\n\s+error_rate: pass → fail → HOLD: \d+ of \d+ samples over 30m break < 0\.004/);
    expect(r.out).toMatch(/\d+ snapshots re-judged, \d+ decisions would change: \d+ PROCEED→HOLD; 1 skipped\n$/);
    expect(r.out).not.toContain('\u001b[');
  });

  it('names the evidence path relative to the directory as given', async () => {
    const r = await cli(['backtest', '--config', DEMO_CONFIG, '--evidence', 'strict', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).snapshots.map((s: { path: string }) => s.path)).toEqual([
      expect.stringMatching(/^strict\/healthy-0\.9\/evidence\/chat-v1\.1\/20261122T120000Z-canary_10-to-canary_50-[0-9a-f]{6}\/snapshot\.json$/),
      expect.stringMatching(/^strict\/healthy-1\/evidence\//),
    ]);
  });

  it.each([
    [['backtest', '--config', DEMO_CONFIG], /backtest needs --evidence DIR/],
    [['backtest', '--config', DEMO_CONFIG, '--evidence', 'no-such-dir'], /--evidence: no-such-dir: no such directory/],
    [['backtest', '--config', DEMO_CONFIG, '--evidence', 'configs'], /--evidence: no snapshot\.json found under configs/],
    [['backtest', '--config', DEMO_CONFIG, '--evidence', 'configs/tight.yml'], /--evidence: configs\/tight\.yml is not a directory/],
    [['backtest', '--config', DEMO_CONFIG, '--evidence', 'strict', '--now', iso(T)], /--now does not go with backtest/],
    [['backtest', 'strict', '--config', DEMO_CONFIG], /unexpected argument "strict"/],
    [['evaluate', '--config', DEMO_CONFIG, '--evidence', 'strict'], /--evidence goes with backtest/],
  ])('usage error %#: exit 2 with the reason', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('an invalid config is a usage error naming the problem', async () => {
    const r = await cli(['backtest', '--config', config('broken', (t) => t.replace('pass: "< 1500"', 'pass: "< fast"')), '--evidence', 'strict']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('gates[2].pass');
  });
});
