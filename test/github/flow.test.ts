import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCheckRun } from '../../src/github/check-run.js';
import { identityOfToken, stickyMarker, upsertStickyComment } from '../../src/github/comment.js';
import { githubLedgerStore } from '../../src/state/ledger.js';
import { decisionLogShard } from '../../src/ledger/layout.js';
import { decisionLogLines } from '../support/decision-log.js';
import { ACTIONS_TOKEN, clientFor, startStandin, type GitHubStandin } from './standin.js';

let standin: GitHubStandin;

beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
  await standin.stop();
});

/** The GitHub side of one `evaluate` on a pull request: read, evidence commit, comment, check run. */
async function evaluate(run: string) {
  const octokit = await clientFor(standin, ACTIONS_TOKEN);
  const ledger = githubLedgerStore({ octokit, owner: 'acme', repo: 'shop', rollout: 'chat' });
  const before = standin.requests.length;
  const read = await ledger.read();
  const written = await ledger.write({
    expectedVersion: read.version,
    state: null,
    evidence: [
      { path: `evidence/chat/${run}/snapshot.json`, content: '{}' },
      { path: `evidence/chat/${run}/go-no-go.md`, content: '# Go/No-Go\n' },
    ],
    decisionLog: { path: decisionLogShard('chat', Date.now()), line: JSON.stringify({ run }) },
    message: `rollout-gate: chat evaluate ${run}`,
  });
  const comment = await upsertStickyComment({ octokit, owner: 'acme', repo: 'shop', issueNumber: 5, marker: stickyMarker('chat'), body: `HOLD (${run})`, identity: identityOfToken(ACTIONS_TOKEN) });
  await publishCheckRun({ octokit, owner: 'acme', repo: 'shop', name: 'rollout-gate / chat', headSha: '9'.repeat(40), conclusion: 'failure', title: 'HOLD', summary: 'table' });
  return { calls: standin.requests.slice(before).map((r) => r.operation), written, comment };
}

/** GitHub API calls one evaluate may cost, besides the github gates' own queries. */
const BUDGET = 8;

describe('one evaluate on a pull request, GitHub side', () => {
  it('costs 7 requests on the very first run and 5 once the ledger and the comment exist', async () => {
    const repo = standin.repo('acme', 'shop');
    standin.addPull(repo, { number: 5, author: 'dev', headSha: '9'.repeat(40), body: '' });
    const first = await evaluate('1');
    expect(first.calls).toEqual([
      // Branch head, tree, state file and decision log in one query: no ledger yet.
      'POST /graphql',
      'POST /repos/{owner}/{repo}/git/trees',
      'POST /repos/{owner}/{repo}/git/commits',
      'POST /repos/{owner}/{repo}/git/refs',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/check-runs',
    ]);
    const rerun = await evaluate('2');
    expect(rerun.calls).toEqual([
      // The same query now returns the head, its tree, the state and the log to append to; the
      // commit is one createCommitOnBranch.
      'POST /graphql',
      'POST /graphql',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      'POST /repos/{owner}/{repo}/check-runs',
    ]);
    expect(first.calls.length).toBeLessThanOrEqual(BUDGET);
    expect(rerun.calls.length).toBeLessThanOrEqual(BUDGET);
    expect(rerun.comment).toMatchObject({ action: 'updated', id: first.comment.id });
    expect(standin.commitOf(repo, rerun.written.commit!).parents).toEqual([first.written.commit]);
    expect(decisionLogLines(standin.files(repo, 'rollout-ledger'), 'chat').map((l) => l.run)).toEqual(['1', '2']);
  });
});
