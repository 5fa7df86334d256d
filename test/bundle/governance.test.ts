import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDir } from '../support/demo.js';
import { runAction } from '../support/runner.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin, type Repo } from '../github/standin.js';
import { decisionLogLines } from '../support/decision-log.js';

const OWNER = 'acme';
const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
let standin: GitHubStandin;
let repo: Repo;
let dir: string;
let cleanup: () => void;
let seq = 0;

const PR_BODY = [
  'Release chat v1.1 to the next stage.',
  '',
  '- [x] Rollback command verified',
  '- [ ] On-call owner assigned',
  '```',
  '- [x] On-call owner assigned',
  '```',
].join('\n');

beforeAll(async () => {
  standin = await startStandin();
  standin.teams.set('acme/sre', ['carol', 'erin']);
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => {
  const d = demoDir(Date.now(), 'healthy');
  dir = d.dir;
  cleanup = d.cleanup;
  repo = standin.repo(OWNER, `gov-${++seq}`);
  const config = readFileSync(join(import.meta.dirname, '../../examples/chat-rollout.yml'), 'utf8')
    .replace(/state:\n  type: file\n  path: .*\n/, 'state:\n  type: github\n')
    .replace('  ramp:\n', '  forceAllowed: [alice, "@acme/sre"]\n  ramp:\n')
    .concat(
      [
        '  - name: sre_approval',
        '    provider: github',
        '    approvals: { min: 1, from: ["@acme/sre", bob] }',
        '  - name: runbook_checklist',
        '    provider: github',
        '    checklist: ["Rollback command verified", "On-call owner assigned"]',
        '',
      ].join('\n'),
    );
  writeFileSync(join(dir, 'rollout-gate.yml'), config);
  standin.addPull(repo, { number: 9, author: 'dana', headSha: HEAD, body: PR_BODY });
  standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': readFileSync(join(dir, 'state.json'), 'utf8') }, 'seed');
});
afterEach(() => {
  cleanup();
  expect(standin.violations).toEqual([]);
});

const event = () => ({
  number: 9,
  pull_request: { number: 9, body: 'stale payload body', user: { login: 'dana' }, head: { sha: HEAD, repo: { full_name: `${OWNER}/${repo.name}` } } },
});

const run = (inputs: Record<string, string> = {}, actor = 'alice') =>
  runAction({
    inputs: { config: 'rollout-gate.yml', 'github-token': ACTIONS_TOKEN, ...inputs },
    env: { ROLLOUT_DEMO_DIR: dir, GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: `${OWNER}/${repo.name}`, GITHUB_EVENT_NAME: 'pull_request', GITHUB_ACTOR: actor },
    event: event(),
    workspace: dir,
  });

describe('approvals and checklists on the pull request', () => {
  it('holds until an allowed reviewer approves the head commit and every item is ticked', async () => {
    // Stale (older commit), the author's own, an outsider's, and one revoked later: none count.
    standin.addReview(repo, 9, { login: 'carol', state: 'APPROVED', commitId: OLD });
    standin.addReview(repo, 9, { login: 'dana', state: 'APPROVED', commitId: HEAD });
    standin.addReview(repo, 9, { login: 'mallory', state: 'APPROVED', commitId: HEAD });
    standin.addReview(repo, 9, { login: 'erin', state: 'APPROVED', commitId: HEAD });
    standin.addReview(repo, 9, { login: 'erin', state: 'CHANGES_REQUESTED', commitId: HEAD });
    const held = await run();
    expect(held.outputs.decision).toBe('HOLD');
    expect(held.outputs['failed-gates']).toBe('sre_approval,runbook_checklist');
    expect(held.summary).toContain('not ticked in the pull request: "On-call owner assigned"');
    expect(held.summary).toMatch(/0 approving reviews on the head commit, needs 1; approvals of an older commit do not count \(carol\)/);
    expect(held.outputs.approvers).toBe('');

    standin.addReview(repo, 9, { login: 'carol', state: 'APPROVED', commitId: HEAD });
    repo.pulls.get(9)!.body = PR_BODY.replace('- [ ] On-call owner assigned', '- [X]  on-call owner ASSIGNED ');
    const ok = await run();
    expect(ok.outputs.decision, ok.summary).toBe('PROCEED');
    expect(ok.outputs.approvers).toBe('carol');
    const log = decisionLogLines(standin.files(repo, 'rollout-ledger'), 'chat-v1.1');
    expect(log.at(-1)).toMatchObject({ decision: 'PROCEED', approvers: ['carol'], forced: false });
  });

  it('force is honoured for forceAllowed actors and marked everywhere; refused for others', async () => {
    const refused = await run({ command: 'promote', force: 'true', reason: 'incident 12 hotfix' }, 'mallory');
    expect(refused.outputs.decision).toBe('HOLD');
    expect(refused.summary).toContain('force refused: mallory is not in rollout.forceAllowed');

    const forced = await run({ command: 'promote', force: 'true', reason: 'incident 12 hotfix' }, 'erin'); // via @acme/sre
    expect(forced.code, forced.stdout).toBe(0);
    expect(forced.outputs.decision).toBe('PROCEED');
    expect(repo.checkRuns.at(-1)!.title).toBe('PROCEED (forced by erin): canary_10 → canary_50');
    expect(repo.comments.get(9)!.at(-1)!.body).toContain('**Forced** by erin: incident 12 hotfix');
    const files = standin.files(repo, 'rollout-ledger');
    const state = JSON.parse(files.get('state/chat-v1.1.json')!);
    expect(state.history.at(-1)).toMatchObject({ forced: true, actor: 'erin', reason: 'incident 12 hotfix', to: 'canary_50' });
    const goNoGo = [...files.entries()].filter(([k]) => k.endsWith('go-no-go.md')).map(([, v]) => v).find((v) => v.includes('Forced promotion'));
    expect(goNoGo).toContain('**Forced promotion** by erin: incident 12 hotfix');
  });
});
