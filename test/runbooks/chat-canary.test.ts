import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from '../support/demo.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';
import { cli, explain, rampCheck, runbookConfig, tempDir } from './support.js';
import { decisionLogLines } from '../support/decision-log.js';

/**
 * examples/runbooks/chat-canary end to end: the CLI against a real PostgreSQL holding the chat
 * service's schema (examples/postgres/schema.sql): the gates are its SQL, and the stage and the
 * kill switch are its state row, moved through its own state function.
 */

const SCHEMA = join(ROOT, 'examples/postgres/schema.sql');
const HOUR_MS = 3_600_000;

let server: PostgresServer | undefined;
let admin: pg.Client;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  if (!postgresAvailable) return;
  server = await startPostgres({ schemaFiles: [SCHEMA] });
  admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('chat'));
  if (!server) return;
  await admin.query('truncate public.chat_v11_invariant_events, public.chat_v11_metric_samples, public.chat_v11_rollout_state, public.chat_v11_rollout_audit');
  // A healthy hour, a sample every 30 s: p95 900 ms with a 3-minute spike to 1700 ms half an
  // hour ago (shorter than failAfter 5m), error rate 0.15%.
  const rows: string[] = [];
  for (let i = 0; i < 120; i++) {
    const spike = i >= 60 && i < 66;
    rows.push(`('write_receipt_p95_ms', now() - interval '${i * 30} seconds', ${spike ? 1700 : 900})`);
    rows.push(`('error_rate', now() - interval '${i * 30} seconds', 0.0015)`);
  }
  await admin.query(`insert into public.chat_v11_metric_samples (metric, ts, value) values ${rows.join(',')}`);
  // The rollout has been in canary_10 for three hours.
  await admin.query(`insert into public.chat_v11_rollout_state (rollout, stage, entered_at) values ('chat-v1.1', 'canary_10', now() - interval '3 hours')`);
});
afterEach(async () => {
  await removeDir();
});

const run = (args: string[]) =>
  cli([...args, '--config', runbookConfig('chat-canary'), '--actor', 'oncall', '--json'], { cwd: dir, env: { DATABASE_URL: server!.url } });

async function stateRow() {
  const { rows } = await admin.query<{ stage: string; kill_switch: boolean; last_rollback_at: Date | null; entered_at: Date }>(
    "select stage, kill_switch, last_rollback_at, entered_at from public.chat_v11_rollout_state where rollout = 'chat-v1.1'",
  );
  return rows[0]!;
}
const audit = async () => (await admin.query<{ from_stage: string; to_stage: string; kill_switch: boolean; reason: string; actor: string }>('select from_stage, to_stage, kill_switch, reason, actor from public.chat_v11_rollout_audit order by id')).rows;

describe.skipIf(!postgresAvailable)('runbook chat-canary: SQL gates and the state row in PostgreSQL', () => {
  it('a healthy canary promotes 10% → 50% through the state function, then holds for the stage\'s 12 hours', async () => {
    const evaluate = await run(['evaluate']);
    expect(evaluate.code, explain(evaluate)).toBe(0);
    expect(evaluate.snapshot!.transition).toMatchObject({ from: 'canary_10', to: 'canary_50' });
    const p95 = evaluate.snapshot!.gates.find((g) => g.name === 'write_receipt_p95_ms')!;
    expect(p95).toMatchObject({ status: 'pass', value: 900 });
    expect(p95.reason).toMatch(/shorter than failAfter 5m|failAfter/);

    const promote = await run(['promote']);
    expect(promote.code, explain(promote)).toBe(0);
    expect(await stateRow()).toMatchObject({ stage: 'canary_50', kill_switch: false });
    expect(await audit()).toEqual([expect.objectContaining({ from_stage: 'canary_10', to_stage: 'canary_50', kill_switch: false, actor: 'oncall' })]);
    // The evidence of both runs stays local, under the state's evidenceDir.
    const log = decisionLogLines(join(dir, '.rollout'), 'chat-v1.1') as { command: string; decision: string }[];
    expect(log.map((l) => [l.command, l.decision])).toEqual([['evaluate', 'PROCEED'], ['promote', 'PROCEED']]);

    const next = await run(['evaluate']);
    expect(next.code, explain(next)).toBe(3);
    expect(next.snapshot!.transition).toMatchObject({ from: 'canary_50', to: 'full' });
    expect(next.snapshot!.failedGates).toEqual([]);
    expect(rampCheck(next.snapshot!, 'min_duration')).toMatchObject({ ok: false, detail: expect.stringContaining('minimum 12h') });
  });

  it('a P0 invariant breach (a duplicate message) rolls back, whatever the other gates say', async () => {
    await admin.query("insert into public.chat_v11_invariant_events (kind, at) values ('duplicate_message', now() - interval '10 minutes')");
    const r = await run(['evaluate']);
    expect(r.code, explain(r)).toBe(4);
    expect(r.snapshot!.decision).toBe('ROLLBACK');
    expect(r.snapshot!.failedGates).toEqual(['gate_p0_ok']);
    expect(await stateRow()).toMatchObject({ stage: 'canary_10' });
  });

  it('the kill switch: a rollback engages it in the state row, every evaluation is then a ROLLBACK until resume', async () => {
    const rollback = await run(['rollback', '--kill-switch', '--reason', 'duplicate messages in canary']);
    expect(rollback.code, explain(rollback)).toBe(0);
    const row = await stateRow();
    expect(row).toMatchObject({ stage: 'canary_1', kill_switch: true });
    expect(row.last_rollback_at).not.toBeNull();
    expect((await audit()).at(-1)).toMatchObject({ from_stage: 'canary_10', to_stage: 'canary_1', kill_switch: true, reason: expect.stringContaining('duplicate messages in canary') });

    const killed = await run(['evaluate']);
    expect(killed.code, explain(killed)).toBe(4);
    expect(rampCheck(killed.snapshot!, 'kill_switch')).toMatchObject({ ok: false });

    const resume = await run(['resume', '--reason', 'fix deployed in 1.1.1']);
    expect(resume.code, explain(resume)).toBe(0);
    expect(await stateRow()).toMatchObject({ stage: 'canary_1', kill_switch: false });
    // Released, the rollout still waits out the 24 h cooldown after the rollback.
    const after = await run(['evaluate']);
    expect(after.code, explain(after)).toBe(3);
    expect(rampCheck(after.snapshot!, 'cooldown')).toMatchObject({ ok: false });
  });

  it('an operator can engage the kill switch by hand with the runbook\'s own function', async () => {
    await admin.query("select * from public.chat_set_v11_rollout_state('canary_10', true, 'kill: pager storm')");
    const r = await run(['evaluate']);
    expect(r.code, explain(r)).toBe(4);
    expect(r.snapshot!.reasons.join(' ')).toMatch(/kill switch/i);
    expect(Date.now() - (await stateRow()).entered_at.getTime()).toBeGreaterThan(2 * HOUR_MS);
  });
});
