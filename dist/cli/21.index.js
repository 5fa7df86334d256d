export const id = 21;
export const ids = [21];
export const modules = {

/***/ 8021:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   snapshotPath: () => (/* binding */ snapshotPath)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3926);



/**
 * The snapshot file `explain` reads for the path it was given: the file itself, or for an
 * evidence directory its `snapshot.json`. A directory holding several runs' evidence is a usage
 * error naming the newest snapshot in it, so the user knows which file to pass.
 */
async function snapshotPath(given, cwd) {
    const full = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(cwd, given);
    let dir = false;
    try {
        dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(full).isDirectory();
    }
    catch {
        return full; // the read that follows says what is wrong with it
    }
    if (!dir)
        return full;
    const inside = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(full, 'snapshot.json');
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(inside))
        return inside;
    const { findSnapshots } = await __webpack_require__.e(/* import() */ 193).then(__webpack_require__.bind(__webpack_require__, 6193));
    const found = await findSnapshots(full);
    if (found.length === 0)
        throw new _run_js__WEBPACK_IMPORTED_MODULE_2__/* .UsageError */ .eb(`${given} is a directory without a snapshot.json; explain reads one run's snapshot.json (in its evidence directory)`);
    const newest = found[found.length - 1];
    const shown = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(given, (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(full, newest));
    throw new _run_js__WEBPACK_IMPORTED_MODULE_2__/* .UsageError */ .eb(`${given} is a directory of ${found.length} runs' evidence; explain reads one run's snapshot.json, e.g. the newest: rollout-gate explain ${shown}` +
        (found.length > 1 ? ' (backtest --evidence DIR re-judges them all)' : ''));
}


/***/ })

};
