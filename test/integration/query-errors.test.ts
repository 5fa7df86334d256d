import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { parseSnapshot } from '../../src/report/snapshot.js';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';
import { generateFixtures, startPrometheus, type Fixtures } from '../servers/prometheus.js';

/**
 * A query the store refuses (a PromQL parse error, an SQL error, an unknown `:name`) against a
 * real Prometheus and a real PostgreSQL: `validate --probe` names it on its gate's line, apart
 * from an empty result; `evaluate` reports it as a query error in every report and the log.
 */

const havePrometheus = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');
const SCHEMA = resolve(import.meta.dirname, '../../examples/postgres/schema.sql');

const CONFIG = `version: 1
rollout:
  name: shop
  stages:
    - { name: canary_1, traffic: 1 }
    - { name: canary_10, traffic: 10 }
providers:
  prom: { type: prometheus, url: "\${PROMETHEUS_URL}", timeout: 10s }
  db: { type: postgres, url: "\${DATABASE_URL}", timeout: 10s }
gates:
  - name: error_ratio
    provider: prom
    query: sum(rate(http_requests_total{service="chat",track="canary",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="chat",track="canary"}[5m]))
    pass: "< 0.01"
    over: 30m
  - name: double_charges
    provider: prom
    query: sum(rate(http_requests_total{service="chat"}[5m])
    pass: "== 0"
    severity: critical
  - name: unknown_service
    provider: prom
    query: sum(http_requests_total{service="no-such-service"})
    pass: "< 1"
  - name: p95_from_sql
    provider: db
    query: select ts, value from public.chat_v11_metric_samples where metric = 'write_receipt_p95_ms' and ts > :start and ts <= :end order by ts
    pass: "< 1500"
    over: 30m
  - name: sql_unknown_parameter
    provider: db
    query: select ts, value from public.chat_v11_metric_samples where ts > :start and ts <= :ende order by ts
    pass: "< 1500"
    over: 30m
  - name: sql_unknown_column
    provider: db
    query: select no_such_column from public.chat_v11_metric_samples limit 1
    pass: "< 1"
`;

const lineOf = (out: string, gate: string) => out.split('\n').find((l) => new RegExp(`^\\s+${gate}\\s+\\[`).test(l)) ?? '';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe.skipIf(!havePrometheus || !postgresAvailable)('query errors against a real Prometheus and PostgreSQL', () => {
  let prom: RunningServer;
  let fx: Fixtures;
  let db: PostgresServer;
  let work: string;
  let env: Record<string, string>;
  let now: string;

  beforeAll(async () => {
    fx = generateFixtures();
    [prom, db] = await Promise.all([startPrometheus(fx), startPostgres({ schemaFiles: [SCHEMA] })]);
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      // A sample every 30 s over the hour before the fixtures' end, when the gates are judged.
      const end = new Date(fx.endMs).toISOString();
      await admin.query(
        `insert into public.chat_v11_metric_samples (metric, ts, value)
         select 'write_receipt_p95_ms', $1::timestamptz - i * interval '30 seconds', 800 from generate_series(0, 119) i`,
        [end],
      );
    } finally {
      await admin.end();
    }
    work = await mkdtemp(join(tmpdir(), 'rg-query-errors-'));
    await writeFile(join(work, 'rollout-gate.yml'), CONFIG);
    env = { PROMETHEUS_URL: prom.url, DATABASE_URL: db.url };
    now = new Date(fx.endMs).toISOString();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([prom?.stop(), db?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function cli(args: string[]) {
    let out = '';
    let err = '';
    const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env, cwd: work, isTTY: false, ask: null });
    return { code, out, err };
  }

  it('validate --probe: samples, resolution and newest value per gate; a parse error, an unknown SQL parameter and an empty result each on its line', async () => {
    const r = await cli(['validate', '--probe', '--config', 'rollout-gate.yml', '--now', now]);
    expect(r.err).toBe('');
    expect(r.out).toContain('rollout-gate.yml: valid');
    expect(lineOf(r.out, 'error_ratio')).toMatch(/\[prom\]\s+121 samples, every 15s, newest now: 0\.005/);
    expect(lineOf(r.out, 'double_charges')).toMatch(/\[prom\]\s+query error: prometheus "prom": bad_data: .*parse error.*\(HTTP 400\)/);
    expect(lineOf(r.out, 'unknown_service')).toMatch(/\[prom\]\s+no data: empty result: the query matched no series/);
    expect(lineOf(r.out, 'p95_from_sql')).toMatch(/\[db\]\s+\d+ samples, every 30s, newest \S+( ago)?: 800/);
    expect(lineOf(r.out, 'sql_unknown_parameter')).toMatch(/\[db\]\s+query error: .*unknown parameter :ende; the statement can use :start :end :now/);
    expect(lineOf(r.out, 'sql_unknown_column')).toMatch(/\[db\]\s+query error: .*column "no_such_column" does not exist \(SQLSTATE 42703\)/);
    expect(r.out).toContain('2 with data, 1 without data, 3 query errors, 0 failed');
    // A query the store refuses is a mistake in the config: exit 2, as for an invalid config.
    expect(r.code).toBe(2);
    // The secrets (the database password) never show.
    expect(r.out).not.toContain(new URL(db.url).password);
  });

  it('evaluate: a broken query reads "query error" in the terminal, the comment and summary, the Go/No-Go and the decision log, and holds', async () => {
    const state = join(work, 'state', 'shop.json');
    const r = await cli(['evaluate', '--config', 'rollout-gate.yml', '--now', now, '--state-file', state, '--gate', 'double_charges', '--gate', 'error_ratio']);
    // A critical gate's broken query holds: it says nothing about the release, so it never rolls back.
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/double_charges .*query error → HOLD/);
    expect(r.out).toMatch(/double_charges: query error: prometheus "prom": bad_data: .*parse error/);
    expect(r.out).not.toMatch(/double_charges.*no data/);
    expect(r.out).toContain('only double_charges, error_ratio judged (--gate)');

    const files = await filesUnder(join(work, 'state'));
    const snapshotFile = files.find((f) => f.endsWith('snapshot.json'))!;
    const snap = parseSnapshot(await readFile(snapshotFile, 'utf8'), snapshotFile);
    const gate = snap.gates.find((g) => g.name === 'double_charges')!;
    expect(gate).toMatchObject({ status: 'query_error', effect: 'hold' });
    expect(gate.reason).toMatch(/^query error: /);
    expect(snap.gates.map((g) => g.name).sort()).toEqual(['double_charges', 'error_ratio']);

    const markdown = renderMarkdown(snap);
    // (Markdown escapes the underscore.)
    expect(markdown).toMatch(/\| double\\_charges \|.*⚠️ query error → HOLD \|/);
    expect(markdown).toMatch(/double\\_charges: query error: prometheus/);
    expect(markdown).not.toMatch(/double\\_charges[^\n]*no data/);

    const goNoGo = await readFile(files.find((f) => f.endsWith('go-no-go.md'))!, 'utf8');
    expect(goNoGo).toContain('query error');

    const log = (await readFile(files.find((f) => f.endsWith('.jsonl'))!, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { gates: Record<string, { status: string; reason?: string }> });
    expect(log.at(-1)!.gates.double_charges).toMatchObject({ status: 'query_error', reason: expect.stringMatching(/^query error: prometheus "prom": bad_data/) });
  });

  it('init --provider prometheus writes PromQL the server accepts: probed, no gate has a query error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-init-probe-'));
    try {
      const io = { stdout: () => {}, stderr: () => {}, env, cwd: dir, isTTY: false, ask: null };
      expect(await main(['init', '--provider', 'prometheus', '--rollout', 'chat'], io)).toBe(0);
      let out = '';
      const code = await main(['validate', '--probe', '--now', now], { ...io, stdout: (s) => (out += s) });
      expect(out).toContain('0 query errors, 0 failed');
      expect(code).toBe(0);
      // The fixtures hold the chat service's requests and latency histogram (not container memory).
      for (const gate of ['error_rate', 'latency_p95', 'latency_p99', 'canary_traffic']) expect(lineOf(out, gate)).toMatch(/\[prom\]\s+\d+ samples?, /);
      expect(lineOf(out, 'memory_saturation')).toMatch(/no data: empty result/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('evaluate --gate with an unknown name is a usage error naming the nearest gate', async () => {
    const r = await cli(['evaluate', '--config', 'rollout-gate.yml', '--now', now, '--gate', 'double_charge']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--gate: no gate "double_charge" in rollout-gate.yml; did you mean "double_charges"?');
  });
});
