import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ROOT } from '../support/demo.js';
import { runAction } from '../support/runner.js';
import { startSilentServer } from './fault-server.js';
import { decisionLogText } from '../support/decision-log.js';

// A provider that accepts the connection and never answers must not hang the run: at the
// deadline the decision is HOLD "deadline exceeded", well before the gate's own timeout.
let silent: { port: number; stop(): Promise<void> };
let dir: string;
beforeAll(async () => {
  silent = await startSilentServer();
});
afterAll(async () => {
  await silent.stop();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rg-deadline-'));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ rollout: 'chat', stage: 'canary_10', enteredAt: '2026-11-20T00:00:00Z', killSwitch: false, lastRollbackAt: null, paused: null, history: [] }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(opts: { deadline?: string; provider?: string; state?: string } = {}): string {
  const text = [
    'version: 1',
    'rollout:',
    '  name: chat',
    '  stages:',
    '    - { name: canary_10, traffic: 10 }',
    '    - { name: canary_50, traffic: 50 }',
    `state: ${opts.state ?? '{ type: file, path: state.json }'}`,
    'providers:',
    `  stuck: ${opts.provider ?? `{ type: prometheus, url: "http://127.0.0.1:${silent.port}", timeout: 60s, retries: 0 }`}`,
    ...(opts.deadline ? [`deadline: ${opts.deadline}`] : []),
    'gates:',
    '  - { name: error_rate, provider: stuck, query: "sum(rate(errors[5m]))", pass: "< 0.01" }',
  ].join('\n');
  writeFileSync(join(dir, 'rollout-gate.yml'), `${text}\n`);
  return 'rollout-gate.yml';
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {}, cwd: dir, isTTY: false });
  return { code, stdout, stderr, elapsedMs: Date.now() - started };
}

describe('[fault] the run deadline', () => {
  it('[fault] deadline: the CLI with --timeout 1s against a server that never answers ends HOLD "deadline exceeded" within the deadline', async () => {
    const r = await cli(['evaluate', '--config', config(), '--timeout', '1s', '--json']);
    expect(r.code, r.stderr).toBe(3);
    const snap = JSON.parse(r.stdout);
    expect(snap.decision).toBe('HOLD');
    expect(snap.reasons[0]).toMatch(/^deadline exceeded/);
    expect(snap.gates[0].reason).toMatch(/deadline exceeded/);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(950);
    expect(r.elapsedMs).toBeLessThan(2_500);
  });

  it('[fault] deadline: the config\'s deadline does the same, and --timeout overrides it', async () => {
    const byConfig = await cli(['evaluate', '--config', config({ deadline: '1s' }), '--json']);
    expect(byConfig.code).toBe(3);
    expect(JSON.parse(byConfig.stdout).reasons[0]).toMatch(/^deadline exceeded/);
    expect(byConfig.elapsedMs).toBeLessThan(2_500);
    const overridden = await cli(['evaluate', '--config', config({ deadline: '1h' }), '--timeout', '1s', '--json']);
    expect(overridden.code).toBe(3);
    expect(overridden.elapsedMs).toBeLessThan(2_500);
  });

  it('[fault] deadline: a --timeout that is not a duration is a usage error', async () => {
    const r = await cli(['evaluate', '--config', config(), '--timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout: "soon" is not a duration');
  });

  it('[fault] deadline: a promote past the deadline writes no new state, and the decision-log line is kept', async () => {
    const r = await cli(['promote', '--config', config(), '--timeout', '1s']);
    expect(r.code).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).stage).toBe('canary_10');
    const log = decisionLogText(dir, 'chat').trim().split('\n');
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!).decision).toBe('HOLD');
  });

  it('[fault] deadline: a postgres server that never answers is cut off at the deadline too', async () => {
    const r = await cli(['evaluate', '--config', config({ provider: `{ type: postgres, url: "postgres://u:p@127.0.0.1:${silent.port}/db", timeout: 60s }` }), '--timeout', '1s', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).reasons[0]).toMatch(/^deadline exceeded/);
    expect(r.elapsedMs).toBeLessThan(2_500);
  });

  it('[fault] deadline: a state store that never answers is bounded by the deadline: an error, not a hang and not a decision', async () => {
    const r = await cli(['evaluate', '--config', config({ state: `{ type: http, url: "http://127.0.0.1:${silent.port}/state", timeout: 60s }` }), '--timeout', '1s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/deadline exceeded while reading the state from http state/);
    expect(r.elapsedMs).toBeLessThan(2_500);
  });

  it('[fault] deadline: the installed CLI process exits at the deadline (no socket keeps it alive)', async () => {
    const file = config();
    const started = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/rollout-gate.js'), 'evaluate', '--config', file, '--timeout', '1s'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(3);
    expect(stdout).toMatch(/HOLD/);
    expect(stdout).toMatch(/deadline exceeded/);
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it('[fault] deadline: the CLI process exits soon after the deadline even when the state store never answered', async () => {
    const file = config({ state: `{ type: http, url: "http://127.0.0.1:${silent.port}/state", timeout: 60s }` });
    const started = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/rollout-gate.js'), 'evaluate', '--config', file, '--timeout', '1s'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/deadline exceeded while reading the state/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('[fault] deadline: the bundled Action with input timeout: 1s ends HOLD "deadline exceeded" and fails the step', async () => {
    const file = config({ deadline: '1h' });
    const started = Date.now();
    const r = await runAction({ inputs: { config: file, 'github-token': '', timeout: '1s' }, workspace: dir });
    expect(r.code).toBe(1);
    expect(r.outputs.decision).toBe('HOLD');
    expect(r.stdout).toMatch(/::error::chat: HOLD .*deadline exceeded/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('[fault] deadline: the bundled Action exits soon after the deadline even when the state store never answered', async () => {
    const file = config({ state: `{ type: http, url: "http://127.0.0.1:${silent.port}/state", timeout: 60s }` });
    const started = Date.now();
    const r = await runAction({ inputs: { config: file, 'github-token': '', timeout: '1s' }, workspace: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::.*deadline exceeded while reading the state/);
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  it('[fault] deadline: the bundled Action refuses a timeout input that is not a duration', async () => {
    const r = await runAction({ inputs: { config: config(), 'github-token': '', timeout: '10 minutes' }, workspace: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('input timeout: "10 minutes" is not a duration');
  });
});
