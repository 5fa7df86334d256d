export const id = 538;
export const ids = [538];
export const modules = {

/***/ 6538:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  connectGitHub: () => (/* binding */ connectGitHub)
});

// UNUSED EXPORTS: checkRunName, checkRunTitle, findWorkflowRunPull

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
;// CONCATENATED MODULE: ./lib/github/octokit.js


const USER_AGENT = 'rollout-gate';
// Conflicts (409) and validation failures are answers, not outages: the callers handle them.
// 429 (and rate-limited 403s) are retried below, after the wait GitHub asks for.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const formatSeconds = (ms) => `${Math.round(ms / 100) / 10}s`;
const DEFAULT_RATE_LIMIT_RETRIES = 2;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;
/**
 * How long GitHub asks us to wait before trying again, or null when the answer is not a rate
 * limit. Secondary rate limits come as 403 or 429 with `retry-after` or a message saying so;
 * an exhausted primary limit as `x-ratelimit-remaining: 0` with `x-ratelimit-reset`.
 */
function rateLimitWaitMs(e, nowMs = Date.now()) {
    const err = e;
    if (err?.status !== 403 && err?.status !== 429)
        return null;
    const headers = err.response?.headers ?? {};
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined && /^\d+$/.test(String(retryAfter).trim()))
        return Number(retryAfter) * 1000;
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset'] && /^\d+$/.test(headers['x-ratelimit-reset'])) {
        return Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - nowMs) + 1000;
    }
    const data = err.response?.data;
    const text = `${typeof data?.message === 'string' ? data.message : ''} ${typeof err.message === 'string' ? err.message : ''}`;
    // GitHub's guidance without a header: wait at least a minute.
    if (/secondary rate limit|abuse detection/i.test(text))
        return 60_000;
    return err.status === 429 ? 60_000 : null;
}
/** The errors of a GraphQL answer (HTTP 200 with `errors`), or null. */
function graphqlErrors(data) {
    const errors = data?.errors;
    return Array.isArray(errors) && errors.length > 0 ? errors : null;
}
/**
 * The wait a GraphQL answer asks for when GitHub refused the query with RATE_LIMITED (or RATE_LIMIT), which it
 * answers as HTTP 200 with `errors` (the REST limits come as 403/429 and are handled above).
 */
function graphqlRateLimitWaitMs(response, nowMs = Date.now()) {
    if (!graphqlErrors(response.data)?.some((e) => e.type === 'RATE_LIMITED' || e.type === 'RATE_LIMIT'))
        return null;
    const headers = (response.headers ?? {});
    return rateLimitWaitMs({ status: 429, message: '', response: { headers, data: {} } }, nowMs);
}
function octokitLog(logger, redactor) {
    const clean = (m) => (redactor ? redactor.redact(m) : m);
    return {
        debug: (m) => logger.debug(clean(m)),
        info: (m) => logger.debug(clean(m)),
        warn: (m) => logger.warning(clean(m)),
        error: (m) => logger.warning(clean(m)),
    };
}
function createOctokit(opts) {
    opts.redactor?.add(opts.token);
    const octokit = (0,github/* getOctokit */.Q)(opts.token, {
        baseUrl: opts.baseUrl.replace(/\/+$/, ''),
        userAgent: USER_AGENT,
        ...(opts.logger ? { log: octokitLog(opts.logger, opts.redactor) } : {}),
        // Only override `request` when a transport is injected: the default carries the proxy agent.
        ...(opts.fetch ? { request: { fetch: opts.fetch } } : {}),
        retry: {
            retries: opts.retries ?? 3,
            retryAfterBaseValue: opts.retryAfterBaseMs ?? 1000,
            doNotRetry: DO_NOT_RETRY,
        },
    }, dist_bundle/* retry */.L);
    const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const rateLimitRetries = opts.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
    const maxWait = opts.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    // A caller's signal (a gate's timeout, the run's deadline) also ends the wait.
    const sleep = opts.sleep ??
        ((ms, signal) => new Promise((resolve, reject) => {
            if (signal?.aborted)
                return reject(signal.reason);
            const timer = setTimeout(() => {
                signal?.removeEventListener('abort', stop);
                resolve();
            }, ms);
            const stop = () => {
                clearTimeout(timer);
                reject(signal.reason);
            };
            signal?.addEventListener('abort', stop, { once: true });
        }));
    octokit.hook.wrap('request', async (request, options) => {
        // Hooks share one options object (inner hooks ignore arguments): set the signal on it.
        const own = options.request?.signal;
        for (let attempt = 0;; attempt++) {
            const signal = own ?? AbortSignal.timeout(timeoutMs);
            options.request = { ...options.request, signal };
            try {
                const response = await request(options);
                const limited = graphqlRateLimitWaitMs(response);
                if (limited === null || attempt >= rateLimitRetries || limited > maxWait)
                    return response;
                opts.logger?.warning(`GitHub rate limit on ${options.method} ${String(options.url)}: waiting ${Math.ceil(limited / 1000)}s before trying again (${attempt + 1} of ${rateLimitRetries})`);
                await sleep(limited, own);
                continue;
            }
            catch (e) {
                if (signal.aborted && !own) {
                    throw new Error(`GitHub did not answer ${options.method} ${String(options.url)} within ${formatSeconds(timeoutMs)}`);
                }
                const wait = rateLimitWaitMs(e);
                if (wait === null || attempt >= rateLimitRetries || wait > maxWait)
                    throw e;
                opts.logger?.warning(`GitHub rate limit on ${options.method} ${String(options.url)}: waiting ${Math.ceil(wait / 1000)}s before trying again (${attempt + 1} of ${rateLimitRetries})`);
                await sleep(wait, own);
            }
        }
    });
    return octokit;
}
// RATE_LIMIT: the spelling GitHub has also been seen to answer with.
const GRAPHQL_STATUS = { NOT_FOUND: 404, FORBIDDEN: 403, RATE_LIMITED: 429, RATE_LIMIT: 429, UNPROCESSABLE: 422, INTERNAL: 500 };
/** An Octokit GraphqlResponseError: the query was answered, with errors instead of (some) data. */
function graphqlFailure(e) {
    const err = e;
    if (err?.name !== 'GraphqlResponseError')
        return null;
    const errors = graphqlErrors(err) ?? [];
    const first = errors[0] ?? {};
    // Schema errors come without a type.
    const type = typeof first.type === 'string' ? first.type : 'ERROR';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    return {
        status: GRAPHQL_STATUS[type] ?? 400,
        message: `${typeof first.message === 'string' ? first.message : ''}${more}`,
        method: 'POST',
        url: typeof err.request?.url === 'string' ? err.request.url : '/graphql',
        graphqlType: type,
    };
}
/** Reads an Octokit RequestError (or anything wrapping one in `cause`). */
function githubFailure(e) {
    for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; cur = cur.cause, depth++) {
        const gql = graphqlFailure(cur);
        if (gql)
            return gql;
        const err = cur;
        if (typeof err.status !== 'number')
            continue;
        const data = err.response?.data;
        const apiMessage = data && typeof data === 'object' && typeof data.message === 'string'
            ? data.message
            : typeof err.message === 'string'
                ? err.message.split(' - ')[0]
                : '';
        return {
            status: err.status,
            message: apiMessage,
            method: typeof err.request?.method === 'string' ? err.request.method : null,
            url: typeof err.request?.url === 'string' ? err.request.url : null,
        };
    }
    return null;
}
/** One line for logs and reports: `GitHub answered 422 Update is not a fast forward (PATCH /repos/…)`. */
function describeGitHubError(e, redactor) {
    const f = githubFailure(e);
    let text;
    if (f) {
        let where = '';
        if (f.url) {
            try {
                const u = new URL(f.url, 'http://relative.invalid');
                where = ` (${f.method ?? ''} ${u.pathname})`.replace('( ', '(');
            }
            catch {
                where = '';
            }
        }
        text = `GitHub answered ${f.graphqlType ?? f.status}${f.message ? ` ${f.message}` : ''}${where}`;
        // The one fix for a 401 is on the caller's side: say which token.
        if (f.status === 401)
            text += ': the token was rejected (expired, revoked or mistyped); check the github-token input';
    }
    else {
        text = `GitHub could not be reached: ${e?.message ?? String(e)}`;
    }
    return redactor ? redactor.redact(text) : text;
}
/**
 * A write the token may not make: a read-only GITHUB_TOKEN (fork pull requests, restricted
 * `permissions:`) or a fine-grained token without the scope. Callers report it as a warning;
 * the verdict stands.
 */
function writeRefusal(e) {
    const f = githubFailure(e);
    if (!f || f.status !== 403)
        return null;
    if (!/resource not accessible by (integration|personal access token)/i.test(f.message))
        return null;
    return { status: f.status, message: f.message };
}
/** A failed GitHub call, described for people; the RequestError stays in `cause` for classifiers. */
class GitHubError extends Error {
    constructor(doing, cause, redactor) {
        super(`${doing}: ${describeGitHubError(cause, redactor)}`);
        this.name = 'GitHubError';
        Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
    }
}

;// CONCATENATED MODULE: ./lib/github/check-run.js

/** GitHub refuses check-run summaries longer than this many characters. */
const CHECK_SUMMARY_LIMIT = 65_535;
const NOTE = '\n\n---\n> **Truncated:** the full report is in the job summary and the evidence on the ledger branch.\n';
function fitSummary(summary, limit = CHECK_SUMMARY_LIMIT) {
    if (summary.length <= limit)
        return summary;
    let cut = limit - NOTE.length;
    if (/[\uD800-\uDBFF]/.test(summary.charAt(cut - 1)))
        cut -= 1;
    const lastLine = summary.lastIndexOf('\n', cut);
    if (lastLine > cut - 2000 && lastLine > 0)
        cut = lastLine;
    return `${summary.slice(0, cut)}${NOTE}`;
}
/** Publishes a completed check run on a commit: the status a branch protection rule can require. */
async function publishCheckRun(opts) {
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
            output: { title: opts.title.split('\n')[0].slice(0, 1000), summary: fitSummary(opts.summary) },
        });
        return { id: data.id, url: data.html_url ?? data.url };
    }
    catch (e) {
        throw new GitHubError(`publishing the check run "${opts.name}" on ${opts.headSha.slice(0, 7)}`, e, opts.redactor);
    }
}

;// CONCATENATED MODULE: ./lib/logger.js
const silentLogger = { debug() { }, info() { }, warning() { } };
function stderrLogger(verbose) {
    return {
        debug: (m) => { if (verbose)
            process.stderr.write(`debug: ${m}\n`); },
        info: (m) => process.stderr.write(`${m}\n`),
        warning: (m) => process.stderr.write(`warning: ${m}\n`),
    };
}

;// CONCATENATED MODULE: ./lib/github/comment.js


/** GitHub refuses issue comments longer than this many characters. */
const COMMENT_LIMIT = 65_536;
/** The identity of GITHUB_TOKEN (and the name it posts under) when GET /user is not allowed. */
const ACTIONS_BOT = 'github-actions[bot]';
/** The hidden first line that makes a comment this rollout's sticky comment. */
function stickyMarker(rollout) {
    return `<!-- rollout-gate:${rollout} -->`;
}
const TRUNCATION_NOTE = '\n\n---\n> **Truncated:** this report is longer than GitHub allows in a comment (65,536 characters). The job summary and the evidence on the ledger branch have it in full.\n';
/**
 * The body as it will be posted: starting with the marker (the only place a marker is trusted)
 * and cut to GitHub's limit with a visible note.
 */
function stickyBody(body, marker, limit = COMMENT_LIMIT) {
    const full = body.startsWith(marker) ? body : `${marker}\n${body}`;
    if (full.length <= limit)
        return full;
    let cut = limit - TRUNCATION_NOTE.length;
    // Never split a UTF-16 surrogate pair; prefer ending on a whole line.
    if (/[\uD800-\uDBFF]/.test(full.charAt(cut - 1)))
        cut -= 1;
    const lastLine = full.lastIndexOf('\n', cut);
    if (lastLine > cut - 2000 && lastLine > marker.length)
        cut = lastLine;
    return `${full.slice(0, cut)}${TRUNCATION_NOTE}`;
}
/**
 * What the token's format alone says about its identity. Installation tokens (`ghs_`, which
 * GITHUB_TOKEN is) cannot call GET /user, and the answer would be github-actions[bot] anyway;
 * knowing it saves a request on every rerun. An app's own installation token posts as
 * `<app-slug>[bot]`: pass that as `identity` instead.
 */
function identityOfToken(token) {
    return token.startsWith('ghs_') ? ACTIONS_BOT : undefined;
}
/**
 * The login the token posts as: GET /user for a user token; GitHub refuses that call to
 * installation tokens (GITHUB_TOKEN), whose comments are authored by github-actions[bot].
 */
async function tokenIdentity(octokit, redactor) {
    try {
        const { data } = await octokit.rest.users.getAuthenticated();
        return data.login;
    }
    catch (e) {
        if (githubFailure(e)?.status === 403)
            return ACTIONS_BOT;
        throw new GitHubError('finding who the token is', e, redactor);
    }
}
/**
 * Creates this rollout's comment on a pull request, or updates it in place on a rerun. Only a
 * comment that starts with the marker AND is authored by the token's own identity counts, so
 * nobody can hijack the comment by quoting the marker.
 */
async function upsertStickyComment(opts) {
    const { octokit, owner, repo, issueNumber, marker } = opts;
    const logger = opts.logger ?? silentLogger;
    const body = stickyBody(opts.body, marker);
    if (body.length < opts.body.length)
        logger.warning(`the pull request comment was truncated to GitHub's ${COMMENT_LIMIT}-character limit`);
    let comments;
    try {
        comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
    }
    catch (e) {
        throw new GitHubError(`listing the comments of #${issueNumber}`, e, opts.redactor);
    }
    const marked = comments.filter((c) => (c.body ?? '').startsWith(marker));
    let mine;
    if (marked.length) {
        // Only asked when there is something to tell apart: a first run needs no identity.
        const identity = (opts.identity ?? (await tokenIdentity(octokit, opts.redactor))).toLowerCase();
        mine = marked.find((c) => c.user?.login.toLowerCase() === identity);
        const foreign = marked.length - marked.filter((c) => c.user?.login.toLowerCase() === identity).length;
        if (foreign)
            logger.debug(`ignored ${foreign} comment(s) carrying the marker but written by someone other than ${identity}`);
    }
    if (mine) {
        if (mine.body === body)
            return { url: mine.html_url, id: mine.id, action: 'unchanged' };
        try {
            const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            return { url: data.html_url, id: data.id, action: 'updated' };
        }
        catch (e) {
            throw new GitHubError(`updating comment ${mine.id} on #${issueNumber}`, e, opts.redactor);
        }
    }
    try {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
        return { url: data.html_url, id: data.id, action: 'created' };
    }
    catch (e) {
        throw new GitHubError(`commenting on #${issueNumber}`, e, opts.redactor);
    }
}

// EXTERNAL MODULE: ./lib/providers/types.js
var types = __webpack_require__(5163);
;// CONCATENATED MODULE: ./lib/providers/github.js


const NO_PR = 'this run is not about a pull request (approvals and checklists are read from one)';
/** Qualifiers that would widen a search beyond this repository. */
const SCOPE_QUALIFIER = /(^|\s)-?(repo|org|user|owner):/i;
const normalise = (text) => text.replace(/\s+/g, ' ').trim().toLowerCase();
/**
 * The ticked task-list items of a Markdown text (`- [x] item`), normalised: lower case, runs of
 * whitespace as one space. Items inside fenced code blocks and HTML comments do not count: a PR
 * template quoting a ticked example must not tick the real item.
 */
function tickedTasks(markdown) {
    const ticked = new Set();
    const text = markdown.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?(-->|$)/g, '');
    let fence = null;
    for (const line of text.split('\n')) {
        const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
        if (f) {
            const run = f[1];
            if (!fence)
                fence = { char: run[0], length: run.length };
            else if (run[0] === fence.char && run.length >= fence.length && line.trim() === run)
                fence = null;
            continue;
        }
        if (fence)
            continue;
        const m = /^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s+\[([xX])\]\s+(.+)$/.exec(line);
        if (m)
            ticked.add(normalise(m[2]));
    }
    return ticked;
}
/** Counts approvals on the head commit: latest state-changing review per reviewer, author excluded. */
function countApprovals(reviews, pr, allowed) {
    const latest = new Map();
    for (const r of reviews) {
        // A comment-only review changes nothing; approvals, change requests and dismissals do.
        if (r.state !== 'APPROVED' && r.state !== 'CHANGES_REQUESTED' && r.state !== 'DISMISSED')
            continue;
        latest.set(r.login.toLowerCase(), r);
    }
    const approvers = [];
    const stale = [];
    const notAllowed = [];
    for (const r of latest.values()) {
        if (r.state !== 'APPROVED' || r.login.toLowerCase() === pr.author.toLowerCase())
            continue;
        if (r.commitId !== pr.headSha)
            stale.push(r.login);
        else if (allowed && !allowed(r.login))
            notAllowed.push(r.login);
        else
            approvers.push(r.login);
    }
    return { approvers: approvers.sort(), stale: stale.sort(), notAllowed: notAllowed.sort() };
}
/**
 * The `github` provider: a search query scoped to this repository (value: the number of
 * results), approvals on the pull request's head commit, or a checklist in its description.
 */
function githubProviderFactory(opts) {
    const { octokit, owner, repo } = opts;
    const pr = opts.pullRequest ?? null;
    return (_config, ctx) => {
        let reviews = null;
        let body = null;
        const teams = new Map();
        const redact = (text) => ctx.redactor.redact(text);
        const loadReviews = (signal) => (reviews ??= octokit
            .paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: pr.number, per_page: 100, request: { signal } })
            .then((list) => list.map((r) => ({ login: r.user?.login ?? '', state: r.state, commitId: r.commit_id ?? null })).filter((r) => r.login), (e) => {
            reviews = null;
            throw new types/* ProviderError */.m(redact(`reading the reviews of #${pr.number}: ${describeGitHubError(e)}`), true);
        }));
        const loadBody = (signal) => (body ??=
            pr.body !== undefined
                ? Promise.resolve(pr.body ?? '')
                : octokit.rest.pulls.get({ owner, repo, pull_number: pr.number, request: { signal } }).then(({ data }) => data.body ?? '', (e) => {
                    body = null;
                    throw new types/* ProviderError */.m(redact(`reading #${pr.number}: ${describeGitHubError(e)}`), true);
                }));
        const teamMembers = (entry, signal) => {
            const key = entry.toLowerCase();
            let p = teams.get(key);
            if (!p) {
                const [org, slug] = entry.slice(1).split('/');
                p = !org || !slug
                    ? Promise.resolve({ unreadable: `"${entry}" is not an @org/team name` })
                    : octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100, request: { signal } }).then((members) => members.map((m) => m.login.toLowerCase()), (e) => {
                        const status = githubFailure(e)?.status;
                        if (status === 401 || status === 403 || status === 404) {
                            return { unreadable: `cannot read the members of ${entry} (${describeGitHubError(e)}); a token that can read the organisation's teams is needed` };
                        }
                        teams.delete(key);
                        throw new types/* ProviderError */.m(redact(`reading the members of ${entry}: ${describeGitHubError(e)}`), true);
                    });
                teams.set(key, p);
            }
            return p;
        };
        async function approvals(gate, req) {
            if (!pr)
                return { samples: [], noDataReason: NO_PR };
            const spec = gate.approvals;
            const list = await loadReviews(req.signal);
            let allowed = null;
            const unreadable = [];
            if (spec.from) {
                const logins = new Set();
                for (const entry of spec.from) {
                    if (!entry.startsWith('@')) {
                        logins.add(entry.toLowerCase());
                        continue;
                    }
                    const members = await teamMembers(entry, req.signal);
                    if (Array.isArray(members))
                        for (const m of members)
                            logins.add(m);
                    else
                        unreadable.push(members.unreadable);
                }
                allowed = (login) => logins.has(login.toLowerCase());
            }
            const counted = countApprovals(list, pr, allowed);
            const detail = { approvers: counted.approvers, staleApprovals: counted.stale, notInFrom: counted.notAllowed, headSha: pr.headSha };
            const value = counted.approvers.length;
            if (unreadable.length) {
                // Known approvers may already be enough; otherwise the unread team could change the answer.
                if (value >= spec.min)
                    return { samples: [[Math.floor(req.nowMs / 1000), value]], detail, warnings: unreadable.map(redact) };
                return { samples: [], noDataReason: redact(unreadable.join('; ')), detail };
            }
            return { samples: [[Math.floor(req.nowMs / 1000), value]], detail };
        }
        async function checklist(gate, req) {
            if (!pr)
                return { samples: [], noDataReason: NO_PR };
            const ticked = tickedTasks(await loadBody(req.signal));
            const missing = gate.checklist.filter((item) => !ticked.has(normalise(item)));
            return { samples: [[Math.floor(req.nowMs / 1000), missing.length]], detail: { missing, pullRequest: pr.number } };
        }
        async function search(req) {
            const query = req.query.trim();
            if (!query)
                throw new types/* ProviderError */.m('a github gate needs a search `query`, `approvals` or `checklist`');
            if (SCOPE_QUALIFIER.test(query))
                throw new types/* ProviderError */.m('the search is always scoped to this repository: remove repo:, org:, user: and owner: qualifiers');
            const q = `${query} repo:${owner}/${repo}`;
            try {
                const { data } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 1, request: { signal: req.signal } });
                return {
                    samples: [[Math.floor(req.nowMs / 1000), data.total_count]],
                    warnings: data.incomplete_results ? ['GitHub search timed out before finishing; the count may be too low'] : [],
                    detail: { searchQuery: q },
                };
            }
            catch (e) {
                const f = githubFailure(e);
                if (f?.status === 422)
                    throw new types/* ProviderError */.m(redact(`GitHub refused the search "${q}": ${f.message}`));
                throw new types/* ProviderError */.m(redact(`searching "${q}": ${describeGitHubError(e)}`), f === null || f.status === 403 || f.status === 429 || f.status >= 500);
            }
        }
        const provider = {
            async query(req) {
                if (req.gate.approvals)
                    return approvals(req.gate, req);
                if (req.gate.checklist)
                    return checklist(req.gate, req);
                return search(req);
            },
        };
        return provider;
    };
}

// EXTERNAL MODULE: ./lib/report/snapshot.js
var snapshot = __webpack_require__(1948);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/report/status-page.js
var status_page = __webpack_require__(3116);
// EXTERNAL MODULE: ./lib/state/document.js
var state_document = __webpack_require__(6392);
// EXTERNAL MODULE: ./lib/state/types.js
var state_types = __webpack_require__(2836);
;// CONCATENATED MODULE: ./lib/state/ledger.js







/** The status page at the ledger's root, and the directory of the per-rollout sections it is built from. */
const STATUS_PAGE = 'README.md';
const STATUS_DIR = 'status';
const LEDGER_FILES = `
  fragment LedgerFile on TreeEntry {
    type
    oid
    object {
      ... on Blob { oid text isTruncated isBinary byteSize }
    }
  }
  fragment LedgerCommit on GitObject {
    __typename
    ... on Commit {
      oid
      tree { oid }
      state: file(path: $state) { ...LedgerFile }
      log: file(path: $log) { ...LedgerFile }
      status: file(path: "${STATUS_DIR}") {
        type
        object { ... on Tree { entries { name ...LedgerFile } } }
      }
    }
  }`;
/** The branch head, its tree, the two files a run needs and the status sections: one request instead of four. */
const HEAD_QUERY = `query RolloutLedgerHead($owner: String!, $repo: String!, $ref: String!, $state: String!, $log: String!) {
  repository(owner: $owner, name: $repo) {
    ref(qualifiedName: $ref) {
      target { ...LedgerCommit }
    }
  }
}
${LEDGER_FILES}`;
/** The same, at a commit the run was handed instead of read (a write without a read first). */
const COMMIT_QUERY = `query RolloutLedgerCommit($owner: String!, $repo: String!, $oid: GitObjectID!, $state: String!, $log: String!) {
  repository(owner: $owner, name: $repo) {
    object(oid: $oid) { ...LedgerCommit }
  }
}
${LEDGER_FILES}`;
/** Files up to this size travel inline in the tree request; larger ones as their own blob. */
const INLINE_CONTENT_LIMIT = 256 * 1024;
/** The id git gives a file's content: lets the store compare states without fetching them again. */
function gitBlobSha(content) {
    const body = Buffer.from(content, 'utf8');
    return (0,external_node_crypto_.createHash)('sha1').update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body])).digest('hex');
}
function checkPath(path, what) {
    const p = path.replace(/\\/g, '/');
    if (!p || p.startsWith('/') || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
        throw new state_types/* StateError */.q(`${what} "${path}" must be a relative path inside the ledger (no "..", no leading "/")`);
    }
    return p;
}
/** A ref update another writer beat us to: re-read and re-apply, never force. */
function isRefConflict(e) {
    const f = githubFailure(e);
    if (!f)
        return false;
    // 409 "Git Repository is empty" is no race: retrying cannot help.
    if (f.status === 409)
        return !/repository is empty/i.test(f.message);
    return f.status === 422 && /fast forward|reference already exists|reference does not exist/i.test(f.message);
}
function commonDir(paths) {
    const dirs = paths.map((p) => external_node_path_.posix.dirname(p).split('/'));
    const first = dirs[0] ?? [];
    let n = first.length;
    for (const d of dirs) {
        let i = 0;
        while (i < n && d[i] === first[i])
            i++;
        n = i;
    }
    return first.slice(0, n).join('/') || '.';
}
/**
 * Rollout state, evidence and the decision log on a branch of the repository. Every write is one
 * commit through the git data API whose parent is the head the write builds on, published with a
 * non-forced ref update: the ref update is the compare-and-swap. When another run moved the
 * branch first, an evidence-only write is rebuilt on the new head; a state write is rebuilt only
 * if the state file is still the one the run read, and otherwise refused with StateConflictError.
 */
function githubLedgerStore(opts) {
    const { octokit, owner, repo, rollout } = opts;
    const branch = opts.branch ?? 'rollout-ledger';
    const path = checkPath(opts.path ?? `state/${rollout}.json`, 'the state path');
    const logger = opts.logger ?? silentLogger;
    // Every failed attempt means another writer landed; 10 lets 10 runs write at once, each landing.
    const maxAttempts = Math.max(1, opts.maxAttempts ?? 10);
    const backoffMs = opts.backoffMs ?? 200;
    const where = `${branch}:${path}`;
    const defaultLog = checkPath(opts.decisionLog ?? `decision-log/${rollout}.jsonl`, 'the decision log');
    /** commit SHA → blob SHA of the state file there (null: no state file). */
    const stateBlobs = new Map();
    /** commit SHA → its tree SHA. */
    const trees = new Map();
    const fail = (doing, e) => {
        const err = new state_types/* StateError */.q(`github ledger ${where}: ${doing}: ${describeGitHubError(e, opts.redactor)}`);
        // Keeps the status for writeRefusal(); the RequestError carries no credentials.
        Object.defineProperty(err, 'cause', { value: e, enumerable: false });
        return err;
    };
    /** commit SHA → path → the file there (null: none), as the last query returned it. */
    const files = new Map();
    /** commit SHA → the status sections there (file name → entry), read only when a write needs them. */
    const statusEntries = new Map();
    const remember = (commit, file, f) => {
        let known = files.get(commit);
        if (!known)
            files.set(commit, (known = new Map()));
        known.set(file, f);
        if (file === path)
            stateBlobs.set(commit, f?.blobSha ?? null);
    };
    /** The text of a file the query returned, or its blob through REST when GraphQL gave no exact text. */
    async function contentOf(file, entry) {
        if (entry.type !== 'blob' || !entry.object)
            throw new state_types/* StateError */.q(`github ledger ${branch}:${file} is not a file`);
        const blob = entry.object;
        const sha = blob.oid ?? entry.oid;
        // Blob.text is cut at about 500 KB (isTruncated) and null for binary content; the hash check
        // catches any other text that is not the file byte for byte.
        if (typeof blob.text === 'string' && !blob.isTruncated && gitBlobSha(blob.text) === sha)
            return { blobSha: sha, content: blob.text };
        try {
            const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha });
            return { blobSha: sha, content: Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8') };
        }
        catch (e) {
            throw fail(`reading ${file}`, e);
        }
    }
    /**
     * One GraphQL query: the branch head (or a given commit), its tree, and the state file and
     * decision log there. Null when the branch does not exist.
     */
    async function snapshot(at, logPath) {
        let node;
        try {
            if ('branch' in at) {
                const data = await octokit.graphql(HEAD_QUERY, {
                    owner,
                    repo,
                    ref: `refs/heads/${at.branch}`,
                    state: path,
                    log: logPath,
                });
                if (!data.repository)
                    throw new state_types/* StateError */.q(`github ledger ${where}: repository ${owner}/${repo} not found`);
                if (!data.repository.ref)
                    return null;
                node = data.repository.ref.target;
            }
            else {
                const data = await octokit.graphql(COMMIT_QUERY, { owner, repo, oid: at.commit, state: path, log: logPath });
                if (!data.repository)
                    throw new state_types/* StateError */.q(`github ledger ${where}: repository ${owner}/${repo} not found`);
                node = data.repository.object;
                if (!node)
                    throw new state_types/* StateError */.q(`github ledger ${where}: commit ${at.commit} not found`);
            }
        }
        catch (e) {
            if (e instanceof state_types/* StateError */.q)
                throw e;
            throw fail('reading the ledger', e);
        }
        if (!node || node.__typename !== 'Commit' || !node.oid || !node.tree) {
            throw new state_types/* StateError */.q(`github ledger ${where}: ${'branch' in at ? `refs/heads/${at.branch}` : at.commit} is a ${node?.__typename ?? 'missing object'}, not a commit`);
        }
        const h = { sha: node.oid, tree: node.tree.oid };
        trees.set(h.sha, h.tree);
        const sections = new Map();
        if (node.status?.type === 'tree')
            for (const e of node.status.object?.entries ?? [])
                if (e.type === 'blob' && e.name.endsWith('.md'))
                    sections.set(e.name, e);
        statusEntries.set(h.sha, sections);
        const [state, log] = await Promise.all([
            node.state ? contentOf(path, node.state) : null,
            logPath !== path && node.log ? contentOf(logPath, node.log) : null,
        ]);
        remember(h.sha, path, state);
        if (logPath !== path)
            remember(h.sha, logPath, log);
        return h;
    }
    const head = (logPath = defaultLog) => snapshot({ branch }, logPath);
    async function treeOf(sha, logPath = defaultLog) {
        const known = trees.get(sha);
        if (known)
            return known;
        return (await snapshot({ commit: sha }, logPath)).tree;
    }
    async function fileAt(commit, file) {
        const known = files.get(commit);
        if (known?.has(file))
            return known.get(file);
        await snapshot({ commit }, file === path ? defaultLog : file);
        return files.get(commit).get(file) ?? null;
    }
    async function stateBlobAt(commit) {
        if (commit === null)
            return null;
        if (stateBlobs.has(commit))
            return stateBlobs.get(commit);
        return (await fileAt(commit, path))?.blobSha ?? null;
    }
    /** The state in force at a commit, for the status page: null when there is none or it cannot be read. */
    async function stateAt(commit) {
        const f = await fileAt(commit, path);
        if (!f)
            return null;
        try {
            return (0,state_document/* parseStateDocument */.e)(JSON.parse(f.content), where, rollout);
        }
        catch {
            return null;
        }
    }
    /**
     * This rollout's section of the status page and the page rebuilt from every rollout's section,
     * as the commit on `parent` will hold them (the state written, else the state there).
     */
    async function statusFiles(parent, change, logText) {
        const state = change.state ?? (parent ? await stateAt(parent.sha) : null);
        const own = `${rollout}.md`;
        const sections = new Map();
        sections.set(rollout, change.statusPage({ state, decisionLog: logText }));
        if (parent) {
            if (!statusEntries.has(parent.sha))
                await snapshot({ commit: parent.sha }, defaultLog);
            for (const [name, entry] of statusEntries.get(parent.sha) ?? []) {
                if (name === own)
                    continue;
                sections.set(name.slice(0, -'.md'.length), (await contentOf(`${STATUS_DIR}/${name}`, entry)).content);
            }
        }
        return [
            { path: checkPath(`${STATUS_DIR}/${own}`, 'the status section'), content: sections.get(rollout) },
            { path: STATUS_PAGE, content: (0,status_page/* renderStatusPage */.EP)(sections) },
        ];
    }
    /** Builds the commit for `change` on top of `parent` (null: a root commit for a new branch). */
    async function buildCommit(parent, change, stateText, logPath, line) {
        const current = parent ? await fileAt(parent.sha, logPath) : null;
        const before = current?.content ?? '';
        const logText = `${before}${before && !before.endsWith('\n') ? '\n' : ''}${line}\n`;
        const files = [
            ...(stateText !== null ? [{ path, content: stateText }] : []),
            ...change.evidence.map((f) => ({ path: checkPath(f.path, 'the evidence file'), content: f.content })),
            { path: logPath, content: logText },
            ...(change.statusPage ? await statusFiles(parent, change, logText) : []),
        ];
        const entries = [];
        for (const f of files) {
            if (Buffer.byteLength(f.content) <= INLINE_CONTENT_LIMIT) {
                entries.push({ path: f.path, mode: '100644', type: 'blob', content: f.content });
                continue;
            }
            try {
                const { data } = await octokit.rest.git.createBlob({ owner, repo, content: Buffer.from(f.content).toString('base64'), encoding: 'base64' });
                entries.push({ path: f.path, mode: '100644', type: 'blob', sha: data.sha });
            }
            catch (e) {
                throw fail(`storing ${f.path}`, e);
            }
        }
        let treeSha;
        try {
            const { data } = await octokit.rest.git.createTree({ owner, repo, tree: entries, ...(parent ? { base_tree: parent.tree } : {}) });
            treeSha = data.sha;
        }
        catch (e) {
            throw fail('creating the tree', e);
        }
        try {
            const { data } = await octokit.rest.git.createCommit({ owner, repo, message: change.message, tree: treeSha, parents: parent ? [parent.sha] : [] });
            trees.set(data.sha, treeSha);
            return data.sha;
        }
        catch (e) {
            throw fail('creating the commit', e);
        }
    }
    return {
        description: `github ${where}`,
        async read() {
            const h = await head();
            if (!h)
                return { state: null, version: null };
            const f = await fileAt(h.sha, path);
            if (!f)
                return { state: null, version: h.sha };
            let doc;
            try {
                doc = JSON.parse(f.content);
            }
            catch (e) {
                throw new state_types/* StateError */.q(`${where} (commit ${h.sha.slice(0, 7)}): not valid JSON: ${e.message}`);
            }
            return { state: (0,state_document/* parseStateDocument */.e)(doc, where, rollout), version: h.sha };
        },
        async write(change) {
            const logPath = checkPath(change.decisionLog.path, 'the decision log');
            const line = change.decisionLog.line.replace(/\r?\n+$/, '');
            if (/[\r\n]/.test(line))
                throw new state_types/* StateError */.q('a decision-log entry must be a single line');
            const stateText = change.state ? (0,state_document/* serializeState */.s)(change.state) : null;
            const evidencePath = `${branch}:${change.evidence.length ? commonDir(change.evidence.map((f) => checkPath(f.path, 'the evidence file'))) : external_node_path_.posix.dirname(logPath)}`;
            // The first attempt builds on the commit the run read: that is the compare-and-swap.
            let parent = change.expectedVersion === null ? null : { sha: change.expectedVersion, tree: await treeOf(change.expectedVersion, logPath) };
            for (let attempt = 1;; attempt++) {
                if (stateText !== null && parent?.sha !== (change.expectedVersion ?? undefined)) {
                    const [then, now] = await Promise.all([stateBlobAt(change.expectedVersion), stateBlobAt(parent?.sha ?? null)]);
                    if (then !== now) {
                        throw new state_types/* StateConflictError */.K(`${where} changed since this run read it (read at ${change.expectedVersion?.slice(0, 7) ?? 'no ledger yet'}, now ${parent?.sha.slice(0, 7) ?? 'no ledger'}): decide again on the new state`);
                    }
                }
                const started = Date.now();
                const commit = await buildCommit(parent, change, stateText, logPath, line);
                try {
                    if (parent)
                        await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit, force: false });
                    else
                        await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit });
                }
                catch (e) {
                    if (!isRefConflict(e))
                        throw fail(parent ? 'moving the branch' : 'creating the branch', e);
                    if (attempt >= maxAttempts) {
                        throw new state_types/* StateError */.q(`github ledger ${where}: other runs kept moving ${branch}; gave up after ${attempt} attempts (${describeGitHubError(e, opts.redactor)})`);
                    }
                    // Full jitter over a span that grows with the attempt and with how long one attempt takes,
                    // so racing writers spread out instead of colliding again in lockstep.
                    const span = Math.min(20_000, Math.max(backoffMs, Date.now() - started) * 3 ** attempt);
                    const delay = span * Math.random();
                    logger.debug(`ledger ${branch} moved while writing (${describeGitHubError(e, opts.redactor)}); re-applying on the new head in ${Math.round(delay)} ms (attempt ${attempt + 1}/${maxAttempts})`);
                    await new Promise((r) => setTimeout(r, delay));
                    parent = await head(logPath);
                    continue;
                }
                if (stateText !== null)
                    stateBlobs.set(commit, gitBlobSha(stateText));
                else if (!parent)
                    stateBlobs.set(commit, null);
                else if (stateBlobs.has(parent.sha))
                    stateBlobs.set(commit, stateBlobs.get(parent.sha));
                logger.debug(`ledger ${branch}: committed ${commit.slice(0, 7)} (${change.evidence.length} evidence file(s), attempt ${attempt})`);
                return { evidencePath, commit, version: commit };
            }
        },
    };
}

;// CONCATENATED MODULE: ./lib/action/github.js






const BODY_LIMIT = 65_536;
function checkRunName(rollout) {
    return `rollout-gate / ${rollout}`;
}
function checkRunTitle(s) {
    const move = `${s.transition.from ?? '(not started)'} → ${s.transition.to ?? '(none)'}`;
    const forced = s.forced ? ` (forced by ${s.forced.actor ?? 'unknown'})` : '';
    return `${s.decision}${forced}: ${move}`;
}
/** Whether a write failed only because the token may not write (fork PRs, read-only tokens). */
function refusedWrite(e) {
    return writeRefusal(e) !== null || writeRefusal(e?.cause) !== null || /resource not accessible by/i.test(String(e?.message ?? ''));
}
/**
 * On workflow_run, GitHub leaves `pull_requests` empty when the PR comes from a fork: find it by
 * its head (`fork-owner:branch`) and check the head commit still matches.
 */
async function findWorkflowRunPull(octokit, runner) {
    const head = runner.workflowRunHead;
    if (!head || !runner.owner || !runner.repo)
        return null;
    const { data } = await octokit.rest.pulls.list({ owner: runner.owner, repo: runner.repo, state: 'open', head: `${head.owner}:${head.branch}`, per_page: 10 });
    const pr = data.find((p) => p.head.sha === head.sha);
    return pr ? { number: pr.number, headSha: pr.head.sha, author: pr.user?.login ?? null, fork: true } : null;
}
/** Builds the GitHub side from the settings, or null when there is no token or repository. */
async function connectGitHub(settings, runner, config, redactor, logger, fetchImpl) {
    if (!settings.token || !runner.owner || !runner.repo)
        return null;
    const owner = runner.owner;
    const repo = runner.repo;
    const octokit = createOctokit({ token: settings.token, baseUrl: runner.apiUrl, redactor, logger, fetch: fetchImpl });
    const server = runner.context.runUrl ? new URL(runner.context.runUrl).origin : 'https://github.com';
    let pr = runner.pullRequest;
    if (!pr && runner.workflowRunHead) {
        try {
            pr = await findWorkflowRunPull(octokit, runner);
            if (pr) {
                runner.pullRequest = pr;
                runner.context.pullRequest = pr.number;
            }
        }
        catch (e) {
            logger.warning(`could not find the pull request of the triggering run: ${describeGitHubError(e, redactor)}`);
        }
    }
    return {
        ledger: (state) => githubLedgerStore({
            octokit,
            owner,
            repo,
            branch: state.branch ?? 'rollout-ledger',
            path: state.path ?? `state/${config.rollout.name}.json`,
            rollout: config.rollout.name,
            logger,
            redactor,
        }),
        providerFactory: githubProviderFactory({
            octokit,
            owner,
            repo,
            // The body is read from the API: a rerun replays the old event payload, ticked boxes included or not.
            pullRequest: pr ? { number: pr.number, headSha: pr.headSha, author: pr.author ?? '' } : null,
        }),
        async isTeamMember(actor, team) {
            const [org, slug] = team.split('/');
            if (!org || !slug)
                return null;
            try {
                const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100 });
                return members.some((m) => m.login.toLowerCase() === actor.toLowerCase());
            }
            catch (e) {
                if (githubFailure(e)?.status === 404)
                    return false;
                logger.warning(`could not read the members of @${team}: ${describeGitHubError(e, redactor)}`);
                return null;
            }
        },
        isWriteRefusal: refusedWrite,
        commitUrl: (sha) => `${server}/${owner}/${repo}/commit/${sha}`,
        async report(snap, render) {
            const warnings = [];
            let commentUrl = null;
            const failed = (what, e) => warnings.push(`${refusedWrite(e) ? `the token may not ${what} (read-only token, e.g. a fork pull request)` : `could not ${what}`}: ${redactor.redact(describeGitHubError(e, redactor))}`);
            const headSha = pr?.headSha ?? runner.context.commitSha;
            // A watch guards a stage on a schedule: a check run on whatever commit is the branch's head
            // would mark that commit with the rollout's health every few minutes. The run's own status
            // and its job summary carry the verdict.
            if (headSha && snap.command !== 'watch') {
                try {
                    await publishCheckRun({
                        octokit,
                        owner,
                        repo,
                        name: checkRunName(config.rollout.name),
                        headSha,
                        conclusion: !(0,snapshot/* judgesGates */.Xu)(snap.command) ? 'neutral' : snap.decision === 'PROCEED' ? 'success' : 'failure',
                        title: checkRunTitle(snap),
                        summary: render.summary(BODY_LIMIT - 1),
                        detailsUrl: runner.context.runUrl,
                        redactor,
                    });
                }
                catch (e) {
                    failed('create the check run', e);
                }
            }
            if (render.comment && pr) {
                try {
                    const r = await upsertStickyComment({
                        octokit,
                        owner,
                        repo,
                        issueNumber: pr.number,
                        marker: stickyMarker(config.rollout.name),
                        body: render.body(BODY_LIMIT),
                        logger,
                        redactor,
                        identity: identityOfToken(settings.token),
                    });
                    commentUrl = r.url;
                }
                catch (e) {
                    failed('comment on the pull request', e);
                }
            }
            return { commentUrl, warnings };
        },
    };
}


/***/ })

};
