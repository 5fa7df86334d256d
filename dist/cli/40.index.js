export const id = 40;
export const ids = [40];
export const modules = {

/***/ 6040:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  notifyAll: () => (/* binding */ notifyAll),
  notifyWarning: () => (/* binding */ notifyWarning)
});

// UNUSED EXPORTS: NOTIFY_BOUND_MS, NOTIFY_MAX_ATTEMPTS, renderPayload

// EXTERNAL MODULE: ./lib/transport/http-request.js
var http_request = __webpack_require__(9721);
// EXTERNAL MODULE: ./lib/notify/event.js
var notify_event = __webpack_require__(542);
;// CONCATENATED MODULE: ./lib/notify/slack.js

/** Block Kit's limits (https://api.slack.com/reference/block-kit/blocks): a message past them is refused. */
const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextElements: 10, text: 3000 };
/** Gates, reasons and warnings listed at most; the rest are counted ("+3 more"). */
const SLACK_MAX_LISTED = 10;
const LINE_MAX = 280;
/** Slack's mrkdwn control characters: `&`, `<` and `>` (a `<!channel>` in a gate name must not ping anyone). */
function escapeMrkdwn(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** Escaped, on one line, and at most `max` characters, never cutting an entity in half. */
function mrkdwn(raw, max) {
    const flat = raw.replace(/\s+/g, ' ');
    const escaped = escapeMrkdwn(flat);
    if (escaped.length <= max)
        return escaped;
    let out = '';
    for (const point of flat) {
        const e = escapeMrkdwn(point);
        if (out.length + e.length > max - 1)
            break;
        out += e;
    }
    return `${out}…`;
}
/** Inline code: a backtick inside would end the span early. */
function code(raw, max) {
    const text = raw.trim() === '' ? '—' : raw.replace(/`/g, "'");
    return `\`${mrkdwn(text, max - 2)}\``;
}
/** `<url|label>`: the URL escaped as Slack requires, and no `|` to end it early; a URL too long to link is shown as text. */
function slack_link(url, label) {
    const linked = `<${escapeMrkdwn(url.replace(/\|/g, '%7C'))}|${label}>`;
    return linked.length <= SLACK_LIMITS.sectionText ? linked : `${label}: ${code(url, 500)}`;
}
const mrkdwnText = (text) => ({ type: 'mrkdwn', text });
/** A titled bullet list in one section, within the section's limit: at most SLACK_MAX_LISTED, then "+k more". */
function listSection(title, lines) {
    let shown = lines.slice(0, SLACK_MAX_LISTED);
    const render = () => {
        const more = lines.length - shown.length;
        return [`*${title}*`, ...shown.map((l) => `• ${l}`), ...(more > 0 ? [`_+${more} more_`] : [])].join('\n');
    };
    let text = render();
    while (text.length > SLACK_LIMITS.sectionText && shown.length > 0) {
        shown = shown.slice(0, -1);
        text = render();
    }
    return { type: 'section', text: mrkdwnText(text) };
}
function failureLines(event) {
    if (event.failures.length === 0)
        return event.failedGates.map((name) => `*${mrkdwn(name, 200)}*`);
    return event.failures.map((f) => 
    // Each part has its own budget: cutting the joined line could split an `&amp;`.
    `*${mrkdwn(f.name, 100)}* (${mrkdwn(f.severity, 20)}): ${code(f.value, 60)}, needs ${code(f.condition, 60)}${f.reason ? `: ${mrkdwn(f.reason, 120)}` : ''}`);
}
/**
 * The Block Kit message for one event: a header with the decision and the rollout, the
 * transition, the failed gates with their values, the reasons and warnings, and links to the
 * evidence and the run. Every text is escaped and cut to Block Kit's limits.
 */
function slackMessage(raw) {
    const event = (0,notify_event/* wellFormedEvent */.eH)(raw);
    const header = {
        type: 'header',
        text: { type: 'plain_text', text: (0,notify_event/* clip */.$Q)(`${event.decision}: ${event.rollout.replace(/\s+/g, ' ')}`, SLACK_LIMITS.headerText), emoji: true },
    };
    const facts = [
        ['Transition', (0,notify_event/* transitionText */.FA)(event)],
        ['State', (0,notify_event/* changeText */.k0)(event.change)],
        ['Command', event.command],
        ['At', event.at],
    ];
    const summary = {
        type: 'section',
        fields: facts.map(([title, value]) => mrkdwnText(`*${title}*\n${mrkdwn(value, 500)}`)),
    };
    const blocks = [header, summary];
    const failures = failureLines(event);
    if (failures.length > 0)
        blocks.push(listSection('Failed gates', failures));
    if (event.reasons.length > 0)
        blocks.push(listSection('Reasons', event.reasons.map((r) => mrkdwn(r, LINE_MAX))));
    if (event.warnings.length > 0)
        blocks.push(listSection('Warnings', event.warnings.map((w) => mrkdwn(w, LINE_MAX))));
    const links = [];
    if (event.evidence !== null)
        links.push(mrkdwnText((0,notify_event/* isLink */.PJ)(event.evidence) ? slack_link(event.evidence, 'Evidence') : `Evidence: ${code(event.evidence, 500)}`));
    if ((0,notify_event/* isLink */.PJ)(event.runUrl))
        links.push(mrkdwnText(slack_link(event.runUrl, 'Run')));
    if (links.length > 0) {
        const context = { type: 'context', elements: links };
        blocks.push(context);
    }
    return { text: mrkdwn((0,notify_event/* summaryLine */.dC)(event), SLACK_LIMITS.text), blocks };
}

// EXTERNAL MODULE: ./lib/notify/target.js
var notify_target = __webpack_require__(8608);
;// CONCATENATED MODULE: ./lib/notify/teams.js

/** Gates, reasons and warnings listed at most; the rest are counted. Teams refuses a message over 28 KB. */
const TEAMS_MAX_LISTED = 10;
const COLOR = { PROCEED: 'good', HOLD: 'warning', ROLLBACK: 'attention' };
/**
 * One line of text, cut to `max`. TextBlocks render a markdown subset; Teams shows backslash
 * escapes literally, so only a link (`[text](url)`) is broken up: a reason can't become a link.
 */
function plain(raw, max) {
    return (0,notify_event/* clip */.$Q)(raw.replace(/\s+/g, ' ').trim().replace(/\]\(/g, '] ('), max) || '—';
}
function list(title, lines) {
    if (lines.length === 0)
        return [];
    const shown = lines.slice(0, TEAMS_MAX_LISTED);
    const more = lines.length - shown.length;
    return [
        { type: 'TextBlock', text: title, weight: 'bolder', wrap: true, spacing: 'medium', separator: true },
        ...shown.map((text) => ({ type: 'TextBlock', text, wrap: true, spacing: 'small' })),
        ...(more > 0 ? [{ type: 'TextBlock', text: `+${more} more`, isSubtle: true, wrap: true, spacing: 'small' }] : []),
    ];
}
/**
 * The Adaptive Card for one event, as a Teams workflow webhook message: the decision and the
 * rollout, the transition, the failed gates with their values, reasons and warnings, and
 * buttons to the evidence and the run.
 */
function teamsMessage(raw) {
    const event = (0,notify_event/* wellFormedEvent */.eH)(raw);
    const failures = event.failures.length > 0
        ? event.failures.map((f) => `${plain(f.name, 100)} (${plain(f.severity, 20)}): ${plain(f.value, 60)}, needs ${plain(f.condition, 60)}${f.reason ? `: ${plain(f.reason, 160)}` : ''}`)
        : event.failedGates.map((name) => plain(name, 200));
    const facts = [
        ['Transition', (0,notify_event/* transitionText */.FA)(event)],
        ['State', (0,notify_event/* changeText */.k0)(event.change)],
        ['Command', event.command],
        ['At', event.at],
    ];
    if (event.evidence !== null && !(0,notify_event/* isLink */.PJ)(event.evidence))
        facts.push(['Evidence', event.evidence]);
    const actions = [];
    if ((0,notify_event/* isLink */.PJ)(event.evidence) && event.evidence.length <= 2000)
        actions.push({ type: 'Action.OpenUrl', id: 'evidence', title: 'Evidence', url: event.evidence });
    if ((0,notify_event/* isLink */.PJ)(event.runUrl) && event.runUrl.length <= 2000)
        actions.push({ type: 'Action.OpenUrl', id: 'run', title: 'Run', url: event.runUrl });
    const card = {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.4',
        fallbackText: (0,notify_event/* clip */.$Q)((0,notify_event/* summaryLine */.dC)(event), 1000),
        body: [
            { type: 'TextBlock', text: plain(`${event.decision}: ${event.rollout}`, 150), size: 'large', weight: 'bolder', color: COLOR[event.decision], wrap: true },
            { type: 'FactSet', facts: facts.map(([title, value]) => ({ title, value: plain(value, 500) })) },
            ...list('Failed gates', failures),
            ...list('Reasons', event.reasons.map((r) => plain(r, 300))),
            ...list('Warnings', event.warnings.map((w) => plain(w, 300))),
        ],
        ...(actions.length > 0 ? { actions } : {}),
        msteams: { width: 'Full' },
    };
    return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./lib/notify/webhook.js


const SIGNATURE_HEADER = 'X-Rollout-Gate-Signature-256';
function webhookBody(raw) {
    const event = (0,notify_event/* wellFormedEvent */.eH)(raw);
    return {
        rollout: event.rollout,
        command: event.command,
        decision: event.decision,
        from: event.from,
        to: event.to,
        at: event.at,
        stateChanged: event.stateChanged,
        failedGates: [...event.failedGates],
        reasons: [...event.reasons],
        evidence: event.evidence,
        runUrl: event.runUrl,
    };
}
/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as GitHub signs its webhooks. */
function signature(body, secret) {
    return `sha256=${(0,external_node_crypto_.createHmac)('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

;// CONCATENATED MODULE: ./lib/notify/send.js






const NOTIFY_BOUND_MS = 10_000;
const NOTIFY_MAX_ATTEMPTS = 3;
/** A receiver's answer is read only to quote it in an error. */
const MAX_ANSWER_BYTES = 256 * 1024;
/** The request body of a destination, before redaction. */
function renderPayload(type, event) {
    if (type === 'slack')
        return slackMessage(event);
    if (type === 'teams')
        return teamsMessage(event);
    return webhookBody(event);
}
/**
 * Sends the event to every target whose `on` matches, concurrently. Never throws and never
 * takes longer than about the bound: a notification can't change the decision or the exit code.
 */
async function notifyAll(targets, event, opts) {
    const chosen = targets.filter((t) => (0,notify_event/* shouldNotify */.lx)(t, event));
    return Promise.all(chosen.map((t) => notifyOne(t, event, opts)));
}
async function notifyOne(target, event, opts) {
    const bound = opts.boundMs ?? NOTIFY_BOUND_MS;
    let label = '***';
    let attempts = 0;
    const fail = (error) => ({ type: target.type, target: label, ok: false, attempts, error: opts.redactor.redact(error) });
    let guard;
    try {
        label = (0,notify_target/* displayTarget */.E)(target.type, target.url, opts.redactor);
        const body = JSON.stringify(opts.redactor.redactDeep(renderPayload(target.type, event)));
        const headers = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'rollout-gate' };
        if (target.type === 'webhook' && target.secret)
            headers[SIGNATURE_HEADER] = signature(body, target.secret);
        const req = (0,http_request/* withCredentials */.tE)(target.url, headers, opts.redactor);
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new Error('bound')), bound);
        // A fetch that ignored its signal must still not hold the run: the outcome is settled here.
        const late = new Promise((resolve) => (guard = setTimeout(() => resolve('late'), bound + 1_000)));
        const exchange = (0,http_request/* httpRequest */.aj)({
            method: 'POST',
            url: req.url,
            headers: req.headers,
            body,
            signal: controller.signal,
            retries: Math.max(0, (opts.maxAttempts ?? NOTIFY_MAX_ATTEMPTS) - 1),
            maxRetryAfterMs: bound,
            maxBytes: MAX_ANSWER_BYTES,
            fetch: opts.fetch ?? fetch,
            sleep: opts.sleep,
            random: opts.random,
            onAttempt: (a) => {
                attempts = a.attempt;
                opts.logger.debug(opts.redactor.redact(`notify ${target.type} ${label}: attempt ${a.attempt}: ${a.status !== null ? `HTTP ${a.status}` : a.error} (${a.elapsedMs} ms)`));
            },
        }).finally(() => clearTimeout(timer));
        exchange.catch(() => { }); // Settled below, or abandoned after the guard: never unhandled.
        const res = await Promise.race([exchange, late]);
        if (res === 'late')
            return fail(`no answer within ${seconds(bound)}`);
        attempts = res.attempts;
        if (res.status >= 200 && res.status < 300)
            return { type: target.type, target: label, ok: true, attempts, error: null };
        const retryAfter = res.headers.get('retry-after');
        const wait = (0,http_request/* parseRetryAfter */.mu)(retryAfter, Date.now());
        const asked = (0,http_request/* isRetryableStatus */.PS)(res.status) && wait !== null && wait > bound ? ` (asked to retry after ${retryAfter}, beyond the ${seconds(bound)} bound)` : '';
        const answer = (0,http_request/* snippet */.UA)(res.text);
        return fail(`HTTP ${res.status}${asked}${answer ? `: ${answer}` : ''}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`);
    }
    catch (e) {
        if (e instanceof http_request/* HttpRequestError */.Ci) {
            attempts = e.attempts;
            if (e.kind === 'cancelled')
                return fail(`no success within ${seconds(bound)} (${attempts} attempt${attempts === 1 ? '' : 's'})`);
            return fail(e.message);
        }
        return fail(`could not send: ${e?.message ?? String(e)}`);
    }
    finally {
        clearTimeout(guard);
    }
}
function seconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
/** The report warning of a failed notification: `notify slack hooks.slack.com/services/***: HTTP 500 (after 3 attempts)`. */
function notifyWarning(outcome) {
    return `notify ${outcome.type} ${outcome.target}: ${outcome.error ?? 'failed'}`;
}


/***/ })

};
