import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS_BOT, COMMENT_LIMIT, identityOfToken, stickyBody, stickyMarker, upsertStickyComment } from '../../src/github/comment.js';
import { CHECK_SUMMARY_LIMIT, publishCheckRun } from '../../src/github/check-run.js';
import { writeRefusal } from '../../src/github/octokit.js';
import { Redactor } from '../../src/secrets.js';
import { ACTIONS_TOKEN, clientFor, READONLY_TOKEN, startStandin, USER_TOKEN, type GitHubStandin, type Repo } from './standin.js';

const OWNER = 'acme';
const PR = 7;
let standin: GitHubStandin;
let repoName: string;
let repo: Repo;
let seq = 0;
const marker = stickyMarker('chat');

beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => {
  repoName = `svc-${++seq}`;
  repo = standin.repo(OWNER, repoName);
  standin.addPull(repo, { number: PR, author: 'dev', headSha: 'a'.repeat(40), body: '' });
});
afterEach(() => {
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
});

async function upsert(body: string, token = ACTIONS_TOKEN, extra: { identity?: string; marker?: string } = {}) {
  return upsertStickyComment({ octokit: await clientFor(standin, token), owner: OWNER, repo: repoName, issueNumber: PR, marker: extra.marker ?? marker, body, ...(extra.identity ? { identity: extra.identity } : {}) });
}

const comments = () => repo.comments.get(PR) ?? [];

describe('sticky pull request comment', () => {
  it('creates the comment, then updates the same one in place, then leaves it alone when nothing changed', async () => {
    const first = await upsert(`${marker}\n## chat: HOLD`);
    expect(first.action).toBe('created');
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.login).toBe(ACTIONS_BOT);
    expect(first.url).toContain(`#issuecomment-${first.id}`);

    const second = await upsert(`${marker}\n## chat: PROCEED`);
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toBe(`${marker}\n## chat: PROCEED`);

    const patches = standin.count('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}');
    const third = await upsert(`${marker}\n## chat: PROCEED`);
    expect(third).toMatchObject({ action: 'unchanged', id: first.id });
    expect(standin.count('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}')).toBe(patches);
  });

  it('asks who the token is only when a marked comment exists, and falls back to github-actions[bot] for GITHUB_TOKEN', async () => {
    const before = standin.requests.length;
    await upsert(`${marker}\none`);
    expect(standin.requests.slice(before).map((r) => r.operation)).toEqual([
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    ]);
    await upsert(`${marker}\ntwo`);
    const userCalls = standin.requests.slice(before).filter((r) => r.operation === 'GET /user');
    expect(userCalls.map((r) => r.status)).toEqual([403]);
    expect(comments().map((c) => c.body)).toEqual([`${marker}\ntwo`]);
  });

  it('skips the identity lookup when the token format already tells it', async () => {
    expect(identityOfToken(ACTIONS_TOKEN)).toBe(ACTIONS_BOT);
    expect(identityOfToken(USER_TOKEN)).toBeUndefined();
    await upsert(`${marker}\none`);
    const before = standin.requests.length;
    const r = await upsert(`${marker}\ntwo`, ACTIONS_TOKEN, { identity: identityOfToken(ACTIONS_TOKEN)! });
    expect(r.action).toBe('updated');
    expect(standin.requests.slice(before).map((q) => q.operation)).toEqual([
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
    ]);
  });

  it('finds its comment by the user token\'s own login', async () => {
    await upsert(`${marker}\none`, USER_TOKEN);
    const again = await upsert(`${marker}\ntwo`, USER_TOKEN);
    expect(again.action).toBe('updated');
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.login).toBe('octo-user');
  });

  it('prepends the marker when the body lacks it and keeps one comment per rollout', async () => {
    await upsert('report without marker');
    await upsert('other rollout', ACTIONS_TOKEN, { marker: stickyMarker('chat-v2') });
    await upsert('report again');
    expect(comments().map((c) => c.body)).toEqual([`${marker}\nreport again`, `${stickyMarker('chat-v2')}\nother rollout`]);
  });

  it('ignores the marker in another user\'s comment, and a marker that is not at the start', async () => {
    standin.addComment(repo, PR, 'mallory', `${marker}\nforged: PROCEED`);
    standin.addComment(repo, PR, ACTIONS_BOT, `quoting you:\n${marker}\nsomething`);
    const r = await upsert(`${marker}\nreal`);
    expect(r.action).toBe('created');
    expect(comments().map((c) => [c.login, c.body])).toEqual([
      ['mallory', `${marker}\nforged: PROCEED`],
      [ACTIONS_BOT, `quoting you:\n${marker}\nsomething`],
      [ACTIONS_BOT, `${marker}\nreal`],
    ]);
  });

  it('the stand-in refuses edits of another user\'s comment, as GitHub does', async () => {
    const forged = standin.addComment(repo, PR, 'mallory', `${marker}\nforged`);
    // An identity override that claims mallory's comment: the edit is refused, not silently done.
    const err = await upsert(`${marker}\nmine`, ACTIONS_TOKEN, { identity: 'mallory' }).then(() => null, (e: unknown) => e);
    expect((err as Error).message).toMatch(/updating comment \d+ on #7: GitHub answered 403/);
    expect(comments().find((c) => c.id === forged.id)!.body).toBe(`${marker}\nforged`);
  });

  it('pages through more than 100 comments to find its own', async () => {
    await upsert(`${marker}\nfirst`);
    for (let i = 0; i < 230; i++) standin.addComment(repo, PR, i % 2 ? 'dev' : ACTIONS_BOT, `chatter ${i}`);
    const r = await upsert(`${marker}\nsecond`);
    expect(r.action).toBe('updated');
    expect(comments()).toHaveLength(231);
    const pages = standin.requests.filter((q) => q.operation === 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments').slice(-3);
    expect(pages.map((p) => p.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(pages.every((p) => p.query.per_page === '100')).toBe(true);
  });

  it('finds its comment when it sits on the third page', async () => {
    for (let i = 0; i < 205; i++) standin.addComment(repo, PR, 'dev', `chatter ${i}`);
    const created = await upsert(`${marker}\nlate`);
    const r = await upsert(`${marker}\nlater`);
    expect(r).toMatchObject({ action: 'updated', id: created.id });
    expect(comments()).toHaveLength(206);
  });

  it('truncates a body over 65,536 characters with a visible note, keeping the marker', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `| gate_${i} | ${i} | <= 1 | 5m | pass |`).join('\n');
    const r = await upsert(`${marker}\n| gate | value | condition | window | status |\n${rows}`);
    expect(r.action).toBe('created');
    const body = comments()[0]!.body;
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(marker)).toBe(true);
    expect(body).toContain('**Truncated:**');
    // Cut on a line boundary: the last table row before the note is whole.
    expect(body.split('\n---\n')[0]!.trimEnd().endsWith('pass |')).toBe(true);
    // A rerun with the same long report is recognised as unchanged.
    expect((await upsert(`${marker}\n| gate | value | condition | window | status |\n${rows}`)).action).toBe('unchanged');
  });

  it('the stand-in refuses a comment over the limit, so the truncation is what makes it fit', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const err = await octokit.rest.issues.createComment({ owner: OWNER, repo: repoName, issue_number: PR, body: 'x'.repeat(COMMENT_LIMIT + 1) }).then(() => null, (e: unknown) => e);
    expect((err as { status: number }).status).toBe(422);
    expect(stickyBody('x'.repeat(COMMENT_LIMIT + 1), marker).length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  it('never splits an emoji when truncating', () => {
    const body = stickyBody('😀'.repeat(40_000), marker);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('reports a read-only token as a write refusal, and the token appears nowhere', async () => {
    const redactor = new Redactor();
    const err = await upsertStickyComment({
      octokit: await clientFor(standin, READONLY_TOKEN),
      owner: OWNER,
      repo: repoName,
      issueNumber: PR,
      marker,
      body: 'x',
      redactor,
    }).then(() => null, (e: unknown) => e);
    expect(writeRefusal(err)).toEqual({ status: 403, message: 'Resource not accessible by integration' });
    expect((err as Error).message).toBe(`commenting on #7: GitHub answered 403 Resource not accessible by integration (POST /repos/acme/${repoName}/issues/7/comments)`);
    expect((err as Error).message).not.toContain(READONLY_TOKEN);
  });
});

describe('check run', () => {
  const head = 'b'.repeat(40);

  it('publishes a completed check run on the pull request head', async () => {
    const r = await publishCheckRun({
      octokit: await clientFor(standin, ACTIONS_TOKEN),
      owner: OWNER,
      repo: repoName,
      name: 'rollout-gate / chat',
      headSha: head,
      conclusion: 'failure',
      title: 'HOLD: canary → half',
      summary: '| gate | value |\n|---|---|\n| errors | 0.2 |',
      detailsUrl: 'https://github.com/acme/svc/actions/runs/42',
    });
    expect(repo.checkRuns).toEqual([
      {
        id: r.id,
        name: 'rollout-gate / chat',
        headSha: head,
        status: 'completed',
        conclusion: 'failure',
        title: 'HOLD: canary → half',
        summary: '| gate | value |\n|---|---|\n| errors | 0.2 |',
        detailsUrl: 'https://github.com/acme/svc/actions/runs/42',
      },
    ]);
    expect(r.url).toBe(`https://github.com/${OWNER}/${repoName}/runs/${r.id}`);
  });

  it('truncates a summary over 65,535 characters', async () => {
    const summary = Array.from({ length: 5000 }, (_, i) => `| gate_${i} | ${i} |`).join('\n');
    expect(summary.length).toBeGreaterThan(CHECK_SUMMARY_LIMIT);
    await publishCheckRun({ octokit: await clientFor(standin, ACTIONS_TOKEN), owner: OWNER, repo: repoName, name: 'rollout-gate / chat', headSha: head, conclusion: 'success', title: 'PROCEED', summary });
    const stored = repo.checkRuns[0]!.summary!;
    expect(stored.length).toBeLessThanOrEqual(CHECK_SUMMARY_LIMIT);
    expect(stored).toContain('**Truncated:**');
    expect(stored.startsWith('| gate_0 | 0 |')).toBe(true);
  });

  it('a read-only token gets a write refusal', async () => {
    const err = await publishCheckRun({ octokit: await clientFor(standin, READONLY_TOKEN), owner: OWNER, repo: repoName, name: 'n', headSha: head, conclusion: 'neutral', title: 't', summary: 's' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(writeRefusal(err)?.status).toBe(403);
    expect(repo.checkRuns).toEqual([]);
  });
});
