import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { startPrometheus, type Fixtures } from '../servers/prometheus.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin } from '../github/standin.js';
import { runAction } from '../support/runner.js';
import { createHmac } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockKitProblems, teamsProblems } from '../support/notify-payloads.js';
import { decisionLogLines, decisionLogText } from '../support/decision-log.js';

/**
 * Guarding a stage between promotions (SPEC §7.4), end to end against the real Prometheus: a
 * critical breach during canary_10 rolls the rollout back once, a major breach pauses it, a
 * promote HOLDs while paused and resume clears it. Through the CLI (with --now) and through
 * the bundled Action against the GitHub stand-in (at the real time).
 */
const havePrometheus = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');

const SCRAPE_S = 15;
const HISTORY_S = 2 * 3600;
const M = 60_000;
/** Breaches run from 20 to 17 minutes before the end of the data. */
const BREACH = { fromS: -20 * 60, toS: -17 * 60 };

/** Gauges per scenario: `critical` breaches the error ratio, `major` the latency, `healthy` nothing. */
function fixtures(nowMs: number): Fixtures {
  const endS = Math.floor(nowMs / 1000 / 60) * 60 - 60;
  const om: string[] = [];
  let samples = 0;
  const inBreach = (t: number) => t >= BREACH.fromS && t <= BREACH.toS;
  for (const [family, normal, high, breaches] of [
    ['watch_errors', 0.001, 0.05, 'critical'],
    ['watch_latency_ms', 200, 3000, 'major'],
  ] as const) {
    om.push(`# TYPE ${family} gauge`);
    for (const scenario of ['critical', 'major', 'healthy']) {
      for (let t = -HISTORY_S; t <= 0; t += SCRAPE_S) {
        om.push(`${family}{scenario="${scenario}"} ${scenario === breaches && inBreach(t) ? high : normal} ${endS + t}`);
        samples++;
      }
    }
  }
  om.push('# EOF');
  return { endMs: endS * 1000, openMetrics: `${om.join('\n')}\n`, exposition: '', seriesCount: 6, sampleCount: samples };
}

const CONFIG = `version: 1
rollout:
  name: chat
  stages:
    - { name: canary_1,  traffic: 1,  minDuration: 1h }
    - { name: canary_10, traffic: 10, minDuration: 1h }
    - { name: full,      traffic: 100 }
state:
  type: file
  path: state.json
providers:
  prom: { type: prometheus, url: "\${PROM_URL}", timeout: 10s }
gates:
  - name: error_ratio
    provider: prom
    query: max(watch_errors{scenario="\${SCENARIO}"})
    pass: "< 0.01"
    over: 30m
    step: 15s
    minSamples: 10
    severity: critical
  - name: latency_p95_ms
    provider: prom
    query: max(watch_latency_ms{scenario="\${SCENARIO}"})
    pass: "< 1500"
    over: 30m
    step: 15s
    minSamples: 10
    severity: major
`;

describe.skipIf(!havePrometheus)('watch, pause and resume against the real Prometheus', () => {
  let server: RunningServer;
  let fx: Fixtures;
  let dirs: string[] = [];

  beforeAll(async () => {
    fx = fixtures(Date.now());
    server = await startPrometheus(fx);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  /** A workspace with the config and the rollout in `stage` since `enteredAt`. */
  function workspace(stage: string, enteredAtMs: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-watch-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'rollout-gate.yml'), CONFIG);
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ rollout: 'chat', stage, enteredAt: new Date(enteredAtMs).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [] }));
    return dir;
  }

  async function cli(dir: string, scenario: string, args: string[]) {
    let out = '';
    let err = '';
    const code = await main([...args, '--config', 'rollout-gate.yml', '--actor', 'watchbot'], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: { PROM_URL: server.url, SCENARIO: scenario },
      cwd: dir,
      isTTY: false,
    });
    return { code, out, err };
  }
  const at = (offsetMs: number) => new Date(fx.endMs + offsetMs).toISOString();
  const stateOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  const logOf = (dir: string) => decisionLogLines(dir, "chat");

  it('CLI: a critical breach during canary_10 rolls back to canary_1 once; later watches judge only the new stage', async () => {
    const dir = workspace('canary_10', fx.endMs - 60 * M);
    // Before the breach: healthy, nothing changes, but the run leaves evidence and a log line.
    const healthy = await cli(dir, 'critical', ['watch', '--now', at(-25 * M), '--json']);
    expect(healthy.code, healthy.err).toBe(0);
    expect(JSON.parse(healthy.out)).toMatchObject({ command: 'watch', decision: 'PROCEED', stateChanged: false, transition: { from: 'canary_10', to: 'canary_10' } });
    expect(stateOf(dir)).toMatchObject({ stage: 'canary_10', history: [] });

    // The breach is inside the 30 m window: ROLLBACK, written.
    const breach = await cli(dir, 'critical', ['watch', '--now', at(-10 * M), '--json']);
    expect(breach.code, breach.err).toBe(4);
    const snap = JSON.parse(breach.out);
    expect(snap).toMatchObject({ decision: 'ROLLBACK', stateChanged: true, failedGates: ['error_ratio'], transition: { from: 'canary_10', to: 'canary_1' } });
    expect(snap.reasons[0]).toMatch(/^rolled back canary_10 → canary_1: error_ratio: /);
    const rolled = stateOf(dir);
    expect(rolled).toMatchObject({ stage: 'canary_1', enteredAt: at(-10 * M), lastRollbackAt: at(-10 * M), killSwitch: false });
    expect(rolled.history).toHaveLength(1);
    expect(rolled.history[0]).toMatchObject({ from: 'canary_10', to: 'canary_1', decision: 'ROLLBACK', actor: 'watchbot' });

    // A minute later: the new stage's window holds a minute of data: warming up, no action.
    const again = await cli(dir, 'critical', ['watch', '--now', at(-9 * M), '--json']);
    expect(again.code, again.err).toBe(0);
    const warm = JSON.parse(again.out);
    expect(warm).toMatchObject({ decision: 'PROCEED', stateChanged: false });
    expect(warm.gates.map((g: { reason: string }) => g.reason)).toEqual([expect.stringMatching(/^warming up: canary_1 was entered 1m ago/), expect.stringMatching(/^warming up/)]);
    // Ten minutes after the rollback the window is clipped to those ten minutes: the breach
    // (20–17 minutes before the end) is from canary_10 and is not judged again.
    const later = await cli(dir, 'critical', ['watch', '--now', at(0), '--json']);
    expect(later.code, later.err).toBe(0);
    expect(JSON.parse(later.out).gates[0]).toMatchObject({ name: 'error_ratio', status: 'pass', window: { over: '10m' } });
    expect(stateOf(dir).history).toHaveLength(1);

    // Every watch run left one decision-log line with each gate's value; full evidence from the
    // first run, the rollback and the first recovered run, not from the healthy one after them.
    const log = logOf(dir);
    expect(log.map((l) => [l.command, l.decision, l.stateChanged, l.evidencePath !== null])).toEqual([
      ['watch', 'PROCEED', false, true],
      ['watch', 'ROLLBACK', true, true],
      ['watch', 'PROCEED', false, true],
      ['watch', 'PROCEED', false, false],
    ]);
    expect(Object.keys(log[3]!.gates)).toEqual(['error_ratio', 'latency_p95_ms']);
    expect(readdirSync(join(dir, 'evidence/chat'))).toHaveLength(3);
  });

  it('CLI: a major breach pauses; promote then HOLDs with the pause; resume clears it', async () => {
    const dir = workspace('canary_10', fx.endMs - 120 * M);
    const w = await cli(dir, 'major', ['watch', '--now', at(-10 * M), '--json']);
    expect(w.code, w.err).toBe(3);
    expect(JSON.parse(w.out)).toMatchObject({ decision: 'HOLD', stateChanged: true, failedGates: ['latency_p95_ms'] });
    const paused = stateOf(dir);
    expect(paused.stage).toBe('canary_10');
    expect(paused.paused).toEqual({ at: at(-10 * M), reason: 'watch: latency_p95_ms failed at canary_10', actor: 'watchbot' });

    // A second watch does not pause again.
    const again = await cli(dir, 'major', ['watch', '--now', at(-9 * M), '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.out)).toMatchObject({ decision: 'HOLD', stateChanged: false });
    expect(stateOf(dir).history).toHaveLength(1);

    // The breach is over the 30 m window later; still, a paused rollout HOLDs, even when forced.
    const promote = await cli(dir, 'major', ['promote', '--now', at(0), '--json', '--force', '--reason', 'looks fine']);
    expect(promote.code, promote.err).toBe(3);
    const p = JSON.parse(promote.out);
    expect(p.decision).toBe('HOLD');
    expect(p.reasons).toContain(`paused since ${at(-10 * M)} by watchbot: watch: latency_p95_ms failed at canary_10; resume to continue`);
    expect(p.warnings).toContain('force ignored: the rollout is paused; resume it first');
    expect(stateOf(dir).stage).toBe('canary_10');

    const pauseTwice = await cli(dir, 'major', ['pause', '--reason', 'again', '--now', at(0)]);
    expect(pauseTwice.code).toBe(2);
    expect(pauseTwice.err).toContain('the rollout is already paused since');

    const resumed = await cli(dir, 'major', ['resume', '--reason', 'latency fixed by config push', '--now', at(0), '--json']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(JSON.parse(resumed.out).reasons[0]).toBe('pause cleared at canary_10: latency fixed by config push; the next promotion is decided by its gates');
    expect(stateOf(dir)).toMatchObject({ stage: 'canary_10', paused: null });
    expect(stateOf(dir).history.map((h: { decision: string }) => h.decision)).toEqual(['HOLD', 'HOLD']);

    // (Against the healthy series: the latency breach is still inside this window.)
    const promoted = await cli(dir, 'healthy', ['promote', '--now', at(0), '--json']);
    expect(promoted.code, promoted.err).toBe(0);
    expect(stateOf(dir).stage).toBe('full');
  });

  it('CLI: pause by hand, and onCritical: report / onMajor: report change nothing', async () => {
    const dir = workspace('canary_10', fx.endMs - 120 * M);
    expect((await cli(dir, 'healthy', ['pause', '--now', at(0)])).code).toBe(2);
    const paused = await cli(dir, 'healthy', ['pause', '--reason', 'holiday traffic', '--now', at(0)]);
    expect(paused.code, paused.err).toBe(0);
    expect(stateOf(dir).paused).toEqual({ at: at(0), reason: 'holiday traffic', actor: 'watchbot' });
    const evaluate = await cli(dir, 'healthy', ['evaluate', '--now', at(0)]);
    expect(evaluate.code).toBe(3);
    expect(evaluate.out).toContain('paused since');

    const reportOnly = workspace('canary_10', fx.endMs - 120 * M);
    writeFileSync(join(reportOnly, 'rollout-gate.yml'), `${CONFIG}watch: { onCritical: report, onMajor: report }\n`);
    const crit = await cli(reportOnly, 'critical', ['watch', '--now', at(-10 * M), '--json']);
    expect(crit.code).toBe(4);
    expect(JSON.parse(crit.out)).toMatchObject({ decision: 'ROLLBACK', stateChanged: false });
    const major = await cli(reportOnly, 'major', ['watch', '--now', at(-10 * M), '--json']);
    expect(major.code).toBe(3);
    expect(JSON.parse(major.out).reasons[0]).toMatch(/\(watch\.onMajor: report: nothing changed\)$/);
    expect(stateOf(reportOnly)).toMatchObject({ stage: 'canary_10', paused: null, history: [] });
  });

  it('[race] CLI: two watches at once roll back once (the second re-reads and finds the new stage warming up)', async () => {
    const dir = workspace('canary_10', fx.endMs - 60 * M);
    const [a, b] = await Promise.all([
      cli(dir, 'critical', ['watch', '--now', at(-10 * M), '--json']),
      cli(dir, 'critical', ['watch', '--now', at(-10 * M), '--json']),
    ]);
    const decisions = [JSON.parse(a.out), JSON.parse(b.out)].map((s) => [s.decision, s.stateChanged]).sort();
    expect(decisions).toEqual([['PROCEED', false], ['ROLLBACK', true]]);
    expect(stateOf(dir)).toMatchObject({ stage: 'canary_1' });
    expect(stateOf(dir).history).toHaveLength(1);
  });

  describe('notifications and apply', () => {
    /** A local receiver: records every request; `mode` says how it answers. */
    let receiver: Server;
    let base: string;
    let mode: 'ok' | '500' | 'hang' | '403' = 'ok';
    let seen: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const hanging = new Set<ServerResponse>();
    const SLACK_TOKEN = 'T000/B000/slacksecretpart42';
    const HOOK_SECRET = 'hook-hmac-key-99';
    const FLAGS_TOKEN = 'flags-bearer-token-7';

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
          const failing = req.url!.startsWith('/flags') ? applyMode : mode;
          if (failing === 'hang') return void hanging.add(res);
          res.writeHead(failing === '500' ? 500 : failing === '403' ? 403 : 200, { 'content-type': 'text/plain' }).end(failing === 'ok' ? 'ok' : 'nope');
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const r of hanging) r.destroy();
      await new Promise((r) => receiver.close(r));
    });
    let applyMode: 'ok' | '500' | 'hang' | '403' = 'ok';
    const reset = () => {
      seen = [];
      mode = 'ok';
      applyMode = 'ok';
    };

    const NOTIFY = `notify:
  - { type: slack, url: "\${NOTIFY_BASE}/services/\${SLACK_TOKEN}" }
  - { type: teams, url: "\${NOTIFY_BASE}/teams/workflow?sig=\${SLACK_TOKEN}", on: [ROLLBACK, HOLD, state-change] }
  - { type: webhook, url: "\${NOTIFY_BASE}/hook", secret: "\${HOOK_SECRET}" }
apply:
  url: "\${NOTIFY_BASE}/flags/rollouts/chat"
  headers: { Authorization: "Bearer \${FLAGS_TOKEN}" }
  timeout: 3s
`;
    function notifyWorkspace(stage: string, enteredAtMs: number): string {
      const dir = workspace(stage, enteredAtMs);
      const text = CONFIG.replace('    - { name: canary_1,  traffic: 1,  minDuration: 1h }', '    - { name: canary_1,  traffic: 1,  minDuration: 1h, flags: { newComposer: true, percentage: 1 } }');
      writeFileSync(join(dir, 'rollout-gate.yml'), `${text}${NOTIFY}`);
      return dir;
    }
    async function run(dir: string, scenario: string, args: string[]) {
      let out = '';
      let err = '';
      const started = Date.now();
      const code = await main([...args, '--config', 'rollout-gate.yml', '--actor', 'watchbot', '--json'], {
        stdout: (t) => (out += t),
        stderr: (t) => (err += t),
        env: { PROM_URL: server.url, SCENARIO: scenario, NOTIFY_BASE: base, SLACK_TOKEN, HOOK_SECRET, FLAGS_TOKEN },
        cwd: dir,
        isTTY: false,
      });
      return { code, out, err, snap: JSON.parse(out), elapsedMs: Date.now() - started };
    }
    const secretsIn = (text: string) => [SLACK_TOKEN, HOOK_SECRET, FLAGS_TOKEN, 'slacksecretpart42'].filter((x) => text.includes(x));

    it('[secret] a watch rollback applies the previous stage, then notifies Slack, Teams and the signed webhook (no secret in any payload); the next watch stays quiet', async () => {
      reset();
      const dir = notifyWorkspace('canary_10', fx.endMs - 60 * M);
      const r = await run(dir, 'critical', ['watch', '--now', at(-10 * M)]);
      expect(r.code, r.err).toBe(4);
      expect(stateOf(dir).stage).toBe('canary_1');
      // apply first (after the state was written), then the three notifications.
      const flags = seen.filter((q) => q.path.startsWith('/flags'));
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({ method: 'PUT', path: '/flags/rollouts/chat' });
      expect(flags[0]!.headers.authorization).toBe(`Bearer ${FLAGS_TOKEN}`);
      expect(JSON.parse(flags[0]!.body)).toEqual({ rollout: 'chat', stage: 'canary_1', traffic: 1, flags: { newComposer: true, percentage: 1 }, killSwitch: false, reason: expect.stringMatching(/^rolled back canary_10 → canary_1: error_ratio/) });

      const slack = seen.find((q) => q.path.startsWith('/services/'))!;
      const slackBody = JSON.parse(slack.body);
      expect(blockKitProblems(slackBody)).toEqual([]);
      expect(JSON.stringify(slackBody)).toContain('error_ratio');
      expect(JSON.stringify(slackBody)).toContain('canary_10');
      const teams = seen.find((q) => q.path.startsWith('/teams/'))!;
      expect(teamsProblems(JSON.parse(teams.body))).toEqual([]);
      const hook = seen.find((q) => q.path === '/hook')!;
      expect(hook.headers['x-rollout-gate-signature-256']).toBe(`sha256=${createHmac('sha256', HOOK_SECRET).update(hook.body).digest('hex')}`);
      expect(JSON.parse(hook.body)).toMatchObject({ rollout: 'chat', command: 'watch', decision: 'ROLLBACK', from: 'canary_10', to: 'canary_1', stateChanged: true, failedGates: ['error_ratio'] });
      // The payloads carry no secret (the receiver's own URL path aside).
      for (const q of seen) expect(secretsIn(q.body)).toEqual([]);
      expect(secretsIn(r.out + r.err)).toEqual([]);

      // A minute later: warming up, PROCEED, nothing changed: no notification (default on), no apply.
      seen = [];
      const again = await run(dir, 'critical', ['watch', '--now', at(-9 * M)]);
      expect(again.code).toBe(0);
      expect(seen).toEqual([]);
    });

    it('[fault] receivers that answer 500 or hang cost at most their bound and change neither the decision nor the exit code', async () => {
      reset();
      const dir = notifyWorkspace('canary_10', fx.endMs - 60 * M);
      mode = '500';
      const failing = await run(dir, 'critical', ['watch', '--now', at(-10 * M)]);
      expect(failing.code).toBe(4);
      expect(failing.snap.decision).toBe('ROLLBACK');
      expect(stateOf(dir).stage).toBe('canary_1');
      // Three targets, three attempts each.
      expect(seen.filter((q) => !q.path.startsWith('/flags'))).toHaveLength(9);
      // The receiver's host shows (a bare endpoint is not a credential); the webhook's key does not.
      expect(failing.err).toContain(`warning: notification to ${base.replace(/^https?:\/\//, '')}/services/*** failed: HTTP 500: nope (after 3 attempts)`);
      expect(secretsIn(failing.err + failing.out)).toEqual([]);

      reset();
      const dir2 = notifyWorkspace('canary_10', fx.endMs - 60 * M);
      mode = 'hang';
      const hung = await run(dir2, 'critical', ['watch', '--now', at(-10 * M)]);
      expect(hung.code).toBe(4);
      expect(stateOf(dir2).stage).toBe('canary_1');
      // The bound is 10 s for all attempts; the three targets wait in parallel.
      expect(hung.elapsedMs).toBeLessThan(10_000 + 5_000);
      expect(hung.err).toContain('failed');
    }, 30_000);

    it('[fault] a failing apply on promote leaves the state unchanged and exits 1 naming the URL without its secrets', async () => {
      reset();
      const dir = notifyWorkspace('canary_10', fx.endMs - 120 * M);
      applyMode = '403';
      const r = await run(dir, 'healthy', ['promote', '--now', at(0)]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/apply: PUT .*\/flags\/rollouts\/chat answered HTTP 403.*; the state was not changed/);
      expect(secretsIn(r.err + r.out)).toEqual([]);
      expect(stateOf(dir)).toMatchObject({ stage: 'canary_10', history: [] });
      expect(r.snap.stateChanged).toBe(false);
      // The attempt is on record.
      expect(logOf(dir).at(-1)).toMatchObject({ command: 'promote', decision: 'PROCEED', stateChanged: false });

      // With the flag service back, the promotion applies first and then writes the state.
      applyMode = 'ok';
      seen = [];
      const ok = await run(dir, 'healthy', ['promote', '--now', at(0)]);
      expect(ok.code, ok.err).toBe(0);
      expect(stateOf(dir).stage).toBe('full');
      expect(JSON.parse(seen.find((q) => q.path.startsWith('/flags'))!.body)).toMatchObject({ stage: 'full', traffic: 100, flags: {} });
      // A promotion is a state change: notified.
      expect(JSON.parse(seen.find((q) => q.path === '/hook')!.body)).toMatchObject({ decision: 'PROCEED', stateChanged: true, from: 'canary_10', to: 'full' });
    });

    it('[fault] a failing apply on rollback: the rollback stands, the run exits 1, and the notification says so', async () => {
      reset();
      const dir = notifyWorkspace('canary_10', fx.endMs - 60 * M);
      applyMode = '500';
      const r = await run(dir, 'critical', ['watch', '--now', at(-10 * M)]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/apply: PUT .*answered HTTP 500.*; the rollback stands/);
      expect(stateOf(dir).stage).toBe('canary_1');
      expect(seen.filter((q) => q.path.startsWith('/flags'))).toHaveLength(3);
      const hook = JSON.parse(seen.find((q) => q.path === '/hook')!.body);
      expect(hook).toMatchObject({ decision: 'ROLLBACK', stateChanged: true });
      expect(JSON.stringify(seen.find((q) => q.path.startsWith('/services/'))!.body)).toContain('apply');
      expect(secretsIn(r.err + r.out)).toEqual([]);
    });
  });

  describe('the bundled Action against the GitHub stand-in', () => {
    let standin: GitHubStandin;
    beforeAll(async () => {
      standin = await startStandin();
    });
    afterAll(async () => {
      await standin?.stop();
    });
    afterEach(() => {
      expect(standin.violations).toEqual([]);
    });

    function ledgerRepo(name: string, stage: string, enteredAtMs: number) {
      const repo = standin.repo('acme', name);
      const state = { rollout: 'chat', stage, enteredAt: new Date(enteredAtMs).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [] };
      standin.commitFiles(repo, 'rollout-ledger', { 'state/chat.json': JSON.stringify(state) }, 'seed');
      const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-watch-action-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'rollout-gate.yml'), CONFIG.replace(/state:\n  type: file\n  path: state.json\n/, 'state:\n  type: github\n'));
      return { repo, dir };
    }

    const action = (dir: string, repo: string, scenario: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
      runAction({
        inputs: { config: 'rollout-gate.yml', 'github-token': ACTIONS_TOKEN, ...inputs },
        env: { ...env, PROM_URL: server.url, SCENARIO: scenario, GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: `acme/${repo}`, GITHUB_EVENT_NAME: 'schedule', GITHUB_SHA: '3'.repeat(40) },
        event: { schedule: '*/5 * * * *' },
        workspace: dir,
      });

    it('watch on a schedule: rolls back on the ledger once, notifies with the link to the state change, then commits the evidence that records it; a second watch changes nothing', async () => {
      // The data ends a minute or two ago; the breach was 17–20 minutes before that.
      const { repo, dir } = ledgerRepo('watch-critical', 'canary_10', Date.now() - 40 * M);
      const hooks: { body: string; signature: string }[] = [];
      const hookServer = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          hooks.push({ body, signature: String(req.headers['x-rollout-gate-signature-256']) });
          res.end('ok');
        });
      });
      await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
      const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
      writeFileSync(join(dir, 'rollout-gate.yml'), `${readFileSync(join(dir, 'rollout-gate.yml'), 'utf8').replace('    - { name: canary_1,  traffic: 1,  minDuration: 1h }', '    - { name: canary_1,  traffic: 1,  minDuration: 1h, flags: { composer: v1 } }')}notify:\n  - { type: webhook, url: "${hookUrl}", secret: "\${HOOK_SECRET}" }\n`);
      const env = { HOOK_SECRET: 'action-hook-secret' };
      const watchRun = () => action(dir, repo.name, 'critical', { command: 'watch' }, env);
      const commits = () => standin.history(repo, 'rollout-ledger').length;
      const before = commits();
      const first = await watchRun();
      expect(first.outputs.decision, first.stdout).toBe('ROLLBACK');
      expect(first.outputs['current-stage']).toBe('canary_10');
      expect(first.outputs['target-stage']).toBe('canary_1');
      expect(first.outputs.traffic).toBe('1');
      expect(first.outputs.flags).toBe('{"composer":"v1"}');
      expect(first.outputs['failed-gates']).toBe('error_ratio');
      expect(hooks).toHaveLength(1);
      expect(hooks[0]!.signature).toBe(`sha256=${createHmac('sha256', env.HOOK_SECRET).update(hooks[0]!.body).digest('hex')}`);
      const event = JSON.parse(hooks[0]!.body);
      expect(event).toMatchObject({ command: 'watch', decision: 'ROLLBACK', from: 'canary_10', to: 'canary_1', stateChanged: true, runUrl: 'https://github.com/acme/watch-critical/actions/runs/4242' });
      // The state change is committed first, the notification links it, and the evidence that
      // records the notification follows in the next commit.
      const [evidenceCommit, stateCommit] = standin.history(repo, 'rollout-ledger');
      expect(event.evidence).toBe(`https://github.com/acme/watch-critical/commit/${stateCommit}`);
      expect(first.code).toBe(1);
      expect(commits()).toBe(before + 2);
      expect(standin.files(repo, stateCommit!).get('state/chat.json')).toBe(standin.files(repo, evidenceCommit!).get('state/chat.json'));
      const state = JSON.parse(standin.files(repo, 'rollout-ledger').get('state/chat.json')!);
      expect(state).toMatchObject({ stage: 'canary_1', killSwitch: false });
      expect(state.history).toHaveLength(1);
      expect(first.summary).toContain('ROLLBACK');

      const second = await watchRun();
      await new Promise((r) => hookServer.close(r));
      expect(second.code, second.stdout).toBe(0);
      expect(hooks).toHaveLength(1);
      expect(second.outputs.decision).toBe('PROCEED');
      expect(second.outputs.traffic).toBe('1');
      expect(commits()).toBe(before + 3);
      const after = JSON.parse(standin.files(repo, 'rollout-ledger').get('state/chat.json')!);
      expect(after.history).toHaveLength(1);
      const log = decisionLogLines(standin.files(repo, 'rollout-ledger'), 'chat');
      expect(log.map((l) => `${l.command} ${l.decision}`)).toEqual(['watch ROLLBACK', 'watch PROCEED']);
    });

    it("[race] two watches at once on one ledger roll back once: the ledger's compare-and-swap makes the race harmless", async () => {
      const { repo, dir } = ledgerRepo('watch-race', 'canary_10', Date.now() - 40 * M);
      const runs = await Promise.all([0, 1].map(() => action(dir, repo.name, 'critical', { command: 'watch', 'fail-on': 'never' })));
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      expect(runs.map((r) => r.outputs.decision).sort()).toEqual(['PROCEED', 'ROLLBACK']);
      const state = JSON.parse(standin.files(repo, 'rollout-ledger').get('state/chat.json')!);
      expect(state.stage).toBe('canary_1');
      expect(state.history).toHaveLength(1);
      const log = decisionLogText(standin.files(repo, 'rollout-ledger'), 'chat').trim().split('\n');
      expect(log).toHaveLength(2);
    });

    it('a major breach pauses on the ledger; promote HOLDs with the reason; resume clears it; a healthy watch changes nothing', async () => {
      const { repo, dir } = ledgerRepo('watch-major', 'canary_10', Date.now() - 180 * M);
      const paused = await action(dir, repo.name, 'major', { command: 'watch', 'fail-on': 'rollback' });
      expect(paused.code, paused.stdout).toBe(0);
      expect(paused.outputs.decision).toBe('HOLD');
      const ledger = () => JSON.parse(standin.files(repo, 'rollout-ledger').get('state/chat.json')!);
      expect(ledger().paused).toMatchObject({ reason: 'watch: latency_p95_ms failed at canary_10' });

      const promote = await action(dir, repo.name, 'healthy', { command: 'promote' });
      expect(promote.outputs.decision).toBe('HOLD');
      expect(promote.code).toBe(1);
      expect(promote.summary).toContain('paused since');
      expect(ledger().stage).toBe('canary_10');

      const resumed = await action(dir, repo.name, 'healthy', { command: 'resume', reason: 'latency fixed' });
      expect(resumed.code, resumed.stdout).toBe(0);
      expect(ledger().paused).toBeNull();

      const commits = standin.history(repo, 'rollout-ledger').length;
      const healthy = await action(dir, repo.name, 'healthy', { command: 'watch' });
      expect(healthy.code, healthy.stdout).toBe(0);
      expect(healthy.outputs.decision).toBe('PROCEED');
      expect(healthy.outputs.traffic).toBe('10');
      // One commit: the evidence and the log line; the state is as it was.
      expect(standin.history(repo, 'rollout-ledger').length).toBe(commits + 1);
      expect(ledger()).toMatchObject({ stage: 'canary_10', paused: null });
      expect(ledger().history.map((h: { decision: string }) => h.decision)).toEqual(['HOLD', 'HOLD']);
    });
  });
});
