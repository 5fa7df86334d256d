export const id = 958;
export const ids = [958];
export const modules = {

/***/ 1958:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  calibrateCommand: () => (/* binding */ calibrateCommand)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./lib/engine/compare.js + 6 modules
var compare = __webpack_require__(528);
// EXTERNAL MODULE: ./lib/engine/conditions.js
var engine_conditions = __webpack_require__(1170);
// EXTERNAL MODULE: ./lib/engine/duration.js
var duration = __webpack_require__(1168);
// EXTERNAL MODULE: ./lib/engine/gates.js
var gates = __webpack_require__(2242);
;// CONCATENATED MODULE: ./lib/engine/calibrate.js




const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * One excluded range `FROM..TO`: ISO-8601 instants, or dates (a date as FROM is its start, as TO
 * its end, UTC). The range, or why the text is not one (repeating it).
 */
function parseExclusion(raw) {
    const parts = raw.split('..');
    const bad = (why) => `"${raw}" ${why}; expected FROM..TO, ISO-8601 instants or dates (e.g. 2026-11-21T09:00Z..2026-11-21T11:30Z, or 2026-11-21..2026-11-21)`;
    if (parts.length !== 2)
        return bad('is not a range');
    const at = (text, end) => {
        if (!/^\d{4}-\d{2}-\d{2}(T|$)/.test(text))
            return null;
        const ms = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
        if (Number.isNaN(ms))
            return null;
        return DATE_ONLY.test(text) && end ? ms + 86_400_000 : ms;
    };
    const [from, to] = parts.map((p) => p.trim());
    const fromMs = at(from, false);
    if (fromMs === null)
        return bad(`starts at "${from}", not an instant`);
    const toMs = at(to, true);
    if (toMs === null)
        return bad(`ends at "${to}", not an instant`);
    if (toMs <= fromMs)
        return bad('ends before it starts');
    return { fromMs, toMs };
}
/** The fewest windows that can estimate a fail rate: at rate r, 1/r windows allow one to fail. */
function minWindowsFor(targetRate) {
    return targetRate > 0 ? Math.ceil(1 / targetRate - 1e-9) : 0;
}
/** Whether a window (end − over, end] overlaps an excluded range. */
function overlaps(w, overMs, ranges) {
    return ranges.some((r) => r.fromMs < w.endMs && r.toMs > w.endMs - overMs);
}
/** The rate a comparison gate's test fails identical data, by its confidence and direction; null for sigma. */
function expectedFalseAlarmRate(spec) {
    if (spec.test !== 'mann-whitney')
        return null;
    const alpha = 1 - (spec.confidence ?? 0.98);
    return spec.direction === 'either' ? alpha : alpha / 2;
}
/** P(X ≥ k) for X ~ Binomial(n, p), summed exactly (k ≤ n). */
function binomialTailAtLeast(n, p, k) {
    if (k <= 0)
        return 1;
    if (k > n)
        return 0;
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    // Sum P(X = x) for x < k, in logs so a few thousand windows do not underflow the first term.
    const logP = Math.log(p);
    const logQ = Math.log1p(-p);
    let logTerm = n * logQ; // log P(X = 0)
    let below = 0;
    for (let x = 0; x < k; x++) {
        below += Math.exp(logTerm);
        logTerm += Math.log((n - x) / (x + 1)) + logP - logQ;
    }
    return Math.min(1, Math.max(0, 1 - below));
}
/** The A/A result of a comparison gate from its tally. */
function falseAlarmOf(spec, tally) {
    const rate = tally.windows > 0 ? tally.failing / tally.windows : null;
    const expected = expectedFalseAlarmRate(spec);
    const excessive = expected !== null && rate !== null && rate > expected && binomialTailAtLeast(tally.windows, expected, tally.failing) < 0.01;
    return { rate, expected, excessive };
}
const percentText = (rate) => `${Number((rate * 100).toPrecision(2))}%`;
/** The A/A note of a comparison gate, in words. */
function falseAlarmNote(spec, tally, alarm) {
    const head = 'A/A: each window of the baseline against the window before it';
    if (alarm.rate === null)
        return `${head}; no pair of windows could be judged; a comparison has no threshold to suggest`;
    const found = `false alarms in ${tally.failing} of ${tally.windows} (${percentText(alarm.rate)})`;
    const expected = alarm.expected === null
        ? ''
        : `, where a ${Number(((spec.confidence ?? 0.98) * 100).toPrecision(6))}% test on identical data fails about ${percentText(alarm.expected)}${spec.direction === 'either' ? '' : ` (${spec.direction} only)`}`;
    const excess = alarm.excessive
        ? '; more than chance: consecutive windows of this history differ for real (a daily cycle, a deploy), or the series is correlated for longer than a window shows'
        : '';
    return `${head}: ${found}${expected}${excess}; a comparison has no threshold to suggest`;
}
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
    let failing = 0;
    let noData = 0;
    for (const r of judgeWindows(gate, windows, conditions)) {
        if (r.status === 'fail')
            failing++;
        else if (r.status === 'no_data')
            noData++;
    }
    return { windows: windows.length - noData, failing, noData };
}
/** Each window's status under `conditions`, with its smallest and largest value. */
function judgeWindows(gate, windows, conditions) {
    const judged = asJudged(gate, conditions);
    return windows.map((w) => {
        const r = (0,gates/* evaluateGate */.DR)(judged, null, { samples: w.samples, baseline: w.baseline }, w.endMs);
        return { status: r.status, min: typeof r.min === 'number' ? r.min : null, max: typeof r.max === 'number' ? r.max : null };
    });
}
/** The windows failing under the gate's conditions that would pass `suggested` (`< 0.05`). */
function windowsLetThrough(gate, windows, suggested) {
    const current = judgeWindows(gate, windows, (0,gates/* conditionsFor */.g4)(gate, null));
    const cond = (0,engine_conditions/* parseCondition */.zB)(suggested);
    const next = judgeWindows(gate, windows, [cond]);
    const up = cond.op === '<' || cond.op === '<=';
    const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const out = [];
    windows.forEach((w, k) => {
        if (current[k].status === 'fail' && next[k].status === 'pass') {
            out.push({ from: iso(w.endMs - gate.overMs), to: iso(w.endMs), worst: up ? current[k].max : current[k].min });
        }
    });
    return out;
}
/**
 * A/A for a comparison gate: each window of the baseline's own history against the window
 * before it, by the gate's test (the engine's compare path, through `evaluateGate`). The
 * earlier window is moved forward by `over`, as `baselineOffset` does.
 */
function tallyComparisons(gate, windows) {
    const overMs = gate.overMs;
    // The history is the baseline's own series: judged as its query (its range window) would be.
    const judged = { ...gate, query: gate.baseline ?? gate.query, baseline: null, baselineOffsetMs: overMs, appliesTo: null, shadow: false };
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
 * Windows overlapping an `exclude` range are left out, and so are their samples from the stats.
 * The guard: with fewer windows than the fail rate can be estimated from (48 windows at 1%
 * allow none to fail), the suggestion would be the worst window's value: withheld with a warning,
 * or with exclusions given (the history declared clean of known incidents) kept and marked by
 * the warning. Either way the windows the suggestion would let through are listed.
 */
function calibrateGate(gate, series, baseline, endMs, spanMs, targetRate, exclude = []) {
    const overMs = gate.overMs;
    const count = windowCount(spanMs, overMs);
    const all = historyWindows(series, baseline, endMs, overMs, count);
    const windows = exclude.length ? all.filter((w) => !overlaps(w, overMs, exclude)) : all;
    const kept = exclude.length ? series.filter(([t]) => !exclude.some((r) => t * 1000 > r.fromMs && t * 1000 <= r.toMs)) : series;
    const stats = sampleStats(kept);
    const conditions = (0,gates/* conditionsFor */.g4)(gate, null);
    const condition = gate.compare ? (0,compare/* describeCompareSpec */.OK)(gate.compare) : conditions.length ? (0,engine_conditions/* describeConditions */.GT)(conditions) : null;
    let tally;
    let suggestion;
    let falseAlarm = null;
    if (gate.compare) {
        tally = tallyComparisons(gate, windows);
        falseAlarm = falseAlarmOf(gate.compare, tally);
        suggestion = { suggested: null, condition: null, note: falseAlarmNote(gate.compare, tally, falseAlarm) };
    }
    else {
        tally = tallyWindows(gate, windows, conditions);
        suggestion = suggestThreshold(gate, windows, targetRate);
    }
    let withheld = null;
    let warning = null;
    const need = minWindowsFor(targetRate);
    if (suggestion.condition !== null && tally.windows < need) {
        const days = Math.ceil((need * overMs) / 86_400_000);
        const few = `${tally.windows} window${tally.windows === 1 ? '' : 's'} of ${(0,duration/* formatDuration */.a3)(overMs)} cannot estimate a ${Number((targetRate * 100).toPrecision(2))}% fail rate (it needs ${need}, --days ${days}): none may fail, so the suggestion is the worst window's value`;
        if (exclude.length === 0) {
            // Nothing says the history is clean: an incident in it would pass the suggestion.
            withheld = suggestion.condition;
            warning = `${few}, and every past window, incidents included, would pass it; withheld (it would be ${withheld}). Read more days, ask a higher --fail-rate, or --exclude known incidents`;
        }
        else {
            warning = `${few} once the excluded ranges are left out: every remaining window passes it`;
        }
    }
    const letThrough = suggestion.condition !== null ? windowsLetThrough(gate, windows, suggestion.condition) : [];
    return {
        name: gate.name,
        condition,
        windows: tally.windows,
        failing: tally.failing,
        noData: tally.noData,
        failRate: tally.windows > 0 ? tally.failing / tally.windows : null,
        suggested: withheld ? null : suggestion.suggested,
        suggestedCondition: withheld ? null : suggestion.condition,
        note: suggestion.note,
        stats,
        falseAlarm,
        error: null,
        excluded: all.length - windows.length,
        withheld,
        warning,
        letThrough,
    };
}

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
            throw new errors/* UsageError */.e(`${flag}: ${r}`);
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
    const stepMs = (0,model/* effectiveStepMs */.qU)(gate);
    const chunks = chunkRange(startMs + stepMs, endMs, stepMs, prometheus.MAX_POINTS_PER_SERIES);
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
    return { ...empty, note: null, falseAlarm: null, error, chart: [], chunks };
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
                result = failed(gate, `the history of ${opts.days} day${opts.days === 1 ? '' : 's'} is shorter than one window (over ${(0,duration/* formatDuration */.a3)(gate.overMs)})`, 0);
            }
            else {
                const h = await readHistory(gate, startMs, opts.nowMs, opts);
                if (h.error)
                    result = failed(gate, h.error, h.chunks);
                else {
                    const c = calibrateGate(gate, h.series, h.baseline, opts.nowMs, opts.nowMs - startMs, opts.failRate, opts.exclude ?? []);
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

// EXTERNAL MODULE: ./lib/config/load.js + 9 modules
var load = __webpack_require__(1542);
// EXTERNAL MODULE: ./lib/commands/index.js + 10 modules
var commands = __webpack_require__(5373);
;// CONCATENATED MODULE: ./lib/cli/calibrate.js







function summary(g) {
    const name = (0,report_escape/* terminalText */.eR)(g.name);
    if (g.error)
        return `calibrate ${name}: could not read the history: ${(0,report_escape/* terminalText */.eR)(g.error)}`;
    const suggested = g.suggestedCondition ? `, suggested ${g.suggestedCondition}` : g.withheld ? `, suggestion withheld (${g.withheld})` : '';
    const excluded = g.excluded ? `, ${g.excluded} excluded` : '';
    const through = g.letThrough.length ? `; it would let through ${g.letThrough.length} window${g.letThrough.length === 1 ? '' : 's'} failing today` : '';
    const alarm = g.falseAlarm;
    const aa = alarm ? `, A/A false alarms ${rateText(alarm.rate)}${alarm.expected !== null ? ` (identical data should fail about ${rateText(alarm.expected)}${alarm.excessive ? '; more than chance' : ''})` : ''}` : '';
    const line = `calibrated ${name}: ${g.chunks} chunk${g.chunks === 1 ? '' : 's'}, ${g.stats.samples} samples, ${g.windows} windows${excluded}, ${g.failing} failing (${rateText(g.failRate)})${aa}${suggested}${through}`;
    return g.warning ? `${line}\nwarning: ${name}: ${(0,report_escape/* terminalText */.eR)(g.warning)}` : line;
}
/**
 * `rollout-gate calibrate`: writes calibration.md, baseline.md and calibration.json to --out;
 * exit 0, or 1 when a gate's history could not be read (the files still say which and why).
 */
async function calibrateCommand(cmd) {
    (0,commands/* checkCalibrateArguments */.kD)(cmd.extra);
    const { days, failRate } = (0,commands/* calibrateNumbers */.YN)({ days: cmd.days, failRate: cmd.failRate });
    const exclude = parseExclusions(cmd.exclude ?? []);
    const nowMs = (0,commands/* parseNow */.A7)(cmd.now, Date.now());
    const config = await (0,load/* loadConfig */.Z9)((0,external_node_path_.isAbsolute)(cmd.configFile) ? cmd.configFile : (0,external_node_path_.join)(cmd.cwd, cmd.configFile), cmd.env);
    for (const s of config.secrets)
        cmd.redactor.add(s);
    const shown = { ...config, file: cmd.configFile };
    const live = new Map();
    const draw = () => cmd.stderr(`\r\x1b[2K${[...live.values()].join('  ')}`);
    const result = await calibrate({
        config: shown,
        gateNames: cmd.gates,
        days,
        failRate,
        exclude,
        nowMs,
        factories: providers/* defaultFactories */.i2,
        cwd: cmd.cwd,
        logger: cmd.logger,
        redactor: cmd.redactor,
        fetch: cmd.fetch,
        onProgress: cmd.stderrTTY
            ? (gate, done, total) => {
                live.set(gate, `calibrating ${(0,report_escape/* terminalText */.eR)(gate)}: ${done}/${total} chunks`);
                draw();
            }
            : undefined,
        onGate: (g) => {
            if (cmd.stderrTTY) {
                live.delete(g.name);
                cmd.stderr(`\r\x1b[2K${cmd.redactor.redact(summary(g))}\n`);
                if (live.size)
                    draw();
            }
            else {
                cmd.stderr(`${cmd.redactor.redact(summary(g))}\n`);
            }
        },
    });
    const outDir = cmd.out ?? DEFAULT_CALIBRATION_DIR;
    const written = await writeCalibration((0,external_node_path_.isAbsolute)(outDir) ? outDir : (0,external_node_path_.join)(cmd.cwd, outDir), result, shown);
    if (cmd.json)
        cmd.stdout(calibrationJson(result));
    else
        cmd.stdout(`wrote ${written.map((p) => (0,report_escape/* terminalText */.eR)(p)).join(', ')}\n`);
    return (0,commands/* calibrationExit */.Rp)(result);
}


/***/ })

};
