import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOctokit, rateLimitWaitMs } from '../../src/github/octokit.js';
import { githubLedgerStore } from '../../src/state/ledger.js';
import { githubProviderFactory } from '../../src/providers/github.js';
import { collectObservations } from '../../src/providers/index.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import { gate, NOW } from '../support/fixtures.js';
import { Redactor } from '../../src/secrets.js';
import { ACTIONS_TOKEN, startStandin, type Fault, type GitHubStandin, type Repo } from '../github/standin.js';
import { demoDir } from '../support/demo.js';
import { runAction } from '../support/runner.js';

const OWNER = 'acme';
let standin: GitHubStandin;
let repo: Repo;
let seq = 0;

beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.stop();
});
beforeEach(() => {
  repo = standin.repo(OWNER, `faults-${++seq}`);
  standin.commitFiles(repo, 'rollout-ledger', { 'state/chat.json': JSON.stringify({ rollout: 'chat', stage: 'canary_10', enteredAt: '2026-11-22T09:00:00Z', killSwitch: false, lastRollbackAt: null, paused: null, history: [] }) }, 'seed');
});
afterEach(() => {
  standin.beforeRoute = null;
  expect(standin.violations).toEqual([]);
});

const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

function ledger(extra: Partial<Parameters<typeof createOctokit>[0]> = {}, token = ACTIONS_TOKEN) {
  const waits: number[] = [];
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warning: (m: string) => warnings.push(m) };
  const octokit = createOctokit({ token, baseUrl: standin.url, retries: 0, logger, sleep: async (ms) => void waits.push(ms), ...extra });
  const store = githubLedgerStore({ octokit, owner: OWNER, repo: repo.name, rollout: 'chat', path: 'state/chat.json', backoffMs: 5, redactor: new Redactor([token]) });
  return { store, waits, warnings };
}

/** Fails the first `n` calls of `operation` with `fault`, then lets them through. */
function failFirst(operation: string, n: number, fault: Fault) {
  let seen = 0;
  standin.beforeRoute = (op) => (op === operation && seen++ < n ? fault : undefined);
  return () => seen;
}

describe('[fault] GitHub rate limits and outages', () => {
  it('[fault] github: a secondary rate limit (403 with retry-after) is waited out and retried', async () => {
    const calls = failFirst('POST /graphql', 1, { status: 403, message: SECONDARY, headers: { 'retry-after': '7' } });
    const { store, waits, warnings } = ledger();
    const read = await store.read();
    expect(read.state?.stage).toBe('canary_10');
    expect(calls()).toBe(2);
    expect(waits).toEqual([7_000]);
    expect(warnings.join('\n')).toMatch(/rate limit .*waiting 7s/);
  });

  it('[fault] github: a secondary rate limit without retry-after (message only) waits a minute, as GitHub advises', async () => {
    failFirst('POST /graphql', 1, { status: 403, message: SECONDARY });
    const { store, waits } = ledger();
    expect((await store.read()).state?.stage).toBe('canary_10');
    expect(waits).toEqual([60_000]);
  });

  it('[fault] github: 429 with retry-after is retried after the wait GitHub asks for', async () => {
    failFirst('POST /graphql', 1, { status: 429, message: 'Too Many Requests', headers: { 'retry-after': '2' } });
    const { store, waits } = ledger();
    expect((await store.read()).state?.stage).toBe('canary_10');
    expect(waits).toEqual([2_000]);
  });

  it('[fault] github: a rate limit that does not lift gives up after 2 retries with GitHub\'s words', async () => {
    const calls = failFirst('POST /graphql', 100, { status: 403, message: SECONDARY, headers: { 'retry-after': '1' } });
    const { store, waits } = ledger();
    const err = (await store.read().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/GitHub answered 403 You have exceeded a secondary rate limit/);
    expect(calls()).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('[fault] github: a retry-after beyond the cap is not waited for', async () => {
    const calls = failFirst('POST /graphql', 100, { status: 403, message: SECONDARY, headers: { 'retry-after': '3600' } });
    const { store, waits } = ledger();
    await expect(store.read()).rejects.toThrow(/secondary rate limit/);
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('[fault] github: an ordinary 403 (no rate limit) is not retried', async () => {
    const calls = failFirst('POST /graphql', 100, { status: 403, message: 'Resource not accessible by integration' });
    const { store } = ledger();
    await expect(store.read()).rejects.toThrow(/403 Resource not accessible/);
    expect(calls()).toBe(1);
  });

  it('[fault] github: a GitHub that accepts and never answers fails the call after the request timeout, not a hang', async () => {
    standin.beforeRoute = () => 'hang';
    const { store } = ledger({ requestTimeoutMs: 500 });
    const started = Date.now();
    await expect(store.read()).rejects.toThrow(/GitHub could not be reached: GitHub did not answer POST \/graphql within 0.5s/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('[fault] github: 5xx is retried by the retry plugin and then reported', async () => {
    const calls = failFirst('POST /graphql', 100, { status: 502, message: 'Server Error' });
    const { store } = ledger({ retries: 2, retryAfterBaseMs: 1 });
    await expect(store.read()).rejects.toThrow(/GitHub answered 502/);
    expect(calls()).toBe(3);
  });

  // GitHub has answered both spellings (RATE_LIMIT reported in 2026, githubkit issue #271).
  it.for(['RATE_LIMITED', 'RATE_LIMIT'])('[fault] github: a GraphQL %s answer (HTTP 200 with errors) is waited out until x-ratelimit-reset and retried', async (type) => {
    const reset = String(Math.ceil(Date.now() / 1000) + 30);
    const calls = failFirst('POST /graphql', 1, { graphql: { type, message: 'API rate limit exceeded for installation ID 1.' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
    const { store, waits, warnings } = ledger();
    expect((await store.read()).state?.stage).toBe('canary_10');
    expect(calls()).toBe(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(25_000);
    expect(waits[0]).toBeLessThanOrEqual(32_000);
    expect(warnings.join('\n')).toMatch(/rate limit on POST \/graphql: waiting \d+s/);
  });

  it('[fault] github: a GraphQL RATE_LIMITED that does not lift is reported with GitHub\'s type and words', async () => {
    const calls = failFirst('POST /graphql', 100, { graphql: { type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }, headers: { 'retry-after': '1' } });
    const { store, waits } = ledger();
    const err = (await store.read().catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('github ledger rollout-ledger:state/chat.json: reading the ledger: GitHub answered RATE_LIMITED API rate limit exceeded for installation ID 1. (POST /graphql)');
    expect(calls()).toBe(3);
    expect(waits).toEqual([1_000, 1_000]);
  });

  it('[fault] github: the wait is read from retry-after, x-ratelimit-reset, or the message', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const err = (status: number, headers: Record<string, string>, message = '') => ({ status, message, response: { headers, data: { message } } });
    expect(rateLimitWaitMs(err(403, { 'retry-after': '30' }), now)).toBe(30_000);
    expect(rateLimitWaitMs(err(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 20) }), now)).toBe(21_000);
    expect(rateLimitWaitMs(err(403, {}, SECONDARY), now)).toBe(60_000);
    expect(rateLimitWaitMs(err(403, {}, 'Resource not accessible by integration'), now)).toBeNull();
    expect(rateLimitWaitMs(err(404, { 'retry-after': '30' }), now)).toBeNull();
  });
});

describe('[fault] github provider (search gates)', () => {
  async function searchGate(timeoutMs: number) {
    const octokit = createOctokit({ token: ACTIONS_TOKEN, baseUrl: standin.url, retries: 0 });
    const started = Date.now();
    const { observations } = await collectObservations({
      gates: [gate({ name: 'sev1', provider: 'github', providerType: 'github', query: 'is:issue is:open label:sev-1', pass: '== 0' })],
      providers: { github: { type: 'github' } },
      factories: { github: githubProviderFactory({ octokit, owner: OWNER, repo: repo.name }) as ProviderFactory<never> },
      nowMs: NOW,
      target: null,
      cwd: process.cwd(),
      logger: { debug() {}, info() {}, warning() {} },
      redactor: new Redactor([ACTIONS_TOKEN]),
      defaultTimeoutMs: timeoutMs,
    });
    return { obs: observations.get('sev1')!, elapsedMs: Date.now() - started };
  }

  it('[fault] github: a search that never answers is no data after the gate timeout', async () => {
    standin.beforeRoute = (op) => (op === 'GET /search/issues' ? 'hang' : undefined);
    const { obs, elapsedMs } = await searchGate(1_000);
    expect(obs.samples).toEqual([]);
    expect(obs.error).toMatch(/timed out after 1s/);
    expect(elapsedMs).toBeLessThan(2_500);
  });

  it('[fault] github: a rate-limited search is retried after retry-after and then counts', async () => {
    const calls = failFirst('GET /search/issues', 1, { status: 403, message: SECONDARY, headers: { 'retry-after': '1' } });
    const { obs, elapsedMs } = await searchGate(5_000);
    expect(obs.error ?? null).toBeNull();
    expect(obs.samples.map((x) => x[1])).toEqual([0]);
    expect(calls()).toBe(2);
    expect(elapsedMs).toBeGreaterThanOrEqual(950);
  });

  it('[fault] github: a rate limit longer than the gate timeout is no data at the timeout, not a wait', async () => {
    failFirst('GET /search/issues', 100, { status: 429, message: 'Too Many Requests', headers: { 'retry-after': '50' } });
    const { obs, elapsedMs } = await searchGate(1_000);
    expect(obs.samples).toEqual([]);
    expect(obs.error).toMatch(/timed out after 1s/);
    expect(elapsedMs).toBeLessThan(2_500);
  });
});

describe('[fault] the bundled Action with a bad token', () => {
  it('[fault] github: 401 on a bad token fails the step with a message naming github-token, never the token', async () => {
    const { dir, cleanup } = demoDir(Date.now(), 'healthy');
    try {
      writeFileSync(
        join(dir, 'rollout-gate.yml'),
        readFileSync(join(import.meta.dirname, '../../examples/chat-rollout.yml'), 'utf8').replace(/state:\n  type: file\n  path: .*\n/, 'state:\n  type: github\n'),
      );
      const BAD = 'ghp_revokedTokenX9q8w7e6r5';
      const r = await runAction({
        inputs: { config: 'rollout-gate.yml', 'github-token': BAD },
        env: { ROLLOUT_DEMO_DIR: dir, GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: `${OWNER}/${repo.name}`, GITHUB_EVENT_NAME: 'workflow_dispatch' },
        workspace: dir,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::error::.*401 Bad credentials/);
      expect(r.stdout).toMatch(/github-token/);
      expect(r.stdout.replace(/::add-mask::.*\n/g, '') + r.stderr + r.summary + JSON.stringify(r.outputs)).not.toContain(BAD);
    } finally {
      cleanup();
    }
  });
});
