export const id = 302;
export const ids = [302];
export const modules = {

/***/ 1302:
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
// EXTERNAL MODULE: ./lib/engine/compare.js + 5 modules
var compare = __webpack_require__(1144);
// EXTERNAL MODULE: ./lib/engine/conditions.js
var engine_conditions = __webpack_require__(1170);
// EXTERNAL MODULE: ./lib/engine/gates.js
var gates = __webpack_require__(2242);
;// CONCATENATED MODULE: ./lib/engine/calibrate.js



/**
 * The grid start, start + step, …, ≤ end, as consecutive chunks of at most `maxPoints` points.
 * A range query answers both ends inclusive, so a chunk ends one step before the next begins.
 */
function chunkRange(startMs, endMs, stepMs, maxPoints) {
    if (!(stepMs > 0) || !(maxPoints >= 1) || endMs < startMs)
        return [];
    const total = Math.floor((endMs - startMs) / stepMs) + 1;
    const out = [];
    for (let first = 0; first < total; first += maxPoints) {
        const points = Math.min(maxPoints, total - first);
        out.push({ startMs: startMs + first * stepMs, endMs: startMs + (first + points - 1) * stepMs, points });
    }
    return out;
}
/** How many whole windows of `overMs` fit in `spanMs`. */
function windowCount(spanMs, overMs) {
    return overMs > 0 ? Math.floor(spanMs / overMs) : 0;
}
/**
 * Cuts a series (sorted by time) into `count` consecutive windows (end − over, end], the last
 * ending at `endMs`, stepping back by `over`; returned oldest first. A sample belongs to at
 * most one window; non-finite values stay in (the engine leaves them out and says so).
 */
function cutWindows(samples, endMs, overMs, count) {
    const out = [];
    const firstStartS = (endMs - count * overMs) / 1000;
    let i = 0;
    while (i < samples.length && samples[i][0] <= firstStartS)
        i++;
    for (let k = count - 1; k >= 0; k--) {
        const highS = (endMs - k * overMs) / 1000;
        const from = i;
        while (i < samples.length && samples[i][0] <= highS)
            i++;
        out.push(samples.slice(from, i));
    }
    return out;
}
/** Pairs each window with the baseline's samples over the same time (null without a baseline series). */
function historyWindows(samples, baseline, endMs, overMs, count) {
    const own = cutWindows(samples, endMs, overMs, count);
    const base = baseline ? cutWindows(baseline, endMs, overMs, count) : null;
    return own.map((s, k) => ({ endMs: endMs - (count - 1 - k) * overMs, samples: s, baseline: base ? base[k] : null }));
}
/** The gate as the engine sees it in calibration: its default conditions, for every target. */
function asJudged(gate, conditions) {
    return { ...gate, pass: [...conditions], thresholds: {}, appliesTo: null, shadow: false };
}
/** Judges every window with `evaluateGate`, as a decision at the window's end would, under `conditions`. */
function tallyWindows(gate, windows, conditions = (0,gates/* conditionsFor */.g4)(gate, null)) {
    const judged = asJudged(gate, conditions);
    let failing = 0;
    let noData = 0;
    for (const w of windows) {
        const r = (0,gates/* evaluateGate */.DR)(judged, null, { samples: w.samples, baseline: w.baseline }, w.endMs);
        if (r.status === 'fail')
            failing++;
        else if (r.status === 'no_data')
            noData++;
    }
    return { windows: windows.length - noData, failing, noData };
}
/**
 * A/A for a comparison gate: each window of the baseline's own history against the window
 * before it, by the gate's test (the engine's compare path, through `evaluateGate`). The
 * earlier window is moved forward by `over`, as `baselineOffset` does.
 */
function tallyComparisons(gate, windows) {
    const overMs = gate.overMs;
    const judged = { ...gate, baseline: null, baselineOffsetMs: overMs, appliesTo: null, shadow: false };
    let failing = 0;
    let noData = 0;
    for (let k = 1; k < windows.length; k++) {
        const offsetS = overMs / 1000;
        const earlier = windows[k - 1].samples.map(([t, v]) => [t + offsetS, v]);
        const r = (0,gates/* evaluateGate */.DR)(judged, null, { samples: windows[k].samples, baseline: earlier }, windows[k].endMs);
        if (r.status === 'fail')
            failing++;
        else if (r.status === 'no_data')
            noData++;
    }
    const pairs = Math.max(0, windows.length - 1);
    return { windows: pairs - noData, failing, noData };
}
/** The decimal exponent of a finite non-zero number (0.0123 → -2), free of log10 rounding. */
function exponentOf(v) {
    return Number(v.toExponential().split('e')[1]);
}
/** The smallest number of 2 significant digits ≥ v. */
function ceil2(v) {
    if (v === 0 || !Number.isFinite(v))
        return v;
    const r = Number(v.toPrecision(2));
    if (r >= v)
        return r;
    return Number((r + 10 ** (exponentOf(v) - 1)).toPrecision(2));
}
/** The largest number of 2 significant digits ≤ v. */
function floor2(v) {
    return v === 0 ? 0 : -ceil2(-v);
}
/**
 * The threshold of 2 significant digits nearest to `c` on the loose side under `op`: a value
 * equal to `c` meets `<= X` at X = c but needs X > c for `< X`. `zeroStep` is the step used
 * past zero, where a strict threshold has no nearest 2-digit neighbour.
 */
function outwardThreshold(op, c, zeroStep) {
    const up = op === '<' || op === '<=';
    const strict = op === '<' || op === '>';
    const v = up ? c : -c;
    let x = ceil2(v);
    if (strict && x <= v)
        x = v === 0 ? zeroStep : ceil2(v + Math.max(Math.abs(v) * 1e-9, Number.MIN_VALUE));
    return up ? x : -x;
}
const ORDERED = ['<', '<=', '>', '>='];
function numberCondition(op, x) {
    return { op, operand: { kind: 'number', value: x }, text: `${op} ${x}` };
}
/**
 * The tightest threshold of the gate's own comparison whose fail rate on these windows is at
 * most `targetRate`, rounded outward to 2 significant digits. Candidates are the sample values:
 * the fail rate only changes where the threshold crosses one, and it only falls as the threshold
 * loosens, so a binary search over them, each step judged by `tallyWindows`, finds it.
 */
function suggestThreshold(gate, windows, targetRate) {
    const conditions = (0,gates/* conditionsFor */.g4)(gate, null);
    const none = (note) => ({ suggested: null, condition: null, note });
    if (conditions.length !== 1)
        return none(conditions.length === 0 ? 'the gate has no condition' : 'more than one condition: no single threshold to suggest');
    const c = conditions[0];
    if (c.operand.kind !== 'number' || !ORDERED.includes(c.op)) {
        return none(`"${c.text}" is not a numeric < <= > >= comparison: no threshold to suggest`);
    }
    const op = c.op;
    const up = op === '<' || op === '<=';
    // Distinct finite values, tightest first (ascending for an upper bound, descending for a lower one);
    // a typed array, not a Set: a month of 30 s samples is 86,400 values.
    let total = 0;
    for (const w of windows)
        total += w.samples.length;
    const all = new Float64Array(total);
    let n = 0;
    for (const w of windows) {
        for (let i = 0; i < w.samples.length; i++) {
            const v = w.samples[i][1];
            const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
            if (Number.isFinite(x))
                all[n++] = x;
        }
    }
    if (n === 0)
        return none('no samples in the history');
    const sorted = all.subarray(0, n).sort();
    let distinct = 0;
    for (let i = 0; i < n; i++)
        if (i === 0 || sorted[i] !== sorted[distinct - 1])
            sorted[distinct++] = sorted[i];
    const candidates = sorted.subarray(0, distinct);
    if (!up)
        candidates.reverse();
    const current = c.operand.value;
    const zeroStep = current !== 0 ? 10 ** (exponentOf(Math.abs(current)) - 1) : 1e-6;
    const thresholdAt = (i) => outwardThreshold(op, candidates[i], zeroStep);
    const meets = (x) => {
        const t = tallyWindows(gate, windows, [numberCondition(op, x)]);
        return t.windows > 0 && t.failing / t.windows <= targetRate;
    };
    // The loosest candidate passes every window (no sample breaks it); find the tightest that meets the target.
    let lo = 0;
    let hi = candidates.length - 1;
    if (!meets(thresholdAt(hi)))
        return none('no threshold meets the target fail rate (no window was judged)');
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (meets(thresholdAt(mid)))
            hi = mid;
        else
            lo = mid + 1;
    }
    const x = thresholdAt(lo);
    return { suggested: x, condition: `${op} ${x}`, note: null };
}
/** The q-quantile (0…1) of sorted values, linearly interpolated between closest ranks. */
function percentile(sorted, q) {
    const n = sorted.length;
    if (n === 0)
        return null;
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    const a = sorted[lo];
    const b = sorted[hi];
    return a === b ? a : a + (b - a) * (pos - lo);
}
/** Count, mean, sample standard deviation (n − 1), p50/p90/p99 and max of the finite values. */
function sampleStats(samples) {
    const values = new Float64Array(samples.length);
    let n = 0;
    for (let i = 0; i < samples.length; i++) {
        const v = samples[i][1];
        const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
        if (Number.isFinite(x))
            values[n++] = x;
    }
    if (n === 0)
        return { samples: 0, mean: null, std: null, p50: null, p90: null, p99: null, max: null };
    const sorted = values.subarray(0, n).sort();
    // Summed around the first value, so a constant series gives that value and a std of exactly 0.
    const first = sorted[0];
    let sum = 0;
    for (let i = 0; i < n; i++)
        sum += sorted[i] - first;
    const mean = first + sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++)
        squares += (sorted[i] - mean) ** 2;
    return {
        samples: n,
        mean,
        std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
        p50: percentile(sorted, 0.5),
        p90: percentile(sorted, 0.9),
        p99: percentile(sorted, 0.99),
        max: sorted[n - 1],
    };
}
/** Whether the gate's conditions compare against a baseline value (`+N%`), so its windows need the baseline's. */
function needsBaseline(gate) {
    return gate.compare === null && (0,gates/* conditionsFor */.g4)(gate, null).some((c) => c.operand.kind === 'relative');
}
/**
 * Calibrates one gate from its history ending at `endMs` (`series`: the gate's query, or for a
 * compare gate the baseline's own series; `baseline`: the baseline's, for a relative gate).
 */
function calibrateGate(gate, series, baseline, endMs, spanMs, targetRate) {
    const overMs = gate.overMs;
    const count = windowCount(spanMs, overMs);
    const windows = historyWindows(series, baseline, endMs, overMs, count);
    const stats = sampleStats(series);
    const conditions = (0,gates/* conditionsFor */.g4)(gate, null);
    const condition = gate.compare ? (0,compare/* describeCompareSpec */.OK)(gate.compare) : conditions.length ? (0,engine_conditions/* describeConditions */.GT)(conditions) : null;
    let tally;
    let suggestion;
    if (gate.compare) {
        tally = tallyComparisons(gate, windows);
        suggestion = { suggested: null, condition: null, note: 'A/A: each window of the baseline against the window before it; a comparison has no threshold to suggest' };
    }
    else {
        tally = tallyWindows(gate, windows, conditions);
        suggestion = suggestThreshold(gate, windows, targetRate);
    }
    return {
        name: gate.name,
        condition,
        windows: tally.windows,
        failing: tally.failing,
        noData: tally.noData,
        failRate: tally.windows > 0 ? tally.failing / tally.windows : null,
        suggested: suggestion.suggested,
        suggestedCondition: suggestion.condition,
        note: suggestion.note,
        stats,
        error: null,
    };
}

// EXTERNAL MODULE: ./lib/engine/duration.js
var duration = __webpack_require__(1168);
// EXTERNAL MODULE: ./lib/engine/model.js
var model = __webpack_require__(9963);
// EXTERNAL MODULE: ./lib/providers/index.js + 4 modules
var providers = __webpack_require__(1564);
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
const num = (v) => (v === null ? '—' : (0,windows/* fmt */.S)(v));
/** A fail rate as a percentage of 2 significant digits: 0.89%, 12%, 0%. */
function rateText(rate) {
    if (rate === null)
        return '—';
    return `${Number((rate * 100).toPrecision(2))}%`;
}
function windowText(gate) {
    if (!gate?.overMs)
        return '—';
    return `${(0,duration/* formatDuration */.a)(gate.overMs)}${gate.failAfterMs !== null ? ` (failAfter ${(0,duration/* formatDuration */.a)(gate.failAfterMs)})` : ''}`;
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
    const lines = c.gates.filter((g) => g.error || g.note || g.noData).map((g) => {
        const parts = [g.error ? `could not read the history: ${g.error}` : null, g.note, g.noData ? `${g.noData} window${g.noData === 1 ? '' : 's'} without data (not counted)` : null];
        return `- **${(0,report_escape/* inlineMarkdown */.x)(g.name)}**: ${(0,report_escape/* inlineMarkdown */.x)(parts.filter(Boolean).join('; '))}`;
    });
    return lines.length ? ['', ...lines] : [];
}
function renderCalibrationMarkdown(c, config) {
    const byName = new Map(config.gates.map((g) => [g.name, g]));
    const lines = heading('Threshold calibration', c);
    lines.push(`Suggested: the tightest threshold (2 significant digits) that at most ${rateText(c.targetFailRate)} of the windows would have failed.`, '');
    lines.push('| gate | condition | window | windows | failing | fail rate | suggested | history |', '|---|---|---|---:|---:|---:|---|---|');
    for (const g of c.gates) {
        const suggested = g.suggestedCondition ?? '—';
        lines.push(`| ${(0,report_escape/* inlineMarkdown */.x)(g.name)} | ${(0,report_escape/* inlineMarkdown */.x)(g.condition ?? '—')} | ${(0,report_escape/* inlineMarkdown */.x)(windowText(byName.get(g.name)))} | ${g.windows} | ${g.failing} | ${rateText(g.failRate)} | ${(0,report_escape/* inlineMarkdown */.x)(suggested)} | ${chartText(g)} |`);
    }
    lines.push(...notes(c));
    return `${lines.join('\n')}\n`;
}
function renderBaselineMarkdown(c, config) {
    const byName = new Map(config.gates.map((g) => [g.name, g]));
    const lines = heading('Baseline', c);
    lines.push('The samples of each gate over the whole history (a compare gate: its baseline\'s).', '');
    lines.push('| gate | step | samples | mean | std | p50 | p90 | p99 | max | history |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const g of c.gates) {
        const gate = byName.get(g.name);
        const step = gate?.overMs ? (0,duration/* formatDuration */.a)((0,model/* effectiveStepMs */.q)(gate)) : '—';
        const s = g.stats;
        lines.push(`| ${(0,report_escape/* inlineMarkdown */.x)(g.name)} | ${step} | ${s.samples} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.mean))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.std))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.p50))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.p90))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.p99))} | ${(0,report_escape/* inlineMarkdown */.x)(num(s.max))} | ${chartText(g)} |`);
    }
    lines.push(...notes(c));
    return `${lines.join('\n')}\n`;
}

// EXTERNAL MODULE: ./lib/run.js + 3 modules
var run = __webpack_require__(6851);
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
/** The gates to calibrate: the named ones (each must exist and have `over`), else every windowed gate. */
function selectGates(config, names) {
    const windowed = config.gates.filter((g) => g.overMs !== null);
    if (names.length === 0) {
        if (windowed.length === 0)
            throw new run/* UsageError */.eb(`${config.file}: no gate has \`over\`; calibrate needs a gate judged over a window`);
        return windowed;
    }
    const out = [];
    for (const name of names) {
        const g = config.gates.find((x) => x.name === name);
        if (!g)
            throw new run/* UsageError */.eb(`gate "${name}": no such gate in ${config.file}; the gates with \`over\` are: ${windowed.map((x) => x.name).join(', ') || '(none)'}`);
        if (g.overMs === null)
            throw new run/* UsageError */.eb(`gate "${name}": gates[${g.index}] has no \`over\`; calibrate judges windows of a gate's \`over\``);
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
    return needsBaseline(gate) ? base : { ...base, baseline: null, baselineOffsetMs: null };
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
    const stepMs = (0,model/* effectiveStepMs */.q)(gate);
    const chunks = chunkRange(startMs + stepMs, endMs, stepMs, prometheus/* MAX_POINTS_PER_SERIES */.Bd);
    const series = [];
    const withBaseline = gate.compare === null && needsBaseline(gate);
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
    const empty = calibrateGate(gate, [], null, 0, 0, 0);
    return { ...empty, note: null, error, chart: [], chunks };
}
/** Calibrates the selected gates one after the other, each gate's chunks in order. */
async function calibrate(opts) {
    const gates = selectGates(opts.config, opts.gateNames);
    const spanMs = opts.days * 86_400_000;
    const results = new Array(gates.length);
    let next = 0;
    const lane = async () => {
        while (next < gates.length) {
            const k = next++;
            const gate = gates[k];
            const startMs = opts.nowMs - windowCount(spanMs, gate.overMs) * gate.overMs;
            let result;
            if (startMs === opts.nowMs) {
                result = failed(gate, `the history of ${opts.days} day${opts.days === 1 ? '' : 's'} is shorter than one window (over ${(0,duration/* formatDuration */.a)(gate.overMs)})`, 0);
            }
            else {
                const h = await readHistory(gate, startMs, opts.nowMs, opts);
                if (h.error)
                    result = failed(gate, h.error, h.chunks);
                else {
                    const c = calibrateGate(gate, h.series, h.baseline, opts.nowMs, opts.nowMs - startMs, opts.failRate);
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
        gates: c.gates.map((g) => ({
            name: g.name,
            condition: g.condition,
            windows: g.windows,
            failing: g.failing,
            failRate: g.failRate,
            suggested: g.suggested,
            suggestedCondition: g.suggestedCondition,
            noData: g.noData,
            note: g.note,
            error: g.error,
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
 * calibrate-gates, calibrate-fail-rate), its
 * two reports in the job summary, and with `evidence: commit` the three files committed under
 * `calibration/<ROLLOUT>/<UTC stamp>/` through the state store, changing no state.
 */
async function runCalibration(run) {
    const { config, settings, redactor } = run;
    const nowMs = run.nowMs ?? Date.now();
    const result = await calibrate({
        config,
        gateNames: settings.calibration.gates,
        days: settings.calibration.days,
        failRate: settings.calibration.failRate,
        nowMs,
        factories: run.factories,
        cwd: run.workspace,
        logger: run.logger,
        redactor,
        onGate: (g) => run.logger.info(g.error ? `calibrate ${g.name}: could not read the history: ${g.error}` : `calibrated ${g.name}: ${g.windows} windows, ${g.failing} failing${g.suggestedCondition ? `, suggested ${g.suggestedCondition}` : ''}`),
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
                decisionLog: { path: `calibration-log/${config.rollout.name}.jsonl`, line: JSON.stringify({ at: result.at, rollout: result.rollout, days: result.days, gates: result.gates.length, evidence: base }) },
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
    if (unread.length)
        workflow_commands/* setFailed */.C1(redactor.redact(`calibrate: could not read the history of ${unread.map((g) => `${g.name} (${g.error})`).join('; ')}`));
    else
        workflow_commands/* info */.pq(`${config.rollout.name}: calibrated ${result.gates.length} gate${result.gates.length === 1 ? '' : 's'} over ${result.days} days`);
}


/***/ })

};
