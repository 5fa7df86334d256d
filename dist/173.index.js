export const id = 173;
export const ids = [173];
export const modules = {

/***/ 4173:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   alertmanagerProvider: () => (/* binding */ alertmanagerProvider),
/* harmony export */   matcherText: () => (/* binding */ matcherText),
/* harmony export */   parseMatchers: () => (/* binding */ parseMatchers)
/* harmony export */ });
/* harmony import */ var _engine_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1168);
/* harmony import */ var _failure_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3212);
/* harmony import */ var _http_api_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2205);
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9721);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5163);





const MAX_LISTED_ALERTS = 20;
/** A matcher in Alertmanager's filter syntax: `severity="critical"`. */
function matcherText(m) {
    return `${m.name}${m.op}"${m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
/**
 * Parses a gate's query, a list of label matchers in Alertmanager/PromQL syntax:
 * `severity="critical", service=~"chat|api"`, optionally inside `{…}`. Values may be quoted
 * (with \" \\ \n escapes) or bare words.
 */
function parseMatchers(text) {
    let s = text.trim();
    if (s.startsWith('{')) {
        if (!s.endsWith('}'))
            throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`matchers "${text}": "{" without a closing "}"`);
        s = s.slice(1, -1);
    }
    const out = [];
    let i = 0;
    const fail = (what) => {
        throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`matchers "${text}": ${what} at position ${i + 1}; expected e.g. severity="critical", service="chat"`);
    };
    const skipSpace = () => {
        while (i < s.length && /\s/.test(s[i]))
            i++;
    };
    skipSpace();
    while (i < s.length) {
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i))?.[0];
        if (!name)
            fail('a label name');
        i += name.length;
        skipSpace();
        const op = ['=~', '!~', '!=', '='].find((o) => s.startsWith(o, i));
        if (!op)
            fail(`an operator (= != =~ !~) after "${name}"`);
        i += op.length;
        skipSpace();
        let value = '';
        if (s[i] === '"' || s[i] === "'") {
            const quote = s[i];
            i++;
            let closed = false;
            while (i < s.length) {
                const c = s[i];
                if (c === '\\' && i + 1 < s.length) {
                    const n = s[i + 1];
                    value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
                    i += 2;
                    continue;
                }
                i++;
                if (c === quote) {
                    closed = true;
                    break;
                }
                value += c;
            }
            if (!closed)
                fail('an unterminated quoted value');
        }
        else {
            const bare = /^[^\s,"'{}=!~]*/.exec(s.slice(i))[0];
            if (!bare)
                fail(`a value after "${name}${op}" (quoted, like "critical")`);
            value = bare;
            i += bare.length;
        }
        if (op === '=~' || op === '!~') {
            try {
                new RegExp(`^(?:${value})$`);
            }
            catch {
                fail(`an invalid regular expression "${value}"`);
            }
        }
        out.push({ name: name, op: op, value });
        skipSpace();
        if (i < s.length) {
            if (s[i] !== ',')
                fail('a comma between matchers');
            i++;
            skipSpace();
        }
    }
    if (out.length === 0)
        throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`matchers "${text}": no matcher; write e.g. severity="critical"`);
    return out;
}
/**
 * `type: alertmanager`: the value is the number of active alerts (not silenced, not inhibited)
 * matching the gate's matchers that started at least `activeFor` before now.
 */
function alertmanagerProvider(config, ctx) {
    const api = new _http_api_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpApi */ .RF('alertmanager', config, ctx);
    return {
        async query(req) {
            let matchers;
            try {
                matchers = parseMatchers(req.query);
            }
            catch (e) {
                throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(api.redact(`${api.label}: ${e.message}`));
            }
            const params = new URLSearchParams({ active: 'true', silenced: 'false', inhibited: 'false' });
            for (const m of matchers)
                params.append('filter', matcherText(m));
            const res = await api.request('api/v2/alerts', params, req.signal, { what: `gate "${req.gate.name}": ${matchers.map(matcherText).join(', ')}` });
            if (res.status < 200 || res.status >= 300 || !Array.isArray(res.body)) {
                const message = typeof res.body === 'string' ? res.body : res.body?.message;
                const why = typeof message === 'string' ? message : (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .snippet */ .UA)(res.text) || 'no body';
                const what = res.status >= 200 && res.status < 300 ? 'the answer is not a list of alerts' : `HTTP ${res.status}${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .credentialHint */ .P3)(res.status)}`;
                // 400: Alertmanager could not read the matchers.
                throw (0,_failure_js__WEBPACK_IMPORTED_MODULE_1__/* .providerFailure */ .Y)({ label: api.label, what: `${what} from /api/v2/alerts: ${why}`, status: res.status, attempts: res.attempts, query: res.status === 400, redact: (t) => api.redact(t) });
            }
            const activeForMs = req.gate.activeForMs ?? 0;
            const cutoff = req.nowMs - activeForMs;
            let tooRecent = 0;
            const counted = [];
            for (const alert of res.body) {
                // Defensive: a proxy or an older server may ignore the silenced/inhibited filters.
                if (alert.status?.state === 'suppressed')
                    continue;
                const started = Date.parse(alert.startsAt ?? '');
                if (Number.isNaN(started) || started > cutoff) {
                    tooRecent++;
                    continue;
                }
                counted.push(alert);
            }
            const detail = {
                matchers: matchers.map(matcherText),
                alerts: counted.slice(0, MAX_LISTED_ALERTS).map((a) => ({
                    alertname: a.labels?.alertname ?? null,
                    labels: a.labels ?? {},
                    startsAt: a.startsAt ?? null,
                })),
            };
            if (counted.length > MAX_LISTED_ALERTS)
                detail.more = counted.length - MAX_LISTED_ALERTS;
            if (activeForMs > 0) {
                detail.activeFor = (0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(activeForMs);
                detail.activeForLessThan = tooRecent;
            }
            return { samples: [[req.nowMs / 1000, counted.length]], detail };
        },
        close: () => api.close(),
    };
}


/***/ }),

/***/ 3212:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ providerFailure)
/* harmony export */ });
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9721);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5163);


/**
 * The one way a provider turns a failure into an error: label, what failed, how many tries,
 * redacted, retryable on 429 and 5xx, and a QueryError when the store said the query is invalid.
 */
function providerFailure(f) {
    const tries = f.attempts && f.attempts > 1 ? ` after ${f.attempts} attempts` : '';
    const text = f.redact(`${f.label}: ${f.what}${tries}`);
    if (f.query)
        return new _types_js__WEBPACK_IMPORTED_MODULE_1__/* .QueryError */ .lr(text);
    return new _types_js__WEBPACK_IMPORTED_MODULE_1__/* .ProviderError */ .mZ(text, f.status != null && (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .isRetryableStatus */ .PS)(f.status));
}


/***/ }),

/***/ 2205:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RF: () => (/* binding */ HttpApi),
/* harmony export */   TU: () => (/* binding */ DEFAULT_RETRIES),
/* harmony export */   jG: () => (/* binding */ Limiter)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9721);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5163);




const DEFAULT_RETRIES = 2;
/** Prometheus and Alertmanager answer within a gate's timeout or not at all: wait at most this long. */
const RETRY_AFTER_CAP_MS = 10_000;
/**
 * A JSON API of one provider (Prometheus, Alertmanager): base URL, auth headers, optional private
 * CA, debug logging with secrets redacted. Requests, retries and the size limit are httpRequest's.
 */
class HttpApi {
    kind;
    ctx;
    base;
    headers;
    retries;
    tls;
    agent = null;
    fetchFn = null;
    constructor(kind, config, ctx) {
        this.kind = kind;
        this.ctx = ctx;
        const headers = { Accept: 'application/json' };
        if (config.basicAuth) {
            const { username, password } = config.basicAuth;
            ctx.redactor.add(password);
            const token = Buffer.from(`${username}:${password}`).toString('base64');
            ctx.redactor.add(token);
            headers.Authorization = `Basic ${token}`;
        }
        // fetch refuses URLs with credentials: withCredentials moves them into a basic auth header.
        const target = (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__/* .withCredentials */ .tE)(config.url, { ...headers, ...(config.headers ?? {}) }, ctx.redactor);
        const base = new URL(target.url);
        if (!base.pathname.endsWith('/'))
            base.pathname += '/';
        this.base = base;
        this.headers = target.headers;
        this.retries = config.retries ?? DEFAULT_RETRIES;
        if (config.caFile !== undefined || config.insecureSkipVerify) {
            let ca;
            if (config.caFile !== undefined) {
                const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(config.caFile) ? config.caFile : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(ctx.cwd, config.caFile);
                try {
                    ca = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path);
                }
                catch (e) {
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ(`caFile ${config.caFile}: cannot read it (${e.code ?? e.message})`);
                }
            }
            this.tls = { ...(ca ? { ca } : {}), rejectUnauthorized: !config.insecureSkipVerify };
        }
        else {
            this.tls = null;
        }
    }
    /** What every message about this provider starts with. */
    get label() {
        return `${this.kind} "${this.ctx.name}"`;
    }
    redact(text) {
        return this.ctx.redactor.redact(text);
    }
    /** The fetch to use: undici with its own TLS agent only when caFile/insecureSkipVerify ask for it (importing undici costs start-up time). */
    fetcher() {
        this.fetchFn ??= (async () => {
            if (!this.tls)
                return this.ctx.fetch;
            const { Agent, fetch: undiciFetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 4371, 19));
            const agent = new Agent({ connect: this.tls });
            this.agent = agent;
            return ((input, init) => undiciFetch(input, { ...init, dispatcher: agent }));
        })();
        return this.fetchFn;
    }
    /**
     * Sends one request (GET with a query string, or POST form-encoded when `form` is set) and
     * returns the final answer after retries. Throws ProviderError for network failures and
     * oversized answers; any status (retryable ones after the retries) is returned to the caller,
     * which knows the API's error format.
     */
    async request(path, params, signal, opts) {
        const url = new URL(path.replace(/^\//, ''), this.base);
        const headers = { ...this.headers };
        let body;
        let method = 'GET';
        if (opts.json !== undefined) {
            // JSON APIs (Datadog, NerdGraph): the parameters stay in the URL, the question in the body.
            method = 'POST';
            headers['Content-Type'] = 'application/json';
            body = JSON.stringify(opts.json);
            url.search = params.toString();
        }
        else if (opts.form) {
            method = 'POST';
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
            body = params.toString();
        }
        else {
            url.search = params.toString();
        }
        const shown = `${method} ${url.pathname}${opts.form && opts.json === undefined ? ' (form)' : ''} ${opts.what}`;
        let res;
        try {
            res = await (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__/* .httpRequest */ .aj)({
                method,
                url: url.toString(),
                headers,
                body,
                signal,
                retries: this.retries,
                maxRetryAfterMs: opts.maxRetryAfterMs ?? RETRY_AFTER_CAP_MS,
                ...(opts.retryAfterOf ? { retryAfterOf: opts.retryAfterOf } : {}),
                fetch: await this.fetcher(),
                onAttempt: ({ attempt, status, error, elapsedMs }) => this.ctx.logger.debug(this.redact(`${this.label}: ${shown} → ${status !== null ? `HTTP ${status}` : error} in ${elapsedMs}ms${attempt > 1 || error !== null ? ` (attempt ${attempt})` : ''}`)),
            });
        }
        catch (e) {
            if (!(e instanceof _transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpRequestError */ .Ci))
                throw e;
            if (e.kind === 'cancelled') {
                const why = signal.aborted ? String(signal.reason?.message ?? signal.reason) : e.message;
                throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ(this.redact(`${this.label}: request aborted (${why})`));
            }
            if (e.kind === 'too-large')
                throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ(this.redact(`${this.label}: ${e.message} (${url.pathname})`));
            throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ(this.redact(`${this.label}: cannot reach ${this.base.origin}: ${e.message}`), true);
        }
        let parsed;
        try {
            parsed = res.text ? JSON.parse(res.text) : undefined;
        }
        catch {
            parsed = undefined;
        }
        return { status: res.status, body: parsed, text: res.text, attempts: res.attempts };
    }
    async close() {
        await this.agent?.close();
    }
}
/** At most `limit` tasks of one provider in flight (its `concurrency` setting). */
class Limiter {
    limit;
    active = 0;
    waiting = [];
    constructor(limit) {
        this.limit = limit;
    }
    async run(task) {
        // A finishing task hands its slot straight to the next waiter, so the limit is never exceeded.
        if (this.active >= this.limit)
            await new Promise((go) => this.waiting.push(go));
        else
            this.active++;
        try {
            return await task();
        }
        finally {
            const next = this.waiting.shift();
            if (next)
                next();
            else
                this.active--;
        }
    }
}


/***/ })

};
