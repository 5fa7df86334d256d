export const id = 898;
export const ids = [898];
export const modules = {

/***/ 4898:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_FILE_BYTES: () => (/* binding */ MAX_FILE_BYTES),
/* harmony export */   fileProvider: () => (/* binding */ fileProvider)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5163);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3190);




/** A metrics snapshot is kilobytes; a larger file is a mistake (a log, a dump), not gate data. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Reads a JSON or YAML document; a gate's `query` is a dotted path to a number, boolean or series. */
function fileProvider(config, ctx) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(config.path) ? config.path : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(ctx.cwd, config.path);
    let doc = null;
    // One read per run, shared by every gate.
    const load = () => (doc ??= (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path).then((info) => {
        if (info.size > MAX_FILE_BYTES) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${config.path}: the file is ${Math.round(info.size / 1024 / 1024)} MB, larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB a file provider reads`);
        }
    }, () => { }).then(() => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(path, 'utf8')).then(async (text) => {
        // The YAML parser loads only for a YAML file.
        const parseYaml = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.extname)(path).toLowerCase() === '.json' ? null : (await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19))).parse;
        try {
            return parseYaml === null ? JSON.parse(text) : parseYaml(text);
        }
        catch (e) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${config.path}: not valid ${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.extname)(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}`);
        }
    }, (e) => {
        if (e instanceof _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ)
            throw e;
        throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${config.path}: ${e.code === 'ENOENT' ? 'file not found' : `cannot read (${e.code ?? e.message})`}`);
    }));
    return {
        async query(req) {
            const value = (0,_values_js__WEBPACK_IMPORTED_MODULE_3__/* .selectPath */ .k4)(await load(), req.query);
            if (value === undefined || value === null) {
                return { samples: [], noDataReason: `${config.path} has no value at "${req.query}"` };
            }
            return { samples: (0,_values_js__WEBPACK_IMPORTED_MODULE_3__/* .toSamples */ .BN)(value, req.nowMs, `${config.path} at "${req.query}"`) };
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
