import type { Redactor } from '../secrets.js';
import { GitHubError, type GitHubClient } from './octokit.js';

export interface StageDeployment {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  environment: string;
  /** The environment's URL (`deployments.url`). */
  url: string | null;
  /** The commit rolled out: the pull request head, or the run's commit. */
  ref: string;
  rollout: string;
  redactor?: Redactor;
}

export interface StageChange {
  from: string | null;
  to: string | null;
  traffic: number;
  /** `rollback`: the deployment of `from` is marked inactive, or failure when `forcedByGates`. */
  kind: 'promotion' | 'rollback';
  forcedByGates: boolean;
  /** Where the evidence is: the deployment status's log_url. */
  logUrl: string | null;
  actor: string | null;
}

const TASK = 'rollout';

/** The newest deployment of this rollout's environment that is at `stage`. */
async function deploymentOf(d: StageDeployment, stage: string): Promise<number | null> {
  const { data } = await d.octokit.rest.repos.listDeployments({ owner: d.owner, repo: d.repo, environment: d.environment, task: TASK, per_page: 30 });
  const found = data.find((x) => (x.payload as { stage?: unknown } | string | null) !== null && typeof x.payload === 'object' && (x.payload as { stage?: unknown }).stage === stage);
  return found?.id ?? null;
}

/**
 * Records a stage change as GitHub deployments (SPEC §8.3): a deployment of the new stage (task
 * `rollout`, payload and description naming stage and traffic) with a `success` status linking
 * the evidence; a rollback first marks the rolled-back stage's deployment inactive (failure when
 * the gates forced it). Returns the new deployment's id (null when the rollout left every stage).
 */
export async function recordStageChange(d: StageDeployment, change: StageChange): Promise<number | null> {
  const { octokit, owner, repo } = d;
  try {
    if (change.kind === 'rollback' && change.from) {
      const old = await deploymentOf(d, change.from);
      if (old !== null) {
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: old,
          state: change.forcedByGates ? 'failure' : 'inactive',
          description: `${change.from} rolled back${change.forcedByGates ? ' by its gates' : ''}`.slice(0, 140),
          ...(change.logUrl ? { log_url: change.logUrl } : {}),
        });
      }
    }
    if (change.to === null) return null;
    const description = `${d.rollout}: ${change.to} at ${change.traffic}% traffic${change.kind === 'rollback' ? ` (rolled back from ${change.from ?? 'none'})` : ''}`.slice(0, 140);
    const created = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: d.ref,
      task: TASK,
      environment: d.environment,
      description,
      payload: { rollout: d.rollout, stage: change.to, traffic: change.traffic, from: change.from, actor: change.actor },
      // The gates already judged this change; GitHub must not hold it for the ref's status checks.
      required_contexts: [],
      auto_merge: false,
      production_environment: change.traffic === 100,
    });
    const id = (created.data as { id?: number }).id;
    if (typeof id !== 'number') throw new Error(`GitHub did not create the deployment: ${(created.data as { message?: string }).message ?? 'no id'}`);
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state: 'success',
      description,
      ...(change.logUrl ? { log_url: change.logUrl } : {}),
      ...(d.url ? { environment_url: d.url } : {}),
      environment: d.environment,
      // The previous stage's deployment is superseded, not failed.
      auto_inactive: true,
    });
    return id;
  } catch (e) {
    throw new GitHubError(`recording the deployment of ${change.to ?? 'no stage'} in ${d.environment}`, e, d.redactor);
  }
}
