/**
 * The bad-input corpus: every file under config/, state/, prometheus/, http/ and postgres/ is a
 * malformed input a user could meet, and expectations.json states exactly what rollout-gate
 * does with it. Adding a file adds a case; a file without an expectation fails.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { configText, gateResult, runGates, type GateRun } from '../servers/gates.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';

const ROOT = import.meta.dirname;
const GROUPS = ['config', 'state', 'prometheus', 'http', 'postgres'] as const;
type Group = (typeof GROUPS)[number];
const NOW = Date.parse('2026-11-22T12:00:00Z');
/** A stack frame: "\n    at fn (file.js:12:3)". Never part of anything a user reads. */
const STACK = /\n\s+at .*:\d+/;

interface CliExpectation {
  exit: number;
  /** Config cases: the number of problems reported. */
  problems?: number;
  /** Config cases: every config path that must be named ("gates[0].pass"). */
  paths?: string[];
  stderr?: string[];
  stdout?: string[];
}

interface GateExpectation {
  /** The HTTP status the local server answers with (prometheus/http). */
  httpStatus?: number;
  contentType?: string;
  /** Extra fields of the gate under test (over, failAfter, select, minSamples, reduce…). */
  gate?: Record<string, unknown>;
  status: 'no_data' | 'fail';
  /** A substring of the gate's reason; `reasonAnyOf` when either wording is right. */
  reason?: string;
  reasonAnyOf?: string[];
  decision: 'HOLD' | 'ROLLBACK';
}

type Expectation = CliExpectation | GateExpectation;

const expectations = JSON.parse(readFileSync(join(ROOT, 'expectations.json'), 'utf8')) as Record<string, Expectation & { note?: string }>;
const caseFiles = GROUPS.flatMap((g) => readdirSync(join(ROOT, g)).sort().map((f) => `${g}/${f}`));
const GENERATED = 'generated/';
const casesOf = (group: Group) => caseFiles.filter((c) => c.startsWith(`${group}/`));

function noStack(...texts: (string | null | undefined)[]): void {
  for (const t of texts) if (t) expect(t, t).not.toMatch(STACK);
}

async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env, cwd, isTTY: false });
  return { code, out, err };
}

describe('[corpus] the corpus itself', () => {
  it('[corpus] every case file has an expectation, and every expectation a case file', () => {
    const missing = caseFiles.filter((c) => !(c in expectations));
    expect(missing, 'case files without an entry in expectations.json').toEqual([]);
    const orphans = Object.keys(expectations).filter((k) => !k.startsWith(GENERATED) && !caseFiles.includes(k));
    expect(orphans, 'expectations without a case file').toEqual([]);
    expect(caseFiles.length).toBeGreaterThanOrEqual(60);
  });
});

describe('[corpus] config files: exit 2, every problem named by its config path', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rg-corpus-config-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(casesOf('config'))('[corpus] %s', async (name) => {
    const exp = expectations[name] as CliExpectation;
    const file = join(ROOT, name);
    // --strict: an unset variable is an error too (plain validate lists it as needed at run time).
    const r = await cli(['validate', '--strict', '--config', file], work);
    expect(r.code, r.err).toBe(exp.exit);
    expect(r.out).toBe('');
    expect(r.err.startsWith(`${file}: ${exp.problems} problem${exp.problems === 1 ? '' : 's'}\n`), r.err).toBe(true);
    for (const path of exp.paths ?? []) expect(r.err).toContain(`\n  - ${path}: `);
    for (const s of exp.stderr ?? []) expect(r.err).toContain(s);
    noStack(r.out, r.err);
  });
});

describe('[corpus] state documents: the run stops with the field named', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rg-corpus-state-'));
    writeFileSync(join(work, 'metrics.json'), '{ "error_rate": 0.001 }\n');
    writeFileSync(
      join(work, 'rollout-gate.yml'),
      `version: 1
rollout:
  name: corpus
  stages:
    - { name: canary_1, traffic: 1, minDuration: 30m }
    - { name: canary_10, traffic: 10 }
    - { name: full, traffic: 100 }
providers:
  snap: { type: file, path: metrics.json }
gates:
  - { name: error_rate, provider: snap, query: error_rate, pass: "< 0.01" }
`,
    );
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(casesOf('state'))('[corpus] %s', async (name) => {
    const exp = expectations[name] as CliExpectation;
    const file = join(ROOT, name);
    const before = readFileSync(file);
    const r = await cli(['evaluate', '--config', 'rollout-gate.yml', '--state-file', file, '--now', new Date(NOW).toISOString(), '--dry-run'], work);
    expect(r.code, r.err + r.out).toBe(exp.exit);
    expect(r.code).not.toBe(0);
    for (const s of exp.stderr ?? []) expect(r.err).toContain(s);
    for (const s of exp.stdout ?? []) expect(r.out).toContain(s);
    if (exp.exit === 1) expect(r.err).toContain(`rollout-gate: state: ${file}: `);
    // A broken state document is never "repaired" by overwriting it.
    expect(readFileSync(file).equals(before)).toBe(true);
    noStack(r.out, r.err);
  });
});

/** Serves each case's body under /<case name>/…, with the status and content type it names. */
function caseServer(bodyOf: (caseName: string) => { status: number; type: string; body: string | Buffer } | null): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const caseName = decodeURIComponent((req.url ?? '/').split('/')[1] ?? '');
    req.resume();
    const answer = bodyOf(caseName);
    if (!answer) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`no case ${caseName}`);
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': Buffer.byteLength(answer.body) }).end(answer.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
}

function typeOf(file: string): string {
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  if (file.endsWith('.txt')) return 'text/plain; charset=utf-8';
  return 'application/json';
}

function gateYaml(fields: Record<string, unknown>): string {
  return `- ${JSON.stringify({ name: 'corpus_gate', ...fields })}`;
}

function checkGate(run: GateRun, exp: GateExpectation): void {
  const g = gateResult(run, 'corpus_gate');
  const shown = `${g.status}: ${g.reason}`;
  expect(g.status, shown).toBe(exp.status);
  if (exp.reason) expect(g.reason, shown).toContain(exp.reason);
  if (exp.reasonAnyOf) expect(exp.reasonAnyOf.some((r) => g.reason.includes(r)), shown).toBe(true);
  expect(run.decision.decision, run.decision.reasons.join('\n')).toBe(exp.decision);
  // Fail closed: a gate that could not see its data under noData: hold never lets the run proceed.
  if (g.status === 'no_data' && g.noData === 'hold') {
    expect(run.decision.decision).not.toBe('PROCEED');
    expect(run.decision.failedGates).toContain('corpus_gate');
  }
  noStack(g.reason, g.error, ...run.decision.reasons, ...run.decision.warnings, ...g.warnings, ...run.logs);
}

describe('[corpus] Prometheus answers: the gate is no data (or failing) with the reason', () => {
  let server: Server;
  let base: string;
  const fiftyMb = (() => {
    // One series per label value, ~50 MB in all, generated here rather than committed.
    const series = `{"metric":{"pod":"chat-${'x'.repeat(200)}-%"},"value":[${NOW / 1000},"0.001"]}`;
    const count = Math.ceil((50 * 1024 * 1024) / series.length);
    const parts = Array.from({ length: count }, (_, i) => series.replace('%', String(i)));
    return `{"status":"success","data":{"resultType":"vector","result":[${parts.join(',')}]}}`;
  })();

  beforeAll(async () => {
    ({ url: base, server } = await caseServer((caseName) => {
      if (caseName === 'body-50mb') return { status: 200, type: 'application/json', body: fiftyMb };
      const name = `prometheus/${caseName}`;
      const exp = expectations[name] as GateExpectation | undefined;
      if (!exp) return null;
      return { status: exp.httpStatus ?? 200, type: exp.contentType ?? typeOf(name), body: readFileSync(join(ROOT, name)) };
    }));
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const run = (caseName: string, exp: GateExpectation) =>
    runGates(
      configText(
        `prom: { type: prometheus, url: "${base}/${encodeURIComponent(caseName)}/", retries: 0, timeout: 30s }`,
        gateYaml({ provider: 'prom', query: 'sum(rate(http_requests_total{code=~"5.."}[5m]))', pass: '< 0.01', ...exp.gate }),
      ),
      { nowMs: NOW, timeoutMs: 30_000 },
    );

  it.each(casesOf('prometheus'))('[corpus] %s', async (name) => {
    const exp = expectations[name] as GateExpectation;
    checkGate(await run(name.slice('prometheus/'.length), exp), exp);
  });

  it('[corpus] generated/prometheus-body-50mb', async () => {
    expect(fiftyMb.length).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    const exp = expectations['generated/prometheus-body-50mb'] as GateExpectation;
    checkGate(await run('body-50mb', exp), exp);
  });
});

describe('[corpus] HTTP JSON answers: the gate is no data with the reason', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    ({ url: base, server } = await caseServer((caseName) => {
      const name = `http/${caseName}`;
      const exp = expectations[name] as GateExpectation | undefined;
      if (!exp) return null;
      return { status: exp.httpStatus ?? 200, type: exp.contentType ?? typeOf(name), body: readFileSync(join(ROOT, name)) };
    }));
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it.each(casesOf('http'))('[corpus] %s', async (name) => {
    const exp = expectations[name] as GateExpectation;
    const caseName = name.slice('http/'.length);
    const run = await runGates(
      configText(
        `api: { type: http, url: "${base}/${encodeURIComponent(caseName)}", retries: 0 }`,
        gateYaml({ provider: 'api', query: '/v1/feedback?cohort=friendly', select: 'data.positive_ratio', pass: '>= 0.8', ...exp.gate }),
      ),
      { nowMs: NOW },
    );
    checkGate(run, exp);
  });
});

describe.skipIf(!postgresAvailable)('[corpus] SQL results: the gate is no data with the reason', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it.each(casesOf('postgres'))('[corpus] %s', async (name) => {
    const exp = expectations[name] as GateExpectation;
    const sql = readFileSync(join(ROOT, name), 'utf8');
    const run = await runGates(
      configText('db: { type: postgres, url: "${DATABASE_URL}" }', gateYaml({ provider: 'db', query: sql, pass: '< 0.01', ...exp.gate })),
      { nowMs: Date.now(), env: { DATABASE_URL: pg.url } },
    );
    checkGate(run, exp);
    // The connection string's password is never part of what the user reads.
    expect(JSON.stringify(run.decision)).not.toContain(pg.password);
  });
});
