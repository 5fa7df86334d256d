import type { Redactor } from '../secrets.js';
import { GitHubError, type GitHubClient } from './octokit.js';

/** GitHub refuses check-run summaries longer than this many characters. */
export const CHECK_SUMMARY_LIMIT = 65_535;

const NOTE = '\n\n---\n> **Truncated:** the full report is in the job summary and the evidence on the ledger branch.\n';

export interface CheckRunOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** `rollout-gate / ROLLOUT`. */
  name: string;
  /** The pull request's head commit (not GITHUB_SHA, which is the merge commit). */
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  detailsUrl?: string | null;
  redactor?: Redactor;
  /** The completion time; the clock is the caller's. */
  completedAt?: string;
}

export interface CheckRunResult {
  id: number;
  url: string;
}

export function fitSummary(summary: string, limit = CHECK_SUMMARY_LIMIT): string {
  if (summary.length <= limit) return summary;
  let cut = limit - NOTE.length;
  if (/[\uD800-\uDBFF]/.test(summary.charAt(cut - 1))) cut -= 1;
  const lastLine = summary.lastIndexOf('\n', cut);
  if (lastLine > cut - 2000 && lastLine > 0) cut = lastLine;
  return `${summary.slice(0, cut)}${NOTE}`;
}

/** Publishes a completed check run on a commit: the status a branch protection rule can require. */
export async function publishCheckRun(opts: CheckRunOptions): Promise<CheckRunResult> {
  const { octokit, owner, repo } = opts;
  try {
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: opts.name,
      head_sha: opts.headSha,
      status: 'completed',
      conclusion: opts.conclusion,
      ...(opts.completedAt ? { completed_at: opts.completedAt } : {}),
      ...(opts.detailsUrl ? { details_url: opts.detailsUrl } : {}),
      output: { title: opts.title.split('\n')[0]!.slice(0, 1000), summary: fitSummary(opts.summary) },
    });
    return { id: data.id, url: data.html_url ?? data.url };
  } catch (e) {
    throw new GitHubError(`publishing the check run "${opts.name}" on ${opts.headSha.slice(0, 7)}`, e, opts.redactor);
  }
}
