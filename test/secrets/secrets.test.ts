import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin, type Repo } from '../github/standin.js';
import { runAction } from '../support/runner.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';

// Distinctive secrets in every place a config can carry one. A server that echoes what it was
// sent (headers, URL) into warnings, label values and error bodies tries to leak them into
// every artifact; none may carry them.
const S = {
  PROM_TOKEN: 'promTok-4Fq9Zx81',
  PROM_PASSWORD: 'promPw-7Hd2Lm55',
  AM_PASSWORD: 'amPw-9Kx3Vb02',
  GATES_KEY: 'gatesKey-2Rt6Yp47',
  GATES_TOKEN: 'gatesTok-5Wn8Qe13',
  PG_PASSWORD: 'pg$Pw/8Jc4-Tz',
  STATE_TOKEN: 'stateTok-3Gv7Ns96',
  DNS_PASSWORD: 'dnsPw-6Bm1Xr28',
};
const GITHUB_TOKEN = ACTIONS_TOKEN;

/** Every form a secret could leak in: as is, percent-encoded, base64 of user:password. */
function forms(): string[] {
  const out = new Set<string>();
  for (const v of [...Object.values(S), GITHUB_TOKEN]) {
    out.add(v);
    out.add(encodeURIComponent(v));
  }
  for (const [user, pw] of [['reader', S.PROM_PASSWORD], ['am', S.AM_PASSWORD], ['svc', S.DNS_PASSWORD]] as const) {
    out.add(Buffer.from(`${user}:${pw}`).toString('base64'));
  }
  return [...out];
}

function expectClean(where: string, text: string): void {
  for (const f of forms()) expect(text.includes(f), `${where} carries ${f}`).toBe(false);
}

/** Every file under a directory, as text. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

let echo: Server;
let echoUrl: string;
let pgServer: PostgresServer | null = null;

beforeAll(async () => {
  // Echoes what it received into the places a provider shows: warnings, label values, errors.
  echo = createServer((req, res) => {
    const seen = `${req.url} ${JSON.stringify(req.headers)}`;
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/prom/api/v1/query')) {
      const series = (v: string) => ({ metric: { job: v }, value: [Math.floor(Date.now() / 1000), '1'] });
      return res.end(JSON.stringify({ status: 'success', warnings: [seen], data: { resultType: 'vector', result: [series(seen), series('x')] } }));
    }
    if (req.url?.startsWith('/am/')) {
      res.statusCode = 400;
      return res.end(JSON.stringify({ message: `bad filter: ${seen}` }));
    }
    if (req.url?.startsWith('/state')) {
      return res.end(JSON.stringify({ rollout: 'chat', stage: 'canary_10', enteredAt: '2026-11-20T00:00:00Z', killSwitch: false, lastRollbackAt: null, paused: null, history: [] }));
    }
    res.statusCode = 500;
    res.end(`upstream failed for ${seen}`);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
  if (postgresAvailable) pgServer = await startPostgres();
}, 60_000);
afterAll(async () => {
  echo.closeAllConnections();
  await new Promise<void>((r) => echo.close(() => r()));
  await pgServer?.stop();
});

function env(): Record<string, string> {
  const pgUrl = pgServer
    ? pgServer.url.replace(/:[^:@/]+@/, `:${encodeURIComponent(S.PG_PASSWORD)}@`)
    : `postgres://app:${encodeURIComponent(S.PG_PASSWORD)}@127.0.0.1:1/db`;
  return {
    ...S,
    ECHO: echoUrl,
    DATABASE_URL: pgUrl,
    DNS_URL: `http://svc:${S.DNS_PASSWORD}@rollout-gate-secret.invalid/api`,
  };
}

function config(state: unknown): string {
  return JSON.stringify({
    version: 1,
    rollout: { name: 'chat', stages: [{ name: 'canary_10', traffic: 10 }, { name: 'canary_50', traffic: 50 }] },
    state,
    providers: {
      prom: { type: 'prometheus', url: '${ECHO}/prom', headers: { Authorization: 'Bearer ${PROM_TOKEN}' }, basicAuth: { username: 'reader', password: '${PROM_PASSWORD}' }, retries: 0 },
      am: { type: 'alertmanager', url: 'http://am:${AM_PASSWORD}@${ECHO_HOST}/am', retries: 0 },
      api: { type: 'http', url: '${ECHO}/gates?key=${GATES_KEY}', headers: { 'X-Token': '${GATES_TOKEN}' }, retries: 0 },
      dns: { type: 'http', url: '${DNS_URL}', retries: 0 },
      db: { type: 'postgres', url: '${DATABASE_URL}', timeout: '3s' },
    },
    gates: [
      { name: 'prom_gate', provider: 'prom', query: 'up', pass: '== 1' },
      { name: 'am_gate', provider: 'am', query: 'severity="critical"', pass: '== 0' },
      { name: 'api_gate', provider: 'api', query: '&cohort=a', select: 'v', pass: '== 1' },
      { name: 'dns_gate', provider: 'dns', query: '/v1', select: 'v', pass: '== 1' },
      { name: 'db_gate', provider: 'db', query: "select 'x' || current_setting('application_name') as v", pass: '== 1' },
    ],
  });
}

describe('[secret] no secret reaches any artifact', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-secrets-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('[secret] CLI: stdout (table and --json), stderr, snapshot.json, go-no-go.md and the decision log', async () => {
    const e = { ...env(), ECHO_HOST: echoUrl.replace('http://', '') };
    writeFileSync(join(dir, 'rollout-gate.json'), config({ type: 'http', url: '${ECHO}/state', headers: { Authorization: 'token ${STATE_TOKEN}' }, evidenceDir: 'out' }));
    for (const extra of [['--json'], ['--verbose']]) {
      let stdout = '';
      let stderr = '';
      const code = await main(['evaluate', '--config', 'rollout-gate.json', ...extra], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: e, cwd: dir, isTTY: false });
      expect(code, stderr).toBe(3);
      expectClean('stdout', stdout);
      expectClean('stderr', stderr);
    }
    const written = filesUnder(join(dir, 'out'));
    expect(Object.keys(written).some((p) => p.endsWith('snapshot.json'))).toBe(true);
    expect(Object.keys(written).some((p) => p.endsWith('go-no-go.md'))).toBe(true);
    expect(Object.keys(written).some((p) => p.endsWith('.jsonl'))).toBe(true);
    for (const [path, text] of Object.entries(written)) expectClean(path, text);
    // The echoes did happen: the reports say what the servers answered, masked.
    const snap = JSON.parse(Object.entries(written).find(([p]) => p.endsWith('snapshot.json'))![1]);
    const reasons = JSON.stringify(snap.gates);
    expect(reasons).toContain('***');
    expect(reasons).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  describe('[secret] the bundled Action', () => {
    let standin: GitHubStandin;
    let repo: Repo;
    beforeAll(async () => {
      standin = await startStandin();
    });
    afterAll(async () => {
      await standin.stop();
    });

    it('[secret] Action: stdout (except ::add-mask::), summary, outputs, comment, check run, ledger evidence and decision log', async () => {
      repo = standin.repo('acme', 'secrets');
      standin.addPull(repo, { number: 7, author: 'dana', headSha: '1'.repeat(40), body: 'Release' });
      writeFileSync(join(dir, 'rollout-gate.json'), config({ type: 'github' }));
      const r = await runAction({
        inputs: { config: 'rollout-gate.json', 'github-token': GITHUB_TOKEN, 'fail-on': 'never' },
        env: { ...env(), ECHO_HOST: echoUrl.replace('http://', ''), GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: 'acme/secrets', GITHUB_EVENT_NAME: 'pull_request', ACTIONS_STEP_DEBUG: 'true' },
        event: {
          action: 'synchronize',
          number: 7,
          pull_request: { number: 7, body: 'Release', user: { login: 'dana' }, head: { sha: '1'.repeat(40), ref: 'r', repo: { full_name: 'acme/secrets' } }, base: { ref: 'main', repo: { full_name: 'acme/secrets' } } },
          repository: { full_name: 'acme/secrets' },
        },
        workspace: dir,
      });
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.decision).toBe('HOLD');
      // Every secret is masked in the runner's log before anything could print it.
      const masks = r.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length));
      // (STATE_TOKEN is not in this config: its state is the ledger.)
      for (const s of [...Object.values(S).filter((v) => v !== S.STATE_TOKEN), GITHUB_TOKEN]) expect(masks).toContain(s);
      expectClean('stdout', r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'));
      expectClean('stderr', r.stderr);
      expectClean('summary', r.summary);
      expectClean('outputs', JSON.stringify(r.outputs));
      expectClean('report-json', readFileSync(r.outputs['report-json']!, 'utf8'));
      expectClean('go-no-go on disk', readFileSync(join(r.outputs['report-json']!, '..', 'go-no-go.md'), 'utf8'));
      const comments = repo.comments.get(7) ?? [];
      expect(comments).toHaveLength(1);
      expectClean('comment', JSON.stringify(comments));
      expect(repo.checkRuns).toHaveLength(1);
      expectClean('check run', JSON.stringify(repo.checkRuns));
      const ledger = standin.files(repo, 'rollout-ledger');
      expect([...ledger.keys()].some((k) => k.endsWith('go-no-go.md'))).toBe(true);
      for (const [path, text] of ledger) expectClean(`ledger ${path}`, text);
      for (const q of standin.requests) if (q.body) expectClean(`GitHub request ${q.method} ${q.path}`, JSON.stringify(q.body));
    });
  });
});
