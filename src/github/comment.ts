import { silentLogger, type Logger } from '../logger.js';
import type { Redactor } from '../secrets.js';
import { GitHubError, githubFailure, type GitHubClient } from './octokit.js';

/** GitHub refuses issue comments longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/** The identity of GITHUB_TOKEN (and the name it posts under) when GET /user is not allowed. */
export const ACTIONS_BOT = 'github-actions[bot]';

/** The hidden first line that makes a comment this rollout's sticky comment. */
export function stickyMarker(rollout: string): string {
  return `<!-- rollout-gate:${rollout} -->`;
}

const TRUNCATION_NOTE =
  '\n\n---\n> **Truncated:** this report is longer than GitHub allows in a comment (65,536 characters). The job summary and the evidence on the ledger branch have it in full.\n';

/**
 * The body as it will be posted: starting with the marker (the only place a marker is trusted)
 * and cut to GitHub's limit with a visible note.
 */
export function stickyBody(body: string, marker: string, limit = COMMENT_LIMIT): string {
  const full = body.startsWith(marker) ? body : `${marker}\n${body}`;
  if (full.length <= limit) return full;
  let cut = limit - TRUNCATION_NOTE.length;
  // Never split a UTF-16 surrogate pair; prefer ending on a whole line.
  if (/[\uD800-\uDBFF]/.test(full.charAt(cut - 1))) cut -= 1;
  const lastLine = full.lastIndexOf('\n', cut);
  if (lastLine > cut - 2000 && lastLine > marker.length) cut = lastLine;
  return `${full.slice(0, cut)}${TRUNCATION_NOTE}`;
}

/**
 * What the token's format alone says about its identity. Installation tokens (`ghs_`, which
 * GITHUB_TOKEN is) cannot call GET /user, and the answer would be github-actions[bot] anyway;
 * knowing it saves a request on every rerun. An app's own installation token posts as
 * `<app-slug>[bot]`: pass that as `identity` instead.
 */
export function identityOfToken(token: string): string | undefined {
  return token.startsWith('ghs_') ? ACTIONS_BOT : undefined;
}

/**
 * The login the token posts as: GET /user for a user token; GitHub refuses that call to
 * installation tokens (GITHUB_TOKEN), whose comments are authored by github-actions[bot].
 */
export async function tokenIdentity(octokit: GitHubClient, redactor?: Redactor): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (e) {
    if (githubFailure(e)?.status === 403) return ACTIONS_BOT;
    throw new GitHubError('finding who the token is', e, redactor);
  }
}

export interface StickyCommentOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  /** `stickyMarker(rollout)`. */
  marker: string;
  body: string;
  logger?: Logger;
  /** The login the token posts as (an app's `<slug>[bot]`); resolved on demand when absent. */
  identity?: string;
  redactor?: Redactor;
}

export interface StickyCommentResult {
  url: string;
  id: number;
  action: 'created' | 'updated' | 'unchanged';
}

/**
 * Creates this rollout's comment on a pull request, or updates it in place on a rerun. Only a
 * comment that starts with the marker AND is authored by the token's own identity counts, so
 * nobody can hijack the comment by quoting the marker.
 */
export async function upsertStickyComment(opts: StickyCommentOptions): Promise<StickyCommentResult> {
  const { octokit, owner, repo, issueNumber, marker } = opts;
  const logger = opts.logger ?? silentLogger;
  const body = stickyBody(opts.body, marker);
  if (body.length < opts.body.length) logger.warning(`the pull request comment was truncated to GitHub's ${COMMENT_LIMIT}-character limit`);

  let comments: { id: number; body?: string | null; html_url: string; user: { login: string } | null }[];
  try {
    comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  } catch (e) {
    throw new GitHubError(`listing the comments of #${issueNumber}`, e, opts.redactor);
  }
  const marked = comments.filter((c) => (c.body ?? '').startsWith(marker));
  let mine: (typeof comments)[number] | undefined;
  if (marked.length) {
    // Only asked when there is something to tell apart: a first run needs no identity.
    const identity = (opts.identity ?? (await tokenIdentity(octokit, opts.redactor))).toLowerCase();
    mine = marked.find((c) => c.user?.login.toLowerCase() === identity);
    const foreign = marked.length - marked.filter((c) => c.user?.login.toLowerCase() === identity).length;
    if (foreign) logger.debug(`ignored ${foreign} comment(s) carrying the marker but written by someone other than ${identity}`);
  }

  if (mine) {
    if (mine.body === body) return { url: mine.html_url, id: mine.id, action: 'unchanged' };
    try {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
      return { url: data.html_url, id: data.id, action: 'updated' };
    } catch (e) {
      throw new GitHubError(`updating comment ${mine.id} on #${issueNumber}`, e, opts.redactor);
    }
  }
  try {
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { url: data.html_url, id: data.id, action: 'created' };
  } catch (e) {
    throw new GitHubError(`commenting on #${issueNumber}`, e, opts.redactor);
  }
}
