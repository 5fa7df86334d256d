export const id = 596;
export const ids = [596];
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

/***/ 1596:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_HTTP_RETRIES: () => (/* binding */ DEFAULT_HTTP_RETRIES),
/* harmony export */   httpProvider: () => (/* binding */ httpProvider)
/* harmony export */ });
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9721);
/* harmony import */ var _failure_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3212);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5163);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3190);




const DEFAULT_HTTP_RETRIES = 2;
/**
 * Gate values from an HTTP JSON service: the gate's `query` is appended to the provider URL and
 * `select` is a dotted path into the body (array indices allowed). A POST sends the gate, the
 * target stage and the window as JSON. Non-2xx and non-JSON answers are errors with the status
 * and the start of the body; network errors, 429 and 5xx are retried.
 */
function httpProvider(config, ctx) {
    const method = config.method ?? 'GET';
    const target = (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .withCredentials */ .tE)(config.url, config.headers ?? {}, ctx.redactor);
    return {
        async query(req) {
            const url = (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .joinUrl */ .we)(target.url, req.query);
            const where = `http provider "${ctx.name}" ${method} ${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .displayUrl */ .Qy)(url)}`;
            const headers = { accept: 'application/json', ...target.headers };
            let body;
            if (method === 'POST') {
                if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
                    headers['content-type'] = 'application/json';
                body = JSON.stringify({
                    gate: req.gate.name,
                    role: req.role,
                    target: req.target,
                    now: new Date(req.nowMs).toISOString(),
                    range: req.range && { start: new Date(req.range.startMs).toISOString(), end: new Date(req.range.endMs).toISOString(), stepSeconds: req.range.stepMs / 1000 },
                });
            }
            let res;
            try {
                res = await (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .httpRequest */ .aj)({ method, url, headers, body, signal: req.signal, retries: config.retries ?? DEFAULT_HTTP_RETRIES, fetch: ctx.fetch });
            }
            catch (e) {
                if (e instanceof _transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpRequestError */ .Ci)
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(ctx.redactor.redact(`${where}: ${e.message}`));
                throw e;
            }
            if (res.status < 200 || res.status > 299) {
                // 400 and 404: the service says the query (the path it was asked) is not one it answers.
                throw (0,_failure_js__WEBPACK_IMPORTED_MODULE_1__/* .providerFailure */ .Y)({
                    label: where,
                    what: `HTTP ${res.status}${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .credentialHint */ .P3)(res.status, "the provider's headers or the credentials in its url")}: ${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .snippet */ .UA)(res.text) || '(empty body)'}`,
                    attempts: res.attempts,
                    query: res.status === 400 || res.status === 404,
                    redact: (t) => ctx.redactor.redact(t),
                });
            }
            let doc;
            try {
                doc = JSON.parse(res.text);
            }
            catch {
                const type = res.headers.get('content-type');
                throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(ctx.redactor.redact(`${where}: HTTP ${res.status} answer is not JSON${type ? ` (${type})` : ''}: ${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .snippet */ .UA)(res.text) || '(empty body)'}`));
            }
            const path = req.gate.select ?? '';
            const value = (0,_values_js__WEBPACK_IMPORTED_MODULE_3__/* .selectPath */ .k4)(doc, path);
            const at = path ? `"${path}"` : 'the body';
            if (value === undefined)
                return { samples: [], noDataReason: `the answer has no value at ${at}` };
            if (value === null)
                return { samples: [], noDataReason: `the value at ${at} is null` };
            return { samples: (0,_values_js__WEBPACK_IMPORTED_MODULE_3__/* .toSamples */ .BN)(value, req.nowMs, `the value at ${at}`) };
        },
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
