export const id = 652;
export const ids = [652];
export const modules = {

/***/ 6652:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TIMESERIES_PATH: () => (/* binding */ TIMESERIES_PATH),
/* harmony export */   datadogBaseUrl: () => (/* binding */ datadogBaseUrl),
/* harmony export */   datadogProvider: () => (/* binding */ datadogProvider),
/* harmony export */   dropFillingBuckets: () => (/* binding */ dropFillingBuckets),
/* harmony export */   parseDatadogQuery: () => (/* binding */ parseDatadogQuery),
/* harmony export */   parseTimeseries: () => (/* binding */ parseTimeseries),
/* harmony export */   rateLimitWaitMs: () => (/* binding */ rateLimitWaitMs),
/* harmony export */   rollupIntervalMs: () => (/* binding */ rollupIntervalMs),
/* harmony export */   timeseriesBody: () => (/* binding */ timeseriesBody)
/* harmony export */ });
/* harmony import */ var _engine_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1168);
/* harmony import */ var _failure_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3212);
/* harmony import */ var _http_api_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2205);
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9721);
/* harmony import */ var _points_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2251);
/* harmony import */ var _prometheus_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6084);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5163);







const TIMESERIES_PATH = 'api/v2/query/timeseries';
/** Instant gates read the last minute-points of this window and take the newest. */
const INSTANT_INTERVAL_MS = 60_000;
/** Datadog's rate-limit waits are honoured up to this long (the gate's timeout and the deadline still end it). */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;
const AGGREGATE_HINT = 'aggregate them in the query (sum:…, max:… without "by {…}")';
const NAMED = /^([a-z][a-z0-9_]*)\s*=\s*(\S.*)$/;
/**
 * Reads a gate's query. One line is one metrics query (`avg:system.load.1{env:prod}`); several
 * lines name queries (`errors = sum:…`, `hits = sum:…`) and end with the formula (`errors / hits`).
 */
function parseDatadogQuery(text) {
    const lines = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    if (lines.length === 1 && !NAMED.test(lines[0]))
        return { queries: [{ name: 'a', query: lines[0] }], formula: 'a' };
    const queries = [];
    const formulas = [];
    for (const line of lines) {
        const m = NAMED.exec(line);
        if (m) {
            if (queries.some((q) => q.name === m[1]))
                throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(`query "${m[1]}" is named twice`);
            queries.push({ name: m[1], query: m[2] });
        }
        else
            formulas.push(line);
    }
    if (queries.length === 0)
        throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ('expected one metrics query, or named queries (name = query) and a formula');
    if (formulas.length > 1)
        throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(`expected one formula after the named queries, got ${formulas.length}: ${formulas.join(' | ')}`);
    if (formulas.length === 0 && queries.length > 1)
        throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(`several named queries (${queries.map((q) => q.name).join(', ')}) need a formula line, e.g. ${queries[0].name} / ${queries[1].name}`);
    return { queries, formula: formulas[0] ?? queries[0].name };
}
/** The JSON body of `POST /api/v2/query/timeseries` for a query over [fromMs, toMs] at `intervalMs`. */
function timeseriesBody(q, fromMs, toMs, intervalMs) {
    return {
        data: {
            type: 'timeseries_request',
            attributes: {
                from: Math.round(fromMs),
                to: Math.round(toMs),
                interval: Math.round(intervalMs),
                queries: q.queries.map((x) => ({ data_source: 'metrics', query: x.query, name: x.name })),
                formulas: [{ formula: q.formula }],
            },
        },
    };
}
/** The series of a timeseries answer, nulls kept as null; group tags (`env:prod`) become labels. */
function parseTimeseries(body) {
    const attrs = body?.data?.attributes;
    if (!attrs || typeof attrs !== 'object')
        throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ('the answer has no data.attributes');
    const times = attrs.times ?? [];
    const values = attrs.values ?? [];
    const series = attrs.series ?? [];
    if (!Array.isArray(times) || !Array.isArray(values) || !Array.isArray(series))
        throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ('data.attributes.times, values and series must be lists');
    return series.map((s, i) => {
        const tags = s?.group_tags;
        const labels = {};
        if (Array.isArray(tags)) {
            for (const t of tags) {
                const text = String(t);
                const at = text.indexOf(':');
                if (at < 0)
                    labels[text] = '';
                else
                    labels[text.slice(0, at)] = text.slice(at + 1);
            }
        }
        const row = values[i];
        if (!Array.isArray(row))
            throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(`data.attributes.values[${i}] is not a list`);
        const points = [];
        for (let j = 0; j < times.length; j++) {
            const t = times[j];
            const v = row[j];
            if (typeof t !== 'number')
                throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(`data.attributes.times[${j}] is not a number`);
            if (v !== null && v !== undefined && typeof v !== 'number')
                throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(`data.attributes.values[${i}][${j}] is not a number or null`);
            points.push([t / 1000, v ?? null]);
        }
        return { labels, points };
    });
}
/** The rollup interval of an answer: the smallest spacing of its time stamps (ms), or null with one. */
function rollupIntervalMs(series) {
    let best = Infinity;
    for (const s of series) {
        for (let i = 1; i < s.points.length; i++) {
            const gap = (s.points[i][0] - s.points[i - 1][0]) * 1000;
            if (gap > 0 && gap < best)
                best = gap;
        }
    }
    return Number.isFinite(best) ? best : null;
}
/**
 * A bucket is stamped at its start and covers [t, t + interval): one that reaches past `toMs`
 * holds only part of its interval (a throughput reads low, a ratio of partial counts jumps) and
 * is never judged.
 */
function dropFillingBuckets(series, toMs, intervalMs) {
    return series.map((s) => ({ ...s, points: s.points.filter((p) => p[0] * 1000 + intervalMs <= toMs) }));
}
/** Datadog's X-RateLimit-Reset is the seconds until the limit resets (not a date). */
function rateLimitWaitMs(status, headers, nowMs) {
    const reset = headers.get('x-ratelimit-reset');
    if (status === 429 && reset !== null && /^\d+$/.test(reset.trim()))
        return Number(reset.trim()) * 1000;
    return (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .parseRetryAfter */ .mu)(headers.get('retry-after'), nowMs);
}
function errorsText(body, text) {
    const errors = body?.errors;
    if (Array.isArray(errors) && errors.length > 0)
        return errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ');
    if (typeof errors === 'string' && errors)
        return errors;
    return (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .snippet */ .UA)(text) || 'no body';
}
/** The API root: the `url` override, else the site's API host. */
function datadogBaseUrl(config) {
    return config.url ?? `https://api.${config.site ?? 'datadoghq.com'}`;
}
/**
 * `type: datadog`: the metrics query language through the v2 timeseries endpoint, for windowed
 * and instant gates alike (instant: the newest point of the last few minutes).
 */
function datadogProvider(config, ctx) {
    ctx.redactor.add(config.apiKey);
    ctx.redactor.add(config.appKey);
    const api = new _http_api_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpApi */ .RF('datadog', { url: datadogBaseUrl(config), headers: { 'DD-API-KEY': config.apiKey, 'DD-APPLICATION-KEY': config.appKey }, retries: config.retries }, ctx);
    const limiter = new _http_api_js__WEBPACK_IMPORTED_MODULE_2__/* .Limiter */ .jG(4);
    const run = async (req) => {
        let q;
        try {
            q = parseDatadogQuery(req.query);
        }
        catch (e) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(api.redact(`${api.label}: ${e.message}`));
        }
        const lookback = req.gate.staleAfterMs ?? _prometheus_js__WEBPACK_IMPORTED_MODULE_5__.DEFAULT_STALE_AFTER_MS;
        const [from, to, interval] = req.range
            ? [req.range.startMs, req.range.endMs, req.range.stepMs]
            : [req.nowMs - lookback, req.nowMs, Math.min(INSTANT_INTERVAL_MS, lookback)];
        const what = `gate "${req.gate.name}"${req.role === 'baseline' ? ' (baseline)' : ''}: ${q.formula} over ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(to - from)} every ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(interval)}`;
        const res = await api.request(TIMESERIES_PATH, new URLSearchParams(), req.signal, {
            json: timeseriesBody(q, from, to, interval),
            what,
            retryAfterOf: rateLimitWaitMs,
            maxRetryAfterMs: MAX_RATE_LIMIT_WAIT_MS,
        });
        if (res.status < 200 || res.status >= 300) {
            const hint = res.status === 404 ? ' (is the url the Datadog API root?)' : (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .credentialHint */ .P3)(res.status, 'apiKey and appKey');
            // 400: Datadog could not parse the query or formula.
            throw (0,_failure_js__WEBPACK_IMPORTED_MODULE_1__/* .providerFailure */ .Y)({ label: api.label, what: `HTTP ${res.status} from /${TIMESERIES_PATH}${hint}: ${errorsText(res.body, res.text)}`, status: res.status, attempts: res.attempts, query: res.status === 400, redact: (t) => api.redact(t) });
        }
        const errors = res.body?.errors;
        if (typeof errors === 'string' && errors.trim() !== '')
            throw (0,_failure_js__WEBPACK_IMPORTED_MODULE_1__/* .providerFailure */ .Y)({ label: api.label, what: `the query failed: ${errors}`, query: true, redact: (t) => api.redact(t) });
        try {
            const parsed = parseTimeseries(res.body);
            // Datadog rolls up to its own interval (20 s over an hour, 1 m over four): the spacing it
            // returned is the resolution. The bucket holding `to` is still filling: left out.
            const rollupMs = rollupIntervalMs(parsed) ?? interval;
            const complete = req.range ? dropFillingBuckets(parsed, to, rollupMs) : parsed;
            const answer = (0,_points_js__WEBPACK_IMPORTED_MODULE_4__/* .interpretPoints */ .n)(complete, req, AGGREGATE_HINT);
            if (answer.noDataReason)
                answer.noDataReason = api.redact(answer.noDataReason);
            return req.range ? { ...answer, resolutionMs: rollupMs } : answer;
        }
        catch (e) {
            if (e instanceof _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_6__/* .ProviderError */ .mZ(api.redact(`${api.label}: ${e.message}${res.body === undefined ? `: ${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .snippet */ .UA)(res.text)}` : ''}`));
            throw e;
        }
    };
    return { query: (req) => limiter.run(() => run(req)), close: () => api.close() };
}


/***/ }),

/***/ 2251:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   n: () => (/* binding */ interpretPoints)
/* harmony export */ });
/* harmony import */ var _prometheus_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6084);

/**
 * From parsed series to the gate's answer. Nulls are points without data: a window skips them, an
 * instant gate takes each series' newest non-null point. Only nulls is no data, never a pass.
 */
function interpretPoints(parsed, req, aggregateHint) {
    const series = parsed.map((s) => ({ labels: s.labels, samples: s.points.filter((p) => p[1] !== null) }));
    const withPoints = parsed.filter((s) => s.points.length > 0).length;
    if (withPoints > 0 && series.every((s) => s.samples.length === 0)) {
        const count = parsed.length === 1 ? 'the series' : `all ${parsed.length} series`;
        return { samples: [], noDataReason: `every point of ${count} is null (no data in the window)`, detail: { seriesCount: parsed.length } };
    }
    if (req.range)
        return (0,_prometheus_js__WEBPACK_IMPORTED_MODULE_0__.interpretResult)({ resultType: 'matrix', series }, req.gate, req.nowMs, aggregateHint);
    // Instant: each series' newest point; with several series, all at the oldest of those instants so staleness is judged on the stalest.
    const newest = series.filter((s) => s.samples.length > 0).map((s) => ({ labels: s.labels, sample: s.samples.at(-1) }));
    const at = Math.min(...newest.map((n) => n.sample[0]));
    return (0,_prometheus_js__WEBPACK_IMPORTED_MODULE_0__.interpretResult)({ resultType: 'vector', series: newest.map((n) => ({ labels: n.labels, samples: [[newest.length > 1 ? at : n.sample[0], n.sample[1]]] })) }, req.gate, req.nowMs, aggregateHint);
}


/***/ })

};
