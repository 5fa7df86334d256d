import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
// @ts-expect-error: a plain .mjs script shared with the demo and the benchmark
import { demoState } from '../../scripts/demo-data.mjs';
import { ROOT } from '../support/demo.js';
import { pullRequestEvent as prEvent } from '../support/events.js';
import { issueCommentEvent } from '../support/comment-event.js';
import { runAction, type ActionRun } from '../support/runner.js';
import { ACTIONS_TOKEN, READONLY_TOKEN, startStandin, type GitHubStandin, type Repo } from '../github/standin.js';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { generateFixtures, startPrometheus } from '../servers/prometheus.js';
import { decisionLogLines } from '../support/decision-log.js';

/**
 * The documented workflows, run as written: each workflow is read from the page that shows it
 * (the quick start from README.md, the others from docs/action.md), the
 * rollout-gate step's `with:` and `env:` are evaluated against the event's inputs, vars and
 * secrets the way the runner does, and the bundled `dist/index.js` runs with them against the
 * GitHub stand-in and a real Prometheus holding the gate metrics.
 */

const OWNER = 'acme';
const HEAD_SHA = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
const PROMETHEUS_TOKEN = 'prom-secret-token-4711';
const havePrometheus = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');

interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean } | string;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; steps: { id?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> }[] }>;
}

/** Where each workflow is documented: the quick start in the README, the rest on the Action's page. */
const PAGES: Record<string, string> = { 'Quick start': 'README.md', 'Guarding a stage between promotions': 'README.md' };
const pageOf = (heading: string) => PAGES[heading] ?? 'docs/action.md';

/** The first ```yaml block after the heading (## or ###) that starts with `heading`. */
function documentedWorkflow(heading: string): Workflow {
  const page = pageOf(heading);
  const text = readFileSync(join(ROOT, page), 'utf8');
  const at = text.search(new RegExp(`\\n#{2,3} ${heading}`));
  if (at < 0) throw new Error(`${page} has no "## ${heading}" or "### ${heading}" section`);
  const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`${page} section "${heading}" has no yaml block`);
  return parseYaml(block[1]!) as Workflow;
}

/** GitHub's `${{ a.b.c }}` expressions, for the plain property lookups the documented workflows use. */
function evaluate(value: unknown, context: Record<string, unknown>): string {
  return String(value).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    let v: unknown = context;
    for (const key of expr.split('.')) v = v == null ? undefined : (v as Record<string, unknown>)[key];
    return v == null ? '' : String(v);
  });
}

function gateStep(wf: Workflow) {
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const step = steps.find((s) => s.uses?.startsWith('rollout-gate/rollout-gate@'));
  if (!step) throw new Error('the workflow has no rollout-gate step');
  return { step, steps };
}

const CONFIG = `version: 1
rollout:
  name: chat-v1.1
  stages:
    - { name: canary_1,  traffic: 1,  minDuration: 30m }
    - { name: canary_10, traffic: 10, minDuration: 2h }
    - { name: canary_50, traffic: 50, minDuration: 12h }
    - { name: full,      traffic: 100 }
  ramp: { maxStepFactor: 10, cooldownAfterRollback: 24h }
state: { type: github }
providers:
  prom:
    type: prometheus
    url: \${PROMETHEUS_URL}
    headers: { Authorization: "Bearer \${PROMETHEUS_TOKEN}" }
# The fixture series end 5 to 10 minutes before now.
defaults: { noData: hold, severity: major }
gates:
  - name: ack_without_receipt
    provider: prom
    query: sum(increase(ack_without_receipt_total{service="\${SERVICE}"}[30m]))
    pass: "== 0"
    severity: critical
    staleAfter: 15m
  - name: error_rate
    provider: prom
    query: sum(rate(http_requests_total{service="\${SERVICE}",track="canary",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="\${SERVICE}",track="canary"}[5m]))
    pass: "< \${MAX_ERROR_RATIO}"
    over: 30m
    failAfter: 5m
    staleAfter: 15m
`;

let prometheus: RunningServer | undefined;
let standin: GitHubStandin;
let repo: Repo;
let dir: string;
let seq = 0;

beforeAll(async () => {
  standin = await startStandin();
  // The Action judges at the real time: the series must still be reporting then, as a live
  // Prometheus's would. Fixtures that end minutes before now are a canary that stopped, which
  // is no data (SPEC §8.1), so they run on to a little past now.
  if (havePrometheus) prometheus = await startPrometheus(generateFixtures(Date.now() + 10 * 60_000));
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
  await standin.stop();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-gate-readme-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github/rollout-gate.yml'), CONFIG);
  repo = standin.repo(OWNER, `shop-${++seq}`);
  // The ledger has the rollout three hours into canary_10.
  standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': `${JSON.stringify(demoState(Date.now()), null, 2)}\n` }, 'seed');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(standin.violations).toEqual([]);
});

const ledgerState = () => JSON.parse(standin.files(repo, 'rollout-ledger').get('state/chat-v1.1.json')!);
const decisionLog = () => decisionLogLines(standin.files(repo, 'rollout-ledger'), 'chat-v1.1');

/** Runs the documented workflow's rollout-gate step as the runner would for this event. */
async function runWorkflow(
  heading: string,
  opts: { eventName: string; event: Record<string, unknown>; inputs?: Record<string, unknown>; token?: string; service?: string; maxErrorRatio?: string },
): Promise<{ run: ActionRun; wf: Workflow; steps: ReturnType<typeof gateStep>['steps'] }> {
  const wf = documentedWorkflow(heading);
  expect(Object.keys(wf.on)).toContain(opts.eventName);
  const { step, steps } = gateStep(wf);
  const token = opts.token ?? ACTIONS_TOKEN;
  const context = {
    inputs: opts.inputs ?? {},
    vars: { PROMETHEUS_URL: prometheus!.url },
    secrets: { PROMETHEUS_TOKEN },
    github: { token },
  };
  const inputs: Record<string, string> = { 'github-token': token };
  for (const [k, v] of Object.entries(step.with ?? {})) inputs[k] = evaluate(v, context);
  const stepEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(v, context);
  const run = await runAction({
    inputs,
    env: {
      // Workflow 3 sets no env: the rollback needs no gate, and the config's ${VAR}s still resolve from the job's env.
      PROMETHEUS_URL: prometheus!.url,
      PROMETHEUS_TOKEN,
      ...stepEnv,
      SERVICE: opts.service ?? 'chat',
      MAX_ERROR_RATIO: opts.maxErrorRatio ?? '0.01',
      GITHUB_API_URL: standin.url,
      GITHUB_REPOSITORY: `${OWNER}/${repo.name}`,
      GITHUB_EVENT_NAME: opts.eventName,
      GITHUB_ACTOR: 'dana',
    },
    event: opts.event,
    workspace: dir,
  });
  return { run, wf, steps };
}

function pullRequestEvent(fork = false) {
  return prEvent({ owner: OWNER, repo: repo.name, number: 7, headSha: HEAD_SHA, author: 'dana', body: 'Release chat v1.1', fork: fork ? 'mallory' : null });
}

describe.skipIf(!havePrometheus)('the documented workflows, run by the bundled Action with a real Prometheus behind the gates', () => {
  it('the permissions blocks grant what each workflow writes', () => {
    for (const heading of ['Quick start', 'Workflow 1', 'Fork pull requests']) {
      expect(documentedWorkflow(heading).permissions).toMatchObject({ contents: 'write', 'pull-requests': 'write', checks: 'write' });
    }
    for (const heading of ['Workflow 2', 'Workflow 3']) expect(documentedWorkflow(heading).permissions).toMatchObject({ contents: 'write', checks: 'write' });
  });

  it('the quick start workflow, as written in the README: PROCEED passes the step and the check run', async () => {
    standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
    const { run, wf } = await runWorkflow('Quick start', { eventName: 'pull_request', event: pullRequestEvent() });
    expect(gateStep(wf).step.with).toMatchObject({ config: '.github/rollout-gate.yml', 'github-token': '${{ github.token }}' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'PROCEED', 'target-stage': 'canary_50' });
    expect(repo.checkRuns.at(-1)).toMatchObject({ name: 'rollout-gate / chat-v1.1', headSha: HEAD_SHA, conclusion: 'success' });
    expect(repo.comments.get(7)![0]!.body).toContain('rollout-gate: **PROCEED**');
  });

  it('Workflow 1 (evaluate on the release PR): PROCEED passes the step and the check run; the comment and evidence carry the Prometheus values', async () => {
    standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
    const { run } = await runWorkflow('Workflow 1', { eventName: 'pull_request', event: pullRequestEvent() });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'PROCEED', 'current-stage': 'canary_10', 'target-stage': 'canary_50', 'failed-gates': '' });
    expect(repo.checkRuns.at(-1)).toMatchObject({ name: 'rollout-gate / chat-v1.1', headSha: HEAD_SHA, conclusion: 'success' });
    const comment = repo.comments.get(7)![0]!.body;
    expect(comment).toContain('rollout-gate: **PROCEED**');
    // 5 errors in 1,000 requests per scrape: the ratio Prometheus computed, not a fixture file.
    // A steady series: min and max equal the value, so it is printed once.
    expect(comment).toMatch(/\| error\\_rate \| 0\.005 \| ▁+ \| &lt; 0\.01 \| 30m, failAfter 5m, every 15s \| ✅ pass \|/);
    const files = standin.files(repo, 'rollout-ledger');
    const snapshot = JSON.parse(files.get([...files.keys()].find((k) => k.endsWith('/snapshot.json'))!)!);
    const errorRate = snapshot.gates.find((g: { name: string }) => g.name === 'error_rate');
    expect(errorRate.samples).toBeGreaterThan(10);
    expect(errorRate.value).toBeCloseTo(0.005, 6);
    expect(ledgerState().stage).toBe('canary_10');
    const everything = [run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, comment, ...files.values()].join('\n');
    expect(everything).not.toContain(PROMETHEUS_TOKEN);
  });

  it('Workflow 1: a major gate breached is HOLD, an invariant breach is ROLLBACK; both fail the step and the check run', async () => {
    standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
    const hold = await runWorkflow('Workflow 1', { eventName: 'pull_request', event: pullRequestEvent(), maxErrorRatio: '0.001' });
    expect(hold.run.code).toBe(1);
    expect(hold.run.outputs).toMatchObject({ decision: 'HOLD', 'failed-gates': 'error_rate' });
    expect(repo.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure', title: 'HOLD: canary_10 → canary_50' });

    const rollback = await runWorkflow('Workflow 1', { eventName: 'pull_request', event: pullRequestEvent(), service: 'payments', maxErrorRatio: '0.1' });
    expect(rollback.run.code).toBe(1);
    expect(rollback.run.outputs).toMatchObject({ decision: 'ROLLBACK', 'failed-gates': 'ack_without_receipt' });
    expect(repo.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure', title: 'ROLLBACK: canary_10 → canary_50' });
    // One sticky comment, updated in place; both decisions in the log.
    expect(repo.comments.get(7)).toHaveLength(1);
    expect(repo.comments.get(7)![0]!.body).toContain('rollout-gate: **ROLLBACK**');
    expect(decisionLog().map((l) => l.decision)).toEqual(['HOLD', 'ROLLBACK']);
  });

  it('Workflow 2 (promote on workflow_dispatch): the state moves and the next step gets the target stage', async () => {
    const { run, steps } = await runWorkflow('Workflow 2', { eventName: 'workflow_dispatch', event: { inputs: { target: '', force: false, reason: '' } }, inputs: { target: '', force: false, reason: '' } });
    expect(run.code, run.stdout).toBe(0);
    // The workflow's next step runs on this output and reads the target stage.
    const deploy = steps.find((s) => s.run?.includes('set-traffic'))!;
    expect(deploy.if).toBe("steps.gate.outputs.decision == 'PROCEED'");
    expect(run.outputs).toMatchObject({ decision: 'PROCEED', 'target-stage': 'canary_50' });
    expect(ledgerState()).toMatchObject({ stage: 'canary_50' });
    expect(ledgerState().history.at(-1)).toMatchObject({ from: 'canary_10', to: 'canary_50', decision: 'PROCEED', actor: 'dana' });
  });

  it('Workflow 2 with force and a reason: a HOLD goes through, marked as forced', async () => {
    const inputs = { target: '', force: true, reason: 'error budget waived by SRE' };
    const { run } = await runWorkflow('Workflow 2', { eventName: 'workflow_dispatch', event: { inputs }, inputs, maxErrorRatio: '0.001' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.decision).toBe('PROCEED');
    expect(ledgerState().history.at(-1)).toMatchObject({ to: 'canary_50', forced: true, reason: 'error budget waived by SRE' });
    expect(decisionLog().at(-1)).toMatchObject({ forced: true });
  });

  it('Workflow 3 (rollback with the kill switch): back one stage, and every later evaluate is a ROLLBACK', async () => {
    const inputs = { reason: 'duplicate messages in canary', 'kill-switch': true };
    const { run, steps } = await runWorkflow('Workflow 3', { eventName: 'workflow_dispatch', event: { inputs }, inputs });
    expect(run.code, run.stdout).toBe(0);
    expect(steps.some((s) => s.run?.includes('steps.gate.outputs.target-stage'))).toBe(true);
    expect(run.outputs).toMatchObject({ decision: 'ROLLBACK', 'target-stage': 'canary_1' });
    expect(ledgerState()).toMatchObject({ stage: 'canary_1', killSwitch: true });

    standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
    const next = await runWorkflow('Workflow 1', { eventName: 'pull_request', event: pullRequestEvent() });
    expect(next.run.outputs.decision).toBe('ROLLBACK');
  });

  it('the README watch workflow (schedule): a healthy stage changes nothing; an invariant breach rolls back once; the next step gets traffic and flags', async () => {
    const wf = documentedWorkflow('Guarding a stage between promotions') as Workflow & { concurrency?: unknown };
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.concurrency).toBeTruthy();
    expect(wf.permissions).toEqual({ contents: 'write' });
    const apply = gateStep(wf).steps.find((st) => st.env?.TRAFFIC)!;
    // The outputs reach the script through env, never spliced into its text.
    expect(apply.env).toEqual({ TRAFFIC: '${{ steps.gate.outputs.traffic }}', FLAGS: '${{ steps.gate.outputs.flags }}' });
    expect(apply.run).not.toContain('${{');

    const healthy = await runWorkflow('Guarding a stage between promotions', { eventName: 'schedule', event: { schedule: '*/5 * * * *' } });
    expect(healthy.run.code, healthy.run.stdout).toBe(0);
    expect(healthy.run.outputs).toMatchObject({ decision: 'PROCEED', traffic: '10', flags: '{}' });
    expect(ledgerState()).toMatchObject({ stage: 'canary_10' });
    expect(repo.checkRuns).toHaveLength(0);

    const breach = await runWorkflow('Guarding a stage between promotions', { eventName: 'schedule', event: { schedule: '*/5 * * * *' }, service: 'payments', maxErrorRatio: '0.1' });
    expect(breach.run.code).toBe(1);
    expect(breach.run.outputs).toMatchObject({ decision: 'ROLLBACK', 'current-stage': 'canary_10', 'target-stage': 'canary_1', traffic: '1', 'failed-gates': 'ack_without_receipt' });
    expect(ledgerState()).toMatchObject({ stage: 'canary_1', killSwitch: false });
    // The invariant gate is instant (an increase over 30m): it still sees the breach that caused
    // the rollback. The next watch does not roll back again: it freezes the rollout.
    const again = await runWorkflow('Guarding a stage between promotions', { eventName: 'workflow_dispatch', event: {}, service: 'payments', maxErrorRatio: '0.1' });
    expect(again.run.code, again.run.stdout).toBe(0);
    expect(again.run.outputs).toMatchObject({ decision: 'HOLD', traffic: '1' });
    expect(ledgerState()).toMatchObject({ stage: 'canary_1', paused: { reason: 'watch: ack_without_receipt failed at canary_1' } });
    expect(ledgerState().history.filter((h: { decision: string }) => h.decision === 'ROLLBACK')).toHaveLength(1);
    expect(decisionLog().map((l) => `${l.command} ${l.decision}`)).toEqual(['watch PROCEED', 'watch ROLLBACK', 'watch HOLD']);
  });

  it('Workflow 4 (commands in pull request comments): a writer promotes from a comment with the config of the default branch; a reader is refused', async () => {
    const wf = documentedWorkflow('Workflow 4');
    expect(wf.on).toEqual({ issue_comment: { types: ['created'] } });
    expect(wf.permissions).toMatchObject({ contents: 'write', 'pull-requests': 'write', checks: 'write', deployments: 'write' });
    expect(wf.concurrency).toMatchObject({ 'cancel-in-progress': false });
    expect(Object.values(wf.jobs)[0]!.if).toContain('github.event.issue.pull_request');
    // The workspace holds the pull request's copy, with a gate that cannot pass; the default branch's config decides.
    writeFileSync(join(dir, '.github/rollout-gate.yml'), CONFIG.replace('pass: "== 0"', 'pass: "== 42"'));
    standin.commitFiles(repo, 'main', { '.github/rollout-gate.yml': `${CONFIG}deployments: { environment: chat }\n` }, 'config');
    standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
    repo.collaborators.set('dana', 'write');
    repo.collaborators.set('bob', 'read');
    repo.comments.set(7, repo.comments.get(7) ?? []);

    const say = async (login: string, body: string) => {
      const c = standin.addComment(repo, 7, login, body);
      const event = issueCommentEvent({ owner: OWNER, repo: repo.name, number: 7, commentId: c.id, body, login });
      const { run } = await runWorkflow('Workflow 4', { eventName: 'issue_comment', event });
      return { run, reactions: repo.reactions.filter((r) => r.commentId === c.id).map((r) => r.content) };
    };
    const refused = await say('bob', '/rollout promote');
    expect(refused.run.code, refused.run.stdout).toBe(0);
    expect(refused.reactions).toEqual(['eyes', '-1']);
    expect(ledgerState().stage).toBe('canary_10');

    const promoted = await say('dana', '/rollout promote');
    expect(promoted.run.code, promoted.run.stdout).toBe(0);
    expect(promoted.reactions).toEqual(['eyes', 'rocket']);
    expect(ledgerState()).toMatchObject({ stage: 'canary_50' });
    expect(ledgerState().history.at(-1)).toMatchObject({ from: 'canary_10', to: 'canary_50', actor: 'dana' });
    expect(repo.deployments.map((d) => [d.environment, (d.payload as { stage: string }).stage, d.statuses.at(-1)!.state])).toEqual([['chat', 'canary_50', 'success']]);
    expect(repo.comments.get(7)!.some((c) => c.body.startsWith('<!-- rollout-gate:chat-v1.1 -->') && c.body.includes('rollout-gate: **PROCEED**'))).toBe(true);
  });

  it('Fork PRs: the pull_request run with a read-only token decides and warns; the workflow_run workflow comments', async () => {
    standin.addPull(repo, { number: 7, author: 'mallory', headSha: HEAD_SHA, body: 'Release chat v1.1', headOwner: 'mallory', headRef: 'release/v1.1' });
    const gate = await runWorkflow('Workflow 1', { eventName: 'pull_request', event: pullRequestEvent(true), token: READONLY_TOKEN });
    expect(gate.run.code, gate.run.stdout).toBe(0);
    expect(gate.run.outputs.decision).toBe('PROCEED');
    expect(gate.run.stdout).toMatch(/::warning::/);
    expect(repo.comments.get(7) ?? []).toHaveLength(0);

    const workflowRun = {
      action: 'completed',
      workflow_run: { event: 'pull_request', head_sha: HEAD_SHA, head_branch: 'release/v1.1', head_repository: { owner: { login: 'mallory' } }, pull_requests: [] },
      repository: { full_name: `${OWNER}/${repo.name}` },
    };
    const report = await runWorkflow('Fork pull requests', { eventName: 'workflow_run', event: workflowRun });
    expect(report.run.code, report.run.stdout).toBe(0);
    expect(report.run.outputs.decision).toBe('PROCEED');
    expect(repo.comments.get(7)).toHaveLength(1);
    expect(repo.comments.get(7)![0]!.body).toContain('rollout-gate: **PROCEED**');
    expect(repo.checkRuns.at(-1)).toMatchObject({ headSha: HEAD_SHA, conclusion: 'success' });
  });
});
