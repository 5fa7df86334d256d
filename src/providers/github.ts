import type { ProviderConfig } from '../config/schema.js';
import type { Gate } from '../engine/model.js';
import { describeGitHubError, githubFailure, type GitHubClient } from '../github/octokit.js';
import { ProviderError, type Provider, type ProviderAnswer, type ProviderFactory, type ProviderRequest } from './types.js';

type GitHubConfig = Extract<ProviderConfig, { type: 'github' }>;

/** The pull request a run is about, from the event payload. */
export interface PullRequestContext {
  number: number;
  /** The PR's head commit: approvals count only on it. */
  headSha: string;
  /** The PR author never counts as an approver. */
  author: string;
  /** The PR description, for checklists; fetched when undefined. */
  body?: string | null;
}

export interface GitHubProviderOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Absent on push and workflow_dispatch runs: approvals and checklists then have no data. */
  pullRequest?: PullRequestContext | null;
}

interface ReviewState {
  login: string;
  state: string;
  commitId: string | null;
}

const NO_PR = 'this run is not about a pull request (approvals and checklists are read from one)';

/** Qualifiers that would widen a search beyond this repository. */
const SCOPE_QUALIFIER = /(^|\s)-?(repo|org|user|owner):/i;

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The ticked task-list items of a Markdown text (`- [x] item`), normalised: lower case, runs of
 * whitespace as one space. Items inside fenced code blocks and HTML comments do not count: a PR
 * template quoting a ticked example must not tick the real item.
 */
export function tickedTasks(markdown: string): Set<string> {
  const ticked = new Set<string>();
  const text = markdown.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?(-->|$)/g, '');
  let fence: { char: string; length: number } | null = null;
  for (const line of text.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      const run = f[1]!;
      if (!fence) fence = { char: run[0]!, length: run.length };
      else if (run[0] === fence.char && run.length >= fence.length && line.trim() === run) fence = null;
      continue;
    }
    if (fence) continue;
    const m = /^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s+\[([xX])\]\s+(.+)$/.exec(line);
    if (m) ticked.add(normalise(m[2]!));
  }
  return ticked;
}

/** Counts approvals on the head commit: latest state-changing review per reviewer, author excluded. */
export function countApprovals(
  reviews: readonly { login: string; state: string; commitId: string | null }[],
  pr: { headSha: string; author: string },
  allowed: ((login: string) => boolean) | null,
): { approvers: string[]; stale: string[]; notAllowed: string[] } {
  const latest = new Map<string, ReviewState>();
  for (const r of reviews) {
    // A comment-only review changes nothing; approvals, change requests and dismissals do.
    if (r.state !== 'APPROVED' && r.state !== 'CHANGES_REQUESTED' && r.state !== 'DISMISSED') continue;
    latest.set(r.login.toLowerCase(), r);
  }
  const approvers: string[] = [];
  const stale: string[] = [];
  const notAllowed: string[] = [];
  for (const r of latest.values()) {
    if (r.state !== 'APPROVED' || r.login.toLowerCase() === pr.author.toLowerCase()) continue;
    if (r.commitId !== pr.headSha) stale.push(r.login);
    else if (allowed && !allowed(r.login)) notAllowed.push(r.login);
    else approvers.push(r.login);
  }
  return { approvers: approvers.sort(), stale: stale.sort(), notAllowed: notAllowed.sort() };
}

/**
 * The `github` provider: a search query scoped to this repository (value: the number of
 * results), approvals on the pull request's head commit, or a checklist in its description.
 */
export function githubProviderFactory(opts: GitHubProviderOptions): ProviderFactory<GitHubConfig> {
  const { octokit, owner, repo } = opts;
  const pr = opts.pullRequest ?? null;

  return (_config, ctx) => {
    let reviews: Promise<ReviewState[]> | null = null;
    let body: Promise<string> | null = null;
    const teams = new Map<string, Promise<string[] | { unreadable: string }>>();
    const redact = (text: string) => ctx.redactor.redact(text);

    const loadReviews = (signal: AbortSignal) =>
      (reviews ??= octokit
        .paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: pr!.number, per_page: 100, request: { signal } })
        .then(
          (list) => list.map((r) => ({ login: r.user?.login ?? '', state: r.state, commitId: r.commit_id ?? null })).filter((r) => r.login),
          (e: unknown) => {
            reviews = null;
            throw new ProviderError(redact(`reading the reviews of #${pr!.number}: ${describeGitHubError(e)}`), true);
          },
        ));

    const loadBody = (signal: AbortSignal) =>
      (body ??=
        pr!.body !== undefined
          ? Promise.resolve(pr!.body ?? '')
          : octokit.rest.pulls.get({ owner, repo, pull_number: pr!.number, request: { signal } }).then(
              ({ data }) => data.body ?? '',
              (e: unknown) => {
                body = null;
                throw new ProviderError(redact(`reading #${pr!.number}: ${describeGitHubError(e)}`), true);
              },
            ));

    const teamMembers = (entry: string, signal: AbortSignal) => {
      const key = entry.toLowerCase();
      let p = teams.get(key);
      if (!p) {
        const [org, slug] = entry.slice(1).split('/') as [string, string | undefined];
        p = !org || !slug
          ? Promise.resolve({ unreadable: `"${entry}" is not an @org/team name` })
          : octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100, request: { signal } }).then(
              (members) => members.map((m) => m.login.toLowerCase()),
              (e: unknown) => {
                const status = githubFailure(e)?.status;
                if (status === 401 || status === 403 || status === 404) {
                  return { unreadable: `cannot read the members of ${entry} (${describeGitHubError(e)}); a token that can read the organisation's teams is needed` };
                }
                teams.delete(key);
                throw new ProviderError(redact(`reading the members of ${entry}: ${describeGitHubError(e)}`), true);
              },
            );
        teams.set(key, p);
      }
      return p;
    };

    async function approvals(gate: Gate, req: ProviderRequest): Promise<ProviderAnswer> {
      if (!pr) return { samples: [], noDataReason: NO_PR };
      const spec = gate.approvals!;
      const list = await loadReviews(req.signal);
      let allowed: ((login: string) => boolean) | null = null;
      const unreadable: string[] = [];
      if (spec.from) {
        const logins = new Set<string>();
        for (const entry of spec.from) {
          if (!entry.startsWith('@')) {
            logins.add(entry.toLowerCase());
            continue;
          }
          const members = await teamMembers(entry, req.signal);
          if (Array.isArray(members)) for (const m of members) logins.add(m);
          else unreadable.push(members.unreadable);
        }
        allowed = (login) => logins.has(login.toLowerCase());
      }
      const counted = countApprovals(list, pr, allowed);
      const detail = { approvers: counted.approvers, staleApprovals: counted.stale, notInFrom: counted.notAllowed, headSha: pr.headSha };
      const value = counted.approvers.length;
      if (unreadable.length) {
        // Known approvers may already be enough; otherwise the unread team could change the answer.
        if (value >= spec.min) return { samples: [[Math.floor(req.nowMs / 1000), value]], detail, warnings: unreadable.map(redact) };
        return { samples: [], noDataReason: redact(unreadable.join('; ')), detail };
      }
      return { samples: [[Math.floor(req.nowMs / 1000), value]], detail };
    }

    async function checklist(gate: Gate, req: ProviderRequest): Promise<ProviderAnswer> {
      if (!pr) return { samples: [], noDataReason: NO_PR };
      const ticked = tickedTasks(await loadBody(req.signal));
      const missing = gate.checklist!.filter((item) => !ticked.has(normalise(item)));
      return { samples: [[Math.floor(req.nowMs / 1000), missing.length]], detail: { missing, pullRequest: pr.number } };
    }

    async function search(req: ProviderRequest): Promise<ProviderAnswer> {
      const query = req.query.trim();
      if (!query) throw new ProviderError('a github gate needs a search `query`, `approvals` or `checklist`');
      if (SCOPE_QUALIFIER.test(query)) throw new ProviderError('the search is always scoped to this repository: remove repo:, org:, user: and owner: qualifiers');
      const q = `${query} repo:${owner}/${repo}`;
      try {
        const { data } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 1, request: { signal: req.signal } });
        return {
          samples: [[Math.floor(req.nowMs / 1000), data.total_count]],
          warnings: data.incomplete_results ? ['GitHub search timed out before finishing; the count may be too low'] : [],
          detail: { searchQuery: q },
        };
      } catch (e) {
        const f = githubFailure(e);
        if (f?.status === 422) throw new ProviderError(redact(`GitHub refused the search "${q}": ${f.message}`));
        throw new ProviderError(redact(`searching "${q}": ${describeGitHubError(e)}`), f === null || f.status === 403 || f.status === 429 || f.status >= 500);
      }
    }

    const provider: Provider = {
      async query(req) {
        if (req.gate.approvals) return approvals(req.gate, req);
        if (req.gate.checklist) return checklist(req.gate, req);
        return search(req);
      },
    };
    return provider;
  };
}
