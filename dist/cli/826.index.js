export const id = 826;
export const ids = [826];
export const modules = {

/***/ 7826:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   neededText: () => (/* binding */ neededText),
/* harmony export */   probeExit: () => (/* binding */ probeExit),
/* harmony export */   probeGates: () => (/* binding */ probeGates),
/* harmony export */   renderProbe: () => (/* binding */ renderProbe)
/* harmony export */ });
/* unused harmony exports medianGapMs, describeProbe */
/* harmony import */ var _engine_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1168);
/* harmony import */ var _engine_windows_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(771);
/* harmony import */ var _providers_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4534);



/** "needed at run time: A, B": the variables a lint job without secrets left unset. */
function neededText(config) {
    const unset = config.unsetVariables ?? [];
    if (unset.length === 0)
        return '';
    return `\nneeded at run time: ${unset.map((u) => u.name).join(', ')}\n${unset.map((u) => `  ${u.name.padEnd(24)} used at ${u.path}`).join('\n')}\n(validate --strict fails on these)\n`;
}
/** The median gap between the samples in whatever order a store returned them, ms; null with fewer than two. */
function medianGapMs(samples) {
    const spacing = (0,_engine_windows_js__WEBPACK_IMPORTED_MODULE_1__/* .medianSpacingSeconds */ .NE)(samples.map((s) => s[0]).sort((a, b) => a - b));
    return spacing === null ? null : spacing * 1000;
}
/** What one gate's query returned, in one line: samples, resolution, the newest sample's age and value, or why nothing. */
function describeProbe(gate, obs, nowMs) {
    const head = { gate: gate.name, provider: gate.provider };
    if (!obs)
        return { ...head, outcome: 'error', text: 'not queried' };
    if (obs.error)
        return obs.queryError ? { ...head, outcome: 'query_error', text: `query error: ${obs.error}` } : { ...head, outcome: 'error', text: `error: ${obs.error}` };
    const samples = obs.samples;
    if (obs.noDataReason || samples.length === 0)
        return { ...head, outcome: 'no_data', text: `no data: ${obs.noDataReason ?? 'no samples'}` };
    let newest = samples[0];
    for (const s of samples)
        if (s[0] > newest[0])
            newest = s;
    const gap = medianGapMs(samples);
    const ageMs = Math.max(0, nowMs - newest[0] * 1000);
    const parts = [
        `${samples.length} sample${samples.length === 1 ? '' : 's'}`,
        gap === null ? 'instant' : `every ${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(Math.round(gap))}`,
        `newest ${ageMs < 1000 ? 'now' : `${(0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(Math.round(ageMs / 1000) * 1000)} ago`}: ${typeof newest[1] === 'boolean' ? String(newest[1]) : (0,_engine_windows_js__WEBPACK_IMPORTED_MODULE_1__/* .fmt */ .Sc)(newest[1])}`,
    ];
    if (obs.baseline)
        parts.push(`baseline ${obs.baseline.length} sample${obs.baseline.length === 1 ? '' : 's'}`);
    return { ...head, outcome: 'data', text: parts.join(', ') };
}
/**
 * `validate --probe`: every gate's query once, read-only, within the run's deadline. The github
 * gates need the Action and are listed as not probed.
 */
async function probeGates(o) {
    const probed = o.config.gates.filter((g) => g.providerType !== 'github');
    const { observations, deadlineExceeded } = await (0,_providers_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectObservations */ .Gd)({
        gates: probed,
        providers: o.config.providers,
        factories: o.factories,
        nowMs: o.nowMs,
        target: null,
        cwd: o.cwd,
        logger: o.logger,
        redactor: o.redactor,
        defaultTimeoutMs: o.config.defaults.timeoutMs,
        concurrency: o.config.defaults.concurrency,
        deadlineAt: o.config.deadlineMs === null ? null : Date.now() + o.config.deadlineMs,
        env: o.env,
        ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    const lines = o.config.gates.map((g) => {
        if (g.providerType === 'github')
            return { gate: g.name, provider: g.provider, outcome: 'not_probed', text: 'not probed: the github provider answers in the Action only' };
        const line = describeProbe(g, observations.get(g.name), o.nowMs);
        return deadlineExceeded && line.outcome === 'error' ? { ...line, text: `${line.text} (the deadline passed)` } : line;
    });
    return lines.map((l) => ({ ...l, text: o.redactor.redact(l.text) }));
}
function renderProbe(lines, nowMs) {
    const width = Math.min(40, Math.max(4, ...lines.map((l) => l.gate.length)));
    const pwidth = Math.min(16, Math.max(...lines.map((l) => l.provider.length + 2)));
    const out = [`\nprobe: each gate's query once at ${new Date(nowMs).toISOString()}`];
    for (const l of lines)
        out.push(`  ${l.gate.padEnd(width)}  ${`[${l.provider}]`.padEnd(pwidth)}  ${l.text}`);
    const count = (k) => lines.filter((l) => l.outcome === k).length;
    const summary = [`${count('data')} with data`, `${count('no_data')} without data`, `${count('query_error')} query error${count('query_error') === 1 ? '' : 's'}`, `${count('error')} failed`];
    if (count('not_probed'))
        summary.push(`${count('not_probed')} not probed`);
    out.push(`  ${summary.join(', ')}`);
    return `${out.join('\n')}\n`;
}
/** 0 when every probed query answered (with data or without), 2 when a query is invalid, 1 when a store failed. */
function probeExit(lines) {
    if (lines.some((l) => l.outcome === 'query_error'))
        return 2;
    if (lines.some((l) => l.outcome === 'error'))
        return 1;
    return 0;
}


/***/ })

};
