export const id = 84;
export const ids = [84];
export const modules = {

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


/***/ }),

/***/ 6084:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_STALE_AFTER_MS: () => (/* binding */ DEFAULT_STALE_AFTER_MS),
/* harmony export */   MAX_POINTS_PER_SERIES: () => (/* binding */ MAX_POINTS_PER_SERIES),
/* harmony export */   interpretResult: () => (/* binding */ interpretResult),
/* harmony export */   labelsText: () => (/* binding */ labelsText),
/* harmony export */   parseQueryResult: () => (/* binding */ parseQueryResult),
/* harmony export */   prometheusProvider: () => (/* binding */ prometheusProvider),
/* harmony export */   reduceSeries: () => (/* binding */ reduceSeries)
/* harmony export */ });
/* harmony import */ var _engine_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1168);
/* harmony import */ var _http_api_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2205);
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9721);
/* harmony import */ var _failure_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3212);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5163);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3190);






const DEFAULT_STALE_AFTER_MS = 5 * 60_000;
/** Longer query strings go in a form-encoded POST body, which every Prometheus-compatible API accepts. */
const MAX_GET_URL = 4_000;
const MAX_LISTED_SERIES = 10;
/** Prometheus refuses a range query of more than 11,000 points per series: longer reads go in chunks. */
const MAX_POINTS_PER_SERIES = 11_000;
/** A series' labels the way PromQL prints them: `name{a="x", b="y"}`. */
function labelsText(labels) {
    const { __name__: name = '', ...rest } = labels;
    const pairs = Object.keys(rest)
        .sort()
        .map((k) => `${k}=${JSON.stringify(rest[k])}`);
    return pairs.length === 0 && name ? name : `${name}{${pairs.join(', ')}}`;
}
function pair(raw, where) {
    if (!Array.isArray(raw) || raw.length !== 2 || typeof raw[0] !== 'number') {
        throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`${where} is not a [unixSeconds, "value"] pair`);
    }
    const v = (0,_values_js__WEBPACK_IMPORTED_MODULE_5__/* .toValue */ .BA)(raw[1], where);
    return [raw[0], typeof v === 'boolean' ? (v ? 1 : 0) : v];
}
/** Reads the `data` of a successful query answer (Prometheus HTTP API result types). */
function parseQueryResult(data) {
    if (!data || typeof data !== 'object')
        throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('the answer has no "data" object');
    const { resultType, result } = data;
    switch (resultType) {
        case 'scalar':
            return { resultType, series: [{ labels: {}, samples: [pair(result, 'the scalar result')] }] };
        case 'vector':
        case 'matrix': {
            if (!Array.isArray(result))
                throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`the ${resultType} result is not a list`);
            const series = result.map((item, i) => {
                const s = (item ?? {});
                const labels = s.metric && typeof s.metric === 'object' ? s.metric : {};
                if (s.histogram !== undefined || (s.histograms !== undefined && s.values === undefined)) {
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`series ${labelsText(labels)} is a native histogram; turn it into a number in PromQL (histogram_quantile, histogram_count, …)`);
                }
                if (resultType === 'vector')
                    return { labels, samples: [pair(s.value, `result[${i}].value`)] };
                if (!Array.isArray(s.values))
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`result[${i}].values is not a list`);
                return { labels, samples: s.values.map((v, j) => pair(v, `result[${i}].values[${j}]`)) };
            });
            return { resultType, series };
        }
        case 'string':
            throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('the query returned a string; a gate needs a number');
        default:
            throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`unknown resultType ${JSON.stringify(resultType)}`);
    }
}
/**
 * Several series as one, per timestamp. max/min skip NaN like PromQL's max()/min(); sum/avg
 * keep it (the sample then counts as NaN, which the engine ignores).
 */
function reduceSeries(series, how) {
    const byTs = new Map();
    for (const s of series) {
        for (const [ts, v] of s.samples) {
            const list = byTs.get(ts);
            const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
            if (list)
                list.push(n);
            else
                byTs.set(ts, [n]);
        }
    }
    const out = [];
    for (const ts of [...byTs.keys()].sort((a, b) => a - b)) {
        const values = byTs.get(ts);
        const finite = values.filter((v) => !Number.isNaN(v));
        let r;
        switch (how) {
            case 'max':
                r = finite.length ? Math.max(...finite) : NaN;
                break;
            case 'min':
                r = finite.length ? Math.min(...finite) : NaN;
                break;
            case 'sum':
                r = values.reduce((a, b) => a + b, 0);
                break;
            case 'avg':
                r = values.reduce((a, b) => a + b, 0) / values.length;
                break;
        }
        out.push([ts, r]);
    }
    return out;
}
const iso = (s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
/**
 * From a parsed result to the gate's samples, or the reason there is no usable value: an empty
 * result, only NaN/±Inf, or the newest sample older than `staleAfter`. More than one series is
 * an error naming them unless the gate sets `reduce`.
 */
function interpretResult(result, gate, nowMs, aggregateHint = 'aggregate them in PromQL (sum, max, …)') {
    const listed = result.series.slice(0, MAX_LISTED_SERIES).map((s) => labelsText(s.labels));
    const more = result.series.length > MAX_LISTED_SERIES ? ` and ${result.series.length - MAX_LISTED_SERIES} more` : '';
    const detail = { resultType: result.resultType, seriesCount: result.series.length, series: listed };
    const nonEmpty = result.series.filter((s) => s.samples.length > 0);
    if (nonEmpty.length === 0) {
        return { samples: [], noDataReason: `empty result: the query matched no series${result.resultType === 'matrix' ? ' in the window' : ''}`, detail };
    }
    let samples;
    if (nonEmpty.length > 1) {
        if (!gate.reduce) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(`the query returned ${nonEmpty.length} series, a gate needs one: ${aggregateHint} or set reduce: max|min|avg|sum on the gate. Series: ${listed.join(', ')}${more}`);
        }
        samples = reduceSeries(nonEmpty, gate.reduce);
        detail.reduce = gate.reduce;
    }
    else {
        samples = [...nonEmpty[0].samples].sort((a, b) => a[0] - b[0]);
    }
    const finite = samples.filter(([, v]) => typeof v !== 'number' || Number.isFinite(v));
    if (finite.length === 0) {
        const kinds = [...new Set(samples.map(([, v]) => String(v).replace('Infinity', 'Inf')))].join('/');
        return {
            samples,
            noDataReason: samples.length === 1 ? `the value is ${kinds}` : `every sample is ${kinds}`,
            detail,
        };
    }
    const staleAfterMs = gate.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    const newest = samples.at(-1)[0];
    if (nowMs - newest * 1000 > staleAfterMs) {
        return {
            samples,
            noDataReason: `stale: the newest sample is from ${iso(newest)}, ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(nowMs - newest * 1000)} before now (staleAfter ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(staleAfterMs)})`,
            detail,
        };
    }
    return { samples, detail };
}
const seconds = (ms) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
/** The answer's failure in Prometheus' own words, or null when it succeeded. */
function failureOf(res, path) {
    const env = (res.body && typeof res.body === 'object' ? res.body : null);
    if (env && env.status === 'error') {
        const type = typeof env.errorType === 'string' && env.errorType ? `${env.errorType}: ` : '';
        return `${type}${typeof env.error === 'string' ? env.error : 'unknown error'} (HTTP ${res.status})${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__/* .credentialHint */ .P3)(res.status)}`;
    }
    if (res.status >= 200 && res.status < 300 && env && env.status === 'success')
        return null;
    const hint = res.status === 404 ? ' (is the url the Prometheus API root?)' : (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__/* .credentialHint */ .P3)(res.status);
    const body = res.text ? `: ${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_2__/* .snippet */ .UA)(res.text)}` : '';
    return res.status >= 200 && res.status < 300
        ? `the answer from ${path} is not a Prometheus API response${body}`
        : `HTTP ${res.status} from ${path}${hint}${body}`;
}
/**
 * `type: prometheus`: PromQL against the HTTP API of Prometheus or a compatible store (Mimir,
 * Thanos, Cortex, VictoriaMetrics). Instant query at `now` without `over`; range query over the
 * window at the gate's step with it.
 */
function prometheusProvider(config, ctx) {
    const api = new _http_api_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpApi */ .RF('prometheus', config, ctx);
    const limiter = config.concurrency ? new _http_api_js__WEBPACK_IMPORTED_MODULE_1__/* .Limiter */ .jG(config.concurrency) : null;
    const run = async (req) => {
        const params = new URLSearchParams({ query: req.query });
        let path;
        if (req.range) {
            path = 'api/v1/query_range';
            params.set('start', seconds(req.range.startMs));
            params.set('end', seconds(req.range.endMs));
            params.set('step', seconds(req.range.stepMs));
        }
        else {
            path = 'api/v1/query';
            params.set('time', seconds(req.nowMs));
        }
        const form = api.base.toString().length + path.length + params.toString().length + 1 > MAX_GET_URL;
        const what = `gate "${req.gate.name}"${req.role === 'baseline' ? ' (baseline)' : ''}: ${req.query}${req.range ? ` over ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(req.range.endMs - req.range.startMs)} step ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(req.range.stepMs)}` : ''}`;
        const res = await api.request(path, params, req.signal, { form, what });
        const failure = failureOf(res, `/${path}`);
        if (failure !== null) {
            // bad_data is Prometheus' word for a query it cannot parse or evaluate as written.
            const query = res.body?.errorType === 'bad_data';
            throw (0,_failure_js__WEBPACK_IMPORTED_MODULE_3__/* .providerFailure */ .Y)({ label: api.label, what: failure, status: res.status, attempts: res.attempts, query, redact: (t) => api.redact(t) });
        }
        const env = res.body;
        const warnings = [
            ...(Array.isArray(env.warnings) ? env.warnings : []).map((w) => `${api.label}: ${String(w)}`),
            ...(Array.isArray(env.infos) ? env.infos : []).map((w) => `${api.label} (info): ${String(w)}`),
        ].map((w) => api.redact(w));
        let answer;
        try {
            answer = interpretResult(parseQueryResult(env.data), req.gate, req.nowMs);
        }
        catch (e) {
            if (e instanceof _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ(api.redact(`${api.label}: ${e.message}`));
            throw e;
        }
        if (answer.noDataReason)
            answer.noDataReason = api.redact(answer.noDataReason);
        return warnings.length ? { ...answer, warnings: [...(answer.warnings ?? []), ...warnings] } : answer;
    };
    return {
        query: (req) => (limiter ? limiter.run(() => run(req)) : run(req)),
        close: () => api.close(),
    };
}


/***/ }),

/***/ 3190:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BA: () => (/* binding */ toValue),
/* harmony export */   BN: () => (/* binding */ toSamples),
/* harmony export */   LE: () => (/* binding */ toUnixSeconds),
/* harmony export */   k4: () => (/* binding */ selectPath)
/* harmony export */ });
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5163);

/** Reads a dotted path (`data.items.0.value`) from a JSON-like document; undefined when absent. */
function selectPath(doc, path) {
    if (path === '' || path === '.')
        return doc;
    let node = doc;
    for (const seg of path.split('.')) {
        if (node === null || typeof node !== 'object')
            return undefined;
        if (Array.isArray(node)) {
            if (!/^\d+$/.test(seg))
                return undefined;
            node = node[Number(seg)];
        }
        else {
            if (!Object.prototype.hasOwnProperty.call(node, seg))
                return undefined;
            node = node[seg];
        }
    }
    return node;
}
const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const SPECIAL = { NaN: NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };
/** A scalar as a gate value: a number, a numeric string, a boolean; "NaN"/"±Inf" stay non-finite. */
function toValue(v, where) {
    if (typeof v === 'number' || typeof v === 'boolean')
        return v;
    if (typeof v === 'bigint')
        return Number(v);
    if (typeof v === 'string') {
        if (NUMERIC.test(v))
            return Number(v);
        if (v in SPECIAL)
            return SPECIAL[v];
        if (v === 'true' || v === 'false')
            return v === 'true';
    }
    throw new _types_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(`${where} is ${describe(v)}, not a number or boolean`);
}
function describe(v) {
    if (v === null)
        return 'null';
    if (Array.isArray(v))
        return 'a list';
    if (typeof v === 'object')
        return 'an object';
    const s = JSON.stringify(v) ?? String(v);
    return `${typeof v} ${s.length > 60 ? `${s.slice(0, 60)}…` : s}`;
}
/**
 * Unix seconds past this (the year 5138) are milliseconds read as seconds: a series stamped in
 * milliseconds would sit 1,000 times too far in the future and silently fall outside every window.
 */
const MAX_UNIX_SECONDS = 1e11;
function seconds(n, where) {
    if (Math.abs(n) >= MAX_UNIX_SECONDS) {
        throw new _types_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(`${where} is ${n}, which looks like milliseconds: timestamps must be unix seconds (divide by 1000) or ISO-8601`);
    }
    return n;
}
/** A timestamp as unix seconds: a number of seconds, or a date (or date string). Milliseconds are refused. */
function toUnixSeconds(v, where) {
    if (typeof v === 'number' && Number.isFinite(v))
        return seconds(v, where);
    if (typeof v === 'bigint')
        return seconds(Number(v), where);
    if (typeof v === 'string' && NUMERIC.test(v))
        return seconds(Number(v), where);
    if (v instanceof Date && !Number.isNaN(v.getTime()))
        return v.getTime() / 1000;
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v)))
        return Date.parse(v) / 1000;
    throw new _types_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(`${where} is ${describe(v)}, not a timestamp (unix seconds or ISO-8601)`);
}
/**
 * A document value as samples: a scalar is one sample at `now`; a list of `[unixSeconds, value]`
 * pairs is a series. Anything else is an error naming `where`.
 */
function toSamples(v, nowMs, where) {
    if (v === undefined)
        throw new _types_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(`${where} does not exist`);
    if (Array.isArray(v)) {
        // The common case, every pair `[number, number]`, is used as it is: large series are not copied.
        let plain = true;
        for (let i = 0; i < v.length && plain; i++) {
            const pair = v[i];
            plain = Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && Number.isFinite(pair[0]) && Math.abs(pair[0]) < MAX_UNIX_SECONDS && typeof pair[1] === 'number';
        }
        if (plain)
            return v;
        return v.map((pair, i) => {
            // The common case, `[number, number]`, is used as it is: large series are not copied.
            if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && Number.isFinite(pair[0]) && Math.abs(pair[0]) < MAX_UNIX_SECONDS && typeof pair[1] === 'number') {
                return pair;
            }
            if (!Array.isArray(pair) || pair.length !== 2) {
                throw new _types_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(`${where}[${i}] is not a [unixSeconds, value] pair`);
            }
            return [toUnixSeconds(pair[0], `${where}[${i}][0]`), toValue(pair[1], `${where}[${i}][1]`)];
        });
    }
    return [[nowMs / 1000, toValue(v, where)]];
}


/***/ })

};
