import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile, type Config } from '../../src/config/load.js';
import { decide } from '../../src/engine/decide.js';
import type { RolloutState } from '../../src/engine/model.js';
import type { Logger } from '../../src/logger.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';
import { emptyContext } from '../../src/report/snapshot.js';
import { runRollout } from '../../src/run.js';
import { postgresStateStore, type PostgresStateConfig } from '../../src/state/postgres.js';
import { StateConflictError, StateError, type StateWrite } from '../../src/state/types.js';
import { configText, gateResult, runGates } from '../servers/gates.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';

const root = resolve(import.meta.dirname, '../..');
const EXAMPLE = join(root, 'examples/postgres.yml');
const SCHEMA = join(root, 'examples/postgres/schema.sql');
const HOUR = 3_600_000;

/** Every line any part of the run logged, to prove a secret never reached it. */
function recordingLogger(lines: string[]): Logger {
  return { debug: (m) => lines.push(m), info: (m) => lines.push(m), warning: (m) => lines.push(m) };
}

describe.skipIf(!postgresAvailable)('postgres provider and state against a real PostgreSQL', () => {
  let server: PostgresServer;
  let admin: pg.Client;
  let work: string;

  beforeAll(async () => {
    server = await startPostgres({ schemaFiles: [SCHEMA] });
    admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    work = await mkdtemp(join(tmpdir(), 'rg-pg-work-'));
  });

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const example = (): Config => loadConfigFile(EXAMPLE, { DATABASE_URL: server.url });

  /** A healthy hour: no P0 breach, p95 800 ms, error rate 0.2%, a sample every 30 s. */
  async function healthyHour(p95: (i: number) => number = () => 800): Promise<void> {
    await admin.query('truncate public.chat_v11_invariant_events, public.chat_v11_metric_samples, public.chat_v11_rollout_state, public.chat_v11_rollout_audit');
    const values: string[] = [];
    for (let i = 0; i < 120; i++) {
      values.push(`('write_receipt_p95_ms', now() - interval '${i * 30} seconds', ${p95(i)})`);
      values.push(`('error_rate', now() - interval '${i * 30} seconds', 0.002)`);
    }
    await admin.query(`insert into public.chat_v11_metric_samples (metric, ts, value) values ${values.join(',')}`);
  }

  async function stateAt(stage: string, enteredMsAgo: number): Promise<void> {
    await admin.query(
      `insert into public.chat_v11_rollout_state (rollout, stage, entered_at) values ('chat-v1.1', $1, now() - $2 * interval '1 millisecond')
       on conflict (rollout) do update set stage = excluded.stage, entered_at = excluded.entered_at, kill_switch = false, last_rollback_at = null, history = '[]'`,
      [stage, enteredMsAgo],
    );
  }

  async function evaluate(config: Config, state: RolloutState, target: string, logLines: string[] = []) {
    const redactor = new Redactor(config.secrets);
    const nowMs = Date.now();
    const { observations, deadlineExceeded } = await collectObservations({
      gates: config.gates,
      providers: config.providers,
      factories: defaultFactories,
      nowMs,
      target,
      cwd: work,
      logger: recordingLogger(logLines),
      redactor,
      deadlineAt: nowMs + 60_000,
    });
    return {
      observations,
      decision: decide({ plan: config.rollout, gates: config.gates, state, target, observations, nowMs, deadlineExceeded }),
    };
  }

  function storeOf(config: Config, overrides: Partial<PostgresStateConfig> = {}, logLines: string[] = []) {
    const state = { ...(config.state as PostgresStateConfig), evidenceDir: join(work, 'evidence'), ...overrides };
    return postgresStateStore(state, { rollout: config.rollout.name, cwd: work, redactor: new Redactor(config.secrets), logger: recordingLogger(logLines) });
  }

  const change = (state: RolloutState | null, expectedVersion: string | null, run: string): StateWrite => ({
    expectedVersion,
    state,
    evidence: [{ path: `evidence/chat-v1.1/${run}/snapshot.json`, content: `{"run":"${run}"}\n` }],
    decisionLog: { path: 'decision-log/chat-v1.1.jsonl', line: JSON.stringify({ run }) },
    message: `run ${run}`,
  });

  function promoted(from: RolloutState, to: string, actor: string): RolloutState {
    const at = new Date().toISOString();
    return {
      ...from,
      stage: to,
      enteredAt: at,
      history: [...from.history, { at, from: from.stage, to, decision: 'PROCEED', forced: false, actor, reason: null, evidence: null }],
    };
  }

  describe('gates from the SQL functions', () => {
    beforeEach(async () => {
      await healthyHour();
      await stateAt('canary_1', 2 * HOUR);
    });

    it('PROCEEDs to canary_10 when every gate of the runbook holds', async () => {
      const config = example();
      const store = storeOf(config);
      try {
        const { state } = await store.read();
        expect(state?.stage).toBe('canary_1');
        const { decision, observations } = await evaluate(config, state!, 'canary_10');
        expect(decision.reasons).toEqual(['every applicable gate and ramp rule passed']);
        expect(decision.decision).toBe('PROCEED');
        const byName = Object.fromEntries(decision.gates.map((g) => [g.name, g]));
        expect(byName.gate_p0_ok!.value).toBe(true);
        expect(byName.gate_p1_ok!.value).toBe(true);
        expect(byName.write_receipt_p95_ms!.samples).toBeGreaterThanOrEqual(118);
        expect(byName.error_rate!.value).toBeCloseTo(0.002);
        // The whole row the function returned is kept for the evidence.
        expect(observations.get('gate_p1_ok')!.detail).toMatchObject({ row: { rollout_decision: 'proceed', write_receipt_p95_ms: 800 } });
      } finally {
        await store.close!();
      }
    });

    it('ROLLs BACK on a P0 breach (a critical gate), and says which gate', async () => {
      await admin.query(`insert into public.chat_v11_invariant_events (kind, at) values ('ack_without_receipt', now() - interval '5 minutes')`);
      const config = example();
      const { decision } = await evaluate(config, { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: new Date(Date.now() - 2 * HOUR).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10');
      expect(decision.decision).toBe('ROLLBACK');
      expect(decision.failedGates).toEqual(['gate_p0_ok']);
      expect(decision.reasons[0]).toMatch(/^gate_p0_ok: false breaks == true/);
    });
  });

  describe('a time series from SQL under failAfter', () => {
    const state: RolloutState = { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: new Date(Date.now() - 2 * HOUR).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [] };

    it('passes a p95 spike of 2 minutes (shorter than failAfter 5m)', async () => {
      // Samples 40..43 (20 to 21.5 minutes ago) at 2400 ms.
      await healthyHour((i) => (i >= 40 && i <= 43 ? 2400 : 800));
      const { decision } = await evaluate(example(), state, 'canary_10');
      const gate = decision.gates.find((g) => g.name === 'write_receipt_p95_ms')!;
      expect(gate.status).toBe('pass');
      expect(gate.max).toBe(2400);
      expect(gate.violations).toBe(4);
      expect(decision.decision).toBe('PROCEED');
    });

    it('HOLDs on a p95 breach of 10 minutes (longer than failAfter 5m)', async () => {
      await healthyHour((i) => (i >= 40 && i < 60 ? 2400 : 800));
      const { decision } = await evaluate(example(), state, 'canary_10');
      const gate = decision.gates.find((g) => g.name === 'write_receipt_p95_ms')!;
      expect(gate.status).toBe('fail');
      expect(decision.decision).toBe('HOLD');
      expect(decision.failedGates).toEqual(['write_receipt_p95_ms']);
    });
  });

  describe('compare gates from SQL rows, with the window bound as :start and :end', () => {
    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    const DAY = 24 * HOUR;
    const provider = () => `db: { type: postgres, url: "${server.url}" }`;
    const rows = (metric: string) => `select ts, value from public.chat_v11_metric_samples where metric = '${metric}' and ts > :start and ts <= :end order by ts`;

    /** 55 samples 30 s apart ending at `endMs`: `level` plus a fixed wobble of ±5 that averages to 0 (the order depends on `stride`). */
    async function series(metric: string, endMs: number, level: number, stride = 37): Promise<void> {
      const values: string[] = [];
      for (let i = 0; i < 55; i++) values.push(`('${metric}', to_timestamp(${(endMs - i * 30_000) / 1000}), ${level + ((i * stride) % 11) - 5})`);
      await admin.query(`insert into public.chat_v11_metric_samples (metric, ts, value) values ${values.join(',')}`);
    }

    beforeEach(async () => {
      await admin.query('truncate public.chat_v11_metric_samples');
      await series('cmp_p95', nowMs - 7 * DAY, 100);
      await series('cmp_p95', nowMs, 130);
      await series('cmp_p95_stable', nowMs, 130, 53);
    });

    it('baselineOffset: 7d reads the same query over the window a week earlier: +30% fails; a stable side drawn alike passes', async () => {
      const run = await runGates(
        configText(
          provider(),
          `- { name: week, provider: db, query: "${rows('cmp_p95')}", over: 30m, baselineOffset: 7d, compare: { allowedChange: "10%" } }
- { name: stable, provider: db, query: "${rows('cmp_p95')}", baseline: "${rows('cmp_p95_stable')}", over: 30m, compare: { direction: either } }`,
        ),
        { nowMs },
      );
      const week = gateResult(run, 'week');
      expect(week.status, week.reason).toBe('fail');
      expect(week.stats).toMatchObject({ n: 55, m: 55, meanX: 130, meanY: 100, classification: 'high', estimate: 30 });
      expect(week.reason).toMatch(/^\+30% vs 7d earlier \(98% CI \+\d+%…\+\d+% of the baseline mean, p < 0\.0001; mean \+30%; effective samples \d+(\.\d)? of 55 and \d+(\.\d)? of 55\): fails \(allowed \+10%\)$/);
      // The baseline's rows are from a week ago, moved onto the window.
      expect(week.baselineSeries[0]![0]).toBeGreaterThan((nowMs - 30 * 60_000) / 1000);
      expect(week.baselineSeries.at(-1)![0]).toBe(nowMs / 1000);

      const stable = gateResult(run, 'stable');
      expect(stable.status, stable.reason).toBe('pass');
      expect(stable.stats).toMatchObject({ meanX: 130, meanY: 130, estimate: 0, classification: 'pass' });
      expect(run.decision.failedGates).toEqual(['week']);
    });

    it(':start in a gate without over, or a parameter it does not know, is an error naming the gate', async () => {
      const run = await runGates(
        configText(
          provider(),
          `- { name: instant, provider: db, query: "select count(*) from public.chat_v11_metric_samples where ts > :start", pass: "> 0" }
- { name: typo, provider: db, query: "select ts, value from public.chat_v11_metric_samples where ts > :start and ts <= :ende", pass: "> 0", over: 30m }
- { name: now, provider: db, query: "select count(*) from public.chat_v11_metric_samples where metric = 'cmp_p95' and ts <= :now", pass: "== 110" }`,
        ),
        { nowMs },
      );
      expect(gateResult(run, 'instant').error).toMatch(/gate "instant": :start is the window's start; the gate needs `over` to have one/);
      expect(gateResult(run, 'typo').error).toMatch(/gate "typo": unknown parameter :ende; the statement can use :start :end :now/);
      expect(gateResult(run, 'now').status).toBe('pass');
    });
  });

  describe('gate queries are read-only and well-formed', () => {
    const gateConfig = (query: string, extra: Record<string, unknown> = {}, url = server.url): Config => {
      const base = example();
      const gate = { ...base.gates[0]!, name: 'probe', query, severity: 'major' as const, ...extra };
      return { ...base, gates: [gate], providers: { ...base.providers, chatdb: { type: 'postgres', url, timeout: '5s' } } };
    };
    const probe = async (query: string, extra: Record<string, unknown> = {}) => {
      const { observations } = await evaluate(gateConfig(query, extra), { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10');
      return observations.get('probe')!;
    };
    const snapshotOfDb = async () => ({
      state: (await admin.query('select stage, kill_switch from public.chat_v11_rollout_state')).rows,
      audit: Number((await admin.query('select count(*) from public.chat_v11_rollout_audit')).rows[0].count),
      events: Number((await admin.query('select count(*) from public.chat_v11_invariant_events')).rows[0].count),
    });

    beforeEach(async () => {
      await healthyHour();
      await stateAt('canary_1', HOUR);
    });

    it.each([
      ['a function that writes', "select stage from public.chat_set_v11_rollout_state('full', false, 'sneaky')", /cannot execute [A-Z ]+ in a read-only transaction \(SQLSTATE 25006\)/],
      ['an INSERT … RETURNING', "insert into public.chat_v11_invariant_events (kind) values ('duplicate_message') returning 1", /cannot execute INSERT in a read-only transaction/],
      ['a data-modifying CTE', 'with gone as (delete from public.chat_v11_invariant_events returning 1) select count(*) from gone', /cannot execute [A-Z ]+ in a read-only transaction \(SQLSTATE 25006\)/],
      ['a COMMIT smuggled in before a write', "select 1; commit; update public.chat_v11_rollout_state set stage = 'full'", /cannot insert multiple commands into a prepared statement/],
    ])('refuses %s and leaves the database unchanged', async (_what, query, message) => {
      const before = await snapshotOfDb();
      const obs = await probe(query);
      expect(obs.samples).toEqual([]);
      expect(obs.error).toMatch(message);
      expect(obs.error).toContain('gate "probe"');
      expect(await snapshotOfDb()).toEqual(before);
    });

    it('turns more than one row without `over` into an error naming the gate', async () => {
      const obs = await probe('select value from public.chat_v11_metric_samples where metric = \'error_rate\' limit 3');
      expect(obs.error).toMatch(/gate "probe": the query returned 3 rows; a gate without `over` needs exactly one/);
    });

    it('treats zero rows and a NULL as no data, not as a value', async () => {
      expect((await probe("select value from public.chat_v11_metric_samples where metric = 'nope'")).noDataReason).toBe('the query returned no rows');
      expect((await probe('select null::numeric as v')).noDataReason).toBe('column "v" is NULL');
    });

    it('reads numeric strings and booleans, and names the column when select is missing', async () => {
      expect((await probe('select 0.25::numeric as ratio')).samples[0]![1]).toBe(0.25);
      expect((await probe('select count(*) from public.chat_v11_metric_samples')).samples[0]![1]).toBe(240);
      expect((await probe('select gate_p0_ok, gate_p1_ok from public.chat_get_v11_release_gates()')).error).toMatch(/returns 2 columns \("gate_p0_ok", "gate_p1_ok"\); set `select`/);
      expect((await probe('select * from public.chat_get_v11_release_gates()', { select: 'no_such' })).error).toMatch(/select names column "no_such", but the query returns "p0_breaches_1h"/);
    });

    it('cancels a query at the provider timeout (statement_timeout) and leaves nothing running', async () => {
      const config = gateConfig('select pg_sleep(30)::text');
      config.providers.chatdb = { type: 'postgres', url: server.url, timeout: '1s' };
      const started = Date.now();
      const { observations } = await evaluate(config, { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(observations.get('probe')!.error).toMatch(/canceling statement due to statement timeout \(SQLSTATE 57014\)/);
      // The server is not left sleeping once the run has closed its pool.
      const running = await admin.query("select count(*) from pg_stat_activity where query like 'select pg_sleep(30)%' and state = 'active'");
      expect(Number(running.rows[0].count)).toBe(0);
    });

    it('a server that accepts but never answers is no data within the timeout, not a hang', async () => {
      const sockets: Socket[] = [];
      const silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
      try {
        const port = (silent.address() as { port: number }).port;
        const config = gateConfig('select 1', {}, `postgres://${server.user}:x@127.0.0.1:${port}/${server.database}`);
        config.providers.chatdb = { type: 'postgres', url: `postgres://${server.user}:x@127.0.0.1:${port}/${server.database}`, timeout: '1s' };
        const t0 = Date.now();
        const { observations } = await evaluate(config, { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10');
        expect(Date.now() - t0).toBeLessThan(4_000);
        expect(observations.get('probe')!.error).toMatch(/no connection within the timeout|timed out after 1s/);
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((ok) => silent.close(() => ok()));
      }
    });

    it('`connections` caps the pool: 12 gates in flight never hold more connections than it allows', async () => {
      // Each gate counts the provider role's sessions while it holds its own.
      const count = `select (select count(*) from pg_stat_activity where usename = current_user and backend_type = 'client backend')::int as n from pg_sleep(0.05)`;
      for (const connections of [1, 3]) {
        const base = gateConfig(count);
        const config: Config = {
          ...base,
          providers: { ...base.providers, chatdb: { type: 'postgres', url: server.url, timeout: '5s', connections } },
          gates: Array.from({ length: 12 }, (_, i) => ({ ...base.gates[0]!, name: `probe_${i}` })),
        };
        const { observations } = await evaluate(config, { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10');
        const seen = [...observations.values()].map((o) => {
          expect(o.error ?? null).toBeNull();
          return o.samples.at(-1)![1] as number;
        });
        expect(Math.max(...seen)).toBeLessThanOrEqual(connections);
        if (connections > 1) expect(Math.max(...seen)).toBeGreaterThan(1);
      }
    });

    it('ssl settings reach the connection: TLS demanded of a server without it, or an unreadable CA file, is a clear error', async () => {
      const tls = gateConfig('select 1');
      tls.providers.chatdb = { type: 'postgres', url: server.url, ssl: true };
      const noTls = (await evaluate(tls, { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10')).observations.get('probe')!;
      expect(noTls.error).toMatch(/The server does not support SSL connections/);
      const ca = gateConfig('select 1');
      ca.providers.chatdb = { type: 'postgres', url: server.url, ssl: { caFile: 'certs/missing-ca.pem' } };
      const noCa = (await evaluate(ca, { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10')).observations.get('probe')!;
      expect(noCa.error).toBe('provider "chatdb" could not start: ssl.caFile certs/missing-ca.pem: cannot read it (ENOENT)');
    });

    it('reports a wrong password clearly, and the password appears nowhere', async () => {
      const wrong = 'Wr0ng-Passw0rd-xyz';
      const url = `postgres://${server.user}:${wrong}@${server.host}:${server.port}/${server.database}`;
      const config = gateConfig('select 1', {}, url);
      config.secrets = [wrong];
      const lines: string[] = [];
      const { observations, decision } = await evaluate(config, { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] }, 'canary_10', lines);
      const error = observations.get('probe')!.error!;
      expect(error).toMatch(/password authentication failed for user "rollout_gate"/);
      expect(decision.decision).toBe('HOLD');
      const store = storeOf({ ...config, state: { ...(config.state as PostgresStateConfig), url } }, {}, lines);
      const failure = await store.read().then(() => null, (e: unknown) => e as Error);
      await store.close!();
      expect(failure).toBeInstanceOf(StateError);
      expect(failure!.message).toMatch(/postgres state: cannot connect: password authentication failed for user "rollout_gate"/);
      const everything = JSON.stringify({ error, decision, state: failure!.message, lines });
      expect(everything).not.toContain(wrong);
      expect(everything).not.toContain(encodeURIComponent(wrong));
    });
  });

  describe('rollout state in postgres', () => {
    beforeEach(async () => {
      await healthyHour();
      await stateAt('canary_1', 2 * HOUR);
    });

    it('promotes through the write statement: row, audit, history, evidence and decision log', async () => {
      const store = storeOf(example());
      try {
        const read = await store.read();
        const next = promoted(read.state!, 'canary_10', 'alice');
        const result = await store.write(change(next, read.version, 'promote-1'));
        const row = (await admin.query("select stage, entered_at, kill_switch, history from public.chat_v11_rollout_state where rollout = 'chat-v1.1'")).rows[0];
        expect(row.stage).toBe('canary_10');
        expect(row.entered_at.toISOString()).toBe(next.enteredAt);
        expect(row.history.at(-1)).toMatchObject({ from: 'canary_1', to: 'canary_10', actor: 'alice', decision: 'PROCEED' });
        const audit = (await admin.query('select from_stage, to_stage, actor, reason from public.chat_v11_rollout_audit')).rows;
        expect(audit).toEqual([{ from_stage: 'canary_1', to_stage: 'canary_10', actor: 'alice', reason: 'run promote-1' }]);
        const after = await store.read();
        expect(after.state?.stage).toBe('canary_10');
        expect(after.version).toBe(result.version);
        expect(after.version).not.toBe(read.version);
        expect(result.evidencePath).toBe(join(work, 'evidence', 'evidence/chat-v1.1/promote-1'));
        expect(await readFile(join(result.evidencePath, 'snapshot.json'), 'utf8')).toBe('{"run":"promote-1"}\n');
        // The line is appended with its chain fields: the hash of the line before (none) and of the evidence.
        expect(await readFile(join(work, 'evidence', 'decision-log/chat-v1.1.jsonl'), 'utf8')).toContain('{"prev":null,"run":"promote-1","evidence":{"evidence/chat-v1.1/promote-1/snapshot.json":');
      } finally {
        await store.close!();
      }
    });

    it('lets exactly one of two concurrent promotes win; the other gets a conflict and writes nothing', async () => {
      const config = example();
      const a = storeOf(config);
      const b = storeOf(config);
      try {
        const [ra, rb] = await Promise.all([a.read(), b.read()]);
        expect(ra.version).toBe(rb.version);
        const outcomes = await Promise.allSettled([
          a.write(change(promoted(ra.state!, 'canary_10', 'alice'), ra.version, 'race-a')),
          b.write(change(promoted(rb.state!, 'canary_10', 'bob'), rb.version, 'race-b')),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(StateConflictError);
        expect(String(lost[0]!.reason.message)).toMatch(/changed since this run read it \(now canary_10\)/);
        const audit = (await admin.query('select actor from public.chat_v11_rollout_audit')).rows;
        expect(audit).toHaveLength(1);
        const winner = outcomes[0]!.status === 'fulfilled' ? 'alice' : 'bob';
        expect(audit[0].actor).toBe(winner);
        const history = (await admin.query('select history from public.chat_v11_rollout_state')).rows[0].history;
        expect(history.map((h: { actor: string }) => h.actor)).toEqual([winner]);
        // The loser's evidence is not written: its decision did not happen.
        const runs = await readdir(join(work, 'evidence', 'evidence/chat-v1.1'));
        expect(runs).toContain(`race-${winner === 'alice' ? 'a' : 'b'}`);
        expect(runs).not.toContain(`race-${winner === 'alice' ? 'b' : 'a'}`);
      } finally {
        await Promise.all([a.close!(), b.close!()]);
      }
    });

    it('two concurrent promote runs: one moves the rollout, the other re-reads and decides again', async () => {
      const config = example();
      // Both runs read the state before either writes (on a busy machine one run could otherwise
      // finish before the other starts, and there would be no race to test).
      let arrived = 0;
      let release!: () => void;
      const bothRead = new Promise<void>((resolve) => (release = resolve));
      const run = (actor: string) => {
        const inner = storeOf(config);
        let first = true;
        const store = {
          ...inner,
          read: async () => {
            const r = await inner.read();
            if (first) {
              first = false;
              if (++arrived === 2) release();
              await bothRead;
            }
            return r;
          },
        };
        return runRollout({
          config, command: 'promote', target: null, nowMs: Date.now(), store, factories: defaultFactories, cwd: work,
          logger: recordingLogger([]), redactor: new Redactor(config.secrets), context: emptyContext, actor, runKey: `run-${actor}`,
        }).finally(() => inner.close!());
      };
      const [a, b] = await Promise.all([run('alice'), run('bob')]);
      const moved = [a, b].filter((r) => r.snapshot.stateChanged);
      expect(moved).toHaveLength(1);
      expect(moved[0]!.snapshot.transition).toMatchObject({ from: 'canary_1', to: 'canary_10' });
      const other = moved[0] === a ? b : a;
      // The loser saw the new stage on its second read: canary_10 was entered just now.
      expect(other.attempts).toBe(2);
      expect(other.writeError).toBeNull();
      expect(other.snapshot.transition.from).toBe('canary_10');
      expect(other.snapshot.decision).toBe('HOLD');
      const audit = (await admin.query('select from_stage, to_stage from public.chat_v11_rollout_audit')).rows;
      expect(audit).toEqual([{ from_stage: 'canary_1', to_stage: 'canary_10' }]);
    });

    it('rollback with the kill switch, then resume, through the write statement: the row, its audit and history say who and why', async () => {
      const config = example();
      const run = (command: 'rollback' | 'resume' | 'evaluate', actor: string, extra: { killSwitch?: boolean; reason?: string } = {}) => {
        const store = storeOf(config);
        return runRollout({
          config, command, target: null, nowMs: Date.now(), store, factories: defaultFactories, cwd: work,
          logger: recordingLogger([]), redactor: new Redactor(config.secrets), context: emptyContext, actor, runKey: `${command}-${actor}`, ...extra,
        }).finally(() => store.close!());
      };
      await stateAt('canary_10', 3 * HOUR);
      const rolled = await run('rollback', 'carol', { killSwitch: true, reason: 'duplicate messages' });
      expect(rolled.writeError).toBeNull();
      expect((await run('evaluate', 'bob')).snapshot.decision).toBe('ROLLBACK');
      const before = (await admin.query("select entered_at, last_rollback_at from public.chat_v11_rollout_state where rollout = 'chat-v1.1'")).rows[0];

      const resumed = await run('resume', 'dave', { reason: 'fix deployed' });
      expect(resumed.writeError).toBeNull();
      expect(resumed.snapshot.stateChanged).toBe(true);
      const row = (await admin.query("select stage, kill_switch, entered_at, last_rollback_at, history from public.chat_v11_rollout_state where rollout = 'chat-v1.1'")).rows[0];
      expect(row).toMatchObject({ stage: 'canary_1', kill_switch: false, entered_at: before.entered_at, last_rollback_at: before.last_rollback_at });
      expect(row.history.at(-1)).toMatchObject({ from: 'canary_1', to: 'canary_1', actor: 'dave' });
      const audit = (await admin.query('select from_stage, to_stage, kill_switch, actor from public.chat_v11_rollout_audit order by id')).rows;
      expect(audit).toEqual([
        { from_stage: 'canary_10', to_stage: 'canary_1', kill_switch: true, actor: 'carol' },
        { from_stage: 'canary_1', to_stage: 'canary_1', kill_switch: false, actor: 'dave' },
      ]);
      // No longer a ROLLBACK: the cooldown after the rollback holds the next promotion.
      const next = await run('evaluate', 'bob');
      expect(next.snapshot.decision).toBe('HOLD');
      expect(next.snapshot.ramp.find((r) => r.rule === 'cooldown')?.ok).toBe(false);
    });

    it('pause and resume through the write statement: the paused column round-trips and holds every promotion', async () => {
      const config = example();
      const run = (command: 'pause' | 'resume' | 'promote', extra: { reason?: string } = {}) => {
        const store = storeOf(config);
        return runRollout({
          config, command, target: null, nowMs: Date.now(), store, factories: defaultFactories, cwd: work,
          logger: recordingLogger([]), redactor: new Redactor(config.secrets), context: emptyContext, actor: 'erin', runKey: `${command}-${Date.now()}`, ...extra,
        }).finally(() => store.close!());
      };
      await stateAt('canary_10', 3 * HOUR);
      const paused = await run('pause', { reason: 'holiday traffic' });
      expect(paused.writeError).toBeNull();
      const row = (await admin.query("select stage, paused from public.chat_v11_rollout_state where rollout = 'chat-v1.1'")).rows[0];
      expect(row).toEqual({ stage: 'canary_10', paused: { at: paused.snapshot.at, reason: 'holiday traffic', actor: 'erin' } });
      const held = await run('promote');
      expect(held.snapshot.decision).toBe('HOLD');
      expect(held.snapshot.reasons[0]).toBe(`paused since ${paused.snapshot.at} by erin: holiday traffic; resume to continue`);
      expect((await run('resume', { reason: 'traffic normal' })).writeError).toBeNull();
      expect((await admin.query('select paused from public.chat_v11_rollout_state')).rows[0].paused).toBeNull();
    });

    it('reads a pause from three plain columns, binds :pausedAt/:pausedReason/:pausedBy, and refuses a pause the read cannot return', async () => {
      await admin.query(`create table if not exists public.plain_state (rollout text primary key, stage text, entered_at timestamptz, kill_switch boolean not null default false,
        last_rollback_at timestamptz, paused_at timestamptz, paused_reason text, paused_by text)`);
      await admin.query(`grant select, update on public.plain_state to ${server.user}`);
      await admin.query("insert into public.plain_state (rollout, stage, entered_at) values ('chat-v1.1', 'canary_1', now()) on conflict (rollout) do update set paused_at = null, paused_reason = null, paused_by = null");
      const read = "select stage, entered_at, kill_switch, last_rollback_at, paused_at, paused_reason, paused_by from public.plain_state where rollout = 'chat-v1.1'";
      const write = 'update public.plain_state set stage = :stage, kill_switch = :killSwitch, paused_at = :pausedAt::timestamptz, paused_reason = :pausedReason, paused_by = :pausedBy where rollout = :rollout';
      const store = storeOf(example(), { read, write });
      try {
        const before = await store.read();
        const pause = { at: '2026-11-30T10:00:00.000Z', reason: 'hold on', actor: 'erin' };
        await store.write(change({ ...before.state!, paused: pause }, before.version, 'pause-plain'));
        const after = await store.read();
        expect(after.state?.paused).toEqual(pause);
        expect(after.version).not.toBe(before.version);
      } finally {
        await store.close!();
      }
      // A read without the pause columns: the pause would be lost, so the write is refused.
      const blind = storeOf(example(), { read: "select stage, entered_at, kill_switch, last_rollback_at from public.plain_state where rollout = 'chat-v1.1'", write });
      try {
        const r = await blind.read();
        await expect(blind.write(change({ ...r.state!, paused: { at: '2026-11-30T11:00:00.000Z', reason: 'x', actor: null } }, r.version, 'pause-lost'))).rejects.toThrow(/returns paused null, not \{"at"/);
      } finally {
        await blind.close!();
      }
    });

    it('refuses a write based on a stale read and leaves the row alone', async () => {
      const store = storeOf(example());
      try {
        const read = await store.read();
        // Someone moves the rollout by hand, as the runbook does.
        await admin.query("select * from public.chat_set_v11_rollout_state('canary_1', true, 'kill switch by hand')");
        await expect(store.write(change(promoted(read.state!, 'canary_10', 'alice'), read.version, 'stale'))).rejects.toBeInstanceOf(StateConflictError);
        const row = (await admin.query('select stage, kill_switch from public.chat_v11_rollout_state')).rows[0];
        expect(row).toEqual({ stage: 'canary_1', kill_switch: true });
      } finally {
        await store.close!();
      }
    });

    it('without a write statement, refuses to move the stage but still records an evaluation', async () => {
      const store = storeOf(example(), { write: undefined });
      try {
        const read = await store.read();
        await expect(store.write(change(promoted(read.state!, 'canary_10', 'alice'), read.version, 'no-write'))).rejects.toThrow(/state\.write is not configured/);
        const evaluation = await store.write(change(null, read.version, 'evaluate-only'));
        expect(evaluation.version).toBeNull();
        expect(await readFile(join(evaluation.evidencePath, 'snapshot.json'), 'utf8')).toContain('evaluate-only');
        expect((await admin.query('select stage from public.chat_v11_rollout_state')).rows[0].stage).toBe('canary_1');
      } finally {
        await store.close!();
      }
    });

    it('reads no row as a rollout that has not started, and a first promote creates it', async () => {
      await admin.query('truncate public.chat_v11_rollout_state');
      const store = storeOf(example());
      try {
        const read = await store.read();
        expect(read).toMatchObject({ state: null, version: null });
        const first: RolloutState = { rollout: 'chat-v1.1', stage: null, enteredAt: null, killSwitch: false, lastRollbackAt: null, paused: null, history: [] };
        await store.write(change(promoted(first, 'canary_1', 'alice'), null, 'first'));
        expect((await store.read()).state?.stage).toBe('canary_1');
      } finally {
        await store.close!();
      }
    });
  });
});
