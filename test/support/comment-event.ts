import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Example {
  action: string;
  issue: Record<string, unknown>;
  comment: Record<string, unknown>;
  repository: Record<string, unknown>;
  sender: Record<string, unknown>;
}

/** GitHub's own `issue_comment` payloads, as published in @octokit/webhooks-examples. */
export function issueCommentExamples(): Example[] {
  const all = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8')) as { name: string; examples: Example[] }[];
  return all.find((e) => e.name === 'issue_comment')!.examples;
}

/**
 * GitHub's `issue_comment` payload (the published example of `action`), pointed at this
 * repository, issue and comment. `onPullRequest` adds `issue.pull_request` as GitHub sends it
 * for a comment on a pull request (the published examples are all on plain issues).
 */
export function issueCommentEvent(opts: { owner: string; repo: string; number: number; commentId: number; body: string; login: string; action?: 'created' | 'edited' | 'deleted'; onPullRequest?: boolean }) {
  const action = opts.action ?? 'created';
  const example = structuredClone(issueCommentExamples().find((e) => e.action === action)!);
  const full = `${opts.owner}/${opts.repo}`;
  const issue: Record<string, unknown> = { ...example.issue, number: opts.number };
  delete issue.pull_request;
  if (opts.onPullRequest !== false) {
    issue.pull_request = {
      url: `https://api.github.com/repos/${full}/pulls/${opts.number}`,
      html_url: `https://github.com/${full}/pull/${opts.number}`,
      diff_url: `https://github.com/${full}/pull/${opts.number}.diff`,
      patch_url: `https://github.com/${full}/pull/${opts.number}.patch`,
      merged_at: null,
    };
  }
  return {
    ...example,
    action,
    issue,
    comment: { ...example.comment, id: opts.commentId, body: opts.body, user: { ...(example.comment.user as object), login: opts.login } },
    repository: { ...example.repository, name: opts.repo, full_name: full, owner: { ...((example.repository.owner as object) ?? {}), login: opts.owner }, default_branch: 'main' },
    sender: { ...example.sender, login: opts.login },
  };
}
