export const id = 679;
export const ids = [679];
export const modules = {

/***/ 1679:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runCommentCommand: () => (/* binding */ runCommentCommand)
});

// UNUSED EXPORTS: commandOf, commentEvent, quoted

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/commands/authority.js
var authority = __webpack_require__(7071);
;// CONCATENATED MODULE: ./lib/commands/comment.js
const COMMENT_PREFIX = '/rollout';
/** The table `/rollout help` replies with, as in the docs. */
const COMMENT_HELP = [
    '| comment | does |',
    '| --- | --- |',
    '| `/rollout status` | evaluate, write nothing, reply with the gate table |',
    '| `/rollout promote [to STAGE] [--force --reason "…"]` | promote (force needs `rollout.forceAllowed`) |',
    '| `/rollout rollback [--reason "…"] [--kill-switch]` | roll back |',
    '| `/rollout pause <reason…>` / `/rollout resume [reason…]` | pause / resume |',
    '| `/rollout help` | reply with this table |',
].join('\n');
/** Words of an argument list; `"…"` (or “…”) keeps spaces. Null when a quote is left open. */
function splitWords(text) {
    const words = [];
    // Sticky: each word starts where the last ended, so an unclosed quote matches nothing.
    const re = /\s*(?:"([^"]*)"|“([^”]*)”|([^\s"“”]+))/y;
    const rest = text.trimEnd();
    while (re.lastIndex < rest.length) {
        const m = re.exec(rest);
        if (!m)
            return null;
        words.push(m[1] ?? m[2] ?? m[3]);
    }
    return words;
}
const request = (command, fields = {}) => ({
    command,
    target: null,
    force: false,
    reason: null,
    killSwitch: false,
    ...fields,
});
function options(words, allowed) {
    const out = { target: null, force: false, killSwitch: false, reason: null };
    for (let i = 0; i < words.length; i++) {
        const w = words[i];
        if (w === '--force' && allowed.force)
            out.force = true;
        else if (w === '--kill-switch' && allowed.killSwitch)
            out.killSwitch = true;
        else if (w === '--reason' || w.startsWith('--reason=')) {
            const value = w === '--reason' ? words[++i] : w.slice('--reason='.length);
            if (value === undefined)
                return '--reason needs a text, e.g. --reason "error budget waived by SRE"';
            if (out.reason !== null)
                return '--reason is given twice';
            out.reason = value;
        }
        else if (w === 'to' && allowed.to) {
            const stage = words[++i];
            if (stage === undefined || stage.startsWith('--'))
                return '`to` needs a stage, e.g. /rollout promote to canary_50';
            if (out.target !== null)
                return 'the target stage is given twice';
            out.target = stage;
        }
        else
            return `unexpected "${w}"`;
    }
    return out;
}
/** The command on the comment's first line, or null when the comment is not a command. */
function parseComment(body) {
    if (typeof body !== 'string')
        return null;
    const first = body.split(/\r\n|\n|\r/, 1)[0];
    // Exactly at the start: an indented line is a code block in Markdown, `>` a quote.
    if (!first.startsWith(COMMENT_PREFIX))
        return null;
    const after = first.slice(COMMENT_PREFIX.length);
    if (after !== '' && !/^[ \t]/.test(after))
        return null;
    const line = after.trim();
    const space = line.search(/\s/);
    const verb = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space).trim();
    const invalid = (message) => ({ kind: 'invalid', message: `${message}; see /rollout help` });
    switch (verb) {
        case '':
        case 'help':
            return rest ? invalid(`help takes no arguments`) : { kind: 'help' };
        case 'status':
            return rest ? invalid('status takes no arguments') : { kind: 'status', request: request('evaluate') };
        // Free text: everything after the word is the reason, as written.
        case 'pause':
            return { kind: 'run', request: request('pause', { reason: rest || null }) };
        case 'resume':
            return { kind: 'run', request: request('resume', { reason: rest || null }) };
        case 'promote':
        case 'rollback': {
            const words = splitWords(rest);
            if (words === null)
                return invalid('a quote is not closed');
            const o = options(words, verb === 'promote' ? { force: true, to: true } : { killSwitch: true });
            if (typeof o === 'string')
                return invalid(`${verb}: ${o}`);
            return { kind: 'run', request: request(verb, o) };
        }
        default:
            return invalid(`unknown command "${verb}"; expected status, promote, rollback, pause, resume or help`);
    }
}

// EXTERNAL MODULE: ./lib/commands/index.js + 14 modules
var commands = __webpack_require__(625);
// EXTERNAL MODULE: ./lib/commands/outcome.js
var outcome = __webpack_require__(9458);
// EXTERNAL MODULE: ./lib/config/load.js + 10 modules
var load = __webpack_require__(4132);
// EXTERNAL MODULE: ./lib/config/errors.js
var errors = __webpack_require__(8159);
// EXTERNAL MODULE: ./lib/github/octokit.js
var github_octokit = __webpack_require__(1282);
;// CONCATENATED MODULE: ./lib/github/chatops.js

/** The repository roles that may run a command: `write` or higher. */
const WRITERS = new Set(['admin', 'maintain', 'write']);
/**
 * The commenter's role on the repository (`admin`, `maintain`, `write`, `triage`, `read` or
 * `none`), from GET /repos/{owner}/{repo}/collaborators/{username}/permission: `role_name` names
 * maintain and triage, which `permission` folds into write and read.
 */
async function collaboratorRole(r, login) {
    try {
        const { data } = await r.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: r.owner, repo: r.repo, username: login });
        return data.role_name ?? data.permission;
    }
    catch (e) {
        // Not a collaborator at all.
        if ((0,github_octokit/* githubFailure */.eQ)(e)?.status === 404)
            return 'none';
        throw new github_octokit/* GitHubError */.y_(`reading the permission of ${login}`, e, r.redactor);
    }
}
function mayWrite(role) {
    return WRITERS.has(role);
}
async function react(r, commentId, content) {
    try {
        await r.octokit.rest.reactions.createForIssueComment({ owner: r.owner, repo: r.repo, comment_id: commentId, content });
    }
    catch (e) {
        throw new github_octokit/* GitHubError */.y_(`reacting ${content} to comment ${commentId}`, e, r.redactor);
    }
}
async function reply(r, issueNumber, body) {
    try {
        const { data } = await r.octokit.rest.issues.createComment({ owner: r.owner, repo: r.repo, issue_number: issueNumber, body });
        return data.html_url;
    }
    catch (e) {
        throw new github_octokit/* GitHubError */.y_(`replying on #${issueNumber}`, e, r.redactor);
    }
}
/** A pull request's head, for the check run, the gates and the deployments. */
async function pullRequestHead(r, number) {
    try {
        const { data } = await r.octokit.rest.pulls.get({ owner: r.owner, repo: r.repo, pull_number: number });
        const head = data.head;
        const base = data.base;
        const fork = !!head.repo?.full_name && !!base?.repo?.full_name && head.repo.full_name.toLowerCase() !== base.repo.full_name.toLowerCase();
        return { number, headSha: head.sha, author: data.user?.login ?? null, fork };
    }
    catch (e) {
        throw new github_octokit/* GitHubError */.y_(`reading pull request #${number}`, e, r.redactor);
    }
}
/**
 * A file as it is on `ref` (the default branch): the config and the template a comment command
 * runs with never come from the pull request, so a pull request cannot loosen its own gates.
 */
async function fileOnBranch(r, path, ref) {
    try {
        const { data } = await r.octokit.rest.repos.getContent({ owner: r.owner, repo: r.repo, path: path.replace(/^\.\//, ''), ref });
        if (Array.isArray(data) || data.type !== 'file')
            throw new Error(`${path} on ${ref} is not a file`);
        const file = data;
        if (file.encoding === 'base64' && file.content !== undefined)
            return Buffer.from(file.content, 'base64').toString('utf8');
        // Over the contents API's inline limit: the blob has it.
        const { data: blob } = await r.octokit.rest.git.getBlob({ owner: r.owner, repo: r.repo, file_sha: file.sha });
        return Buffer.from(blob.content, 'base64').toString('utf8');
    }
    catch (e) {
        if ((0,github_octokit/* githubFailure */.eQ)(e)?.status === 404)
            return null;
        throw new github_octokit/* GitHubError */.y_(`reading ${path} on ${ref}`, e, r.redactor);
    }
}

// EXTERNAL MODULE: ./lib/report/escape.js
var report_escape = __webpack_require__(2527);
// EXTERNAL MODULE: ./lib/report/markdown.js
var markdown = __webpack_require__(3021);
// EXTERNAL MODULE: ./lib/action/connect.js + 5 modules
var connect = __webpack_require__(8716);
// EXTERNAL MODULE: ./lib/action/report.js + 1 modules
var report = __webpack_require__(8145);
// EXTERNAL MODULE: ./lib/action/workflow-commands.js
var workflow_commands = __webpack_require__(4988);
;// CONCATENATED MODULE: ./lib/action/comment.js















/** The comment of an `issue_comment` payload; null when the payload is not one. */
function commentEvent(payload) {
    const p = payload;
    if (!p || typeof p !== 'object' || !p.comment || !p.issue)
        return null;
    const { comment, issue } = p;
    if (typeof comment.id !== 'number' || typeof issue.number !== 'number' || typeof comment.user?.login !== 'string')
        return null;
    return {
        action: typeof p.action === 'string' ? p.action : '',
        commentId: comment.id,
        body: typeof comment.body === 'string' ? comment.body : '',
        login: comment.user.login,
        issueNumber: issue.number,
        onPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
        defaultBranch: typeof p.repository?.default_branch === 'string' ? p.repository.default_branch : null,
    };
}
/**
 * Which command a comment runs, or null when it runs none: only a new comment on a pull request
 * whose first line is `/rollout …`. Edited and deleted comments, comments on issues and any other
 * text are not commands: no reaction, no reply.
 */
function commandOf(event) {
    if (!event || event.action !== 'created' || !event.onPullRequest)
        return null;
    const command = parseComment(event.body);
    return command ? { event, command } : null;
}
/** The commenter's words, quoted as data: one escaped line, never Markdown, HTML, a mention or a marker. */
function quoted(body) {
    const first = body.split(/\r\n|\n|\r/, 1)[0] ?? '';
    const cut = first.length > 300 ? `${first.slice(0, 299)}…` : first;
    return `> ${(0,report_escape/* inlineMarkdown */.x)(cut)}`;
}
function readPayload() {
    const path = process.env.GITHUB_EVENT_PATH;
    if (!path)
        return null;
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch {
        return null;
    }
}
/** The config and its template as they are on the default branch, never as the pull request has them. */
async function defaultBranchConfig(octokit, runner, settings, branch, redactor) {
    const side = { octokit, owner: runner.owner, repo: runner.repo, redactor };
    const text = await fileOnBranch(side, settings.config, branch);
    if (text === null)
        throw new errors/* ConfigError */.x(settings.config, [{ path: '', message: `file not found on the default branch (${branch})` }]);
    const loaded = (0,load/* parseConfig */.o4)(text, settings.config);
    const config = { ...loaded, deadlineMs: settings.timeoutMs ?? loaded.deadlineMs };
    if (config.evidenceTemplate) {
        const template = await fileOnBranch(side, config.evidenceTemplate, branch);
        if (template === null)
            throw new errors/* ConfigError */.x(settings.config, [{ path: 'evidence.template', message: `${config.evidenceTemplate} not found on the default branch (${branch})` }]);
        const dir = (0,external_node_path_.join)(runner.tempDir, 'rollout-gate', 'default-branch');
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        const file = (0,external_node_path_.join)(dir, 'go-no-go-template.md');
        (0,external_node_fs_.writeFileSync)(file, template);
        config.evidenceTemplate = file;
    }
    return config;
}
/** Null when the commenter may run the command; else why not, in words for the reply. */
async function refusal(login, request, config, github, redactor) {
    if (config.chatopsAllowed) {
        const found = await (0,authority/* listed */.KE)(login, config.chatopsAllowed, github.isTeamMember);
        if (!found.ok)
            return `${login} is not in chatops.allowed${found.unresolved.length ? ` (could not read the members of ${found.unresolved.join(', ')})` : ''}`;
    }
    else {
        const role = await collaboratorRole({ ...github, redactor }, login);
        if (!mayWrite(role))
            return `${login} has ${role === 'none' ? 'no' : `${role}`} permission on the repository; commands need write or higher (or an entry in chatops.allowed)`;
    }
    if (request.force) {
        // From a comment, forcing needs an explicit list: nobody may force when rollout.forceAllowed is not set.
        if (config.rollout.forceAllowed === null)
            return 'force from a comment needs rollout.forceAllowed in the config, and it is not set';
        const no = await (0,authority/* overrideRefusal */.vi)({ config, actor: login, isTeamMember: github.isTeamMember });
        if (no)
            return no;
    }
    return null;
}
/**
 * `command: comment` (the default on `issue_comment`): runs the `/rollout …` command on the first
 * line of a new pull request comment through the same command layer as the CLI and the Action,
 * as the commenter, with the config from the default branch.
 */
async function runCommentCommand(run) {
    const { settings, runner, redactor, logger } = run;
    const found = commandOf(commentEvent(readPayload()));
    if (!found) {
        logger.info('not a /rollout command on a new pull request comment: nothing to do');
        return;
    }
    const { event, command } = found;
    if (!settings.token || !runner.owner || !runner.repo)
        throw new commands/* UsageError */.eb('command comment needs github-token and GITHUB_REPOSITORY');
    const octokit = (0,github_octokit/* createOctokit */.Qi)({ token: settings.token, baseUrl: runner.apiUrl, redactor, logger });
    const side = { octokit, owner: runner.owner, repo: runner.repo, redactor };
    const said = quoted(event.body);
    const reactTo = async (content) => {
        try {
            await react(side, event.commentId, content);
        }
        catch (e) {
            workflow_commands/* warning */.$e(`could not react ${content}: ${(0,github_octokit/* describeGitHubError */.dZ)(e, redactor)}`);
        }
    };
    const answer = (text) => reply(side, event.issueNumber, redactor.redact(`${said}\n\n${text}`));
    await reactTo('eyes');
    if (command.kind === 'help') {
        await answer(`rollout-gate commands, on the first line of a pull request comment:\n\n${COMMENT_HELP}`);
        await reactTo('rocket');
        return;
    }
    let config = null;
    try {
        if (command.kind === 'invalid')
            throw new commands/* UsageError */.eb(command.message);
        const request = command.request;
        (0,commands/* checkRequest */.yG)(request);
        const pr = await pullRequestHead(side, event.issueNumber);
        runner.pullRequest = pr;
        runner.context.pullRequest = pr.number;
        runner.context.commitSha = pr.headSha;
        config = await defaultBranchConfig(octokit, runner, settings, event.defaultBranch ?? 'main', redactor);
        for (const s of config.secrets)
            redactor.add(s);
        const { github, store, factories } = await (0,connect/* connect */.N)(settings, runner, config, redactor, logger);
        const may = await refusal(event.login, request, config, { ...side, isTeamMember: github.isTeamMember }, redactor);
        if (may) {
            workflow_commands/* warning */.$e(`refused: ${may}`);
            await answer(`Refused: ${(0,report_escape/* inlineMarkdown */.x)(may)}. Nothing was changed.`);
            await reactTo('-1');
            return;
        }
        const status = command.kind === 'status';
        const result = await (0,commands/* runCommand */.d1)({
            ...request,
            config,
            nowMs: Date.now(),
            store,
            factories,
            cwd: runner.workspace,
            logger,
            redactor,
            context: runner.context,
            // The commenter is the one who decides: the actor in the history and the decision log.
            actor: event.login,
            dryRun: settings.dryRun,
            // status: evaluate and reply, nothing written to the ledger.
            writeEvidence: !status && settings.evidence === 'commit',
            runKey: runner.runKey,
            isTeamMember: github.isTeamMember,
            evidenceUrl: (write) => (write.commit ? github.commitUrl(write.commit) : null),
        });
        await store.close?.();
        const reported = await (0,report/* reportRun */.G)({ settings, config, runner, github, store, result, redactor });
        const snap = result.snapshot;
        const links = [reported.evidenceUrl ? `[evidence](${reported.evidenceUrl})` : '', reported.commentUrl ? `[report](${reported.commentUrl})` : '', runner.context.runUrl ? `[run](${runner.context.runUrl})` : ''].filter(Boolean).join(' · ');
        const body = status
            ? (0,markdown/* renderMarkdown */.Gc)(snap, { evidenceUrl: null, maxLength: 60_000, charts: config.charts })
            : `${outcomeLine(snap, event.login)}${links ? `\n\n${links}` : ''}`;
        await answer(body);
        await reactTo(reported.failed || result.applyError || (0,outcome/* verdictFails */.f0)(snap.command, snap.decision) ? '-1' : 'rocket');
    }
    catch (e) {
        const message = redactor.redact(e instanceof Error ? e.message : String(e));
        try {
            await answer(`Could not run this command: ${(0,report_escape/* codeBlock */.DV)(message)}`);
        }
        catch (r) {
            workflow_commands/* warning */.$e(`could not reply: ${(0,github_octokit/* describeGitHubError */.dZ)(r, redactor)}`);
        }
        await reactTo('-1');
        throw e;
    }
}
function outcomeLine(s, login) {
    const who = (0,report_escape/* inlineMarkdown */.x)(login);
    const move = `${(0,report_escape/* inlineMarkdown */.x)(s.transition.from ?? '(not started)')} → ${(0,report_escape/* inlineMarkdown */.x)(s.transition.to ?? '(none)')}`;
    const reason = s.reasons[0] ? `: ${(0,report_escape/* inlineMarkdown */.x)(s.reasons[0])}` : '';
    const written = s.stateChanged ? '' : ' The state did not change.';
    switch (s.command) {
        case 'promote':
            return `**${s.decision}**${s.forced ? ' (forced)' : ''} ${move}, as ${who}${reason}.${written}`;
        case 'rollback':
            return `Rolled back ${move}, as ${who}.${written}`;
        case 'pause':
            return `Paused at ${(0,report_escape/* inlineMarkdown */.x)(s.transition.from ?? '(not started)')}, as ${who}${reason}.${written}`;
        case 'resume':
            return `Resumed at ${(0,report_escape/* inlineMarkdown */.x)(s.transition.from ?? '(not started)')}, as ${who}${reason}.${written}`;
        default:
            return `**${s.decision}** ${move}${reason}.`;
    }
}


/***/ }),

/***/ 1282:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qi: () => (/* binding */ createOctokit),
/* harmony export */   dZ: () => (/* binding */ describeGitHubError),
/* harmony export */   eQ: () => (/* binding */ githubFailure),
/* harmony export */   sH: () => (/* binding */ writeRefusal),
/* harmony export */   y_: () => (/* binding */ GitHubError)
/* harmony export */ });
/* unused harmony exports USER_AGENT, rateLimitWaitMs, graphqlRateLimitWaitMs */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9735);


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
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(opts.token, {
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
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L);
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


/***/ })

};
