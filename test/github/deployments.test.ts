import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordStageChange, type StageChange, type StageDeployment } from '../../src/github/deployments.js';
import { ACTIONS_TOKEN, clientFor, READONLY_TOKEN, startStandin, type GitHubStandin } from './standin.js';

const SHA = '4444444444444444444444444444444444444444';
let standin: GitHubStandin;
let seq = 0;

beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.stop();
});
afterEach(() => {
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
});

async function setup(token = ACTIONS_TOKEN) {
  const repo = standin.repo('acme', `deploy-${++seq}`);
  const d: StageDeployment = { octokit: await clientFor(standin, token), owner: 'acme', repo: repo.name, environment: 'chat', url: null, ref: SHA, rollout: 'chat-v1.1' };
  const change = (c: Partial<StageChange>): StageChange => ({ from: null, to: null, traffic: 0, kind: 'promotion', forcedByGates: false, logUrl: 'https://github.com/acme/x/commit/abc', actor: 'alice', ...c });
  return { repo, d, change };
}

describe('GitHub deployments of stage changes', () => {
  it('each promotion is a deployment with a success status; the one before is superseded (inactive)', async () => {
    const { repo, d, change } = await setup();
    await recordStageChange(d, change({ from: null, to: 'canary_1', traffic: 1 }));
    await recordStageChange(d, change({ from: 'canary_1', to: 'canary_10', traffic: 10 }));
    expect(repo.deployments.map((x) => [(x.payload as { stage: string }).stage, x.task, x.sha, x.statuses.map((s) => s.state).join('>')])).toEqual([
      ['canary_1', 'rollout', SHA, 'success>inactive'],
      ['canary_10', 'rollout', SHA, 'success'],
    ]);
    expect(repo.deployments[1]!.statuses[0]!.logUrl).toBe('https://github.com/acme/x/commit/abc');
    expect(repo.deployments[1]!.description).toBe('chat-v1.1: canary_10 at 10% traffic');
  });

  it.each([
    [false, 'inactive'],
    [true, 'failure'],
  ])('a rollback (forced by gates: %s) marks the rolled-back deployment %s, then deploys the stage it went back to', async (forcedByGates, state) => {
    const { repo, d, change } = await setup();
    await recordStageChange(d, change({ from: 'canary_1', to: 'canary_10', traffic: 10 }));
    await recordStageChange(d, change({ from: 'canary_10', to: 'canary_1', traffic: 1, kind: 'rollback', forcedByGates }));
    expect(repo.deployments[0]!.statuses.map((s) => s.state)).toEqual(['success', state]);
    expect(repo.deployments[1]!.statuses.map((s) => s.state)).toEqual(['success']);
    expect(repo.deployments[1]!.description).toBe('chat-v1.1: canary_1 at 1% traffic (rolled back from canary_10)');
  });

  it('a rollback to no traffic only retires the deployment in force', async () => {
    const { repo, d, change } = await setup();
    await recordStageChange(d, change({ from: null, to: 'canary_1', traffic: 1 }));
    expect(await recordStageChange(d, change({ from: 'canary_1', to: null, kind: 'rollback' }))).toBeNull();
    expect(repo.deployments).toHaveLength(1);
    expect(repo.deployments[0]!.statuses.map((s) => s.state)).toEqual(['success', 'inactive']);
  });

  it('a token without deployments: write gets an error naming what it was doing', async () => {
    const { d, change } = await setup(READONLY_TOKEN);
    await expect(recordStageChange(d, change({ to: 'canary_1', traffic: 1 }))).rejects.toThrow(/recording the deployment of canary_1 in chat/);
  });
});
