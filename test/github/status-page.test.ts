import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RolloutState } from '../../src/engine/model.js';
import { renderStatusSection } from '../../src/report/status-page.js';
import { githubLedgerStore } from '../../src/state/ledger.js';
import { decisionLogShard } from '../../src/ledger/layout.js';
import { withoutStatusData } from '../../src/ledger/status-data.js';
import type { StateWrite, StatusView } from '../../src/state/types.js';
import { NOW, plan } from '../support/fixtures.js';
import { ACTIONS_TOKEN, clientFor, startStandin, type GitHubStandin, type Repo } from './standin.js';

/** The ledger's status page: README.md rebuilt from every rollout's section in the commit of each decision. */

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
  repoName = `status-${++seq}`;
  repo = standin.repo(OWNER, repoName);
});
afterEach(() => {
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
});

const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

const stateAt = (rollout: string, stage: string, minutes: number): RolloutState => ({
  rollout,
  stage,
  enteredAt: at(minutes),
  killSwitch: false,
  lastRollbackAt: null,
  paused: null,
  history: [{ at: at(minutes), from: null, to: stage, decision: 'PROCEED', forced: false, actor: 'alice', reason: null, evidence: null }],
});

function change(rollout: string, expectedVersion: string | null, s: RolloutState | null, run: string, minutes: number, seen?: StatusView[]): StateWrite {
  const dir = `evidence/${rollout}/${run}`;
  return {
    expectedVersion,
    state: s,
    evidence: [{ path: `${dir}/go-no-go.md`, content: `# Go/No-Go ${run}\n` }],
    decisionLog: { path: decisionLogShard(rollout, Date.now()), line: JSON.stringify({ at: at(minutes), command: s ? 'promote' : 'evaluate', from: null, to: s?.stage ?? 'canary_1', decision: s ? 'PROCEED' : 'HOLD', actor: 'alice', evidencePath: dir }) },
    message: `rollout-gate: ${rollout} ${run}`,
    statusPage: (view) => {
      seen?.push(view);
      return renderStatusSection({ plan: plan({ name: rollout }), ...view, nowMs: NOW + minutes * 60_000 });
    },
  };
}

async function store(rollout: string) {
  return githubLedgerStore({ octokit: await clientFor(standin, ACTIONS_TOKEN), owner: OWNER, repo: repoName, rollout, backoffMs: 5 });
}

const files = () => standin.files(repo, 'rollout-ledger');

describe('the ledger status page', () => {
  it('holds a section per rollout: a write of one rollout keeps the others, all in one commit per write', async () => {
    const chat = await store('chat');
    const search = await store('search');
    await chat.write(change('chat', (await chat.read()).version, stateAt('chat', 'canary_1', 0), 'c1', 0));
    expect(files().get('README.md')).toContain('## chat');
    await search.write(change('search', (await search.read()).version, stateAt('search', 'canary_10', 5), 's1', 5));
    const readChat = await chat.read();
    await chat.write(change('chat', readChat.version, null, 'c2', 10));

    expect(standin.history(repo, 'rollout-ledger')).toHaveLength(3);
    const f = files();
    const readme = f.get('README.md')!;
    expect(readme.indexOf('## chat')).toBeGreaterThan(0);
    expect(readme.indexOf('## search')).toBeGreaterThan(readme.indexOf('## chat'));
    expect(readme).toContain(withoutStatusData(f.get('status/chat.md')!).trimEnd());
    expect(readme).toContain(withoutStatusData(f.get('status/search.md')!).trimEnd());
    // The search section is the one its own write rendered; the chat section is the latest.
    expect(f.get('status/search.md')).toContain('| Stage | **canary\\_10** (10% of traffic) |');
    expect(f.get('status/chat.md')).toContain('| Stage | **canary\\_1** (1% of traffic) |');
    expect(f.get('status/chat.md')).toContain('| Last evidence | [c2](evidence/chat/c2/go-no-go.md) |');
    expect(f.get('status/chat.md')).toMatch(/### Last 2 decisions[\s\S]*\| evaluate \|[\s\S]*\| promote \|/);
  });

  it('an evidence-only write rebuilt on a moved head renders the section from the state the commit holds', async () => {
    const a = await store('chat');
    const b = await store('chat');
    await a.write(change('chat', (await a.read()).version, stateAt('chat', 'canary_1', 0), 'r0', 0));
    const readByEvaluate = await a.read();
    // Another run promotes between the evaluate's read and its write.
    await b.write(change('chat', (await b.read()).version, stateAt('chat', 'canary_10', 1), 'promote', 1));
    const seen: StatusView[] = [];
    await a.write(change('chat', readByEvaluate.version, null, 'evaluate', 2, seen));
    expect(seen.at(-1)!.state?.stage).toBe('canary_10');
    // The section is updated from the page before (its two rows) and the new line.
    expect(seen.at(-1)!.decisionLog.trim().split('\n')).toHaveLength(1);
    expect(seen.at(-1)!.previousRows).toHaveLength(2);
    const readme = files().get('README.md')!;
    expect(readme).toContain('| Stage | **canary\\_10** (10% of traffic) |');
    expect(readme).toContain('| Last evidence | [evaluate](evidence/chat/evaluate/go-no-go.md) |');
  });

  it('a write without a status page leaves README.md and status/ alone', async () => {
    const s = await store('chat');
    const { statusPage: _, ...plain } = change('chat', null, stateAt('chat', 'canary_1', 0), 'r1', 0);
    await s.write(plain);
    expect([...files().keys()].filter((k) => k === 'README.md' || k.startsWith('status/'))).toEqual([]);
  });

  it('the query that reads the state also brings the sections: a write costs no extra request', async () => {
    const s = await store('chat');
    await s.write(change('chat', (await s.read()).version, stateAt('chat', 'canary_1', 0), 'r1', 0));
    const read = await s.read();
    const before = standin.requests.length;
    await s.write(change('chat', read.version, null, 'r2', 1));
    // One request: the commit (createCommitOnBranch); the sections came with the read.
    expect(standin.requests.slice(before).map((r) => [r.operation, r.write])).toEqual([['POST /graphql', true]]);
  });
});
