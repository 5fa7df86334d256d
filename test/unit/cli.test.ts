import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { DEMO_CONFIG, demoDir } from '../support/demo.js';
import { decisionLogLines, decisionLogText } from '../support/decision-log.js';

const NOW = '2026-11-22T12:00:00Z';
const nowMs = Date.parse(NOW);
let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

async function cli(args: string[], env: Record<string, string> = {}, cwd = process.cwd()) {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { ...env },
    cwd,
    isTTY: false,
  });
  return { code, out, err };
}

function setup(scenario: 'healthy' | 'breach' = 'healthy') {
  const d = demoDir(nowMs, scenario);
  cleanups.push(d.cleanup);
  return { dir: d.dir, env: { ROLLOUT_DEMO_DIR: d.dir } };
}

describe('rollout-gate CLI', () => {
  it('evaluate: PROCEED exits 0 and prints the gate table without colour', async () => {
    const { env } = setup();
    const r = await cli(['evaluate', '--config', DEMO_CONFIG, '--now', NOW], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('rollout-gate chat-v1.1: PROCEED');
    expect(r.out).toMatch(/write_receipt_p95_ms\s+.*<\s*1500\s+1h, failAfter 5m, every 30s\s+pass/);
    expect(r.out).not.toContain('\u001b[');
  });

  it('evaluate: a P0 breach exits 4 (ROLLBACK) and names the gate', async () => {
    const { env } = setup('breach');
    const r = await cli(['evaluate', '--config', DEMO_CONFIG, '--now', NOW], env);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/ack_without_receipt_rate: \d+ of \d+ samples over 1h break == 0/);
  });

  it('evaluate: HOLD exits 3 (minDuration replayed with --now)', async () => {
    const { env } = setup();
    // Three hours in canary_10 at NOW; one hour earlier it had been in it for two hours... minus one.
    const early = new Date(nowMs - 1.5 * 3_600_000).toISOString();
    const r = await cli(['evaluate', '--config', DEMO_CONFIG, '--now', early], env);
    expect(r.code).toBe(3);
    expect(r.out).toContain('in canary_10 for 1h30m of the minimum 2h');
  });

  it('--json prints the snapshot document', async () => {
    const { env } = setup();
    const r = await cli(['evaluate', '--config', DEMO_CONFIG, '--now', NOW, '--json'], env);
    const snap = JSON.parse(r.out);
    expect(snap).toMatchObject({ schemaVersion: 1, decision: 'PROCEED', rollout: 'chat-v1.1', at: '2026-11-22T12:00:00.000Z' });
    expect(snap.gates).toHaveLength(8);
    expect(snap.gates[0]).toMatchObject({ name: 'ack_without_receipt_rate', status: 'pass', samples: 121 }) // both ends of the hour, 30 s apart;
  });

  it('promote writes the new state, a history entry, the evidence and a decision-log line', async () => {
    const { dir, env } = setup();
    const r = await cli(['promote', '--config', DEMO_CONFIG, '--now', NOW, '--actor', 'alice'], env);
    expect(r.code).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ stage: 'canary_50', enteredAt: '2026-11-22T12:00:00.000Z' });
    expect(state.history.at(-1)).toMatchObject({ from: 'canary_10', to: 'canary_50', decision: 'PROCEED', actor: 'alice', forced: false });
    const runs = readdirSync(join(dir, 'evidence/chat-v1.1'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^20261122T120000Z-canary_10-to-canary_50-[0-9a-f]{6}$/);
    const evidence = join(dir, 'evidence/chat-v1.1', runs[0]!);
    expect(JSON.parse(readFileSync(join(evidence, 'snapshot.json'), 'utf8')).decision).toBe('PROCEED');
    expect(readFileSync(join(evidence, 'go-no-go.md'), 'utf8')).toContain('| Decision | **PROCEED** |');
    const log = decisionLogText(dir, 'chat-v1.1').trim().split('\n');
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!)).toMatchObject({ from: 'canary_10', to: 'canary_50', decision: 'PROCEED', actor: 'alice' });

    // The next promotion is held: canary_50 needs 12 h.
    const again = await cli(['promote', '--config', DEMO_CONFIG, '--now', NOW], env);
    expect(again.code).toBe(3);
    expect(decisionLogText(dir, 'chat-v1.1').trim().split('\n')).toHaveLength(2);
  });

  it('a HOLD promote leaves the state untouched but logs the decision', async () => {
    const { dir, env } = setup();
    const before = readFileSync(join(dir, 'state.json'), 'utf8');
    const r = await cli(['promote', '--config', DEMO_CONFIG, '--now', new Date(nowMs - 2 * 3_600_000).toISOString()], env);
    expect(r.code).toBe(3);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(before);
    expect(decisionLogText(dir, 'chat-v1.1')).not.toBe('');
  });

  it('--force with --reason promotes through a HOLD and records it; without --reason it is a usage error', async () => {
    const { dir, env } = setup();
    const early = new Date(nowMs - 2 * 3_600_000).toISOString();
    expect((await cli(['promote', '--config', DEMO_CONFIG, '--now', early, '--force'], env)).code).toBe(2);
    const r = await cli(['promote', '--config', DEMO_CONFIG, '--now', early, '--force', '--reason', 'incident 7 fix', '--actor', 'bob'], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PROCEED (forced)');
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state.history.at(-1)).toMatchObject({ forced: true, actor: 'bob', reason: 'incident 7 fix' });
  });

  it('--force never overrides ROLLBACK', async () => {
    const { dir, env } = setup('breach');
    const r = await cli(['promote', '--config', DEMO_CONFIG, '--now', NOW, '--force', '--reason', 'please'], env);
    expect(r.code).toBe(4);
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).stage).toBe('canary_10');
  });

  it('rollback moves to the previous stage, records lastRollbackAt and can engage the kill switch', async () => {
    const { dir, env } = setup();
    const r = await cli(['rollback', '--config', DEMO_CONFIG, '--now', NOW, '--kill-switch', '--reason', 'dup messages', '--actor', 'carol'], env);
    expect(r.code).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ stage: 'canary_1', killSwitch: true, lastRollbackAt: '2026-11-22T12:00:00.000Z' });
    expect(state.history.at(-1)).toMatchObject({ from: 'canary_10', to: 'canary_1', decision: 'ROLLBACK', actor: 'carol' });
    // With the kill switch engaged every evaluation is a ROLLBACK.
    expect((await cli(['evaluate', '--config', DEMO_CONFIG, '--now', new Date(nowMs + 86_400_000).toISOString()], env)).code).toBe(4);
  });

  it('resume releases the kill switch, keeps the stage and the rollback time, and records who and why', async () => {
    const { dir, env } = setup();
    const later = (h: number) => new Date(nowMs + h * 3_600_000).toISOString();
    // Nothing to resume while the kill switch is off.
    const notEngaged = await cli(['resume', '--config', DEMO_CONFIG, '--now', NOW, '--reason', 'x'], env);
    expect(notEngaged).toMatchObject({ code: 2 });
    expect(notEngaged.err).toContain('the rollout is neither paused nor stopped by the kill switch');
    expect((await cli(['rollback', '--config', DEMO_CONFIG, '--now', NOW, '--kill-switch', '--reason', 'dup messages', '--actor', 'carol'], env)).code).toBe(0);
    const engaged = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));

    const noReason = await cli(['resume', '--config', DEMO_CONFIG, '--now', later(1)], env);
    expect(noReason).toMatchObject({ code: 2 });
    expect(noReason.err).toContain('resume needs a reason');
    const withTarget = await cli(['resume', '--config', DEMO_CONFIG, '--now', later(1), '--reason', 'fixed', '--target', 'canary_10'], env);
    expect(withTarget).toMatchObject({ code: 2 });
    expect(withTarget.err).toContain('takes no target stage');
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual(engaged);

    const r = await cli(['resume', '--config', DEMO_CONFIG, '--now', later(1), '--reason', 'fixed in 1.1.1', '--actor', 'dave'], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('kill switch released at canary_1: fixed in 1.1.1');
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ stage: 'canary_1', killSwitch: false, enteredAt: engaged.enteredAt, lastRollbackAt: engaged.lastRollbackAt });
    expect(state.history).toHaveLength(engaged.history.length + 1);
    expect(state.history.at(-1)).toMatchObject({ at: later(1), from: 'canary_1', to: 'canary_1', actor: 'dave' });
    expect(state.history.at(-1).reason).toContain('fixed in 1.1.1');
    const log = decisionLogLines(dir, 'chat-v1.1');
    expect(log.at(-1)).toMatchObject({ command: 'resume', actor: 'dave', stateChanged: true, from: 'canary_1', to: 'canary_1' });
    const doc = readFileSync(join(dir, log.at(-1)!.evidencePath, 'go-no-go.md'), 'utf8');
    expect(doc).toContain('Operator action (resume): no gates were evaluated.');
    expect(doc).not.toContain('NO-GO');

    // Promotions are decided again, and the cooldown after the rollback still holds.
    const next = await cli(['evaluate', '--config', DEMO_CONFIG, '--now', later(2)], env);
    expect(next.code).toBe(3);
    // The kill switch passes (collapsed with the other passing ramp checks); the cooldown fails, in full.
    expect(next.out).toMatch(/ramp: \d+ other checks pass \(kill switch, /);
    expect(next.out).not.toContain('the kill switch is engaged');
    expect(next.out).toMatch(/FAIL {2}cooldown +last rollback 2h ago; cooldown 1d ends in 22h/);
    expect((await cli(['resume', '--config', DEMO_CONFIG, '--now', later(3), '--reason', 'again'], env)).code).toBe(2);
  });

  it('resume is an override: with rollout.forceAllowed set only those actors may release the kill switch', async () => {
    const { dir, env } = setup();
    const config = join(dir, 'guarded.yml');
    writeFileSync(config, readFileSync(DEMO_CONFIG, 'utf8').replace('  name: chat-v1.1\n', '  name: chat-v1.1\n  forceAllowed: [alice]\n'));
    expect((await cli(['rollback', '--config', config, '--now', NOW, '--kill-switch', '--reason', 'dup', '--actor', 'carol'], env)).code).toBe(0);
    const refused = await cli(['resume', '--config', config, '--now', NOW, '--reason', 'fixed', '--actor', 'mallory'], env);
    expect(refused).toMatchObject({ code: 2 });
    expect(refused.err).toContain('mallory is not in rollout.forceAllowed');
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).killSwitch).toBe(true);
    expect((await cli(['resume', '--config', config, '--now', NOW, '--reason', 'fixed', '--actor', 'Alice'], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).killSwitch).toBe(false);
  });

  it('--dry-run writes nothing', async () => {
    const { dir, env } = setup();
    const before = readFileSync(join(dir, 'state.json'), 'utf8');
    expect((await cli(['promote', '--config', DEMO_CONFIG, '--now', NOW, '--dry-run'], env)).code).toBe(0);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'decision-log'))).toBe(false);
    expect(existsSync(join(dir, 'evidence'))).toBe(false);
  });

  it('explain prints a past snapshot.json', async () => {
    const { dir, env } = setup('breach');
    await cli(['evaluate', '--config', DEMO_CONFIG, '--now', NOW], env);
    const run = readdirSync(join(dir, 'evidence/chat-v1.1'))[0]!;
    const r = await cli(['explain', join(dir, 'evidence/chat-v1.1', run, 'snapshot.json')]);
    expect(r.code).toBe(4);
    expect(r.out).toContain('rollout-gate chat-v1.1: ROLLBACK');
    expect(r.out).toContain('ack_without_receipt_rate');
  });

  it('validate prints the plan: stages and which gates apply to each transition', async () => {
    const { env } = setup();
    const r = await cli(['validate', '--config', DEMO_CONFIG], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/canary_10 → canary_50: 8 gates/);
    expect(r.out).toMatch(/canary_1 → canary_10: 7 gates/);
    expect(r.out).toContain('major    error_rate [metrics] < 0.005 over 30m');
    expect(r.out).toContain('  watch: a failing critical gate → rollback, a failing major gate → pause');
    expect(r.out).not.toContain('notify:');
  });

  it('validate names the watch policy, the notifications and apply, and no secret', async () => {
    const { dir, env } = setup();
    const config = join(dir, 'notify.yml');
    writeFileSync(config, `${readFileSync(DEMO_CONFIG, 'utf8')}watch: { onCritical: rollback-and-kill, onMajor: report }
notify:
  - { type: slack, url: "https://hooks.slack.com/services/\${SLACK_PATH}" }
  - { type: webhook, url: "https://hooks.internal/rollout", secret: "\${HOOK_SECRET}", on: [HOLD, ROLLBACK] }
apply: { url: "https://flags.internal/rollouts/chat", headers: { Authorization: "Bearer \${FLAGS_TOKEN}" } }
`);
    const r = await cli(['validate', '--config', config], { ...env, SLACK_PATH: 'T1/B2/slack-secret-path', HOOK_SECRET: 'hook-secret-1', FLAGS_TOKEN: 'flags-token-1' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('  watch: a failing critical gate → rollback-and-kill, a failing major gate → report');
    expect(r.out).toContain('  notify: slack on ROLLBACK, state-change; webhook on HOLD, ROLLBACK');
    expect(r.out).toContain('  apply: PUT on every promotion and rollback');
    for (const secret of ['slack-secret-path', 'hook-secret-1', 'flags-token-1']) expect(r.out + r.err).not.toContain(secret);
  });

  it.each([
    [['frobnicate'], 2, 'unknown command "frobnicate"'],
    [['evaluate', '--bogus'], 2, 'unknown option --bogus (rollout-gate --help lists the options)'],
    [['evaluate', '--now', 'yesterday'], 2, '--now: "yesterday" is not an ISO-8601 instant'],
    [['explain'], 2, 'explain needs the path of a snapshot.json'],
    [['explain', '/nonexistent/snapshot.json'], 2, 'cannot read (ENOENT)'],
    [[], 2, 'usage:'],
  ])('usage error %j exits %i', async (args, code, message) => {
    const { env } = setup();
    const r = await cli([...args, ...(args[0] === 'evaluate' ? ['--config', DEMO_CONFIG] : [])], env);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
  });

  it('an invalid config exits 2 naming the file and every path, without a stack trace', async () => {
    const { dir } = setup();
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'version: 1\nrollout:\n  name: x\n  stages: [{ name: a, traffic: 1 }]\ngates:\n  - { name: g, provider: nope, query: q, pass: "<< 3" }\n  - { name: g, provider: nope, query: q, pass: "< 3", ovr: 5m }\n');
    const r = await cli(['evaluate', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}: `);
    expect(r.err).toContain('gates[0].pass');
    expect(r.err).toContain('gates[1].ovr: unknown key');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a missing ${VAR} is a config error naming the variable and the path', async () => {
    const r = await cli(['evaluate', '--config', DEMO_CONFIG]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('providers.metrics.path: environment variable ROLLOUT_DEMO_DIR is not set');
  });

  it('a corrupt state file is a clear error (exit 1), never a stack trace', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'state.json'), '{"stage": 42, "history": {}}');
    const r = await cli(['evaluate', '--config', DEMO_CONFIG, '--now', NOW], env);
    expect(r.code).toBe(1);
    expect(r.err).toContain('stage must be a stage name or null');
    expect(r.err).toContain('history must be a list');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a provider that fails becomes no data for its gate, not a crash', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'metrics.json'), '{ truncated');
    const r = await cli(['evaluate', '--config', DEMO_CONFIG, '--now', NOW], env);
    expect(r.code).toBe(3);
    expect(r.out).toContain('no data: ');
    expect(r.out).toContain('not valid JSON');
  });
});
