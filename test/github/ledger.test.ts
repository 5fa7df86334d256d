import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RolloutState } from '../../src/engine/model.js';
import { writeRefusal } from '../../src/github/octokit.js';
import type { Logger } from '../../src/logger.js';
import { githubLedgerStore, gitBlobSha } from '../../src/state/ledger.js';
import { StateConflictError, StateError, type StateWrite } from '../../src/state/types.js';
import { ACTIONS_TOKEN, clientFor, READONLY_TOKEN, startStandin, type GitHubStandin, type Repo } from './standin.js';

const OWNER = 'acme';
let standin: GitHubStandin;
let repoName: string;
let repo: Repo;
let seq = 0;

beforeAll(async () => {
  standin = await startStandin({ jitterMs: 3 });
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => {
  repoName = `app-${++seq}`;
  repo = standin.repo(OWNER, repoName);
});
afterEach(() => {
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
});

const state = (stage: string | null, actor = 'alice'): RolloutState => ({
  rollout: 'chat',
  stage,
  enteredAt: '2026-01-02T10:00:00Z',
  killSwitch: false,
  lastRollbackAt: null,
  paused: null,
  history: stage ? [{ at: '2026-01-02T10:00:00Z', from: null, to: stage, decision: 'PROCEED', forced: false, actor, reason: null, evidence: null }] : [],
});

const change = (expectedVersion: string | null, s: RolloutState | null, run: string): StateWrite => ({
  expectedVersion,
  state: s,
  evidence: [
    { path: `evidence/chat/${run}/snapshot.json`, content: JSON.stringify({ run }) },
    { path: `evidence/chat/${run}/go-no-go.md`, content: `# Go/No-Go ${run}\n` },
  ],
  decisionLog: { path: 'decision-log/chat.jsonl', line: JSON.stringify({ run }) },
  message: `rollout-gate: chat ${run}`,
});

async function store(token = ACTIONS_TOKEN, extra: { maxAttempts?: number; logger?: Logger; graphqlCommitLimit?: number } = {}) {
  return githubLedgerStore({ octokit: await clientFor(standin, token), owner: OWNER, repo: repoName, rollout: 'chat', backoffMs: 5, decisionLog: 'decision-log/chat.jsonl', ...extra });
}

/** A log's lines without the chain fields the store adds (`prev`, `evidence`). */
const unchained = (text: string) =>
  text.split('\n').filter(Boolean).map((l) => {
    const { prev: _p, evidence: _e, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(rest);
  });
/** The GraphQL error type a recorded mutation was answered with, or null. */
const mutationError = (r: { errorTypes: string[] }): string | null => r.errorTypes[0] ?? null;
const logLines = () => unchained(standin.files(repo, 'rollout-ledger').get('decision-log/chat.jsonl') ?? '');

describe('github ledger store', () => {
  it('reads nothing before the ledger branch exists', async () => {
    const s = await store();
    expect(s.description).toBe('github rollout-ledger:state/chat.json');
    expect(await s.read()).toMatchObject({ state: null, version: null });
  });

  it('creates the ledger branch on the first write as a root commit holding only ledger files', async () => {
    const s = await store();
    const read = await s.read();
    const before = standin.requests.length;
    const result = await s.write(change(read.version, state('canary'), 'r1'));
    const calls = standin.requests.slice(before).map((r) => r.operation);
    expect(calls).toEqual([
      'POST /repos/{owner}/{repo}/git/trees',
      'POST /repos/{owner}/{repo}/git/commits',
      'POST /repos/{owner}/{repo}/git/refs',
    ]);
    expect(result.commit).toBe(standin.headOf(repo, 'rollout-ledger'));
    expect(result.version).toBe(result.commit);
    expect(result.evidencePath).toBe('rollout-ledger:evidence/chat/r1');
    expect(standin.commitOf(repo, result.commit!).parents).toEqual([]);
    const files = standin.files(repo, 'rollout-ledger');
    expect([...files.keys()].sort()).toEqual(['decision-log/chat.jsonl', 'evidence/chat/r1/go-no-go.md', 'evidence/chat/r1/snapshot.json', 'state/chat.json']);
    expect(JSON.parse(files.get('state/chat.json')!).stage).toBe('canary');
    expect(logLines()).toEqual(['{"run":"r1"}']);
    // The default branch is untouched.
    expect(standin.history(repo, 'main')).toHaveLength(1);
  });

  it('reads back the state it wrote, versioned by the head commit', async () => {
    const s = await store();
    const w = await s.write(change(null, state('canary'), 'r1'));
    const fresh = await store();
    const read = await fresh.read();
    expect(read.version).toBe(w.commit);
    expect(read.state).toEqual(state('canary'));
  });

  it('reports an existing branch without a state file as "not started" at that head', async () => {
    const head = standin.commitFiles(repo, 'rollout-ledger', { 'README.md': 'ledger\n' });
    const read = await (await store()).read();
    expect(read).toMatchObject({ state: null, version: head });
  });

  it('reads the head, its tree, the state and the decision log in one GraphQL query', async () => {
    const s = await store();
    await s.write(change(null, state('canary'), 'r1'));
    const before = standin.requests.length;
    const read = await s.read();
    const calls = standin.requests.slice(before);
    expect(calls.map((r) => [r.operation, r.status])).toEqual([['POST /graphql', 200]]);
    expect((calls[0]!.body as { variables: unknown }).variables).toEqual({ owner: OWNER, repo: repoName, ref: 'refs/heads/rollout-ledger', state: 'state/chat.json', log: 'decision-log/chat.jsonl', legacy: 'decision-log/chat.jsonl', shards: 'decision-log/chat.jsonl' });
    expect(read).toMatchObject({ state: state('canary'), version: standin.headOf(repo, 'rollout-ledger') });
  });

  it('writes one commit on the head it read: parent, base tree kept, log line appended', async () => {
    const s = await store();
    await s.write(change(null, state('canary'), 'r1'));
    const read = await s.read();
    const before = standin.requests.length;
    const w = await s.write(change(read.version, null, 'r2'));
    const calls = standin.requests.slice(before).map((r) => r.operation);
    // The log to append to came with the read: the write makes no read of its own, and the commit
    // is one createCommitOnBranch naming the head it read (GitHub signs it).
    expect(calls).toEqual(['POST /graphql']);
    expect(standin.requests.at(-1)!.write).toBe(true);
    expect((standin.requests.at(-1)!.body as { variables: { input: { expectedHeadOid: string } } }).variables.input.expectedHeadOid).toBe(read.version);
    expect(standin.signed.has(w.commit!)).toBe(true);
    expect(standin.commitOf(repo, w.commit!).parents).toEqual([read.version]);
    const files = standin.files(repo, 'rollout-ledger');
    expect(files.has('evidence/chat/r1/snapshot.json')).toBe(true);
    expect(files.has('evidence/chat/r2/snapshot.json')).toBe(true);
    expect(JSON.parse(files.get('state/chat.json')!).stage).toBe('canary');
    expect(logLines()).toEqual(['{"run":"r1"}', '{"run":"r2"}']);
  });

  it('re-applies an evidence-only write on a head that moved, keeping the other writer\'s line', async () => {
    const s = await store();
    await s.write(change(null, state('canary'), 'r1'));
    const read = await s.read();
    const other = await store();
    await other.write(change(read.version, null, 'other'));
    const before = standin.requests.length;
    const w = await s.write(change(read.version, null, 'r2'));
    expect(standin.commitOf(repo, w.commit!).parents).toEqual([standin.history(repo, 'rollout-ledger')[1]]);
    expect(logLines()).toEqual(['{"run":"r1"}', '{"run":"other"}', '{"run":"r2"}']);
    // The first createCommitOnBranch names the head it read and is refused; the second lands on the new head.
    expect(standin.requests.slice(before).filter((r) => r.write).map((r) => mutationError(r))).toEqual(['STALE_DATA', null]);
  });

  it('refuses a state write when the state changed underneath, and leaves the ledger as the winner left it', async () => {
    const s = await store();
    await s.write(change(null, state('canary'), 'r1'));
    const read = await s.read();
    const winner = await store();
    await winner.read();
    const won = await winner.write(change(read.version, state('half', 'bob'), 'winner'));
    await expect(s.write(change(read.version, state('half', 'carol'), 'loser'))).rejects.toBeInstanceOf(StateConflictError);
    expect(standin.headOf(repo, 'rollout-ledger')).toBe(won.commit);
    const files = standin.files(repo, 'rollout-ledger');
    expect(JSON.parse(files.get('state/chat.json')!).history[0].actor).toBe('bob');
    expect(files.has('evidence/chat/loser/snapshot.json')).toBe(false);
  });

  it('re-applies a state write when only other files changed since the read', async () => {
    const s = await store();
    await s.write(change(null, state('canary'), 'r1'));
    const read = await s.read();
    await (await store()).write(change(read.version, null, 'evaluate-elsewhere'));
    const w = await s.write(change(read.version, state('half'), 'promote'));
    const files = standin.files(repo, 'rollout-ledger');
    expect(JSON.parse(files.get('state/chat.json')!).stage).toBe('half');
    expect(files.has('evidence/chat/evaluate-elsewhere/snapshot.json')).toBe(true);
    expect(logLines()).toEqual(['{"run":"r1"}', '{"run":"evaluate-elsewhere"}', '{"run":"promote"}']);
    expect(standin.headOf(repo, 'rollout-ledger')).toBe(w.commit);
  });

  it('a first promote that loses the branch creation to another first promote re-evaluates', async () => {
    const a = await store();
    const b = await store();
    expect((await a.read()).version).toBeNull();
    expect((await b.read()).version).toBeNull();
    await a.write(change(null, state('canary', 'alice'), 'a'));
    await expect(b.write(change(null, state('canary', 'bob'), 'b'))).rejects.toBeInstanceOf(StateConflictError);
    expect(standin.history(repo, 'rollout-ledger')).toHaveLength(1);
  });

  it('an evidence-only first write lands on a branch another run created meanwhile', async () => {
    const s = await store();
    expect((await s.read()).version).toBeNull();
    const other = standin.commitFiles(repo, 'rollout-ledger', { 'decision-log/chat.jsonl': '{"run":"other"}\n' });
    const w = await s.write(change(null, null, 'r1'));
    expect(standin.commitOf(repo, w.commit!).parents).toEqual([other]);
    expect(logLines()).toEqual(['{"run":"other"}', '{"run":"r1"}']);
  });

  it('recreates a deleted ledger branch for an evidence-only write, but refuses a promote whose state vanished', async () => {
    const s = await store();
    await s.write(change(null, state('canary'), 'r1'));
    const read = await s.read();
    repo.refs.delete('refs/heads/rollout-ledger');
    await expect(s.write(change(read.version, state('half'), 'promote'))).rejects.toBeInstanceOf(StateConflictError);
    expect(standin.headOf(repo, 'rollout-ledger')).toBeNull();
    const w = await s.write(change(read.version, null, 'r2'));
    expect(standin.commitOf(repo, w.commit!).parents).toEqual([]);
    expect(logLines()).toEqual(['{"run":"r2"}']);
  });

  it('lands every one of 8 concurrent evidence writers, each decision-log line kept once', async () => {
    const first = await store();
    await first.write(change(null, state('canary'), 'seed'));
    const runs = Array.from({ length: 8 }, (_, i) => `run-${i}`);
    const stores = await Promise.all(runs.map(() => store()));
    const reads = await Promise.all(stores.map((s) => s.read()));
    const results = await Promise.all(stores.map((s, i) => s.write(change(reads[i]!.version, null, runs[i]!))));
    expect(new Set(results.map((r) => r.commit)).size).toBe(8);
    const lines = logLines();
    expect(lines[0]).toBe('{"run":"seed"}');
    expect(lines.slice(1).sort()).toEqual(runs.map((r) => JSON.stringify({ run: r })).sort());
    const files = standin.files(repo, 'rollout-ledger');
    for (const r of runs) expect(files.get(`evidence/chat/${r}/snapshot.json`)).toBe(JSON.stringify({ run: r }));
    // A straight line of commits: nothing was forced over.
    expect(standin.history(repo, 'rollout-ledger')).toHaveLength(9);
    expect(standin.requests.filter((q) => q.operation === 'PATCH /repos/{owner}/{repo}/git/refs/{ref}' && q.body && (q.body as { force?: boolean }).force !== false)).toEqual([]);
  });

  it('lets exactly one of several concurrent promotes win; the others are told to decide again', async () => {
    const first = await store();
    await first.write(change(null, state('canary'), 'seed'));
    const actors = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const stores = await Promise.all(actors.map(() => store()));
    const reads = await Promise.all(stores.map((s) => s.read()));
    const outcomes = await Promise.allSettled(stores.map((s, i) => s.write(change(reads[i]!.version, state('half', actors[i]), actors[i]!))));
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [actors[i]!] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(StateConflictError);
    const files = standin.files(repo, 'rollout-ledger');
    expect(JSON.parse(files.get('state/chat.json')!).history[0].actor).toBe(won[0]);
    expect(logLines()).toEqual(['{"run":"seed"}', JSON.stringify({ run: won[0] })]);
  });

  it('gives up after maxAttempts when the branch keeps moving, naming the ledger', async () => {
    const s = await store(ACTIONS_TOKEN, { maxAttempts: 3 });
    await s.write(change(null, state('canary'), 'seed'));
    const read = await s.read();
    let moves = 0;
    // Another writer gets in just before every commit.
    const isCommit = () => /^\s*mutation/.test(String((standin.requests.at(-1)?.body as { query?: string } | undefined)?.query));
    standin.beforeRoute = (op) => {
      if (op === 'POST /graphql' && isCommit()) standin.commitFiles(repo, 'rollout-ledger', { [`noise/${moves++}.txt`]: 'x' });
    };
    try {
      const before = standin.requests.length;
      const err = await s.write(change(read.version, null, 'r')).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StateError);
      expect((err as Error).message).toMatch(/rollout-ledger:state\/chat.json: other runs kept moving rollout-ledger; gave up after 3 attempts/);
      expect(standin.requests.slice(before).filter((r) => r.write)).toHaveLength(3);
      expect(logLines()).not.toContain('{"run":"r"}');
    } finally {
      standin.beforeRoute = null;
    }
  });

  it('reads a file through the blob API when GraphQL cuts its text (isTruncated)', async () => {
    const big = await startStandin({ graphqlTextLimit: 20 });
    try {
      const r = big.repo(OWNER, 'big');
      const s = githubLedgerStore({ octokit: await clientFor(big, ACTIONS_TOKEN), owner: OWNER, repo: 'big', rollout: 'chat', decisionLog: 'decision-log/chat.jsonl' });
      await s.write(change(null, state('canary'), 'r1'));
      // The state and the log (its line with its chain fields) are over the limit.
      const read = await s.read();
      expect(read.state).toEqual(state('canary'));
      expect(big.requests.slice(-3).map((q) => q.operation)).toEqual(['POST /graphql', 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}', 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}']);
      await s.write(change(read.version, null, 'r2'));
      expect(big.count('GET /repos/{owner}/{repo}/git/blobs/{file_sha}')).toBe(2);
      // Both come through the blob API again, exact to the byte.
      const again = await s.read();
      expect(big.count('GET /repos/{owner}/{repo}/git/blobs/{file_sha}')).toBe(4);
      const w = await s.write(change(again.version, null, 'r3'));
      expect(unchained(big.files(r, w.commit!).get('decision-log/chat.jsonl')!)).toEqual(['{"run":"r1"}', '{"run":"r2"}', '{"run":"r3"}']);
      expect(big.violations).toEqual([]);
      expect(big.responseViolations).toEqual([]);
    } finally {
      await big.stop();
    }
  });

  it('keeps a decision log past GitHub\'s 512,000-byte GraphQL text limit whole, multi-byte characters included', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ run: `old-${i}`, note: 'ünïcödé '.repeat(6) }));
    const log = `${lines.join('\n')}\n`;
    expect(Buffer.byteLength(log)).toBeGreaterThan(512_000);
    standin.commitFiles(repo, 'rollout-ledger', { 'state/chat.json': JSON.stringify(state('canary')), 'decision-log/chat.jsonl': log });
    const s = await store();
    const before = standin.count('GET /repos/{owner}/{repo}/git/blobs/{file_sha}');
    const read = await s.read();
    expect(standin.count('GET /repos/{owner}/{repo}/git/blobs/{file_sha}') - before).toBe(1);
    const w = await s.write(change(read.version, null, 'new'));
    expect(standin.files(repo, w.commit!).get('decision-log/chat.jsonl')!.startsWith(log)).toBe(true);
    expect(unchained(standin.files(repo, w.commit!).get('decision-log/chat.jsonl')!).at(-1)).toBe('{"run":"new"}');
  });

  it('a commit over the GraphQL size limit goes through the git data API, with the same compare-and-swap', async () => {
    const s = await store(ACTIONS_TOKEN, { graphqlCommitLimit: 100 });
    await s.write(change(null, state('canary'), 'r1'));
    const read = await s.read();
    const before = standin.requests.length;
    const w = await s.write(change(read.version, null, 'r2'));
    expect(standin.requests.slice(before).map((r) => r.operation)).toEqual([
      'POST /repos/{owner}/{repo}/git/trees',
      'POST /repos/{owner}/{repo}/git/commits',
      'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
    ]);
    expect(standin.requests.at(-1)!.body).toEqual({ sha: w.commit, force: false });
    expect(standin.signed.has(w.commit!)).toBe(false);
    expect(logLines()).toEqual(['{"run":"r1"}', '{"run":"r2"}']);
  });

  it('treats a missing state file and a missing decision log as empty, in the same single query', async () => {
    const head = standin.commitFiles(repo, 'rollout-ledger', { 'evidence/chat/old/snapshot.json': '{}' });
    const s = await store();
    const before = standin.requests.length;
    expect(await s.read()).toMatchObject({ state: null, version: head });
    const w = await s.write(change(head, null, 'r1'));
    expect(standin.requests.slice(before).map((r) => [r.operation, r.write])).toEqual([
      ['POST /graphql', false],
      ['POST /graphql', true],
    ]);
    expect(standin.commitOf(repo, w.commit!).parents).toEqual([head]);
    expect(logLines()).toEqual(['{"run":"r1"}']);
    expect(standin.files(repo, 'rollout-ledger').has('evidence/chat/old/snapshot.json')).toBe(true);
  });

  it('reads a missing branch as an empty ledger without touching another branch', async () => {
    const s = await store();
    const before = standin.requests.length;
    expect(await s.read()).toMatchObject({ state: null, version: null });
    expect(standin.requests.slice(before).map((r) => [r.operation, r.status])).toEqual([['POST /graphql', 200]]);
    const w = await s.write(change(null, null, 'r1'));
    expect(standin.commitOf(repo, w.commit!).parents).toEqual([]);
  });

  it('reads a commit it was handed without reading it first, in one query', async () => {
    const head = standin.commitFiles(repo, 'rollout-ledger', { 'state/chat.json': JSON.stringify(state('canary')), 'decision-log/chat.jsonl': '{"run":"old"}\n' });
    const s = await store();
    const before = standin.requests.length;
    await s.write(change(head, null, 'r1'));
    expect(standin.requests.slice(before).map((r) => [r.operation, r.write])).toEqual([
      ['POST /graphql', false],
      ['POST /graphql', true],
    ]);
    expect(logLines()).toEqual(['{"run":"old"}', '{"run":"r1"}']);
  });

  it('re-reads with the same single query when another run moved the branch', async () => {
    const s = await store();
    await s.write(change(null, state('canary'), 'r1'));
    const read = await s.read();
    await (await store()).write(change(read.version, null, 'other'));
    const before = standin.requests.length;
    await s.write(change(read.version, state('half'), 'promote'));
    // Refused commit (the branch moved), one read of the new head, the commit on it.
    expect(standin.requests.slice(before).map((r) => [r.operation, r.write, mutationError(r)])).toEqual([
      ['POST /graphql', true, 'STALE_DATA'],
      ['POST /graphql', false, null],
      ['POST /graphql', true, null],
    ]);
    expect(logLines()).toEqual(['{"run":"r1"}', '{"run":"other"}', '{"run":"promote"}']);
  });

  it('refuses a path that is a directory on the ledger as not a file', async () => {
    standin.commitFiles(repo, 'rollout-ledger', { 'state/chat.json/inner.txt': 'x' });
    await expect((await store()).read()).rejects.toThrow(/rollout-ledger:state\/chat.json is not a file/);
  });

  it('names the repository GitHub could not find (NOT_FOUND), with GitHub\'s words', async () => {
    const s = githubLedgerStore({ octokit: await clientFor(standin, ACTIONS_TOKEN), owner: OWNER, repo: 'no-such-repo', rollout: 'chat' });
    const err = (await s.read().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toBe(
      "github ledger rollout-ledger:state/chat.json: reading the ledger: GitHub answered NOT_FOUND Could not resolve to a Repository with the name 'acme/no-such-repo'. (POST /graphql)",
    );
  });

  it('reports a token that may not read the repository\'s contents (FORBIDDEN) without the token', async () => {
    const noContents = await startStandin({ tokens: { ghs_nocontents12345678: { login: 'github-actions[bot]', kind: 'installation', contents: 'none' } } });
    try {
      noContents.repo(OWNER, 'svc');
      const s = githubLedgerStore({ octokit: await clientFor(noContents, 'ghs_nocontents12345678'), owner: OWNER, repo: 'svc', rollout: 'chat' });
      const err = (await s.read().catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(StateError);
      expect(err.message).toBe('github ledger rollout-ledger:state/chat.json: reading the ledger: GitHub answered FORBIDDEN Resource not accessible by integration (POST /graphql)');
      expect(err.message).not.toContain('ghs_nocontents12345678');
      expect(noContents.violations).toEqual([]);
    } finally {
      await noContents.stop();
    }
  });

  it('reports a rejected token on the query as GitHub\'s 401, naming the input to check', async () => {
    const s = githubLedgerStore({ octokit: await clientFor(standin, 'ghs_revokedtoken99999999'), owner: OWNER, repo: repoName, rollout: 'chat' });
    await expect(s.read()).rejects.toThrow(/reading the ledger: GitHub answered 401 Bad credentials \(POST \/graphql\): the token was rejected/);
  });

  it('sends large files as blobs and keeps them byte for byte', async () => {
    const s = await store();
    const large = 'x'.repeat(300 * 1024) + '\nü\n';
    const before = standin.count('POST /repos/{owner}/{repo}/git/blobs');
    const w = await s.write({ ...change(null, null, 'r1'), evidence: [{ path: 'evidence/chat/r1/snapshot.json', content: large }] });
    expect(standin.count('POST /repos/{owner}/{repo}/git/blobs') - before).toBe(1);
    expect(standin.files(repo, w.commit!).get('evidence/chat/r1/snapshot.json')).toBe(large);
  });

  it('computes the same blob ids as git', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('rejects paths that would escape the ledger', async () => {
    const s = await store();
    await expect(s.write({ ...change(null, null, 'r'), evidence: [{ path: '../x', content: '' }] })).rejects.toThrow(/relative path inside the ledger/);
    expect(() => githubLedgerStore({ octokit: null as never, owner: OWNER, repo: repoName, rollout: 'chat', path: '/etc/state.json' })).toThrow(StateError);
  });

  it('reports a state file that is not valid state with its place', async () => {
    standin.commitFiles(repo, 'rollout-ledger', { 'state/chat.json': '{"stage": 3}' });
    await expect((await store()).read()).rejects.toThrow(/rollout-ledger:state\/chat.json: stage must be a stage name or null/);
    standin.commitFiles(repo, 'rollout-ledger', { 'state/chat.json': 'nope' });
    await expect((await store()).read()).rejects.toThrow(/rollout-ledger:state\/chat.json .*not valid JSON/);
  });

  it('turns a read-only token\'s refusal into an error writeRefusal recognises, without the token', async () => {
    const writer = await store();
    await writer.write(change(null, state('canary'), 'r1'));
    const warnings: string[] = [];
    const logger: Logger = { debug: (m) => warnings.push(m), info: (m) => warnings.push(m), warning: (m) => warnings.push(m) };
    const s = await store(READONLY_TOKEN, { logger });
    // A read-only token reads: the GraphQL query is a read, even though it is a POST.
    const read = await s.read();
    expect(read.state?.stage).toBe('canary');
    expect(standin.requests.at(-1)).toMatchObject({ operation: 'POST /graphql', status: 200 });
    const err = await s.write(change(read.version, null, 'fork')).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect(writeRefusal(err)).toEqual({ status: 403, message: 'Resource not accessible by integration' });
    expect((err as Error).message).toContain('GitHub answered FORBIDDEN Resource not accessible by integration');
    expect((err as Error).message).not.toContain(READONLY_TOKEN);
    expect(JSON.stringify(warnings)).not.toContain(READONLY_TOKEN);
    expect(writeRefusal(new StateConflictError('x'))).toBeNull();
  });
});
