import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDir } from '../support/demo.js';
import { pullRequestEvent } from '../support/events.js';
import { runAction } from '../support/runner.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin } from '../github/standin.js';

/**
 * What an evaluate on a pull request waits for: the bundled Action against a stand-in that checks
 * every request against GitHub's OpenAPI description, executes GraphQL against GitHub's schema,
 * and answers each request only after a fixed latency, so requests sent together overlap and
 * requests sent one after the other do not. The stand-in counts the round trips waited on in
 * sequence (no clock is asserted).
 */

const HEAD_SHA = '1111111111111111111111111111111111111111';
let standin: GitHubStandin;
let cleanup = () => {};

beforeAll(async () => {
  standin = await startStandin({ latencyMs: 150 });
});
afterAll(async () => {
  await standin.stop();
});
afterEach(() => {
  cleanup();
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
});

describe('[round trips] one evaluate on a pull request', () => {
  it('waits on at most 4 round trips in sequence: the ledger read, the signed commit, then the check run beside the sticky comment', async () => {
    const d = demoDir(Date.now(), 'healthy');
    cleanup = d.cleanup;
    writeFileSync(join(d.dir, 'rollout-gate.yml'), readFileSync(join(import.meta.dirname, '../../examples/chat-rollout.yml'), 'utf8').replace(/state:\n  type: file\n  path: .*\n/, 'state:\n  type: github\n'));
    const repo = standin.repo('acme', 'round-trips');
    standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD_SHA, body: 'Release chat v1.1' });
    standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': readFileSync(join(d.dir, 'state.json'), 'utf8') }, 'seed');
    const evaluate = async () => {
      const before = standin.requests.length;
      const r = await runAction({
        inputs: { config: 'rollout-gate.yml', 'github-token': ACTIONS_TOKEN, command: 'evaluate' },
        env: { ROLLOUT_DEMO_DIR: d.dir, GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: `acme/${repo.name}`, GITHUB_EVENT_NAME: 'pull_request', GITHUB_SHA: '2'.repeat(40), GITHUB_RUN_ID: String(4242 + before) },
        event: pullRequestEvent({ owner: 'acme', repo: repo.name, number: 7, headSha: HEAD_SHA, author: 'dana', body: 'Release chat v1.1', fork: null }),
        workspace: d.dir,
      });
      expect(r.outputs.decision, r.stdout).toBeDefined();
      const calls = standin.requests.slice(before);
      return { r, rounds: standin.sequentialRoundTrips(before), calls: calls.map((q) => `${q.depth - calls[0]!.depth + 1} ${q.operation}${q.write && q.operation === 'POST /graphql' ? ' (mutation)' : ''}`) };
    };
    // The first run creates the comment; the second finds and updates it.
    const first = await evaluate();
    const second = await evaluate();
    // eslint-disable-next-line no-console
    console.log(`[round trips] first run ${first.rounds}: ${first.calls.join(', ')}; rerun ${second.rounds}: ${second.calls.join(', ')}`);
    for (const run of [first, second]) {
      expect(run.rounds, run.calls.join('\n')).toBeLessThanOrEqual(4);
      expect(run.calls).toContain('2 POST /graphql (mutation)');
    }
    expect(repo.comments.get(7)).toHaveLength(1);
    expect(repo.checkRuns.filter((c) => c.headSha === HEAD_SHA)).toHaveLength(2);
  });
});
