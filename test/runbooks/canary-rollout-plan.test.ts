import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { pullRequestEvent } from '../support/events.js';
import { runAction, type ActionRun } from '../support/runner.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin, type Repo } from '../github/standin.js';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { HOUR, MINUTE, counter, fixtureEnd, histogram, prometheusWith, runbookConfig, runbookDir, tempDir } from './support.js';

/**
 * examples/runbooks/canary-rollout-plan end to end: its github gates need a pull request, so the
 * bundled Action (`node dist/index.js`) runs it as the runbook's workflow.yml configures the
 * step, against the GitHub stand-in (reviews, teams, issue search, the ledger branch), a real
 * Prometheus with the canary's metrics up to now, and the feedback service over HTTP.
 */

const have = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');

const OWNER = 'acme';
const HEAD = 'c0ffee'.repeat(6) + 'c0ff';
const FEEDBACK_TOKEN = 'feedback-token-5150';
const SCRAPE = 15;
const E = fixtureEnd(SCRAPE);
const LES = ['0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
const STABLE = [0.2, 0.5, 0.9, 0.98, 1, 1];        // p75 406 ms
const CANARY_CLOSE = [0.2, 0.45, 0.9, 0.98, 1, 1]; // p75 417 ms: +2.6%
const CANARY_SLOW = [0.1, 0.3, 0.8, 0.95, 1, 1];   // p75 475 ms: +17%

/** Two hours of the checkout service up to now. `degraded`: the canary's p75 is 17% slower for the last 20 minutes, and 3% of its requests failed for 8 minutes before that ended. */
function series(degraded: boolean) {
  const recent = (t: number, fromMin: number, toMin: number) => degraded && t >= E - fromMin * MINUTE && t < E - toMin * MINUTE;
  const errors = (t: number) => (recent(t, 20, 12) ? 30 : 4);
  return [
    counter('http_requests_total', { service: 'checkout', track: 'canary', code: '200' }, (t) => 1000 - errors(t)),
    counter('http_requests_total', { service: 'checkout', track: 'canary', code: '500' }, errors),
    ...histogram('http_request_duration_seconds', { service: 'checkout', track: 'stable' }, LES, () => STABLE, 1000),
    ...histogram('http_request_duration_seconds', { service: 'checkout', track: 'canary' }, LES, (t) => (recent(t, 20, -1) ? CANARY_SLOW : CANARY_CLOSE), 1000),
  ];
}

/** The feedback service: GET /v1/feedback?service=checkout&cohort=canary behind an X-Token header. */
async function startFeedback(): Promise<{ url: string; ratio: { value: number }; close: () => Promise<void> }> {
  const ratio = { value: 0.92 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ok = req.headers['x-token'] === FEEDBACK_TOKEN && url.pathname === '/v1/feedback' && url.searchParams.get('service') === 'checkout' && url.searchParams.get('cohort') === 'canary';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { data: { positive_ratio: ratio.value, responses: 340 } } : { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ratio,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Step { uses?: string; env?: Record<string, string>; with?: Record<string, string> }
/** The rollout-gate step of the runbook's workflow.yml. */
async function workflowStep(): Promise<Step> {
  const wf = parseYaml(await readFile(join(runbookDir('canary-rollout-plan'), 'workflow.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(wf.jobs).flatMap((j) => j.steps).find((s) => s.uses?.startsWith('rollout-gate/rollout-gate@'))!;
}
/** `${{ vars.X }}` / `${{ secrets.X }}` as the runner evaluates them, for the plain lookups the workflow uses. */
const evaluate = (value: string, context: Record<string, Record<string, string>>) =>
  value.replace(/\$\{\{\s*(\w+)\.([\w-]+)\s*\}\}/g, (_, scope: string, key: string) => context[scope]?.[key] ?? '');

let healthy: RunningServer | undefined;
let degraded: RunningServer | undefined;
let feedback: Awaited<ReturnType<typeof startFeedback>>;
let standin: GitHubStandin;
let repo: Repo;
let dir: string;
let removeDir: () => Promise<void>;
let seq = 0;

beforeAll(async () => {
  standin = await startStandin();
  standin.teams.set('acme/sre', ['carol', 'erin']);
  standin.teams.set('acme/product', ['pat']);
  feedback = await startFeedback();
  if (have) {
    const window = { startS: E - 2 * HOUR, endS: E, scrapeS: SCRAPE };
    [healthy, degraded] = await Promise.all([prometheusWith(series(false), window), prometheusWith(series(true), window)]);
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([healthy?.stop(), degraded?.stop(), feedback?.close(), standin?.stop()]);
});
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('plan'));
  await mkdir(join(dir, '.github'));
  await copyFile(runbookConfig('canary-rollout-plan'), join(dir, '.github/rollout-gate.yml'));
  repo = standin.repo(OWNER, `checkout-${++seq}`);
  standin.addPull(repo, { number: 12, author: 'dana', headSha: HEAD, body: 'Widen the checkout canary' });
  standin.search = () => 0;
  feedback.ratio.value = 0.92;
});
afterEach(async () => {
  await removeDir();
  expect(standin.violations).toEqual([]);
});

/** The rollout in `stage` for three hours, on the ledger branch. */
function ledgerAt(stage: string) {
  const state = { rollout: 'checkout-canary', stage, enteredAt: new Date(Date.now() - 3 * HOUR * 1000).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [] };
  standin.commitFiles(repo, 'rollout-ledger', { 'state/checkout-canary.json': `${JSON.stringify(state, null, 2)}\n` }, 'seed');
}
const approve = (login: string) => standin.addReview(repo, 12, { login, state: 'APPROVED', commitId: HEAD });

/** Runs the workflow's rollout-gate step on the pull request, as the runner would. */
async function gate(prometheus: RunningServer): Promise<ActionRun> {
  const step = await workflowStep();
  const context = {
    vars: { PROMETHEUS_URL: prometheus.url, FEEDBACK_URL: feedback.url },
    secrets: { FEEDBACK_TOKEN, ROLLOUT_GATE_TOKEN: ACTIONS_TOKEN },
  };
  const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(String(v), context)]));
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, context)]));
  return runAction({
    inputs,
    env: { ...env, GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: `${OWNER}/${repo.name}`, GITHUB_EVENT_NAME: 'pull_request', GITHUB_ACTOR: 'dana' },
    event: pullRequestEvent({ owner: OWNER, repo: repo.name, number: 12, headSha: HEAD, body: 'Widen the checkout canary', author: 'dana' }),
    workspace: dir,
  });
}

/** The snapshot the run committed to the ledger. */
function ledgerSnapshot(): { gates: { name: string; status: string; max: number | null; value: unknown; baselineValue: number | null }[] } {
  const files = standin.files(repo, 'rollout-ledger');
  const path = [...files.keys()].filter((k) => k.endsWith('/snapshot.json')).sort().at(-1)!;
  return JSON.parse(files.get(path)!);
}

describe.skipIf(!have)('runbook canary-rollout-plan: cohorts 0.5/5/25/100%, run by the bundled Action on the release PR', () => {
  it('healthy metrics, both approvals, no incident and good feedback: PROCEED from the 5% to the 25% cohort', async () => {
    ledgerAt('cohort_5');
    approve('carol');
    approve('pat');
    const run = await gate(healthy!);
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'PROCEED', 'current-stage': 'cohort_5', 'target-stage': 'cohort_25', 'failed-gates': '' });
    expect(run.outputs.approvers!.split(',').sort()).toEqual(['carol', 'pat']);
    expect(repo.checkRuns.at(-1)).toMatchObject({ name: 'rollout-gate / checkout-canary', headSha: HEAD, conclusion: 'success' });
    const gates = Object.fromEntries(ledgerSnapshot().gates.map((g) => [g.name, g]));
    expect(gates.error_rate!.value as number).toBeCloseTo(0.004, 6);
    expect((gates.p75_latency_vs_stable!.value as number) / gates.p75_latency_vs_stable!.baselineValue!).toBeCloseTo(1.026, 2);
    expect(gates.feedback_ratio!.value).toBe(0.92);
    // Both searches ran, scoped to this repository.
    const searches = standin.requests.filter((r) => r.path === '/search/issues').map((r) => r.query.q);
    expect(searches).toEqual(expect.arrayContaining([`is:issue is:open label:sev-1 repo:${OWNER}/${repo.name}`, `is:issue is:open label:sev-2 repo:${OWNER}/${repo.name}`]));
  });

  it('an open Sev-2, no product approval and a poor feedback ratio: HOLD naming those three gates', async () => {
    ledgerAt('cohort_5');
    approve('carol');
    standin.search = (q) => (q.includes('label:sev-2') ? 1 : 0);
    feedback.ratio.value = 0.61;
    const run = await gate(healthy!);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ decision: 'HOLD', 'failed-gates': 'open_sev2_incidents,product_approval,feedback_ratio' });
    expect(repo.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure', title: 'HOLD: cohort_5 → cohort_25' });
    expect(repo.comments.get(12)![0]!.body).toContain('rollout-gate: **HOLD**');
  });

  it('halt rules "for 15 minutes": p75 17% over the stable baseline for 20 minutes holds; an 8-minute error spike does not', async () => {
    ledgerAt('cohort_5');
    approve('carol');
    approve('pat');
    const run = await gate(degraded!);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ decision: 'HOLD', 'failed-gates': 'p75_latency_vs_stable' });
    const gates = ledgerSnapshot().gates;
    const p75 = gates.find((g) => g.name === 'p75_latency_vs_stable')!;
    expect(p75.status).toBe('fail');
    expect((p75.value as number) / p75.baselineValue!).toBeCloseTo(1.17, 2);
    const errorRate = gates.find((g) => g.name === 'error_rate')!;
    expect(errorRate.status).toBe('pass');
    expect(errorRate.max!).toBeGreaterThan(0.02);
  });

  it('the error-rate limit is per cohort: 0.4% may enter the 25% cohort but not 100% (< 0.2%)', async () => {
    ledgerAt('cohort_25');
    approve('carol');
    approve('pat');
    const run = await gate(healthy!);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ decision: 'HOLD', 'target-stage': 'cohort_100', 'failed-gates': 'error_rate' });
  });
});
