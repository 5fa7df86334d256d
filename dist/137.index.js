export const id = 137;
export const ids = [137];
export const modules = {

/***/ 5137:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runCalibration: () => (/* binding */ runCalibration)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./lib/engine/calibrate.js
var calibrate = __webpack_require__(6531);
// EXTERNAL MODULE: ./lib/engine/duration.js
var duration = __webpack_require__(1168);
// EXTERNAL MODULE: ./lib/engine/model.js
var model = __webpack_require__(9963);
// EXTERNAL MODULE: ./lib/providers/index.js
var providers = __webpack_require__(4534);
// EXTERNAL MODULE: ./lib/providers/prometheus.js
var prometheus = __webpack_require__(6084);
// EXTERNAL MODULE: ./lib/report/charts.js
var charts = __webpack_require__(3169);
// EXTERNAL MODULE: ./lib/engine/windows.js
var windows = __webpack_require__(771);
// EXTERNAL MODULE: ./lib/report/escape.js
var report_escape = __webpack_require__(2527);
;// CONCATENATED MODULE: ./lib/report/calibration.js





/** calibration.md and baseline.md: the result of `calibrate` as tables, one row per gate. */
const num = (v) => (v === null ? '—' : (0,windows/* fmt */.Sc)(v));
/** A fail rate as a percentage of 2 significant digits: 0.89%, 12%, 0%. */
function rateText(rate) {
    if (rate === null)
        return '—';
    return `${Number((rate * 100).toPrecision(2))}%`;
}
function windowText(gate) {
    if (!gate?.overMs)
        return '—';
    return `${(0,duration/* formatDuration */.a3)(gate.overMs)}${gate.failAfterMs !== null ? ` (failAfter ${(0,duration/* formatDuration */.a3)(gate.failAfterMs)})` : ''}`;
}
const chartText = (g) => (g.chart.length >= 2 ? (0,charts/* sparkline */.KM)(g.chart) : '—');
function heading(title, c) {
    return [
        `# ${title}: ${(0,report_escape/* inlineMarkdown */.x)(c.rollout)}`,
        '',
        `The last ${c.days} day${c.days === 1 ? '' : 's'} up to ${c.at}, cut into consecutive windows of each gate's \`over\`, each judged as a decision would judge it.`,
        '',
    ];
}
function notes(c) {
    const lines = c.gates.filter((g) => g.error || g.note || g.noData || g.warning || g.excluded).map((g) => {
        const parts = [
            g.error ? `could not read the history: ${g.error}` : null,
            g.warning ? `⚠️ ${g.warning}` : null,
            g.note,
            g.noData ? `${g.noData} window${g.noData === 1 ? '' : 's'} without data (not counted)` : null,
            g.excluded ? `${g.excluded} window${g.excluded === 1 ? '' : 's'} excluded (overlapping ${c.exclude.map((r) => `${r.from}..${r.to}`).join(', ')})` : null,
        ];
        return `- **${(0,report_escape/* inlineMarkdown */.x)(g.name)}**: ${(0,report_escape/* inlineMarkdown */.x)(parts.filter(Boolean).join('; '))}`;
    });
    return lines.length ? ['', ...lines] : [];
}
/** Per gate, the past windows that fail today and would pass the suggestion (or the withheld one). */
const LET_THROUGH_SHOWN = 20;
function letThroughSection(c) {
    const gates = c.gates.filter((g) => g.letThrough.length > 0);
    if (!gates.length)
        return [];
    const lines = ['', '## Windows the suggestion would let through', '', 'Past windows that fail the gate\'s condition today and would pass the suggested one: check that none was an incident.', ''];
    for (const g of gates) {
        const which = g.withheld ? `withheld ${g.withheld}` : g.suggestedCondition ?? '';
        lines.push(`**${(0,report_escape/* inlineMarkdown */.x)(g.name)}** (${(0,report_escape/* inlineMarkdown */.x)(which)}): ${g.letThrough.length} window${g.letThrough.length === 1 ? '' : 's'}`, '');
        for (const w of g.letThrough.slice(0, LET_THROUGH_SHOWN))
            lines.push(`- ${w.from} to ${w.to}: worst ${(0,report_escape/* inlineMarkdown */.x)(num(w.worst))}`);
        if (g.letThrough.length > LET_THROUGH_SHOWN)
            lines.push(`- … and ${g.letThrough.length - LET_THROUGH_SHOWN} more (calibration.json lists them all)`);
        lines.push('');
    }
    lines.pop();
    return lines;
}
function renderCalibrationMarkdown(c, config) {
    const byName = new Map(config.gates.map((g) => [g.name, g]));
    const lines = heading('Threshold calibration', c);
    lines.push(`Suggested: the tightest threshold (2 significant digits) that at most ${rateText(c.targetFailRate)} of the windows would have failed.`, '');
    lines.push('| gate | condition | window | windows | failing | fail rate | suggested | history |', '|---|---|---|---:|---:|---:|---|---|');
    for (const g of c.gates) {
        const suggested = g.withheld ? `withheld (${g.withheld}) ⚠️` : g.warning && g.suggestedCondition ? `${g.suggestedCondition} ⚠️` : g.suggestedCondition ?? '—';
        lines.push(`| ${(0,report_escape/* inlineMarkdown */.x)(g.name)} | ${(0,report_escape/* inlineMarkdown */.x)(g.condition ?? '—')} | ${(0,report_escape/* inlineMarkdown */.x)(windowText(byName.get(g.name)))} | ${g.windows} | ${g.failing} | ${rateText(g.failRate)} | ${(0,report_escape/* inlineMarkdown */.x)(suggested)} | ${chartText(g)} |`);
    }
    lines.push(...notes(c));
    lines.push(...letThroughSection(c));
    return `${lines.join('\n')}\n`;
}
function renderBaselineMarkdown(c, config) {
    const byName = new Map(config.gates.map((g) => [g.name, g]));
    const lines = heading('Baseline', c);
    lines.push('The samples of each gate over the whole history (a compare gate: its baseline\'s).', '');
    lines.push('| gate | step | samples | mean | std | p50 | p90 | p99 | max | history |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const g of c.gates) {
        const gate = byName.get(g.name);
        const step = gate?.overMs ? (0,duration/* formatDuration */.a3)((0,model/* effectiveStepMs */.qU)(gate)) : '—';
        const s = g.stats;
        lines.push(`| ${(0,report_escape/* inlineMarkdown */.x)(g.name)} | ${step} | ${s.samples} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.mean))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.std))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.p50))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.p90))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.p99))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.max))} | ${chartText(g)} |`);
    }
    lines.push(...notes(c));
    return `${lines.join('\n')}\n`;
}

// EXTERNAL MODULE: ./lib/commands/errors.js
var errors = __webpack_require__(2615);
;// CONCATENATED MODULE: ./lib/calibrate.js










/**
 * `calibrate` (SPEC §7.3), the edge: reads each windowed gate's history through its own provider,
 * in range queries no longer than a server answers, and hands it to the engine's calibration.
 */
const DEFAULT_CALIBRATION_DIR = '.rollout/calibration';
/** Points of the history chart kept per gate (a sparkline is drawn from these). */
const CHART_POINTS = 48;
/** Gates calibrated at once (see calibrate()). */
const CALIBRATION_LANES = 1;
const isoOf = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** `--exclude FROM..TO`, repeatable: each range parsed, or a usage error naming the flag and the value. */
function parseExclusions(values, flag = '--exclude') {
    return values.map((raw) => {
        const r = parseExclusion(raw);
        if (typeof r === 'string')
            throw new UsageError(`${flag}: ${r}`);
        return r;
    });
}
/** The gates to calibrate: the named ones (each must exist and have `over`), else every windowed gate. */
function selectGates(config, names) {
    const windowed = config.gates.filter((g) => g.overMs !== null);
    if (names.length === 0) {
        if (windowed.length === 0)
            throw new errors/* UsageError */.e(`${config.file}: no gate has \`over\`; calibrate needs a gate judged over a window`);
        return windowed;
    }
    const out = [];
    for (const name of names) {
        const g = config.gates.find((x) => x.name === name);
        if (!g)
            throw new errors/* UsageError */.e(`gate "${name}": no such gate in ${config.file}; the gates with \`over\` are: ${windowed.map((x) => x.name).join(', ') || '(none)'}`);
        if (g.overMs === null)
            throw new errors/* UsageError */.e(`gate "${name}": gates[${g.index}] has no \`over\`; calibrate judges windows of a gate's \`over\``);
        if (!out.includes(g))
            out.push(g);
    }
    return out;
}
/**
 * The gate one chunk is read with: the same provider and query, over the chunk's span at the
 * gate's step. A compare gate reads the baseline's own series (its A/A history); a relative
 * gate keeps its baseline, every other gate drops it.
 */
function chunkGate(gate, spanMs, stepMs) {
    const base = { ...gate, overMs: spanMs, stepMs, failAfterMs: null, compare: null, appliesTo: null };
    if (gate.compare) {
        return gate.baseline !== null ? { ...base, query: gate.baseline, baseline: null, baselineOffsetMs: null } : { ...base, baseline: null, baselineOffsetMs: null };
    }
    return (0,calibrate/* needsBaseline */.ZQ)(gate) ? base : { ...base, baseline: null, baselineOffsetMs: null };
}
/** Appends `more` to `into`, skipping non-increasing timestamps (a point a server repeats at a chunk edge). */
function append(into, more) {
    let last = into.length ? into[into.length - 1][0] : -Infinity;
    for (let i = 0; i < more.length; i++) {
        const s = more[i];
        if (s[0] > last) {
            into.push(s);
            last = s[0];
        }
    }
}
/**
 * Reads a gate's history (start, end] at its step, in chunks of at most MAX_POINTS_PER_SERIES
 * points, one after the other, each through collectObservations (the provider's timeout,
 * retries and redaction as in a decision). Stops at the first error.
 */
async function readHistory(gate, startMs, endMs, opts) {
    const stepMs = (0,model/* effectiveStepMs */.qU)(gate);
    const chunks = (0,calibrate/* chunkRange */.bY)(startMs + stepMs, endMs, stepMs, prometheus.MAX_POINTS_PER_SERIES);
    const series = [];
    const withBaseline = gate.compare === null && (0,calibrate/* needsBaseline */.ZQ)(gate);
    const baseline = withBaseline ? [] : null;
    let done = 0;
    for (const chunk of chunks) {
        const g = chunkGate(gate, chunk.endMs - chunk.startMs, stepMs);
        const { observations } = await (0,providers/* collectObservations */.Gd)({
            gates: [g],
            providers: opts.config.providers,
            factories: opts.factories,
            nowMs: chunk.endMs,
            target: null,
            cwd: opts.cwd,
            logger: opts.logger,
            redactor: opts.redactor,
            fetch: opts.fetch,
            defaultTimeoutMs: opts.config.defaults.timeoutMs,
            concurrency: 1,
        });
        const obs = observations.get(gate.name);
        if (!obs || obs.error) {
            const when = chunks.length > 1 ? ` (range ${done + 1} of ${chunks.length}, ${new Date(chunk.startMs).toISOString()} to ${new Date(chunk.endMs).toISOString()})` : '';
            return { series, baseline, chunks: done, error: `${obs?.error ?? 'the provider was not queried'}${when}` };
        }
        // An empty or stale chunk is history with nothing in it, not an error.
        append(series, obs.samples);
        if (baseline && obs.baseline)
            append(baseline, obs.baseline);
        done++;
        opts.onProgress?.(gate.name, done, chunks.length);
    }
    return { series, baseline, chunks: done, error: null };
}
function failed(gate, error, chunks) {
    const empty = (0,calibrate/* calibrateGate */.Fu)(gate, [], null, 0, 0, 0);
    return { ...empty, note: null, falseAlarm: null, error, chart: [], chunks };
}
/** Calibrates the selected gates one after the other, each gate's chunks in order. */
async function calibrate_calibrate(opts) {
    const gates = selectGates(opts.config, opts.gateNames);
    const spanMs = opts.days * 86_400_000;
    const results = new Array(gates.length);
    let next = 0;
    const lane = async () => {
        while (next < gates.length) {
            const k = next++;
            const gate = gates[k];
            const startMs = opts.nowMs - (0,calibrate/* windowCount */.k3)(spanMs, gate.overMs) * gate.overMs;
            let result;
            if (startMs === opts.nowMs) {
                result = failed(gate, `the history of ${opts.days} day${opts.days === 1 ? '' : 's'} is shorter than one window (over ${(0,duration/* formatDuration */.a3)(gate.overMs)})`, 0);
            }
            else {
                const h = await readHistory(gate, startMs, opts.nowMs, opts);
                if (h.error)
                    result = failed(gate, h.error, h.chunks);
                else {
                    const c = (0,calibrate/* calibrateGate */.Fu)(gate, h.series, h.baseline, opts.nowMs, opts.nowMs - startMs, opts.failRate, opts.exclude ?? []);
                    result = { ...c, chart: (0,charts/* buckets */.K4)(h.series.filter(([, v]) => typeof v !== 'number' || Number.isFinite(v)), CHART_POINTS), chunks: h.chunks };
                }
            }
            results[k] = result;
            opts.onGate?.(result);
        }
    };
    // Judging the windows is CPU work in this one thread: a second lane saves a few seconds on 20
    // gates of 30 days but holds a second history (~20 MB at 86,400 points) and doubles the garbage.
    const lanes = Math.min(gates.length, opts.config.defaults.concurrency ?? providers/* DEFAULT_CONCURRENCY */.WH, CALIBRATION_LANES);
    await Promise.all(Array.from({ length: lanes }, lane));
    return {
        rollout: opts.config.rollout.name,
        at: new Date(opts.nowMs).toISOString().replace('.000Z', 'Z'),
        days: opts.days,
        targetFailRate: opts.failRate,
        exclude: (opts.exclude ?? []).map((r) => ({ from: isoOf(r.fromMs), to: isoOf(r.toMs) })),
        gates: results,
    };
}
/** calibration.json: `{ gates: [{ name, condition, windows, failing, failRate, suggested, stats }] }` and the run's facts. */
function calibrationJson(c) {
    const doc = {
        rollout: c.rollout,
        at: c.at,
        days: c.days,
        targetFailRate: c.targetFailRate,
        exclude: c.exclude,
        gates: c.gates.map((g) => ({
            name: g.name,
            condition: g.condition,
            windows: g.windows,
            failing: g.failing,
            failRate: g.failRate,
            suggested: g.suggested,
            suggestedCondition: g.suggestedCondition,
            noData: g.noData,
            falseAlarm: g.falseAlarm,
            note: g.note,
            error: g.error,
            excluded: g.excluded,
            withheld: g.withheld,
            warning: g.warning,
            letThrough: g.letThrough,
            stats: g.stats,
        })),
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
}
/** The three files of a calibration, by name. */
function calibrationFiles(c, config) {
    return [
        { name: 'calibration.md', content: renderCalibrationMarkdown(c, config) },
        { name: 'baseline.md', content: renderBaselineMarkdown(c, config) },
        { name: 'calibration.json', content: calibrationJson(c) },
    ];
}
/** Writes calibration.md, baseline.md and calibration.json into `dir` (created if missing); returns their paths. */
async function writeCalibration(dir, c, config) {
    await (0,promises_.mkdir)(dir, { recursive: true });
    const paths = [];
    for (const f of calibrationFiles(c, config)) {
        const p = (0,external_node_path_.join)(dir, f.name);
        await (0,promises_.writeFile)(p, f.content);
        paths.push(p);
    }
    return paths;
}

// EXTERNAL MODULE: ./lib/commands/calibrate.js
var commands_calibrate = __webpack_require__(7303);
// EXTERNAL MODULE: ./lib/action/constants.js
var constants = __webpack_require__(3895);
// EXTERNAL MODULE: ./lib/action/workflow-commands.js
var workflow_commands = __webpack_require__(4988);
;// CONCATENATED MODULE: ./lib/action/calibrate.js







function stamp(ms) {
    return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
/**
 * `command: calibrate`: the CLI's calibration of the windowed gates (inputs calibrate-days,
 * calibrate-gates, calibrate-fail-rate, calibrate-exclude), its
 * two reports in the job summary, and with `evidence: commit` the three files committed under
 * `calibration/<ROLLOUT>/<UTC stamp>/` through the state store, changing no state.
 */
async function runCalibration(run) {
    const { config, settings, redactor } = run;
    const nowMs = run.nowMs ?? Date.now();
    const result = await calibrate_calibrate({
        config,
        gateNames: settings.calibration.gates,
        days: settings.calibration.days,
        failRate: settings.calibration.failRate,
        exclude: settings.calibration.exclude,
        nowMs,
        factories: run.factories,
        cwd: run.workspace,
        logger: run.logger,
        redactor,
        onGate: (g) => run.logger.info(g.error ? `calibrate ${g.name}: could not read the history: ${g.error}` : `calibrated ${g.name}: ${g.windows} windows, ${g.failing} failing${g.suggestedCondition ? `, suggested ${g.suggestedCondition}` : g.withheld ? `, suggestion withheld (${g.withheld})` : ''}${g.warning ? `; warning: ${g.warning}` : ''}`),
    });
    const dir = (0,external_node_path_.join)(run.tempDir, 'rollout-gate', config.rollout.name, 'calibration');
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
    await writeCalibration(dir, result, config);
    const files = calibrationFiles(result, config);
    const warnings = [];
    let write = null;
    if (settings.evidence === 'commit' && !settings.dryRun) {
        const base = `calibration/${config.rollout.name}/${stamp(nowMs)}`;
        try {
            const { version } = await run.store.read();
            write = await run.store.write({
                expectedVersion: version,
                state: null,
                evidence: files.map((f) => ({ path: `${base}/${f.name}`, content: redactor.redact(f.content) })),
                // Its own log: the decision log stays a log of decisions.
                decisionLog: { path: `calibration-log/${config.rollout.name}.jsonl`, line: JSON.stringify({ at: result.at, rollout: result.rollout, days: result.days, gates: result.gates.length, evidencePath: base }) },
                message: `rollout-gate: calibration of ${config.rollout.name} (${result.gates.length} gate${result.gates.length === 1 ? '' : 's'}, ${result.days} days)`,
            });
        }
        catch (e) {
            const err = e;
            const what = `could not write the calibration to ${run.store.description}: ${redactor.redact(err.message)}`;
            if (!run.isWriteRefusal(err))
                throw new Error(what);
            warnings.push(what);
            workflow_commands/* warning */.$e(what);
        }
    }
    workflow_commands/* setOutput */.uH(constants/* Outputs */.t.ReportJson, (0,external_node_path_.join)(dir, 'calibration.json'));
    workflow_commands/* setOutput */.uH(constants/* Outputs */.t.EvidencePath, write?.evidencePath ?? '');
    workflow_commands/* setOutput */.uH(constants/* Outputs */.t.EvidenceCommit, write?.commit ?? '');
    const link = write?.commit ? run.commitUrl(write.commit) : null;
    let summary = files
        .filter((f) => f.name.endsWith('.md'))
        .map((f) => f.content)
        .join('\n');
    if (write)
        summary += `\nCommitted to ${(0,report_escape/* inlineMarkdown */.x)(write.evidencePath)}${link ? ` ([${write.commit.slice(0, 7)}](${link}))` : ''}.\n`;
    if (warnings.length)
        summary += `\n${warnings.map((w) => `> ⚠️ ${(0,report_escape/* inlineMarkdown */.x)(w)}`).join('\n')}\n`;
    workflow_commands/* appendSummary */.fe(redactor.redact(summary));
    const unread = result.gates.filter((g) => g.error);
    if ((0,commands_calibrate/* calibrationExit */.Rp)(result) !== 0)
        workflow_commands/* setFailed */.C1(redactor.redact(`calibrate: could not read the history of ${unread.map((g) => `${g.name} (${g.error})`).join('; ')}`));
    else
        workflow_commands/* info */.pq(`${config.rollout.name}: calibrated ${result.gates.length} gate${result.gates.length === 1 ? '' : 's'} over ${result.days} days`);
}


/***/ })

};
