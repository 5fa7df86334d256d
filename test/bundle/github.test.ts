import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDir } from '../support/demo.js';
import { pullRequestEvent as prEvent } from '../support/events.js';
import { runAction, type ActionRun } from '../support/runner.js';
import { formatNumber, formatTime } from '../../src/report/format.js';
import { ACTIONS_TOKEN, READONLY_TOKEN, startStandin, type GitHubStandin, type Repo } from '../github/standin.js';
import { decisionLogLines } from '../support/decision-log.js';
import { readStatusData, withoutStatusData } from '../../src/ledger/status-data.js';

const OWNER = 'acme';
const HEAD_SHA = '1111111111111111111111111111111111111111';
let standin: GitHubStandin;
let repo: Repo;
let dir: string;
let cleanup: () => void;
let seq = 0;

beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => {
  const d = demoDir(Date.now(), 'healthy');
  dir = d.dir;
  cleanup = d.cleanup;
  repo = standin.repo(OWNER, `chat-${++seq}`);
  writeFileSync(
    join(dir, 'rollout-gate.yml'),
    readFileSync(join(import.meta.dirname, '../../examples/chat-rollout.yml'), 'utf8').replace(/state:\n  type: file\n  path: .*\n/, 'state:\n  type: github\n'),
  );
  // The ledger already has the rollout three hours into canary_10.
  standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
  standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': readFileSync(join(dir, 'state.json'), 'utf8') }, 'seed');
});
afterEach(() => {
  cleanup();
  expect(standin.violations).toEqual([]);
});

function pullRequestEvent(fork = false) {
  return prEvent({ owner: OWNER, repo: repo.name, number: 7, headSha: HEAD_SHA, author: 'dana', body: 'Release chat v1.1\n\n- [x] Rollback command verified', fork: fork ? 'mallory' : null });
}

async function run(inputs: Record<string, string>, opts: { token?: string; event?: unknown; eventName?: string; scenario?: 'healthy' | 'breach'; runId?: string } = {}): Promise<ActionRun> {
  return runAction({
    inputs: { config: 'rollout-gate.yml', 'github-token': opts.token ?? ACTIONS_TOKEN, ...inputs },
    env: {
      ROLLOUT_DEMO_DIR: dir,
      GITHUB_API_URL: standin.url,
      GITHUB_REPOSITORY: `${OWNER}/${repo.name}`,
      GITHUB_EVENT_NAME: opts.eventName ?? 'pull_request',
      GITHUB_SHA: '2222222222222222222222222222222222222222',
      GITHUB_RUN_ID: opts.runId ?? '4242',
    },
    event: opts.event ?? pullRequestEvent(),
    workspace: dir,
  });
}

const ledgerState = () => JSON.parse(standin.files(repo, 'rollout-ledger').get('state/chat-v1.1.json')!);
const decisionLog = () => decisionLogLines(standin.files(repo, 'rollout-ledger'), 'chat-v1.1');
// The ledger query is a POST but a read: the stand-in tells reads from writes.
const writes = () => standin.writes().length;

describe('the bundled Action against the GitHub stand-in', () => {
  it('evaluate on a PR: check run on the head SHA, sticky comment, evidence in one ledger commit, outputs', async () => {
    const before = standin.requests.length;
    const r = await run({});
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.decision).toBe('PROCEED');

    const check = repo.checkRuns.at(-1)!;
    expect(check).toMatchObject({ name: 'rollout-gate / chat-v1.1', headSha: HEAD_SHA, conclusion: 'success', title: 'PROCEED: canary_10 → canary_50' });
    expect(check.summary).toContain('| write\\_receipt\\_p95\\_ms |');

    const comments = repo.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith('<!-- rollout-gate:chat-v1.1 -->')).toBe(true);
    expect(comments[0]!.body).toContain('rollout-gate: **PROCEED**');
    expect(r.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    // Every windowed gate as a sparkline; the comparison gate as two on one scale, and in words.
    const body = comments[0]!.body;
    expect(body).toMatch(/\| write\\_receipt\\_p95\\_ms \| [^|]+ \| [▁▂▃▄▅▆▇█]{24} \|/);
    expect(body).toMatch(/\| write\\_latency\\_vs\\_stable \| mean \d+(\.\d+)? vs \d+(\.\d+)? \(\+\d(\.\d)?%\) \| [▁▂▃▄▅▆▇█]{24} vs [▁▂▃▄▅▆▇█]{24} \|/);
    expect(body).toMatch(/\*\*write\\_latency\\_vs\\_stable\*\* \(metrics, major, \d+ samples\): \+\d+(\.\d+)?% vs baseline \(98% CI \+\d+(\.\d+)?%…\+\d+(\.\d+)?% of the baseline mean, p (&lt; 0\.0001|= 0\.\d+); mean \+\d+(\.\d+)?%; effective samples \d+(\.\d)? of \d+ and \d+(\.\d)? of \d+\): passes \(within the allowed \+10%\)/);
    expect(body).toContain('| error\\_rate\\_vs\\_stable |');
    expect(body).toMatch(/\| error\\_rate\\_vs\\_stable \|.*\| ✅ pass \(shadow: does not decide\) \|/);

    const files = standin.files(repo, 'rollout-ledger');
    const dirOnLedger = [...files.keys()].find((k) => k.endsWith('/snapshot.json'))!;
    expect(dirOnLedger).toMatch(/^evidence\/chat-v1\.1\/\d{8}T\d{6}Z-canary_10-to-canary_50-4242\.1\/snapshot\.json$/);
    expect(files.get(dirOnLedger.replace('snapshot.json', 'go-no-go.md'))).toContain('| Decision | **PROCEED** |');
    expect(JSON.parse(files.get(dirOnLedger)!)).toMatchObject({ decision: 'PROCEED', context: { commitSha: HEAD_SHA, pullRequest: 7 } });
    expect(decisionLog()).toHaveLength(1);
    expect(r.outputs['evidence-commit']).toBe(standin.headOf(repo, 'rollout-ledger'));
    // The state did not change on evaluate.
    expect(ledgerState().stage).toBe('canary_10');

    const calls = standin.requests.slice(before);
    // Closing-note figure: API calls of one evaluate on a PR (no github gates in this config).
    expect(calls.length).toBeLessThanOrEqual(9);
    process.stdout.write(`[api-calls] evaluate on a PR made ${calls.length} GitHub API calls: ${calls.map((c) => c.operation).join(', ')}\n`);
  });

  it('a rerun updates the same comment in place', async () => {
    await run({});
    await run({}, { runId: '4243' });
    const comments = repo.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(decisionLog()).toHaveLength(2);
  });

  it('HOLD and ROLLBACK fail the step and the check run', async () => {
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ chat: {} }));
    const hold = await run({});
    expect(hold.code).toBe(1);
    expect(hold.outputs.decision).toBe('HOLD');
    expect(repo.checkRuns.at(-1)!.conclusion).toBe('failure');

    const d = demoDir(Date.now(), 'breach');
    writeFileSync(join(dir, 'metrics.json'), readFileSync(join(d.dir, 'metrics.json')));
    d.cleanup();
    const rb = await run({});
    expect(rb.code).toBe(1);
    expect(rb.outputs).toMatchObject({ decision: 'ROLLBACK', 'failed-gates': 'ack_without_receipt_rate' });
    expect(repo.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure', title: 'ROLLBACK: canary_10 → canary_50' });
    // What decides comes first: the ROLLBACK gate is the first row of the comment, the job summary,
    // the check run and the terminal table in the log, with the worst value that broke its rule.
    const snap = JSON.parse(readFileSync(rb.outputs['report-json']!, 'utf8'));
    const ack = snap.gates.find((g: { name: string }) => g.name === 'ack_without_receipt_rate');
    expect(ack.worst).toMatchObject({ value: ack.max, threshold: 0 });
    expect(ack.max).toBeGreaterThan(0);
    const worstText = `worst ${formatNumber(ack.max)} at ${formatTime(ack.worst.at)}, broken for `;
    const firstGateRow = (md: string) => md.split('\n')[md.split('\n').findIndex((l) => l.startsWith('| gate | value |')) + 2]!;
    for (const [where, md] of [['comment', repo.comments.get(7)!.at(-1)!.body], ['summary', rb.summary], ['check run', repo.checkRuns.at(-1)!.summary ?? '']] as const) {
      expect(firstGateRow(md), where).toMatch(/^\| ack\\_without\\_receipt\\_rate \| /);
      expect(firstGateRow(md), where).toContain(worstText);
      expect(firstGateRow(md), where).toContain('| ❌ fail → ROLLBACK |');
    }
    const log = rb.stdout.split('\n');
    const header = log.findIndex((l) => /^ {2}gate +value +trend/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(log[header + 1]).toMatch(/^ {2}ack_without_receipt_rate +worst /);
    expect(log[header + 1]).toContain(worstText);
    expect(log[header + 1]).toMatch(/fail → ROLLBACK$/);
    // Passing ramp checks are one line, not a table.
    expect(rb.summary).toContain('_ramp: 4 checks pass (kill switch, target, min duration, step factor)_');
    expect(rb.summary).not.toContain('#### Ramp checks');
  });

  it('promote on workflow_dispatch moves the state on the ledger; no comment without a PR', async () => {
    const r = await run({ command: 'promote' }, { event: {}, eventName: 'workflow_dispatch' });
    expect(r.code, r.stdout).toBe(0);
    const state = ledgerState();
    expect(state.stage).toBe('canary_50');
    expect(state.history.at(-1)).toMatchObject({ from: 'canary_10', to: 'canary_50', decision: 'PROCEED', actor: 'alice' });
    expect(repo.comments.get(7) ?? []).toHaveLength(0);
    expect(r.summary).toContain('rollout-gate: **PROCEED**');

    // The status page is in the same commit as the state: one commit for the run, on the seed.
    const commits = standin.history(repo, 'rollout-ledger');
    expect(commits).toHaveLength(2);
    expect(standin.files(repo, commits[1]!).has('README.md')).toBe(false);
    const head = standin.files(repo, commits[0]!);
    const readme = head.get('README.md')!;
    const evidence = decisionLog().at(-1)!.evidencePath as string;
    expect(evidence).toMatch(/^evidence\/chat-v1\.1\/\d{8}T\d{6}Z-canary_10-to-canary_50-4242\.1$/);
    expect(head.has(`${evidence}/go-no-go.md`)).toBe(true);
    expect(readme).toContain('## chat-v1.1');
    expect(readme).toContain('| Stage | **canary\\_50** (50% of traffic) |');
    expect(readme).toContain(`| Last evidence | [${evidence.split('/').at(-1)!.replace(/_/g, '\\_')}](${evidence}/go-no-go.md) |`);
    expect(readme).toMatch(/\| \d{4}-\d\d-\d\d \d\d:\d\d UTC \| promote \| canary\\_10 → canary\\_50 \| PROCEED \| alice \| \[evidence\]\(evidence\/chat-v1\.1\/[^)]+\/go-no-go\.md\) \|/);
    expect(readme).toMatch(/\| canary\\_50 \| 50% \| [^|]+ \| current \| /);
    // The section keeps, after what people read, what the next run updates it from (the chain's head).
    expect(withoutStatusData(head.get('status/chat-v1.1.md')!)).toBe(readme.slice(readme.indexOf('## chat-v1.1')).trimEnd() + '\n');
    expect(readStatusData(head.get('status/chat-v1.1.md'))).toMatchObject({ last: { command: 'promote', decision: 'PROCEED' }, lastEvidence: evidence });
  });

  it('rollback with the kill switch; the next evaluate is a ROLLBACK', async () => {
    const r = await run({ command: 'rollback', 'kill-switch': 'true', reason: 'duplicate messages' }, { event: {}, eventName: 'workflow_dispatch' });
    expect(r.code, r.stdout).toBe(0);
    expect(ledgerState()).toMatchObject({ stage: 'canary_1', killSwitch: true });
    const next = await run({});
    expect(next.outputs.decision).toBe('ROLLBACK');
    expect(next.summary).toContain('the kill switch is engaged');

    // resume needs a reason, then releases the switch in one ledger commit; the step passes.
    const dispatch = { event: {}, eventName: 'workflow_dispatch' };
    const bare = await run({ command: 'resume' }, dispatch);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain('resume needs a reason');
    expect(ledgerState().killSwitch).toBe(true);
    const resumed = await run({ command: 'resume', reason: 'fix deployed in 1.1.1' }, dispatch);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(resumed.outputs).toMatchObject({ decision: 'HOLD', 'current-stage': 'canary_1', 'target-stage': 'canary_1' });
    expect(resumed.outputs['evidence-commit']).toMatch(/^[0-9a-f]{40}$/);
    expect(ledgerState()).toMatchObject({ stage: 'canary_1', killSwitch: false });
    expect(ledgerState().history.at(-1)).toMatchObject({ from: 'canary_1', to: 'canary_1', actor: 'alice' });
    expect(decisionLog().at(-1)).toMatchObject({ command: 'resume', stateChanged: true });
    expect(resumed.summary).toMatch(/kill switch released at canary\\_1: fix deployed in 1\.1\.1/);
    // The next evaluation is decided by the ramp and the gates again (the cooldown holds it).
    const after = await run({});
    expect(after.outputs.decision).toBe('HOLD');
    expect(after.summary).not.toContain('the kill switch is engaged');
  });

  it('a fork PR with a read-only token: the verdict and the summary stand, writes become warnings', async () => {
    const r = await run({}, { token: READONLY_TOKEN, event: pullRequestEvent(true) });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.decision).toBe('PROCEED');
    expect(r.stdout).toMatch(/::warning::.*(Resource not accessible by integration|may not)/);
    expect(r.summary).toContain('rollout-gate: **PROCEED**');
    expect(repo.comments.get(7) ?? []).toHaveLength(0);
    expect(decisionLog()).toHaveLength(0);
  });

  it('two promote runs racing on the ledger: exactly one transition, no lost decision-log line', async () => {
    const [a, b] = await Promise.all([run({ command: 'promote' }, { runId: '5001' }), run({ command: 'promote' }, { runId: '5002' })]);
    const decisions = [a.outputs.decision, b.outputs.decision].sort();
    expect(decisions).toEqual(['HOLD', 'PROCEED']);
    const state = ledgerState();
    expect(state.stage).toBe('canary_50');
    expect(state.history.filter((h: { to: string }) => h.to === 'canary_50')).toHaveLength(1);
    expect(decisionLog()).toHaveLength(2);
  });

  it('dry-run writes nothing: no commit, no comment, no check run', async () => {
    const before = writes();
    const r = await run({ command: 'promote', 'dry-run': 'true' });
    expect(r.code).toBe(0);
    expect(writes()).toBe(before);
    expect(ledgerState().stage).toBe('canary_10');
  });

  it('the token never appears in outputs, summary, comment, check run or evidence', async () => {
    const r = await run({ command: 'promote' });
    const log = r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(r.stdout).toContain(`::add-mask::${ACTIONS_TOKEN}`);
    const everything = [log, r.stderr, r.summary, JSON.stringify(r.outputs), JSON.stringify(repo.comments.get(7)), JSON.stringify(repo.checkRuns), ...standin.files(repo, 'rollout-ledger').values()].join('\n');
    expect(everything).not.toContain(ACTIONS_TOKEN);
  });
});

describe('the bundled Action, command calibrate', () => {
  it('puts calibration.md and baseline.md in the summary and commits them under calibration/ with no state change', async () => {
    const stateBefore = ledgerState();
    const logBefore = decisionLog();
    const r = await run({ command: 'calibrate' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary).toContain('# Threshold calibration: chat-v1.1');
    expect(r.summary).toContain('# Baseline: chat-v1.1');
    expect(r.summary).toMatch(/\| write\\_receipt\\_p95\\_ms \| &lt; 1500 \| 1h \(failAfter 5m\) \| \d+ \| \d+ \|/);
    const files = standin.files(repo, 'rollout-ledger');
    const written = [...files.keys()].filter((p) => p.startsWith('calibration/')).sort();
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^calibration\/chat-v1\.1\/\d{8}T\d{6}Z\/baseline\.md$/);
    expect(written.map((p) => p.split('/').at(-1))).toEqual(['baseline.md', 'calibration.json', 'calibration.md']);
    const doc = JSON.parse(files.get(written[1]!)!);
    expect(doc.gates.map((g: { name: string }) => g.name)).toContain('write_receipt_p95_ms');
    expect(r.outputs['evidence-commit']).toMatch(/^[0-9a-f]{40}$/);
    expect(JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8'))).toEqual(doc);
    // No decision: the state and the decision log are as they were, and no comment or check run.
    expect(ledgerState()).toEqual(stateBefore);
    expect(decisionLog()).toEqual(logBefore);
    expect(repo.comments.get(7) ?? []).toEqual([]);
    expect(files.get('calibration-log/chat-v1.1.jsonl')).toMatch(/"evidencePath":"calibration\/chat-v1\.1\/\d{8}T\d{6}Z"/);
  });

  it('calibrate-gates and calibrate-days pick what is calibrated; an unknown gate fails the step naming it', async () => {
    const r = await run({ command: 'calibrate', evidence: 'none', 'calibrate-gates': 'error_rate', 'calibrate-days': '1', 'calibrate-fail-rate': '0.05' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary).toMatch(/\| error\\_rate \|/);
    expect(r.summary).not.toContain('write\\_receipt\\_p95\\_ms');
    const bad = await run({ command: 'calibrate', evidence: 'none', 'calibrate-gates': 'error_rat' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::gate "error_rat": no such gate in rollout-gate.yml');
  });

  it('evidence none: the summary only, nothing committed', async () => {
    const before = writes();
    const r = await run({ command: 'calibrate', evidence: 'none' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary).toContain('# Threshold calibration: chat-v1.1');
    expect(writes()).toBe(before);
  });
});
