import type { PullRequestContext } from '../providers/github.js';

/** Events whose payload carries the pull request under `pull_request`. */
const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

/**
 * The pull request a workflow run is about, from the event name and the payload at
 * GITHUB_EVENT_PATH; null for push, workflow_dispatch, schedule and the like. The head SHA is the
 * PR's own head commit: GITHUB_SHA on pull_request events is a merge commit nobody reviewed.
 */
export function pullRequestOf(eventName: string, payload: unknown): PullRequestContext | null {
  if (!PR_EVENTS.has(eventName) || !payload || typeof payload !== 'object') return null;
  const pr = (payload as { pull_request?: unknown }).pull_request;
  if (!pr || typeof pr !== 'object') return null;
  const p = pr as { number?: unknown; head?: { sha?: unknown }; user?: { login?: unknown } };
  if (typeof p.number !== 'number' || typeof p.head?.sha !== 'string' || typeof p.user?.login !== 'string') return null;
  return {
    number: p.number,
    headSha: p.head.sha,
    author: p.user.login,
    // Left out on purpose: a re-run replays the original payload, so a checklist ticked since then
    // would not be seen. The provider fetches the current description when a checklist needs it.
    body: undefined,
  };
}

/** Whether the pull request comes from a fork: its GITHUB_TOKEN is read-only, so writes will be refused. */
export function isForkPullRequest(payload: unknown): boolean {
  const pr = (payload as { pull_request?: { head?: { repo?: { full_name?: unknown } | null }; base?: { repo?: { full_name?: unknown } } } } | null)?.pull_request;
  const head = pr?.head?.repo?.full_name;
  const base = pr?.base?.repo?.full_name;
  return typeof head === 'string' && typeof base === 'string' && head.toLowerCase() !== base.toLowerCase();
}
