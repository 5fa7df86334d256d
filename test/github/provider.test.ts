import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Gate } from '../../src/engine/model.js';
import { silentLogger } from '../../src/logger.js';
import { githubProviderFactory, tickedTasks, countApprovals, type PullRequestContext } from '../../src/providers/github.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { ProviderError, type ProviderContext, type ProviderRequest } from '../../src/providers/types.js';
import { Redactor } from '../../src/secrets.js';
import { ACTIONS_TOKEN, clientFor, startStandin, type GitHubStandin, type Repo } from './standin.js';

const OWNER = 'acme';
const HEAD = 'e'.repeat(40);
const OLD = 'f'.repeat(40);
const NOW = Date.parse('2026-03-02T12:00:00Z');
let standin: GitHubStandin;
let repoName: string;
let repo: Repo;
let seq = 0;

beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => {
  repoName = `web-${++seq}`;
  repo = standin.repo(OWNER, repoName);
  standin.teamsForbidden = false;
  standin.teams.clear();
  standin.search = () => 0;
});
afterEach(() => {
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
});

function gate(over: Partial<Gate>): Gate {
  return {
    index: 0,
    name: 'g',
    provider: 'gh',
    providerType: 'github',
    query: null,
    baseline: null,
    pass: null,
    thresholds: {},
    appliesTo: null,
    severity: 'hold',
    noData: 'hold',
    minSamples: 1,
    overMs: null,
    failAfterMs: null,
    stepMs: null,
    select: null,
    reduce: null,
    staleAfterMs: null,
    activeForMs: null,
    approvals: null,
    checklist: null,
    ...over,
  } as Gate;
}

const ctx = (): ProviderContext => ({ name: 'gh', cwd: '/', logger: silentLogger, redactor: new Redactor([ACTIONS_TOKEN]), fetch, defaultTimeoutMs: 5000 });

async function provider(pr: PullRequestContext | null = null) {
  const factory = githubProviderFactory({ octokit: await clientFor(standin, ACTIONS_TOKEN), owner: OWNER, repo: repoName, pullRequest: pr });
  return factory({ type: 'github' }, ctx());
}

const request = (g: Gate): ProviderRequest => ({ gate: g, query: g.query ?? '', role: 'value', nowMs: NOW, range: null, target: 'half', signal: new AbortController().signal });

const pr = (over: Partial<PullRequestContext> = {}): PullRequestContext => ({ number: 12, headSha: HEAD, author: 'dev', body: '', ...over });

describe('github search gates', () => {
  it('counts the issues a search finds, scoped to this repository', async () => {
    const seen: string[] = [];
    standin.search = (q) => {
      seen.push(q);
      return q.startsWith('is:issue is:open label:sev-1 ') ? 3 : 0;
    };
    const p = await provider();
    const answer = await p.query(request(gate({ query: 'is:issue is:open label:sev-1' })));
    expect(answer.samples).toEqual([[NOW / 1000, 3]]);
    expect(seen).toEqual([`is:issue is:open label:sev-1 repo:${OWNER}/${repoName}`]);
    expect(answer.detail).toEqual({ searchQuery: seen[0] });
  });

  it('passes GitHub\'s message through when the query is invalid', async () => {
    standin.search = () => ({ status: 422, message: 'Validation Failed' });
    const p = await provider();
    const err = await p.query(request(gate({ query: 'is:issue label:' }))).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe(`GitHub refused the search "is:issue label: repo:${OWNER}/${repoName}": Validation Failed`);
  });

  it('refuses a query that would search beyond this repository', async () => {
    const p = await provider();
    await expect(p.query(request(gate({ query: 'is:issue org:other' })))).rejects.toThrow(/always scoped to this repository/);
  });

  it('feeds collectObservations when the Action adds the github factory', async () => {
    standin.search = () => 2;
    const factory = githubProviderFactory({ octokit: await clientFor(standin, ACTIONS_TOKEN), owner: OWNER, repo: repoName });
    const g = gate({ name: 'sev1', query: 'is:issue label:sev-1' });
    const { observations } = await collectObservations({
      gates: [g],
      providers: { gh: { type: 'github' } },
      factories: { ...defaultFactories, github: factory },
      nowMs: NOW,
      target: 'half',
      cwd: '/',
      logger: silentLogger,
      redactor: new Redactor(),
    });
    expect(observations.get('sev1')).toMatchObject({ samples: [[NOW / 1000, 2]] });
  });
});

describe('github approval gates', () => {
  const approvals = (from: string[] | null = null, min = 1) => gate({ approvals: { min, from } });

  it('has no data without a pull request', async () => {
    const answer = await (await provider(null)).query(request(approvals()));
    expect(answer.samples).toEqual([]);
    expect(answer.noDataReason).toMatch(/not about a pull request/);
  });

  it('counts approvals of the head commit, latest review per reviewer, never the author', async () => {
    standin.addPull(repo, { number: 12, author: 'dev', headSha: HEAD, body: '' });
    standin.addReview(repo, 12, { login: 'alice', state: 'APPROVED', commitId: HEAD });
    standin.addReview(repo, 12, { login: 'bob', state: 'APPROVED', commitId: OLD }); // stale
    standin.addReview(repo, 12, { login: 'carol', state: 'APPROVED', commitId: HEAD });
    standin.addReview(repo, 12, { login: 'carol', state: 'CHANGES_REQUESTED', commitId: HEAD }); // revoked
    standin.addReview(repo, 12, { login: 'dan', state: 'APPROVED', commitId: HEAD });
    standin.addReview(repo, 12, { login: 'dan', state: 'COMMENTED', commitId: HEAD }); // a comment keeps the approval
    standin.addReview(repo, 12, { login: 'dev', state: 'APPROVED', commitId: HEAD }); // the author
    standin.addReview(repo, 12, { login: 'erin', state: 'DISMISSED', commitId: HEAD });
    const answer = await (await provider(pr())).query(request(approvals()));
    expect(answer.samples).toEqual([[NOW / 1000, 2]]);
    expect(answer.detail).toMatchObject({ approvers: ['alice', 'dan'], staleApprovals: ['bob'] });
  });

  it('pages through more than 100 reviews', async () => {
    standin.addPull(repo, { number: 12, author: 'dev', headSha: HEAD, body: '' });
    for (let i = 0; i < 120; i++) standin.addReview(repo, 12, { login: `r${i}`, state: 'COMMENTED', commitId: HEAD });
    standin.addReview(repo, 12, { login: 'late', state: 'APPROVED', commitId: HEAD });
    const answer = await (await provider(pr())).query(request(approvals()));
    expect(answer.detail).toMatchObject({ approvers: ['late'] });
  });

  it('restricts approvers to `from`: logins and readable teams', async () => {
    standin.addPull(repo, { number: 12, author: 'dev', headSha: HEAD, body: '' });
    standin.teams.set('acme/sre', ['Sam']);
    for (const login of ['alice', 'sam', 'zed']) standin.addReview(repo, 12, { login, state: 'APPROVED', commitId: HEAD });
    const answer = await (await provider(pr())).query(request(approvals(['ALICE', '@acme/sre'])));
    expect(answer.samples).toEqual([[NOW / 1000, 2]]);
    expect(answer.detail).toMatchObject({ approvers: ['alice', 'sam'], notInFrom: ['zed'] });
  });

  it('says so instead of guessing when a team cannot be read', async () => {
    standin.addPull(repo, { number: 12, author: 'dev', headSha: HEAD, body: '' });
    standin.teamsForbidden = true;
    standin.addReview(repo, 12, { login: 'sam', state: 'APPROVED', commitId: HEAD });
    const answer = await (await provider(pr())).query(request(approvals(['alice', '@acme/sre'])));
    expect(answer.samples).toEqual([]);
    expect(answer.noDataReason).toMatch(/cannot read the members of @acme\/sre \(GitHub answered 403 Resource not accessible by integration/);
  });

  it('still passes on known approvers when an unreadable team could only add more', async () => {
    standin.addPull(repo, { number: 12, author: 'dev', headSha: HEAD, body: '' });
    standin.addReview(repo, 12, { login: 'alice', state: 'APPROVED', commitId: HEAD });
    const answer = await (await provider(pr())).query(request(approvals(['alice', '@acme/missing'])));
    expect(answer.samples).toEqual([[NOW / 1000, 1]]);
    expect(answer.warnings?.[0]).toMatch(/cannot read the members of @acme\/missing \(GitHub answered 404/);
  });

  it('reads the reviews once for several approval gates', async () => {
    standin.addPull(repo, { number: 12, author: 'dev', headSha: HEAD, body: '' });
    const p = await provider(pr());
    const before = standin.count('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews');
    await Promise.all([p.query(request(approvals())), p.query(request(approvals(['x'])))]);
    expect(standin.count('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews') - before).toBe(1);
  });

  it('latest review wins whatever the order of approvals and revocations (property)', () => {
    const states = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED'] as const;
    fc.assert(
      fc.property(fc.array(fc.record({ login: fc.constantFrom('a', 'b', 'c', 'dev'), state: fc.constantFrom(...states), head: fc.boolean() }), { maxLength: 30 }), (list) => {
        const reviews = list.map((r) => ({ login: r.login, state: r.state, commitId: r.head ? HEAD : OLD }));
        const { approvers } = countApprovals(reviews, { headSha: HEAD, author: 'dev' }, null);
        for (const login of ['a', 'b', 'c', 'dev']) {
          const decisive = reviews.filter((r) => r.login === login && r.state !== 'COMMENTED').at(-1);
          const expected = login !== 'dev' && decisive?.state === 'APPROVED' && decisive.commitId === HEAD;
          expect(approvers.includes(login)).toBe(expected);
        }
      }),
    );
  });
});

describe('github checklist gates', () => {
  const items = ['Rollback command verified', 'On-call owner assigned', 'Config snapshot stored'];
  const checklist = gate({ checklist: items });

  it('counts the listed items that are not ticked and names them', async () => {
    const body = [
      '## Release',
      '- [x] rollback   command VERIFIED  ',
      '- [ ] On-call owner assigned',
      '```md',
      '- [x] Config snapshot stored',
      '```',
      '<!-- - [x] Config snapshot stored -->',
    ].join('\n');
    const answer = await (await provider(pr({ body }))).query(request(checklist));
    expect(answer.samples).toEqual([[NOW / 1000, 2]]);
    expect(answer.detail).toMatchObject({ missing: ['On-call owner assigned', 'Config snapshot stored'] });
  });

  it('fetches the description when the event did not carry it', async () => {
    standin.addPull(repo, { number: 12, author: 'dev', headSha: HEAD, body: items.map((i) => `* [X] ${i}`).join('\r\n') });
    const answer = await (await provider(pr({ body: undefined }))).query(request(checklist));
    expect(answer.samples).toEqual([[NOW / 1000, 0]]);
    expect(answer.detail).toMatchObject({ missing: [] });
  });

  it('has no data without a pull request', async () => {
    const answer = await (await provider(null)).query(request(checklist));
    expect(answer.noDataReason).toMatch(/not about a pull request/);
  });

  it('reads nested, ordered and quoted task items; ignores fences of any length and unticked items', () => {
    const body = ['1. [x] one', '   - [x] two', '> - [x] three', '````', '```', '- [x] fenced', '```', '````', '- [ ] four', '-[x] not a task', '~~~', '- [x] tilde', '~~~'].join('\n');
    expect([...tickedTasks(body)].sort()).toEqual(['one', 'three', 'two']);
  });

  it('a ticked item is found whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 5 }), fc.constantFrom('-', '*', '+', '1.'), fc.constantFrom('x', 'X'), (noise, bullet, mark) => {
        const safe = noise.map((n) => n.replace(/[`~<]/g, ''));
        const body = [...safe, `${bullet} [${mark}]   Rollback command verified `, ...safe].join('\n');
        expect(tickedTasks(body).has('rollback command verified')).toBe(true);
      }),
    );
  });
});
