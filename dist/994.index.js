export const id = 994;
export const ids = [994];
export const modules = {

/***/ 6994:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   verifyLedger: () => (/* binding */ verifyLedger)
/* harmony export */ });
/* unused harmony export verifyLedgerDir */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _chain_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5476);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8203);





/** Logs kept in one file per rollout beside the decision log. */
const ONE_FILE_LOGS = ['calibration-log'];
/**
 * Reads a checkout of the ledger branch and checks every log's chain: each rollout's decision log
 * (its one-file log from before the day shards, then the shards in day order) and each one-file log.
 */
function verifyLedgerDir(dir) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(dir) || !(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(dir).isDirectory())
        throw new Error(`${dir}: no such directory (check out the ledger branch, e.g. git worktree add ../ledger rollout-ledger)`);
    const read = (p) => (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, p), 'utf8');
    const evidenceHash = (path) => {
        if (!path || path.startsWith('/') || path.split(/[\\/]/).some((s) => s === '..' || s === ''))
            return null;
        try {
            return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, path))).digest('hex');
        }
        catch {
            return null;
        }
    };
    const reports = [];
    const logs = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .DECISION_LOG_DIR */ .A2);
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(logs)) {
        const names = new Set();
        for (const e of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(logs, { withFileTypes: true })) {
            if (e.isDirectory())
                names.add(e.name);
            else if (e.isFile() && e.name.endsWith('.jsonl'))
                names.add(e.name.slice(0, -'.jsonl'.length));
        }
        for (const name of [...names].sort()) {
            const files = [];
            const legacy = `${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .DECISION_LOG_DIR */ .A2}/${name}.jsonl`;
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, legacy)))
                files.push({ path: legacy, text: read(legacy) });
            const shardDir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(logs, name);
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(shardDir) && (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(shardDir).isDirectory()) {
                const shards = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(shardDir).filter((f) => (0,_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .shardDay */ .dt)(f) !== null).sort();
                for (const f of shards)
                    files.push({ path: `${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .DECISION_LOG_DIR */ .A2}/${name}/${f}`, text: read(`${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .DECISION_LOG_DIR */ .A2}/${name}/${f}`) });
            }
            reports.push((0,_chain_js__WEBPACK_IMPORTED_MODULE_3__/* .verifyChain */ .H5)(`${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .DECISION_LOG_DIR */ .A2}/${name}`, files, evidenceHash));
        }
    }
    for (const d of ONE_FILE_LOGS) {
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, d)))
            continue;
        for (const f of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, d)).filter((n) => n.endsWith('.jsonl')).sort()) {
            reports.push((0,_chain_js__WEBPACK_IMPORTED_MODULE_3__/* .verifyChain */ .H5)(`${d}/${f}`, [{ path: `${d}/${f}`, text: read(`${d}/${f}`) }], evidenceHash));
        }
    }
    return reports;
}
/** `verify`: the report for people and whether every chain is intact (unchained lines from before the chain are no break). */
function verifyLedger(dir) {
    return (0,_chain_js__WEBPACK_IMPORTED_MODULE_3__/* .describeReports */ .hR)(verifyLedgerDir(dir));
}


/***/ })

};
