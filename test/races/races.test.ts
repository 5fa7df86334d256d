import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, type Config } from '../../src/config/load.js';
import { createOctokit } from '../../src/github/octokit.js';
import { silentLogger } from '../../src/logger.js';
import { defaultFactories } from '../../src/providers/index.js';
import { emptyContext } from '../../src/report/snapshot.js';
import { runRollout, type RunResult } from '../../src/run.js';
import { Redactor } from '../../src/secrets.js';
import { githubLedgerStore } from '../../src/state/ledger.js';
import { postgresStateStore, type PostgresStateConfig } from '../../src/state/postgres.js';
import type { StateStore } from '../../src/state/types.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin } from '../github/standin.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';
import { DEMO_CONFIG, demoDir, ROOT } from '../support/demo.js';
import { runAction } from '../support/runner.js';
import { writeFileSync } from 'node:fs';
import { decisionLogText } from '../support/decision-log.js';

// 8 promote runs at once on one state: exactly one transition, every run's decision-log line
// kept, and the state document always whole.
const RUNS = 8;
const NOW = Date.parse('2026-11-22T12:00:00Z');
let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function demo() {
  const d = demoDir(NOW);
  cleanup = d.cleanup;
  return { dir: d.dir, config: loadConfigFile(DEMO_CONFIG, { ROLLOUT_DEMO_DIR: d.dir }) };
}

function promoteAll(config: Config, dir: string, storeFor: (i: number) => StateStore, nowMs = NOW): Promise<RunResult[]> {
  return Promise.all(
    Array.from({ length: RUNS }, (_, i) => {
      const store = storeFor(i);
      return runRollout({
        config, command: 'promote', target: null, nowMs, store, factories: defaultFactories, cwd: dir, logger: silentLogger,
        redactor: new Redactor(config.secrets), context: emptyContext, actor: `runner-${i}`, runKey: `run${i}`,
      }).finally(() => store.close?.());
    }),
  );
}

function expectOneTransition(runs: RunResult[], from: string, to: string): void {
  expect(runs.every((r) => r.writeError === null), runs.map((r) => r.writeError?.message).join('\n')).toBe(true);
  const moved = runs.filter((r) => r.snapshot.stateChanged);
  expect(moved).toHaveLength(1);
  expect(moved[0]!.snapshot.transition).toMatchObject({ from, to });
  // The others re-read the moved state (entered just now) and held.
  expect(runs.filter((r) => r.snapshot.decision === 'HOLD')).toHaveLength(RUNS - 1);
}

function expectEveryLine(text: string): void {
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { actor: string; decision: string });
  expect(lines).toHaveLength(RUNS);
  expect(new Set(lines.map((l) => l.actor))).toEqual(new Set(Array.from({ length: RUNS }, (_, i) => `runner-${i}`)));
  expect(lines.filter((l) => l.decision === 'PROCEED')).toHaveLength(1);
}

describe('[race] file state', () => {
  it('[race] file: 8 CLI processes promote at once: one transition, 8 decision-log lines, the state file whole', async () => {
    const { dir } = demo();
    const codes = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [join(ROOT, 'bin/rollout-gate.js'), 'promote', '--config', DEMO_CONFIG, '--now', new Date(NOW).toISOString(), '--actor', `runner-${i}`], {
            cwd: dir,
            env: { PATH: process.env.PATH ?? '', ROLLOUT_DEMO_DIR: dir },
          });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (code) => resolve({ code, stderr }));
        }),
      ),
    );
    expect(codes.map((c) => c.code).sort(), codes.map((c) => c.stderr).join('\n')).toEqual([0, 3, 3, 3, 3, 3, 3, 3]);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state.stage).toBe('canary_50');
    expect(state.history.filter((h: { to: string }) => h.to === 'canary_50')).toHaveLength(1);
    expectEveryLine(decisionLogText(dir, 'chat-v1.1'));
    expect(readdirSync(join(dir, 'evidence/chat-v1.1'))).toHaveLength(RUNS);
    // No lock or temp file left behind.
    expect(readdirSync(dir).filter((f) => /\.lock$|\.tmp$/.test(f))).toEqual([]);
  });
});

describe('[race] github ledger', () => {
  let standin: GitHubStandin;
  beforeAll(async () => {
    standin = await startStandin({ jitterMs: 15 });
  });
  afterAll(async () => {
    await standin.stop();
  });

  it('[race] ledger: 8 concurrent promote runs on one ledger branch: one transition, 8 decision-log lines, a straight history', async () => {
    const { dir, config: base } = demo();
    const config: Config = { ...base, state: { type: 'github' } };
    const repo = standin.repo('acme', 'race');
    standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': readFileSync(join(dir, 'state.json'), 'utf8') }, 'seed');
    const runs = await promoteAll(config, dir, () =>
      githubLedgerStore({
        octokit: createOctokit({ token: ACTIONS_TOKEN, baseUrl: standin.url, retries: 0 }),
        owner: 'acme', repo: 'race', rollout: config.rollout.name, path: 'state/chat-v1.1.json',
      }),
    );
    expectOneTransition(runs, 'canary_10', 'canary_50');
    const files = standin.files(repo, 'rollout-ledger');
    const state = JSON.parse(files.get('state/chat-v1.1.json')!);
    expect(state.stage).toBe('canary_50');
    expect(state.history.filter((h: { to: string }) => h.to === 'canary_50')).toHaveLength(1);
    expectEveryLine(decisionLogText(files, 'chat-v1.1'));
    // Seed + one commit per run, each on its predecessor: nothing forced over.
    expect(standin.history(repo, 'rollout-ledger')).toHaveLength(RUNS + 1);
    expect(standin.violations).toEqual([]);
  });

  it('[race] ledger: 8 bundled Action processes promote at once: one PROCEED that moved the state, 8 decision-log lines', async () => {
    // The bundled Action decides at the real clock: the demo data is written for now.
    const d = demoDir(Date.now());
    cleanup = d.cleanup;
    writeFileSync(join(d.dir, 'rollout-gate.yml'), readFileSync(DEMO_CONFIG, 'utf8').replace(/state:\n  type: file\n  path: .*\n/, 'state:\n  type: github\n'));
    const repo = standin.repo('acme', 'race-action');
    standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': readFileSync(join(d.dir, 'state.json'), 'utf8') }, 'seed');
    const runs = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        runAction({
          inputs: { config: 'rollout-gate.yml', command: 'promote', 'github-token': ACTIONS_TOKEN },
          env: { ROLLOUT_DEMO_DIR: d.dir, GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: 'acme/race-action', GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_RUN_ID: String(5000 + i), GITHUB_ACTOR: `runner-${i}` },
          workspace: d.dir,
        }),
      ),
    );
    expect(runs.map((r) => r.outputs.decision).sort(), runs.map((r) => r.stdout).join('\n')).toEqual(['HOLD', 'HOLD', 'HOLD', 'HOLD', 'HOLD', 'HOLD', 'HOLD', 'PROCEED']);
    expect(runs.filter((r) => r.code === 0)).toHaveLength(1);
    const files = standin.files(repo, 'rollout-ledger');
    const state = JSON.parse(files.get('state/chat-v1.1.json')!);
    expect(state.stage).toBe('canary_50');
    expect(state.history.filter((h: { to: string }) => h.to === 'canary_50')).toHaveLength(1);
    expectEveryLine(decisionLogText(files, 'chat-v1.1'));
    expect(standin.history(repo, 'rollout-ledger')).toHaveLength(RUNS + 1);
    expect(standin.violations).toEqual([]);
  });
});

describe.skipIf(!postgresAvailable)('[race] postgres state', () => {
  let server: PostgresServer;
  let admin: pg.Client;
  beforeAll(async () => {
    server = await startPostgres({ schemaFiles: [join(ROOT, 'examples/postgres/schema.sql')] });
    admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  it('[race] postgres: 8 concurrent promote runs on one state row: one transition, one audit row, 8 decision-log lines', async () => {
    const { dir, config: demoConfig } = demo();
    const example = loadConfigFile(join(ROOT, 'examples/postgres.yml'), { DATABASE_URL: server.url });
    // The demo's file gates decide; the state row is the example's.
    const config: Config = { ...demoConfig, state: { ...(example.state as PostgresStateConfig), evidenceDir: join(dir, 'pg-evidence') }, secrets: example.secrets };
    await admin.query(
      `insert into public.chat_v11_rollout_state (rollout, stage, entered_at) values ('chat-v1.1', 'canary_10', $1)
       on conflict (rollout) do update set stage = excluded.stage, entered_at = excluded.entered_at, history = '[]'`,
      // Three hours before the runs' clock, not the database's: the runs evaluate at NOW.
      [new Date(NOW - 3 * 3600_000).toISOString()],
    );
    const runs = await promoteAll(config, dir, () =>
      postgresStateStore(config.state as PostgresStateConfig, { rollout: config.rollout.name, cwd: dir, redactor: new Redactor(config.secrets), logger: silentLogger }),
    );
    expectOneTransition(runs, 'canary_10', 'canary_50');
    const row = (await admin.query("select stage, history from public.chat_v11_rollout_state where rollout = 'chat-v1.1'")).rows[0];
    expect(row.stage).toBe('canary_50');
    expect(row.history).toHaveLength(1);
    const audit = (await admin.query('select from_stage, to_stage from public.chat_v11_rollout_audit')).rows;
    expect(audit).toEqual([{ from_stage: 'canary_10', to_stage: 'canary_50' }]);
    expectEveryLine(decisionLogText(join(dir, 'pg-evidence'), 'chat-v1.1'));
    expect(await readdir(join(dir, 'pg-evidence/evidence/chat-v1.1'))).toHaveLength(RUNS);
  });
});
