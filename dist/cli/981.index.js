export const id = 981;
export const ids = [981];
export const modules = {

/***/ 9981:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_BUCKETS: () => (/* binding */ MAX_BUCKETS),
/* harmony export */   NERDGRAPH_URLS: () => (/* binding */ NERDGRAPH_URLS),
/* harmony export */   NRQL_QUERY: () => (/* binding */ NRQL_QUERY),
/* harmony export */   anchorNrql: () => (/* binding */ anchorNrql),
/* harmony export */   column: () => (/* binding */ column),
/* harmony export */   newrelicProvider: () => (/* binding */ newrelicProvider),
/* harmony export */   resultsToSeries: () => (/* binding */ resultsToSeries),
/* harmony export */   splitRange: () => (/* binding */ splitRange)
/* harmony export */ });
/* harmony import */ var _engine_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1168);
/* harmony import */ var _points_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2251);
/* harmony import */ var _failure_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3212);
/* harmony import */ var _http_api_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2205);
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9721);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5163);






const NERDGRAPH_URLS = { US: 'https://api.newrelic.com/graphql', EU: 'https://api.eu.newrelic.com/graphql' };
const NRQL_QUERY = 'query RolloutGateNrql($accountId: Int!, $nrql: Nrql!) { actor { account(id: $accountId) { nrql(query: $nrql) { results } } } }';
/** NRQL refuses a TIMESERIES of more buckets than this. */
const MAX_BUCKETS = 366;
/** NRQL's own window when a query names none. */
const DEFAULT_SINCE_MS = 3_600_000;
const AGGREGATE_HINT = 'drop FACET from the NRQL';
/** Columns that describe a row rather than measure something. */
const ROW_KEYS = new Set(['beginTimeSeconds', 'endTimeSeconds', 'facet', 'timestamp']);
const UNIT_MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
/** The NRQL with its quoted strings blanked (same length), for finding clauses: a WHERE value may say "since". */
const unquoted = (nrql) => nrql.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`/g, (m) => `${m[0]}${' '.repeat(m.length - 2)}${m[0]}`);
/**
 * The NRQL to send: the gate's query anchored at `now` (SINCE/UNTIL as epoch milliseconds, so a
 * replay with --now reads the same window), with TIMESERIES at the gate's step for `over`.
 */
function anchorNrql(nrql, req) {
    const base = nrql.trim().replace(/;$/, '');
    const plain = unquoted(base);
    if (/\b(UNTIL|TIMESERIES|COMPARE\s+WITH)\b/i.test(plain)) {
        throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ('leave UNTIL, TIMESERIES and COMPARE WITH out of the NRQL: the gate\'s time (and `over`/`step`) set them');
    }
    const since = /\bSINCE\s+(\d+)\s+(second|minute|hour|day|week)s?\s+AGO\b/i.exec(plain);
    if (/\bSINCE\b/i.test(plain) && (!since || req.range)) {
        throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(req.range ? 'leave SINCE out of the NRQL of a gate with `over`: the window sets it' : 'SINCE must be relative ("SINCE 30 minutes ago") so the gate reads the window before its own time');
    }
    if (req.range) {
        const { startMs, endMs, stepMs } = req.range;
        const buckets = Math.ceil((endMs - startMs) / stepMs);
        if (buckets > MAX_BUCKETS) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(`over/step makes ${buckets} buckets; NRQL allows ${MAX_BUCKETS} in one TIMESERIES: set a larger step (at least ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(Math.ceil((endMs - startMs) / MAX_BUCKETS / 1000) * 1000)})`);
        }
        return `${base} SINCE ${Math.round(startMs)} UNTIL ${Math.round(endMs)} TIMESERIES ${Math.max(1, Math.round(stepMs / 1000))} seconds`;
    }
    const windowMs = since ? Number(since[1]) * UNIT_MS[since[2].toLowerCase()] : DEFAULT_SINCE_MS;
    const stripped = since ? `${base.slice(0, since.index).trimEnd()} ${base.slice(since.index + since[0].length).trimStart()}` : base;
    return `${stripped.trim()} SINCE ${Math.round(req.nowMs - windowMs)} UNTIL ${Math.round(req.nowMs)}`;
}
/** [start, end] cut into consecutive ranges of at most `maxBuckets` steps each. */
function splitRange(range, maxBuckets) {
    const out = [];
    const span = range.stepMs * maxBuckets;
    for (let start = range.startMs; start < range.endMs; start += span)
        out.push({ startMs: start, endMs: Math.min(start + span, range.endMs), stepMs: range.stepMs });
    return out.length ? out : [range];
}
/** A result column by name; a name with dots (`percentile.duration.95`) may be a column and a key inside it. */
function column(row, name) {
    if (Object.hasOwn(row, name))
        return row[name];
    const keys = Object.keys(row)
        .filter((k) => name.startsWith(`${k}.`))
        .sort((a, b) => b.length - a.length);
    for (const k of keys) {
        const inner = row[k];
        if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
            const v = column(inner, name.slice(k.length + 1));
            if (v !== undefined)
                return v;
        }
    }
    return undefined;
}
/** The measured columns of a row (a percentile's object counts as one per percentile). */
function valueColumns(row) {
    const out = [];
    for (const [k, v] of Object.entries(row)) {
        if (ROW_KEYS.has(k) || typeof v === 'string' || typeof v === 'boolean')
            continue;
        if (v && typeof v === 'object' && !Array.isArray(v))
            for (const inner of Object.keys(v))
                out.push(`${k}.${inner}`);
        else
            out.push(k);
    }
    return out;
}
function toPoint(v, where) {
    if (v === null || v === undefined)
        return null;
    if (typeof v === 'number')
        return v;
    throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(`${where} is ${typeof v === 'object' ? 'an object' : JSON.stringify(v)}, not a number`);
}
/**
 * NerdGraph `results` as series: one per facet, the value at each bucket's end (or at now). A
 * TIMESERIES bucket that ends after `endS` (the window's end) is still filling: left out.
 */
function resultsToSeries(results, select, nowMs, windowed, endS = Infinity) {
    if (!Array.isArray(results))
        throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ('nrql.results is not a list');
    const bySeries = new Map();
    let name = select;
    results.forEach((raw, i) => {
        if (!raw || typeof raw !== 'object')
            throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(`results[${i}] is not an object`);
        const row = raw;
        if (name === null) {
            const cols = valueColumns(row);
            if (cols.length !== 1)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(`the result has ${cols.length === 0 ? 'no numeric column' : `columns ${cols.join(', ')}`}: set select on the gate to the one to read`);
            name = cols[0];
        }
        const value = column(row, name);
        if (value === undefined)
            throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(`the result has no column "${name}"; columns: ${valueColumns(row).join(', ') || 'none'}`);
        const facet = row.facet;
        const labels = facet === undefined ? {} : { facet: Array.isArray(facet) ? facet.map(String).join(', ') : String(facet) };
        const key = JSON.stringify(labels);
        let series = bySeries.get(key);
        if (!series)
            bySeries.set(key, (series = { labels, points: [] }));
        let ts = nowMs / 1000;
        if (windowed) {
            if (typeof row.endTimeSeconds !== 'number')
                throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(`results[${i}] has no endTimeSeconds (a TIMESERIES row)`);
            ts = row.endTimeSeconds;
            if (ts > endS)
                return;
        }
        series.points.push([ts, toPoint(value, `results[${i}].${name}`)]);
    });
    for (const s of bySeries.values())
        s.points.sort((a, b) => a[0] - b[0]);
    return [...bySeries.values()];
}
/** The length of a TIMESERIES bucket as New Relic reports it (end − begin of a row), or null. */
function bucketSeconds(rows) {
    for (const raw of rows) {
        const row = raw;
        if (row && typeof row.beginTimeSeconds === 'number' && typeof row.endTimeSeconds === 'number' && row.endTimeSeconds > row.beginTimeSeconds) {
            return row.endTimeSeconds - row.beginTimeSeconds;
        }
    }
    return null;
}
function graphqlErrors(body) {
    const errors = body?.errors;
    if (!Array.isArray(errors) || errors.length === 0)
        return null;
    return errors
        .map((e) => {
        const err = (e ?? {});
        const cls = typeof err.extensions?.errorClass === 'string' ? `${err.extensions.errorClass}: ` : '';
        return `${cls}${typeof err.message === 'string' ? err.message : JSON.stringify(e)}`;
    })
        .join('; ');
}
/**
 * `type: newrelic`: NRQL through NerdGraph. An instant gate reads the query's aggregate over its
 * SINCE window ending now; a gate with `over` adds TIMESERIES at its step. NerdGraph answers
 * failures as HTTP 200 with `errors`: those are errors, never data.
 */
function newrelicProvider(config, ctx) {
    ctx.redactor.add(config.apiKey);
    const url = config.url ?? NERDGRAPH_URLS[config.region ?? 'US'];
    const endpoint = new URL(url);
    const path = endpoint.pathname.replace(/^\//, '');
    endpoint.pathname = '/';
    const api = new _http_api_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpApi */ .RF('newrelic', { url: endpoint.toString(), headers: { 'API-Key': config.apiKey }, retries: config.retries }, ctx);
    const accountId = Number(config.accountId);
    const limiter = new _http_api_js__WEBPACK_IMPORTED_MODULE_3__/* .Limiter */ .jG(4);
    /** One NRQL question; its result rows. */
    const ask = async (req, range) => {
        let nrql;
        try {
            nrql = anchorNrql(req.query, { nowMs: req.nowMs, range });
        }
        catch (e) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(api.redact(`${api.label}: ${e.message}`));
        }
        const what = `gate "${req.gate.name}"${req.role === 'baseline' ? ' (baseline)' : ''}: ${nrql}`;
        const res = await api.request(path, new URLSearchParams(), req.signal, { json: { query: NRQL_QUERY, variables: { accountId, nrql } }, what });
        const errors = graphqlErrors(res.body);
        const redact = (t) => api.redact(t);
        if (res.status < 200 || res.status >= 300) {
            const why = errors ?? ((0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_4__/* .snippet */ .UA)(res.text) || 'no body');
            throw (0,_failure_js__WEBPACK_IMPORTED_MODULE_2__/* .providerFailure */ .Y)({ label: api.label, what: `HTTP ${res.status} from /${path}${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_4__/* .credentialHint */ .P3)(res.status, 'apiKey (a User key)')}: ${why}`, status: res.status, attempts: res.attempts, redact });
        }
        // NerdGraph answers failures as HTTP 200 with `errors`; an NRQL syntax error is a query error.
        if (errors !== null)
            throw (0,_failure_js__WEBPACK_IMPORTED_MODULE_2__/* .providerFailure */ .Y)({ label: api.label, what: `NerdGraph refused the query: ${errors}`, query: /NRQL Syntax Error|INVALID_INPUT/i.test(errors), redact });
        const nrqlResult = res.body?.data?.actor?.account?.nrql;
        if (!nrqlResult || typeof nrqlResult !== 'object') {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(api.redact(`${api.label}: the answer has no data.actor.account.nrql${res.body === undefined ? `: ${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_4__/* .snippet */ .UA)(res.text)}` : ''}`));
        }
        return { nrql, rows: nrqlResult.results };
    };
    const run = async (req) => {
        // A window of more than 366 buckets (calibrate reads days) is asked in consecutive parts.
        const parts = req.range ? splitRange(req.range, MAX_BUCKETS) : [null];
        const rows = [];
        let nrql = '';
        for (const range of parts) {
            const part = await ask(req, range);
            if (!Array.isArray(part.rows))
                throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(api.redact(`${api.label}: nrql.results is not a list`));
            rows.push(...part.rows);
            nrql ||= part.nrql;
        }
        try {
            const answer = (0,_points_js__WEBPACK_IMPORTED_MODULE_1__/* .interpretPoints */ .n)(resultsToSeries(rows, req.gate.select, req.nowMs, req.range !== null, req.range ? req.range.endMs / 1000 : Infinity), req, AGGREGATE_HINT);
            if (answer.noDataReason)
                answer.noDataReason = api.redact(answer.noDataReason);
            const bucketS = bucketSeconds(rows);
            return { ...answer, ...(req.range && bucketS ? { resolutionMs: bucketS * 1000 } : {}), detail: { ...(answer.detail ?? {}), nrql: parts.length > 1 ? `${nrql} (and ${parts.length - 1} later parts)` : nrql } };
        }
        catch (e) {
            if (e instanceof _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .ProviderError */ .mZ(api.redact(`${api.label}: ${e.message}`));
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
