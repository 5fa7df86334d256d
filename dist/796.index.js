export const id = 796;
export const ids = [796];
export const modules = {

/***/ 4796:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cloudwatchPeriod: () => (/* binding */ cloudwatchPeriod),
/* harmony export */   cloudwatchProvider: () => (/* binding */ cloudwatchProvider),
/* harmony export */   metricDataQuery: () => (/* binding */ metricDataQuery),
/* harmony export */   resultsToSeries: () => (/* binding */ resultsToSeries)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(4085);
/* harmony import */ var _engine_duration_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1168);
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9721);
/* harmony import */ var _http_api_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2205);
/* harmony import */ var _points_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2251);
/* harmony import */ var _prometheus_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6084);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5163);









const AGGREGATE_HINT = 'aggregate them in the expression (SUM(SEARCH(…)), or a Metrics Insights query without GROUP BY)';
/** Pages of GetMetricData read at most: a gate's window is never this many. */
const MAX_PAGES = 50;
/** A period CloudWatch accepts: 1, 5, 10, 30 or a multiple of 60 seconds, at least `seconds`. */
function cloudwatchPeriod(seconds) {
    for (const p of [1, 5, 10, 30])
        if (seconds <= p)
            return p;
    return Math.ceil(seconds / 60) * 60;
}
/** The MetricDataQuery for a gate's query text: a MetricStat (JSON from the config) or a metric-math expression. */
function metricDataQuery(text, periodS) {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
        let stat;
        try {
            stat = JSON.parse(trimmed);
        }
        catch {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ('the query starts with "{" but is not a MetricStat ({ namespace, metric, dimensions, stat, period })');
        }
        if (typeof stat.namespace !== 'string' || typeof stat.metric !== 'string' || typeof stat.stat !== 'string') {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ('a MetricStat needs namespace, metric and stat');
        }
        return {
            Id: 'q',
            ReturnData: true,
            MetricStat: {
                Metric: {
                    Namespace: stat.namespace,
                    MetricName: stat.metric,
                    Dimensions: Object.entries(stat.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
                },
                Period: stat.period ?? periodS,
                Stat: stat.stat,
            },
        };
    }
    return { Id: 'q', Expression: trimmed, Period: periodS, ReturnData: true };
}
/** The period a query reads at: its MetricStat's own, else the gate's step (60 s for an instant gate). */
function periodOf(query) {
    return query.MetricStat?.Period ?? query.Period ?? 60;
}
/**
 * Results (all pages merged, one per Id and Label) as series, each datapoint at the end of its
 * period: CloudWatch stamps a period's start, a gate judges what was known at the instant. A
 * period still running at `endS` is left out: its Sum or SampleCount is only part of the period.
 */
function resultsToSeries(results, periodS, endS = Infinity) {
    const out = new Map();
    for (const r of results) {
        if (r.StatusCode === 'Forbidden' || r.StatusCode === 'InternalError') {
            const messages = (r.Messages ?? []).map((m) => `${m.Code ?? ''} ${m.Value ?? ''}`.trim()).join('; ');
            throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(`the query's status is ${r.StatusCode}${messages ? `: ${messages}` : ''}`);
        }
        const key = `${r.Id ?? ''}\u0000${r.Label ?? ''}`;
        let s = out.get(key);
        if (!s)
            out.set(key, (s = { labels: r.Label ? { label: r.Label } : {}, points: [] }));
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        for (let i = 0; i < ts.length; i++) {
            const v = vs[i];
            const at = ts[i].getTime() / 1000 + periodS;
            if (at <= endS)
                s.points.push([at, typeof v === 'number' ? v : null]);
        }
    }
    for (const s of out.values())
        s.points.sort((a, b) => a[0] - b[0]);
    return [...out.values()];
}
/** A body the SDK built as bytes, as text (read through its buffer: the SDK frowns on string methods on it). */
function bytesText(body) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}
/** Static credentials from the environment, or null when it holds none. */
function envCredentials(env) {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey)
        return null;
    return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}
/**
 * A request handler for the AWS SDK that sends through our bounded, retried request (injected
 * fetch, size limit, Retry-After capped, the gate's signal): the SDK only builds and signs.
 */
/** A request the SDK sends without an abort signal (the STS call of a web identity) gives up after this. */
const UNSIGNALLED_TIMEOUT_MS = 30_000;
function requestHandler(ctx, label, retries) {
    return {
        metadata: { handlerProtocol: 'http/1.1' },
        async handle(request, options) {
            const url = new URL(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`);
            for (const [k, v] of Object.entries(request.query ?? {})) {
                for (const item of Array.isArray(v) ? v : [v])
                    if (item !== null)
                        url.searchParams.append(k, item);
            }
            const { host: _host, ...headers } = request.headers;
            const body = request.body === undefined || request.body === null ? undefined : typeof request.body === 'string' ? request.body : bytesText(request.body);
            try {
                const res = await (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .httpRequest */ .aj)({
                    method: request.method,
                    url: url.toString(),
                    headers,
                    body,
                    // The SDK's own calls (STS for a web identity) come without a signal: bound them anyway.
                    signal: options?.abortSignal ?? AbortSignal.timeout(UNSIGNALLED_TIMEOUT_MS),
                    retries,
                    fetch: ctx.fetch,
                    maxRetryAfterMs: 10_000,
                    onAttempt: ({ attempt, status, error, elapsedMs }) => ctx.logger.debug(ctx.redactor.redact(`${label}: ${request.method} ${url.host}${url.pathname} ${headers['x-amz-target'] ?? ''} → ${status !== null ? `HTTP ${status}` : error} in ${elapsedMs}ms (attempt ${attempt})`)),
                });
                const responseHeaders = {};
                res.headers.forEach((v, k) => (responseHeaders[k] = v));
                return { response: { statusCode: res.status, reason: '', headers: responseHeaders, body: new Uint8Array(Buffer.from(res.text)), attempts: res.attempts } };
            }
            catch (e) {
                if (!(e instanceof _transport_http_request_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpRequestError */ .Ci))
                    throw e;
                if (e.kind === 'cancelled')
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(`request aborted (${e.message})`);
                if (e.kind === 'too-large')
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(e.message);
                throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(`cannot reach ${url.origin}: ${e.message}`, true);
            }
        },
        updateHttpClientConfig() { },
        httpHandlerConfigs() {
            return {};
        },
        destroy() { },
    };
}
/** What went wrong in a call, in AWS' words (error code and message), with the status. */
function failure(e) {
    if (e instanceof _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ)
        return { message: e.message, status: null };
    const err = e;
    const status = err.$metadata?.httpStatusCode ?? null;
    const name = typeof err.name === 'string' && err.name !== 'Error' ? `${err.name}: ` : '';
    // The SDK's messages may run on with advice about its own fields: the first line says it.
    const message = typeof err.message === 'string' && err.message ? err.message.split('\n')[0].trim() : 'no message';
    if (status !== null && status >= 200 && status < 300)
        return { message: `the answer (HTTP ${status}) is not a CloudWatch response: ${name}${message}`, status };
    return { message: `${status !== null ? `HTTP ${status} ` : ''}${name}${message}`, status };
}
/**
 * `type: cloudwatch`: GetMetricData through the official client (SigV4, the JSON protocol),
 * credentials from the environment, a web identity (GitHub's OIDC role) or the SDK's own chain
 * (profiles, SSO, containers, instance roles). Every page (NextToken) is read.
 */
function cloudwatchProvider(config, ctx) {
    const env = ctx.env ?? process.env;
    const label = `cloudwatch "${ctx.name}"`;
    const handler = requestHandler(ctx, label, config.retries ?? _http_api_js__WEBPACK_IMPORTED_MODULE_4__/* .DEFAULT_RETRIES */ .TU);
    const fixed = envCredentials(env);
    let credentials;
    if (fixed) {
        ctx.redactor.add(fixed.secretAccessKey);
        ctx.redactor.add(fixed.sessionToken);
        credentials = async () => fixed;
    }
    else if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
        // What aws-actions/configure-aws-credentials leaves behind for an OIDC role (and EKS for IRSA).
        const tokenFile = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(env.AWS_WEB_IDENTITY_TOKEN_FILE) ? env.AWS_WEB_IDENTITY_TOKEN_FILE : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(ctx.cwd, env.AWS_WEB_IDENTITY_TOKEN_FILE);
        const roleArn = env.AWS_ROLE_ARN;
        let assumed = null;
        credentials = () => (assumed ??= (async () => {
            let token;
            try {
                token = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(tokenFile, 'utf8').trim();
            }
            catch (e) {
                throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(`AWS_WEB_IDENTITY_TOKEN_FILE ${tokenFile}: cannot read it (${e.code ?? e.message})`);
            }
            ctx.redactor.add(token);
            const { fromWebToken } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 9956, 19));
            const stsEndpoint = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
            const creds = await fromWebToken({
                roleArn,
                webIdentityToken: token,
                roleSessionName: env.AWS_ROLE_SESSION_NAME ?? 'rollout-gate',
                clientConfig: { region: config.region, requestHandler: handler, maxAttempts: 1, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) },
            })();
            ctx.redactor.add(creds.secretAccessKey);
            ctx.redactor.add(creds.sessionToken);
            return creds;
        })()).catch((e) => {
            assumed = null;
            throw e;
        });
    }
    const client = new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_8__/* .CloudWatchClient */ .WBn({
        region: config.region,
        maxAttempts: 1,
        requestHandler: handler,
        ...(config.endpoint ? { endpoint: config.endpoint } : env.AWS_ENDPOINT_URL_CLOUDWATCH ? { endpoint: env.AWS_ENDPOINT_URL_CLOUDWATCH } : {}),
        ...(credentials ? { credentials } : {}),
    });
    const limiter = new _http_api_js__WEBPACK_IMPORTED_MODULE_4__/* .Limiter */ .jG(4);
    const run = async (req) => {
        // A standard-resolution metric has one point a minute: ask for Period 60 unless the gate's own
        // `step` asks for less (a high-resolution metric), or a long window's step for more.
        const stepS = req.range
            ? cloudwatchPeriod(req.gate.stepMs !== null ? req.range.stepMs / 1000 : Math.max(60, req.range.stepMs / 1000))
            : 60;
        let query;
        try {
            query = metricDataQuery(req.query, stepS);
        }
        catch (e) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(ctx.redactor.redact(`${label}: ${e.message}`));
        }
        const periodS = periodOf(query);
        const lookbackMs = Math.max(req.gate.staleAfterMs ?? _prometheus_js__WEBPACK_IMPORTED_MODULE_6__.DEFAULT_STALE_AFTER_MS, 3 * periodS * 1000);
        // Datapoints are stamped at their period's end below: the window starts a period earlier.
        const [startMs, endMs] = req.range ? [req.range.startMs - periodS * 1000, req.range.endMs] : [req.nowMs - lookbackMs, req.nowMs];
        const results = [];
        const messages = [];
        let nextToken;
        let pages = 0;
        try {
            do {
                const out = await client.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_8__/* .GetMetricDataCommand */ .Soe({
                    MetricDataQueries: [query],
                    StartTime: new Date(startMs),
                    EndTime: new Date(endMs),
                    ScanBy: 'TimestampAscending',
                    ...(nextToken ? { NextToken: nextToken } : {}),
                }), { abortSignal: req.signal });
                results.push(...(out.MetricDataResults ?? []));
                for (const m of out.Messages ?? [])
                    messages.push(`${m.Code ?? ''} ${m.Value ?? ''}`.trim());
                nextToken = out.NextToken;
                pages++;
            } while (nextToken && pages < MAX_PAGES);
        }
        catch (e) {
            if (req.signal.aborted)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(ctx.redactor.redact(`${label}: request aborted (${String(req.signal.reason?.message ?? 'timeout or deadline')})`));
            const f = failure(e);
            const hint = f.status === 401 || f.status === 403 ? ' (check the AWS credentials and the role\'s cloudwatch:GetMetricData permission)' : '';
            const retryable = e instanceof _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ ? e.retryable : f.status === 429 || (f.status ?? 0) >= 500;
            throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(ctx.redactor.redact(`${label}: GetMetricData ${req.range ? `over ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a3)(endMs - startMs)} ` : ''}failed: ${f.message}${hint}`), retryable);
        }
        if (nextToken)
            throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(`${label}: more than ${MAX_PAGES} pages of datapoints; narrow the query or set a larger step`);
        let answer;
        try {
            answer = (0,_points_js__WEBPACK_IMPORTED_MODULE_5__/* .interpretPoints */ .n)(resultsToSeries(results, periodS, endMs / 1000), req, AGGREGATE_HINT);
        }
        catch (e) {
            if (e instanceof _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_7__/* .ProviderError */ .mZ(ctx.redactor.redact(`${label}: ${e.message}`));
            throw e;
        }
        if (answer.noDataReason)
            answer.noDataReason = ctx.redactor.redact(answer.noDataReason);
        const warnings = messages.map((m) => ctx.redactor.redact(`${label}: ${m}`));
        return { ...answer, resolutionMs: periodS * 1000, ...(warnings.length ? { warnings } : {}), detail: { ...(answer.detail ?? {}), period: (0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a3)(periodS * 1000) } };
    };
    return {
        query: (req) => limiter.run(() => run(req)),
        close: async () => client.destroy(),
    };
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
