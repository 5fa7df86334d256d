import type { Redactor } from '../secrets.js';
import { GitHubError, githubFailure, type GitHubClient } from './octokit.js';

/** GitHub's reactions that the comment commands use. */
export type Reaction = 'eyes' | 'rocket' | '-1';

interface Repo {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  redactor?: Redactor;
}

/** The repository roles that may run a command: `write` or higher. */
const WRITERS = new Set(['admin', 'maintain', 'write']);

/**
 * The commenter's role on the repository (`admin`, `maintain`, `write`, `triage`, `read` or
 * `none`), from GET /repos/{owner}/{repo}/collaborators/{username}/permission: `role_name` names
 * maintain and triage, which `permission` folds into write and read.
 */
export async function collaboratorRole(r: Repo, login: string): Promise<string> {
  try {
    const { data } = await r.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: r.owner, repo: r.repo, username: login });
    return (data as { role_name?: string }).role_name ?? data.permission;
  } catch (e) {
    // Not a collaborator at all.
    if (githubFailure(e)?.status === 404) return 'none';
    throw new GitHubError(`reading the permission of ${login}`, e, r.redactor);
  }
}

export function mayWrite(role: string): boolean {
  return WRITERS.has(role);
}

export async function react(r: Repo, commentId: number, content: Reaction): Promise<void> {
  try {
    await r.octokit.rest.reactions.createForIssueComment({ owner: r.owner, repo: r.repo, comment_id: commentId, content });
  } catch (e) {
    throw new GitHubError(`reacting ${content} to comment ${commentId}`, e, r.redactor);
  }
}

export async function reply(r: Repo, issueNumber: number, body: string): Promise<string> {
  try {
    const { data } = await r.octokit.rest.issues.createComment({ owner: r.owner, repo: r.repo, issue_number: issueNumber, body });
    return data.html_url;
  } catch (e) {
    throw new GitHubError(`replying on #${issueNumber}`, e, r.redactor);
  }
}

/** A pull request's head, for the check run, the gates and the deployments. */
export async function pullRequestHead(r: Repo, number: number): Promise<{ number: number; headSha: string; author: string | null; fork: boolean }> {
  try {
    const { data } = await r.octokit.rest.pulls.get({ owner: r.owner, repo: r.repo, pull_number: number });
    const head = data.head as { sha: string; repo?: { full_name?: string } | null };
    const base = data.base as { repo?: { full_name?: string } | null } | undefined;
    const fork = !!head.repo?.full_name && !!base?.repo?.full_name && head.repo.full_name.toLowerCase() !== base.repo.full_name.toLowerCase();
    return { number, headSha: head.sha, author: data.user?.login ?? null, fork };
  } catch (e) {
    throw new GitHubError(`reading pull request #${number}`, e, r.redactor);
  }
}

/**
 * A file as it is on `ref` (the default branch): the config and the template a comment command
 * runs with never come from the pull request, so a pull request cannot loosen its own gates.
 */
export async function fileOnBranch(r: Repo, path: string, ref: string): Promise<string | null> {
  try {
    const { data } = await r.octokit.rest.repos.getContent({ owner: r.owner, repo: r.repo, path: path.replace(/^\.\//, ''), ref });
    if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} on ${ref} is not a file`);
    const file = data as { content?: string; encoding?: string; sha: string };
    if (file.encoding === 'base64' && file.content !== undefined) return Buffer.from(file.content, 'base64').toString('utf8');
    // Over the contents API's inline limit: the blob has it.
    const { data: blob } = await r.octokit.rest.git.getBlob({ owner: r.owner, repo: r.repo, file_sha: file.sha });
    return Buffer.from(blob.content, 'base64').toString('utf8');
  } catch (e) {
    if (githubFailure(e)?.status === 404) return null;
    throw new GitHubError(`reading ${path} on ${ref}`, e, r.redactor);
  }
}
