export const id = 939;
export const ids = [939,193];
export const modules = {

/***/ 6193:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Gr: () => (/* binding */ backtest),
  _O: () => (/* binding */ backtestJson),
  findSnapshots: () => (/* binding */ findSnapshots),
  M0: () => (/* binding */ renderBacktest)
});

// UNUSED EXPORTS: backtestSummary

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/engine/decide.js
var decide = __webpack_require__(4252);
// EXTERNAL MODULE: ./lib/engine/duration.js
var duration = __webpack_require__(1168);
// EXTERNAL MODULE: ./lib/engine/model.js
var model = __webpack_require__(9963);
;// CONCATENATED MODULE: ./lib/engine/backtest.js



const NOT_IN_SNAPSHOT = 'not in this snapshot';
/**
 * The observation a stored gate result stands for: its stored series (and baseline series), its
 * provider error, or the reason it had no data. `missing` when the snapshot holds nothing to judge
 * `gate` by (not applicable then, or read with another query): the gate then has no data.
 */
function observationFrom(stored, gate) {
    const baselineQuery = gate.baselineOffsetMs !== null ? gate.query : gate.baseline;
    const baselineOffset = gate.baselineOffsetMs !== null ? (0,duration/* formatDuration */.a3)(gate.baselineOffsetMs) : null;
    if (stored.status === 'skipped')
        return { missing: `${NOT_IN_SNAPSHOT} (it did not apply to that run's target)` };
    if (stored.provider !== gate.provider || stored.query !== gate.query)
        return { missing: `${NOT_IN_SNAPSHOT}: the gate's provider or query changed since` };
    if (baselineQuery !== null && (stored.baselineQuery !== baselineQuery || stored.baselineOffset !== baselineOffset)) {
        return { missing: `${NOT_IN_SNAPSHOT}: the gate's baseline changed since` };
    }
    const common = { warnings: stored.warnings, detail: stored.detail ?? undefined };
    if (stored.error)
        return { ...common, samples: [], error: stored.error, ...(stored.status === 'query_error' ? { queryError: true } : {}) };
    if (stored.status === 'no_data' && stored.series.length === 0) {
        // The provider's own reason (an empty result, a stale series): no threshold can turn it into data.
        return { ...common, samples: [], noDataReason: noDataCause(stored) };
    }
    // The resolution the store reported then (a CloudWatch period, say) is judged again as it was.
    const resolutionMs = stored.window?.resolution ? (0,duration/* parseDuration */.E9)(stored.window.resolution) : null;
    return {
        ...common,
        ...(resolutionMs !== null ? { resolutionMs } : {}),
        samples: stored.series,
        baseline: stored.baselineSeries.length > 0 ? stored.baselineSeries : null,
    };
}
/** The stored reason without the "no data: " and "(noData: …)" that evaluateGate wraps it in. */
function noDataCause(stored) {
    let r = stored.reason.replace(/^no data: /, '');
    const suffix = stored.noData === 'pass' || stored.noData === 'fail' ? ` (noData: ${stored.noData})` : '';
    if (suffix && r.endsWith(suffix))
        r = r.slice(0, -suffix.length);
    return r;
}
/**
 * The observations a snapshot recorded, for the gates of a (possibly changed) config. Nothing is
 * queried: a gate the snapshot did not judge with the same query has no data, saying why.
 */
function observationsFromSnapshot(snapshot, gates) {
    const stored = new Map(snapshot.gates.map((g) => [g.name, g]));
    const out = new Map();
    for (const gate of gates) {
        const s = stored.get(gate.name);
        const obs = s ? observationFrom(s, gate) : { missing: NOT_IN_SNAPSHOT };
        out.set(gate.name, 'missing' in obs ? { samples: [], noDataReason: obs.missing } : obs);
    }
    return out;
}
/**
 * Re-judges one evaluate/promote snapshot with the current plan and gates: the engine's own
 * `decide`, from the state the run read, towards the target it judged, at the instant it ran,
 * so ramp rules and the release calendar are judged as they were then. A recorded force is
 * applied again (it was allowed then); a recorded deadline overrun stays one.
 */
function rejudgeSnapshot(snapshot, plan, gates) {
    const decision = (0,decide/* decide */.L)({
        plan,
        gates,
        state: snapshot.stateBefore ?? (0,model/* initialState */.ue)(snapshot.rollout),
        target: snapshot.transition.to,
        observations: observationsFromSnapshot(snapshot, gates),
        nowMs: Date.parse(snapshot.at),
        force: snapshot.forced ? { reason: snapshot.forced.reason, actor: snapshot.forced.actor, allowed: true, refusal: null } : null,
        deadlineExceeded: snapshot.reasons.some((r) => r.startsWith('deadline exceeded')),
    });
    return { recorded: snapshot.decision, now: decision.decision, changed: gateChanges(snapshot.gates, decision.gates), decision };
}
/**
 * Gates whose status or effect on the decision differs; an absent gate counts as skipped. A
 * shadow gate the snapshot never saw is left out: it has nothing to say about that run.
 */
function gateChanges(before, after) {
    const was = new Map(before.map((g) => [g.name, g]));
    const changes = [];
    for (const g of after) {
        const old = was.get(g.name);
        was.delete(g.name);
        if (!old && (g.status === 'skipped' || g.shadow))
            continue;
        if (old && old.status === g.status && old.effect === g.effect)
            continue;
        changes.push({ gate: g.name, was: old?.status ?? null, now: g.status, reason: g.reason, wasEffect: old?.effect ?? null, nowEffect: g.effect, shadow: g.shadow });
    }
    for (const old of was.values()) {
        if (old.status === 'skipped')
            continue;
        changes.push({ gate: old.name, was: old.status, now: null, reason: 'no longer in the config', wasEffect: old.effect, nowEffect: null, shadow: old.shadow });
    }
    return changes;
}

// EXTERNAL MODULE: ./lib/report/escape.js
var report_escape = __webpack_require__(2527);
// EXTERNAL MODULE: ./lib/report/snapshot.js
var snapshot = __webpack_require__(1948);
// EXTERNAL MODULE: ./lib/report/terminal.js
var terminal = __webpack_require__(1488);
// EXTERNAL MODULE: ./lib/commands/errors.js
var errors = __webpack_require__(2615);
;// CONCATENATED MODULE: ./lib/backtest.js







/** Every `snapshot.json` under `dir`, in path order (evidence directories start with their UTC stamp). */
async function findSnapshots(dir) {
    const found = [];
    const walk = async (at) => {
        const entries = await (0,promises_.readdir)(at, { withFileTypes: true });
        for (const e of entries) {
            if (e.isDirectory()) {
                if (e.name !== '.git' && e.name !== 'node_modules')
                    await walk((0,external_node_path_.join)(at, e.name));
            }
            else if (e.name === 'snapshot.json' && (e.isFile() || e.isSymbolicLink())) {
                found.push((0,external_node_path_.join)(at, e.name));
            }
        }
    };
    await walk(dir);
    return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
/** Fields parseSnapshot does not check that a re-judgement needs; older snapshots lack baselineSeries. */
function readyToJudge(snap, where) {
    const bad = (what) => new Error(`${where}: not a rollout-gate snapshot (${what})`);
    if (typeof snap.at !== 'string' || Number.isNaN(Date.parse(snap.at)))
        throw bad('no valid "at" instant');
    if (!snap.transition || typeof snap.transition !== 'object')
        throw bad('no transition');
    if (snap.stateBefore !== null && typeof snap.stateBefore !== 'object')
        throw bad('stateBefore is not a state');
    if (!Array.isArray(snap.reasons))
        throw bad('no reasons');
    const gates = snap.gates.map((g, i) => {
        if (!g || typeof g !== 'object' || typeof g.name !== 'string')
            throw bad(`gates[${i}] is not a gate result`);
        return { ...g, series: Array.isArray(g.series) ? g.series : [], baselineSeries: Array.isArray(g.baselineSeries) ? g.baselineSeries : [], warnings: Array.isArray(g.warnings) ? g.warnings : [] };
    });
    return { ...snap, stateBefore: snap.stateBefore ?? null, forced: snap.forced ?? null, gates };
}
/**
 * Re-judges every evaluate/promote snapshot under `dir` with the config's current plan and gates,
 * from the series each snapshot stored: nothing is queried. A file that is not a snapshot is an
 * error entry and the others are still judged.
 */
async function backtest(config, dir, cwd = process.cwd()) {
    const root = (0,external_node_path_.resolve)(cwd, dir);
    let info;
    try {
        info = await (0,promises_.stat)(root);
    }
    catch (e) {
        throw new errors/* UsageError */.e(`--evidence: ${dir}: ${e.code === 'ENOENT' ? 'no such directory' : `cannot read (${e.code ?? e.message})`}`);
    }
    if (!info.isDirectory())
        throw new errors/* UsageError */.e(`--evidence: ${dir} is not a directory`);
    const files = await findSnapshots(root);
    if (files.length === 0)
        throw new errors/* UsageError */.e(`--evidence: no snapshot.json found under ${dir}`);
    const report = { dir, rollout: config.rollout.name, snapshots: [], skipped: [], errors: [] };
    for (const file of files) {
        // Named as the user would: under the directory they gave.
        const path = (0,external_node_path_.join)(dir, (0,external_node_path_.relative)(root, file));
        try {
            const snap = readyToJudge((0,snapshot/* parseSnapshot */.E$)(await (0,promises_.readFile)(file, 'utf8'), path), path);
            if (snap.rollout !== config.rollout.name) {
                report.skipped.push({ path, at: snap.at, reason: `rollout ${snap.rollout}, not ${config.rollout.name}` });
            }
            else if (!(0,snapshot/* judgesGates */.Xu)(snap.command)) {
                report.skipped.push({ path, at: snap.at, reason: `${snap.command}: an operator action, not a verdict on gates` });
            }
            else {
                const r = rejudgeSnapshot(snap, config.rollout, config.gates);
                report.snapshots.push({ path, at: snap.at, recorded: r.recorded, now: r.now, changed: r.changed });
            }
        }
        catch (e) {
            const message = e?.message ?? String(e);
            report.errors.push({ path, error: message.startsWith(path) ? message.slice(path.length).replace(/^:\s*/, '') : message });
        }
    }
    return report;
}
const ORDER = ['PROCEED', 'HOLD', 'ROLLBACK'];
/** "12 snapshots re-judged, 2 decisions would change: 1 PROCEED→HOLD, 1 HOLD→PROCEED". */
function backtestSummary(r) {
    const n = r.snapshots.length;
    const flips = new Map();
    for (const from of ORDER)
        for (const to of ORDER)
            if (from !== to)
                flips.set(`${from}→${to}`, 0);
    let changed = 0;
    for (const s of r.snapshots) {
        if (s.recorded === s.now)
            continue;
        changed++;
        const key = `${s.recorded}→${s.now}`;
        flips.set(key, (flips.get(key) ?? 0) + 1);
    }
    const detail = [...flips].filter(([, k]) => k > 0).map(([key, k]) => `${k} ${key}`).join(', ');
    const extra = [
        r.skipped.length ? `${r.skipped.length} skipped` : '',
        r.errors.length ? `${r.errors.length} unreadable` : '',
    ].filter(Boolean);
    return `${n} snapshot${n === 1 ? '' : 's'} re-judged, ${changed} decision${changed === 1 ? '' : 's'} would change${detail ? `: ${detail}` : ''}${extra.length ? `; ${extra.join(', ')}` : ''}`;
}
const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 };
/** The report as a terminal table: one row per snapshot, its changed gates beneath it. */
function renderBacktest(r, colour) {
    const c = (name, text) => (colour ? `\u001b[${CODES[name]}m${text}\u001b[0m` : text);
    const lines = [`${c('bold', 'rollout-gate backtest')} ${(0,report_escape/* terminalText */.eR)(r.rollout)}: snapshots under ${(0,report_escape/* terminalText */.eR)(r.dir)} re-judged with the current config`, ''];
    if (r.snapshots.length) {
        const atWidth = Math.max(2, ...r.snapshots.map((s) => s.at.length));
        lines.push(`  ${c('dim', `${'at'.padEnd(atWidth)}  ${'recorded'.padEnd(8)}  ${'now'.padEnd(8)}  snapshot`)}`);
        for (const s of r.snapshots) {
            const now = s.recorded === s.now ? s.now.padEnd(8) : c(s.now === 'PROCEED' ? 'green' : s.now === 'HOLD' ? 'yellow' : 'red', s.now.padEnd(8));
            lines.push(`  ${(0,report_escape/* terminalText */.eR)(s.at).padEnd(atWidth)}  ${s.recorded.padEnd(8)}  ${now}  ${(0,report_escape/* terminalText */.eR)(s.path)}`);
            for (const g of s.changed) {
                const was = g.was === null ? 'absent' : (0,terminal/* statusText */.qS)({ status: g.was, effect: g.wasEffect, shadow: g.shadow });
                const now = g.now === null ? 'removed' : (0,terminal/* statusText */.qS)({ status: g.now, effect: g.nowEffect, shadow: g.shadow });
                lines.push(`  ${' '.repeat(atWidth)}    ${(0,report_escape/* terminalText */.eR)(g.gate)}: ${was} → ${c('bold', now)}: ${(0,report_escape/* terminalText */.eR)(g.reason)}`);
            }
        }
    }
    if (r.skipped.length) {
        lines.push('', c('bold', 'Skipped'));
        for (const s of r.skipped)
            lines.push(`  ${(0,report_escape/* terminalText */.eR)(s.path)}: ${(0,report_escape/* terminalText */.eR)(s.reason)}`);
    }
    if (r.errors.length) {
        lines.push('', c('bold', 'Not judged'));
        for (const e of r.errors)
            lines.push(`  ${c('red', 'error')} ${(0,report_escape/* terminalText */.eR)(e.path)}: ${(0,report_escape/* terminalText */.eR)(e.error)}`);
    }
    lines.push('', backtestSummary(r));
    return `${lines.join('\n')}\n`;
}
/** `--json`: `{ snapshots: [{ path, at, recorded, now, changed: [{ gate, was, now, reason }] }], skipped, errors, summary }`. */
function backtestJson(r) {
    return `${JSON.stringify({
        snapshots: r.snapshots.map((s) => ({
            path: s.path,
            at: s.at,
            recorded: s.recorded,
            now: s.now,
            changed: s.changed.map((g) => ({ gate: g.gate, was: g.was, now: g.now, reason: g.reason })),
        })),
        skipped: r.skipped,
        errors: r.errors,
        summary: backtestSummary(r),
    }, null, 2)}\n`;
}


/***/ }),

/***/ 6939:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   backtestCommand: () => (/* binding */ backtestCommand)
/* harmony export */ });
/* harmony import */ var _backtest_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6193);
/* harmony import */ var _config_load_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1542);
/* harmony import */ var _commands_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5373);



/** `rollout-gate backtest --evidence DIR`: exit 0 whenever it ran, whatever would change. */
async function backtestCommand(cmd) {
    const evidence = (0,_commands_index_js__WEBPACK_IMPORTED_MODULE_2__/* .checkBacktest */ .gj)(cmd);
    const config = await (0,_config_load_js__WEBPACK_IMPORTED_MODULE_1__/* .loadConfig */ .Z9)(cmd.configFile.startsWith('/') ? cmd.configFile : `${cmd.cwd}/${cmd.configFile}`, cmd.env);
    const report = await (0,_backtest_js__WEBPACK_IMPORTED_MODULE_0__/* .backtest */ .Gr)(config, evidence, cmd.cwd);
    cmd.stdout(cmd.json ? (0,_backtest_js__WEBPACK_IMPORTED_MODULE_0__/* .backtestJson */ ._O)(report) : (0,_backtest_js__WEBPACK_IMPORTED_MODULE_0__/* .renderBacktest */ .M0)(report, cmd.colour));
    return _commands_index_js__WEBPACK_IMPORTED_MODULE_2__/* .BACKTEST_EXIT */ .vW;
}


/***/ })

};
