// Postgres provider benchmark: prints figures, asserts nothing.
//
//   npx vite-node scripts/bench-postgres.ts      (part of `npm run bench`)
//
// Starts a real PostgreSQL on 127.0.0.1 (the test suite's throwaway server: initdb into a temp
// dir, password auth) with the chat example's schema, then runs 100 gates through
// collectObservations — each one a READ ONLY transaction with statement_timeout, as in a real
// run — at 1, 2, 4 and 8 pooled connections, 8 gates in flight (the default concurrency). Two
// kinds of gate: a one-row query of the example's gate function, and a 60-minute window of
// (ts, value) rows. Prints gates per second (median of BENCH_REPEAT runs, default 5) and the
// connections the server saw.
import { join } from 'node:path';
import pg from 'pg';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/logger.js';
import { collectObservations, defaultFactories } from '../src/providers/index.js';
import { Redactor } from '../src/secrets.js';
import { startPostgres } from '../test/servers/postgres.js';

const root = join(import.meta.dirname, '..');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const GATES = 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const server = await startPostgres({ schemaFiles: [join(root, 'examples/postgres/schema.sql')] });
const cleanup = () => server.stop();
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  // 60 minutes of one sample a minute, for the window gates.
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  const nowMs = Date.now();
  await admin.query(
    `insert into public.chat_v11_metric_samples (metric, ts, value)
     select 'write_receipt_p95_ms', to_timestamp($1::double precision) - make_interval(mins => g), 900 + g
     from generate_series(0, 59) g`,
    [nowMs / 1000],
  );

  const configText = (connections: number, kind: 'row' | 'window') =>
    [
      'version: 1',
      'rollout:',
      '  name: bench',
      '  stages: [{ name: a, traffic: 1 }, { name: b, traffic: 10 }]',
      `providers: { db: { type: postgres, url: "${server.url}", connections: ${connections} } }`,
      'gates:',
      ...Array.from({ length: GATES }, (_, g) =>
        kind === 'row'
          ? `  - { name: gate_${g}, provider: db, query: "select * from public.chat_get_v11_release_gates()", select: gate_p0_ok, pass: "== true" }`
          : `  - { name: gate_${g}, provider: db, query: "select ts, value from public.chat_v11_metric_samples where metric = 'write_receipt_p95_ms' and ts > now() - interval '60 minutes' order by ts", pass: "< 1500", over: 60m, step: 60s }`,
      ),
      '',
    ].join('\n');

  async function once(connections: number, kind: 'row' | 'window'): Promise<{ ms: number; failed: number }> {
    const config = parseConfig(configText(connections, kind), 'bench.yml', {});
    const t0 = process.hrtime.bigint();
    const { observations } = await collectObservations({
      gates: config.gates,
      providers: config.providers,
      factories: defaultFactories,
      nowMs,
      target: 'b',
      cwd: root,
      logger: silentLogger,
      redactor: new Redactor(),
      concurrency: 8,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms, failed: [...observations.values()].filter((o) => o.error || o.noDataReason).length };
  }

  console.log(`PostgreSQL ${server.host}:${server.port}: ${GATES} gates per run, 8 in flight, each a READ ONLY transaction (median of ${REPEAT}; pool opened and closed in every run)`);
  console.log('');
  console.log('  connections   one-row gates/s   ms per run   window gates/s   ms per run');
  for (const connections of [1, 2, 4, 8]) {
    const cols: string[] = [];
    for (const kind of ['row', 'window'] as const) {
      await once(connections, kind); // warm-up: the server's plan and catalog caches
      const times: number[] = [];
      let failed = 0;
      for (let r = 0; r < REPEAT; r++) {
        const t = await once(connections, kind);
        times.push(t.ms);
        failed = Math.max(failed, t.failed);
      }
      const ms = median(times);
      cols.push(`${((GATES / ms) * 1000).toFixed(0).padStart(15)}   ${ms.toFixed(1).padStart(10)}${failed ? ` (${failed} no data!)` : ''}`);
    }
    console.log(`  ${String(connections).padStart(11)}   ${cols.join('   ')}${connections === 4 ? '   ← default' : ''}`);
  }
  await admin.end();
} finally {
  await cleanup();
}
