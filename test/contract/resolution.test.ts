import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_LIMITS } from '../../src/providers/catalog.js';
import { requireBinary } from '../servers/common.js';
import { configText, gateResult, runGates, type GateRun } from '../servers/gates.js';
import { startCloudWatchStandin, startDatadogStandin, startNewRelicStandin, type Standin, type TableSeries } from '../servers/metric-standins.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';
import { startPrometheus, type Fixtures } from '../servers/prometheus.js';
import type { RunningServer } from '../servers/common.js';
import { NOW } from '../support/fixtures.js';

/**
 * SPEC §8.1 through every provider: the same four signals, sampled at 10, 30, 60 and 120 s the way
 * each store samples (Prometheus' raw samples under its step and lookback, Datadog's own rollup,
 * CloudWatch periods, New Relic buckets, rows of a table, a JSON document, an HTTP answer), all
 * judged by one 30-minute gate `< 0.01` with failAfter 5m, asking for the default 15 s step:
 *
 * - sustained: 0.05 (5× the limit) for the last 10 minutes → fail
 * - spike: 0.05 for 2 minutes, 15 minutes before the end → pass (shorter than failAfter − r)
 * - stopped: healthy, then no data for the last 20 minutes (a crashed canary) → no data
 * - healthy: 0.001 throughout → pass
 *
 * The window ends at now − the provider's lag; the signals are laid out against that end.
 */

const RESOLUTIONS = [10, 30, 60, 120] as const;
const SIGNALS = ['sustained', 'spike', 'stopped', 'healthy'] as const;
type Signal = (typeof SIGNALS)[number];
const EXPECTED: Record<Signal, 'fail' | 'pass' | 'no_data'> = { sustained: 'fail', spike: 'pass', stopped: 'no_data', healthy: 'pass' };

/** The signal's value at `tS`, for a window ending at `endS`; null = nothing reported. */
function signal(kind: Signal, endS: number): (tS: number) => number | null {
  return (t) => {
    const age = endS - t;
    switch (kind) {
      case 'sustained':
        return age < 600 ? 0.05 : 0.001;
      case 'spike':
        return age >= 900 && age < 1020 ? 0.05 : 0.001;
      case 'stopped':
        return age < 1200 ? null : 0.001;
      case 'healthy':
        return 0.001;
    }
  };
}

/** Raw samples at resolution r: unix seconds on multiples of r, from 45 minutes before the end. */
function rawSamples(kind: Signal, r: number, endS: number): [number, number][] {
  const f = signal(kind, endS);
  const out: [number, number][] = [];
  for (let t = Math.ceil((endS - 2700) / r) * r; t <= endS; t += r) {
    const v = f(t);
    if (v !== null) out.push([t, v]);
  }
  return out;
}

const key = (kind: Signal, r: number) => `${kind}_${r}`;
const endOf = (type: keyof typeof PROVIDER_LIMITS) => NOW / 1000 - PROVIDER_LIMITS[type].lagMs / 1000;

/** 16 gates, one per signal and resolution; `query(kind, r)` is the provider's query; `extra` per gate. */
function gatesYaml(provider: string | ((r: number) => string), query: (kind: Signal, r: number) => unknown, extra: (r: number) => string = () => ''): string {
  const lines: string[] = [];
  for (const r of RESOLUTIONS) {
    for (const kind of SIGNALS) {
      const p = typeof provider === 'string' ? provider : provider(r);
      lines.push(`- { name: ${key(kind, r)}, provider: ${p}, query: ${JSON.stringify(query(kind, r))}, pass: "< 0.01", over: 30m, failAfter: 5m${extra(r)} }`);
    }
  }
  return lines.join('\n');
}

function expectAlike(run: GateRun, provider: string): void {
  const got: string[] = [];
  const want: string[] = [];
  for (const r of RESOLUTIONS) {
    for (const kind of SIGNALS) {
      const g = gateResult(run, key(kind, r));
      got.push(`${provider} ${key(kind, r)}: ${g.status}`);
      want.push(`${provider} ${key(kind, r)}: ${EXPECTED[kind]}`);
      // The metric stores' own staleness check (staleAfter, default 5m) may say it first.
      if (kind === 'stopped') expect(g.reason, `${provider} ${key(kind, r)}`).toMatch(/the series stops at|stale: the newest sample is/);
    }
  }
  expect(got).toEqual(want);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('four signals at 10, 30, 60 and 120 s: every provider judges them alike', () => {
  it('file: a JSON document of [unixSeconds, value] pairs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-resolution-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const doc: Record<string, unknown> = {};
    for (const r of RESOLUTIONS) for (const kind of SIGNALS) doc[key(kind, r)] = rawSamples(kind, r, endOf('file'));
    writeFileSync(join(dir, 'signals.json'), JSON.stringify(doc));
    const run = await runGates(configText(`f: { type: file, path: "${join(dir, 'signals.json')}" }`, gatesYaml('f', (kind, r) => key(kind, r))), { nowMs: NOW });
    expectAlike(run, 'file');
  });

  it('http: a service answering with its series', async () => {
    const server: Server = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? '').replace(/^\/signal\//, ''));
      const [kind, r] = name.split('_') as [Signal, string];
      if (!SIGNALS.includes(kind)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ series: rawSamples(kind, Number(r), endOf('http')) }));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const run = await runGates(configText(`h: { type: http, url: "${url}" }`, gatesYaml('h', (kind, r) => `/signal/${key(kind, r)}`, () => ', select: series')), { nowMs: NOW });
    expectAlike(run, 'http');
  });

  describe.runIf(postgresAvailable)('postgres (a real PostgreSQL 15)', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
      cleanups.push(() => server.stop());
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      try {
        await admin.query('CREATE TABLE resolution_signals (name text NOT NULL, ts timestamptz NOT NULL, value double precision)');
        await admin.query(`GRANT SELECT ON resolution_signals TO ${server.user}`);
        const rows: [string, string, number][] = [];
        for (const r of RESOLUTIONS) for (const kind of SIGNALS) for (const [t, v] of rawSamples(kind, r, endOf('postgres'))) rows.push([key(kind, r), new Date(t * 1000).toISOString(), v]);
        await admin.query(
          'INSERT INTO resolution_signals (name, ts, value) SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[])',
          [rows.map((x) => x[0]), rows.map((x) => x[1]), rows.map((x) => x[2])],
        );
      } finally {
        await admin.end();
      }
    }, 120_000);

    it('rows of a table, read over :start and :end', async () => {
      const run = await runGates(
        configText(`db: { type: postgres, url: "${server.url}" }`, gatesYaml('db', (kind, r) => `SELECT ts, value FROM resolution_signals WHERE name = '${key(kind, r)}' AND ts BETWEEN :start AND :end ORDER BY ts`)),
        { nowMs: NOW },
      );
      expectAlike(run, 'postgres');
    });
  });

  describe.runIf(requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus'))('prometheus (a real server, backfilled)', () => {
    let server: RunningServer;
    beforeAll(async () => {
      const endS = endOf('prometheus');
      const lines = ['# TYPE rg_signal gauge'];
      let count = 0;
      for (const r of RESOLUTIONS) {
        for (const kind of SIGNALS) {
          for (const [t, v] of rawSamples(kind, r, endS)) {
            lines.push(`rg_signal{signal="${kind}",res="${r}"} ${v} ${t}`);
            count++;
          }
        }
      }
      lines.push('# EOF');
      const fx: Fixtures = { endMs: endS * 1000, openMetrics: `${lines.join('\n')}\n`, exposition: '', seriesCount: 16, sampleCount: count };
      server = await startPrometheus(fx);
      cleanups.push(() => server.stop());
    }, 120_000);

    it('raw samples at r under the default 15 s step and the 5-minute lookback', async () => {
      const run = await runGates(configText(`prom: { type: prometheus, url: "${server.url}" }`, gatesYaml('prom', (kind, r) => `rg_signal{signal="${kind}",res="${r}"}`)), { nowMs: NOW });
      expectAlike(run, 'prometheus');
    });
  });

  describe('hosted stores (stand-ins in each API\'s shapes), at their default lag', () => {
    const table = (type: 'datadog' | 'cloudwatch' | 'newrelic') => {
      const t: Record<string, TableSeries[]> = {};
      for (const kind of SIGNALS) t[kind] = [{ labels: {}, value: signal(kind, endOf(type)) }];
      return t;
    };
    let dd: Standin[];
    let cw: Standin;
    let nr: Standin;
    beforeAll(async () => {
      // Datadog rolls up to its own interval: one stand-in per resolution, each at that rollup.
      dd = await Promise.all(
        RESOLUTIONS.map((r) =>
          startDatadogStandin({ table: table('datadog'), queries: Object.fromEntries(SIGNALS.map((k) => [`avg:rg.signal{signal:${k}}`, k])), apiKey: 'k', appKey: 'a', rollupMs: r * 1000, fillingAtS: NOW / 1000 }),
        ),
      );
      cw = await startCloudWatchStandin({ table: table('cloudwatch'), queries: Object.fromEntries(SIGNALS.map((k) => [`SELECT AVG(Signal) FROM "RG" WHERE Kind = '${k}'`, k])), accessKeyId: 'AKIARESOLUTION000001', pageSize: 100_000, fillingAtS: NOW / 1000 });
      nr = await startNewRelicStandin({ table: table('newrelic'), queries: Object.fromEntries(SIGNALS.map((k) => [`SELECT average(signal) FROM Metric WHERE kind = '${k}'`, { entry: k, column: 'average.signal' }])), apiKey: 'NRAK-r', accountId: 9 });
      cleanups.push(() => Promise.all([...dd, cw, nr].map((s) => s.stop())).then(() => undefined));
    });

    it('datadog: its own rollup at r, whatever interval was asked', async () => {
      const providers = RESOLUTIONS.map((r, i) => `dd${r}: { type: datadog, url: "${dd[i]!.url}", apiKey: k, appKey: a }`).join('\n');
      const run = await runGates(configText(providers, gatesYaml((r) => `dd${r}`, (kind) => `avg:rg.signal{signal:${kind}}`)), { nowMs: NOW });
      expectAlike(run, 'datadog');
      expect(gateResult(run, 'healthy_120').window?.resolution).toBe('2m');
    });

    it('cloudwatch: a period of r (a gate step below a minute asks for a high-resolution period)', async () => {
      const run = await runGates(
        configText(`cw: { type: cloudwatch, region: eu-west-1, endpoint: "${cw.url}" }`, gatesYaml('cw', (kind) => `SELECT AVG(Signal) FROM "RG" WHERE Kind = '${kind}'`, (r) => `, step: ${r}s`)),
        { nowMs: NOW, providerEnv: { AWS_ACCESS_KEY_ID: 'AKIARESOLUTION000001', AWS_SECRET_ACCESS_KEY: 'resolution-secret' } },
      );
      expectAlike(run, 'cloudwatch');
    });

    it('newrelic: TIMESERIES buckets of r', async () => {
      const run = await runGates(
        configText(`nr: { type: newrelic, url: "${nr.url}/graphql", accountId: 9, apiKey: NRAK-r }`, gatesYaml('nr', (kind) => `SELECT average(signal) FROM Metric WHERE kind = '${kind}'`, (r) => `, step: ${r}s`)),
        { nowMs: NOW },
      );
      expectAlike(run, 'newrelic');
    });
  });
});
