import { readFileSync } from 'node:fs';
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
  pullRequest: { number: number; headSha: string; author: string | null; body: string; fork: boolean } | null;
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
  const pr = payload.pull_request as
    | { number?: number; body?: string | null; user?: { login?: string }; head?: { sha?: string; repo?: { full_name?: string } } }
    | undefined;
  const pullRequest =
    pr && typeof pr.number === 'number' && pr.head?.sha
      ? {
          number: pr.number,
          headSha: pr.head.sha,
          author: pr.user?.login ?? null,
          body: pr.body ?? '',
          fork: pr.head.repo?.full_name !== undefined && pr.head.repo.full_name !== repository,
        }
      : null;
  return {
    owner: owner ?? null,
    repo: repo ?? null,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    context: {
      repository,
      // On pull_request events GITHUB_SHA is the merge commit; the PR head is what was reviewed.
      commitSha: pullRequest?.headSha ?? env.GITHUB_SHA ?? null,
      runUrl: repository && runId ? `${server}/${repository}/actions/runs/${runId}${attempt !== '1' ? `/attempts/${attempt}` : ''}` : null,
      runId,
      eventName: env.GITHUB_EVENT_NAME ?? null,
      pullRequest: pullRequest?.number ?? null,
    },
    runKey: runId ? `${runId}.${attempt}` : `local.${Date.now().toString(36)}`,
    actor: env.GITHUB_ACTOR ?? null,
    pullRequest,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: env.RUNNER_TEMP ?? '/tmp',
  };
}
