export const id = 5;
export const ids = [5];
export const modules = {

/***/ 8005:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   applyStage: () => (/* binding */ applyStage)
/* harmony export */ });
/* unused harmony exports APPLY_MAX_ATTEMPTS, ApplyError */
/* harmony import */ var _transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9721);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8608);
/* harmony import */ var _event_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(542);



const APPLY_MAX_ATTEMPTS = 3;
/** The traffic change was not applied. The message names the method and the redacted URL, never a secret. */
class ApplyError extends Error {
    target;
    status;
    attempts;
    constructor(message, 
    /** Host and path as shown: `flags.internal/rollouts/chat`. */
    target, 
    /** The last HTTP status, or null when no answer came. */
    status, attempts) {
        super(message);
        this.target = target;
        this.status = status;
        this.attempts = attempts;
        this.name = 'ApplyError';
    }
}
/**
 * Calls `apply` with the stage the rollout moves to: JSON body, the configured headers, 429/5xx
 * and network errors tried again (the body is the desired state, so a repeat is harmless), all
 * attempts within `apply.timeout`. A 2xx is success; anything else throws ApplyError.
 */
async function applyStage(apply, body, opts) {
    const { redactor } = opts;
    const shown = (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .displayTarget */ .E)('apply', apply.url, redactor);
    const what = `apply: ${apply.method} ${shown}`;
    const req = (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .withCredentials */ .tE)(apply.url, { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'rollout-gate', ...apply.headers }, redactor);
    const signal = AbortSignal.timeout(apply.timeoutMs);
    let res;
    try {
        res = await (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .httpRequest */ .aj)({
            method: apply.method,
            url: req.url,
            headers: req.headers,
            body: JSON.stringify(redactor.redactDeep(body)),
            signal,
            retries: Math.max(0, (opts.maxAttempts ?? APPLY_MAX_ATTEMPTS) - 1),
            maxRetryAfterMs: apply.timeoutMs,
            maxBytes: 256 * 1024,
            fetch: opts.fetch ?? fetch,
            sleep: opts.sleep,
            random: opts.random,
            onAttempt: (a) => opts.logger.debug(redactor.redact(`${what}: attempt ${a.attempt}: ${a.status !== null ? `HTTP ${a.status}` : a.error} (${a.elapsedMs} ms)`)),
        });
    }
    catch (e) {
        if (!(e instanceof _transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpRequestError */ .Ci))
            throw e;
        const why = e.kind === 'cancelled' ? `no success within ${apply.timeoutMs} ms` : e.message;
        throw new ApplyError(redactor.redact(`${what} failed: ${why} (${e.attempts} attempt${e.attempts === 1 ? '' : 's'})`), shown, null, e.attempts);
    }
    if (res.status >= 200 && res.status < 300) {
        opts.logger.debug(`${what}: HTTP ${res.status}`);
        return { status: res.status, attempts: res.attempts };
    }
    const answer = (0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .snippet */ .UA)(res.text);
    const message = `${what} answered HTTP ${res.status}${(0,_transport_http_request_js__WEBPACK_IMPORTED_MODULE_0__/* .credentialHint */ .P3)(res.status, 'apply.headers')}${answer ? `: ${answer}` : ''}${res.attempts > 1 ? ` (after ${res.attempts} attempts)` : ''}`;
    throw new ApplyError(redactor.redact(message), shown, res.status, res.attempts);
}


/***/ })

};
