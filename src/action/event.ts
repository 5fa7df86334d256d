import { readFileSync } from 'node:fs';
import { isForkPullRequest, pullRequestOf } from '../github/event.js';
import type { RunContext } from '../report/snapshot.js';

/** What the Action needs to know about where it runs, read from the runner's environment. */
export interface RunnerEnvironment {
  owner: string | null;
  repo: string | null;
  apiUrl: string;
  context: RunContext;
  runKey: string;
  actor: string | null;
  /** The pull request this run is about, if any (pull_request, pull_request_target events). */
  pullRequest: { number: number; headSha: string; author: string | null; fork: boolean } | null;
  /** On workflow_run: the triggering run's head, to find its pull request (forks are not listed in the payload). */
  workflowRunHead: { owner: string; branch: string; sha: string } | null;
  workspace: string;
  tempDir: string;
}

export function readRunnerEnvironment(env: NodeJS.ProcessEnv): RunnerEnvironment {
  const repository = env.GITHUB_REPOSITORY ?? null;
  const [owner, repo] = repository?.split('/') ?? [null, null];
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runId = env.GITHUB_RUN_ID ?? null;
  const attempt = env.GITHUB_RUN_ATTEMPT ?? '1';
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      payload = {};
    }
  }
  const found = pullRequestOf(env.GITHUB_EVENT_NAME ?? '', payload);
  const pullRequest = found ? { number: found.number, headSha: found.headSha, author: found.author, fork: isForkPullRequest(payload) } : null;
  const wr = payload.workflow_run as
    | { head_sha?: string; head_branch?: string; head_repository?: { owner?: { login?: string } }; pull_requests?: { number?: number; head?: { sha?: string } }[] }
    | undefined;
  let fromRun: RunnerEnvironment['pullRequest'] = null;
  let workflowRunHead: RunnerEnvironment['workflowRunHead'] = null;
  if (!pullRequest && wr?.head_sha) {
    const listed = wr.pull_requests?.find((p) => typeof p.number === 'number');
    if (listed) fromRun = { number: listed.number!, headSha: listed.head?.sha ?? wr.head_sha, author: null, fork: false };
    else if (wr.head_branch && wr.head_repository?.owner?.login) workflowRunHead = { owner: wr.head_repository.owner.login, branch: wr.head_branch, sha: wr.head_sha };
  }
  const pr = pullRequest ?? fromRun;
  return {
    owner: owner ?? null,
    repo: repo ?? null,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    context: {
      repository,
      // On pull_request events GITHUB_SHA is the merge commit; the PR head is what was reviewed.
      commitSha: pr?.headSha ?? wr?.head_sha ?? env.GITHUB_SHA ?? null,
      runUrl: repository && runId ? `${server}/${repository}/actions/runs/${runId}${attempt !== '1' ? `/attempts/${attempt}` : ''}` : null,
      runId,
      eventName: env.GITHUB_EVENT_NAME ?? null,
      pullRequest: pr?.number ?? null,
    },
    runKey: runId ? `${runId}.${attempt}` : `local.${Date.now().toString(36)}`,
    actor: env.GITHUB_ACTOR ?? null,
    pullRequest: pr,
    workflowRunHead,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: env.RUNNER_TEMP ?? '/tmp',
  };
}
