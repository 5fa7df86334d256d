export const id = 691;
export const ids = [691];
export const modules = {

/***/ 7691:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GATE_PARAMETERS: () => (/* binding */ GATE_PARAMETERS),
/* harmony export */   MAX_ROWS: () => (/* binding */ MAX_ROWS),
/* harmony export */   postgresProvider: () => (/* binding */ postgresProvider)
/* harmony export */ });
/* harmony import */ var _engine_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1168);
/* harmony import */ var _transport_postgres_connection_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4411);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5163);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3190);
/* harmony import */ var _transport_sql_parameters_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8834);





/**
 * More rows than this is a query that forgot its time filter: the run stops reading (and drops
 * the connection) instead of holding them all in memory.
 */
const MAX_ROWS = 100_000;
class TooManyRows extends Error {
}
// Room for the server's cancellation to arrive before the run's own timer fires, even on a busy machine.
const STATEMENT_MARGIN_MS = 250;
/**
 * Gate values from SQL. Every query runs alone (extended protocol: one statement) in a READ
 * ONLY transaction with `statement_timeout` set to the provider's timeout, and is rolled back:
 * a gate can never change the database. Query text is sent as written; nothing is spliced in.
 */
async function postgresProvider(config, ctx) {
    const timeoutMs = (config.timeout ? (0,_engine_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E9)(config.timeout) : null) ?? ctx.defaultTimeoutMs;
    const what = `postgres provider "${ctx.name}"`;
    const pool = await (0,_transport_postgres_connection_js__WEBPACK_IMPORTED_MODULE_1__/* .createPool */ .b)(config, { cwd: ctx.cwd, redactor: ctx.redactor, logger: ctx.logger, timeoutMs, what, max: config.connections ?? _transport_postgres_connection_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_POOL_SIZE */ .xl });
    let closed = null;
    async function run(req, statement) {
        const started = Date.now();
        let client;
        try {
            client = await pool.connect();
        }
        catch (e) {
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what}: ${(0,_transport_postgres_connection_js__WEBPACK_IMPORTED_MODULE_1__/* .describePgError */ .Ry)(e, ctx.redactor)}`, true);
        }
        let released = false;
        const release = (broken) => {
            if (released)
                return;
            released = true;
            client.release(broken);
        };
        // On the run's deadline, drop the connection instead of waiting for it; statement_timeout
        // bounds whatever the server still does.
        const onAbort = () => release(new Error('aborted'));
        if (req.signal.aborted) {
            onAbort();
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what}: the query was cancelled (timeout or deadline)`);
        }
        req.signal.addEventListener('abort', onAbort, { once: true });
        let broken;
        try {
            await client.query('BEGIN READ ONLY');
            // The server cancels the statement just before the run gives up on the gate, so the
            // answer is the server's own "canceling statement due to statement timeout".
            const budget = Math.round(timeoutMs - (Date.now() - started) - STATEMENT_MARGIN_MS);
            await client.query(`SET LOCAL statement_timeout = ${Math.max(1, budget)}`);
            // queryMode extended: the server refuses "select 1; commit; insert …" instead of running it.
            const { Query } = (await __webpack_require__.e(/* import() */ 849).then(__webpack_require__.bind(__webpack_require__, 3849))).default;
            const query = new Query({ text: statement.text, values: statement.values, rowMode: 'array', queryMode: 'extended' });
            const rows = [];
            const fields = await new Promise((resolve, reject) => {
                query.on('row', (row) => {
                    if (rows.length < MAX_ROWS)
                        rows.push(row);
                    else if (!released) {
                        // Stop the stream: a runaway query must not fill the memory.
                        release(new TooManyRows());
                        reject(new TooManyRows());
                    }
                });
                query.on('end', (result) => resolve(result.fields));
                query.on('error', reject);
                client.query(query);
            });
            return { columns: fields.map((f) => f.name), rows };
        }
        catch (e) {
            if (e instanceof TooManyRows) {
                throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what}: gate "${req.gate.name}": the query returned more than ${MAX_ROWS} rows; filter it to the gate's window (or aggregate in SQL)`);
            }
            if (req.signal.aborted)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what}: the query was cancelled (timeout or deadline)`);
            // SQLSTATE class 42 (a syntax error, an undefined column or table), not 42501 (the role's rights): a query error.
            if (/^42(?!501)/.test(String(e?.code)))
                throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .QueryError */ .lr(`${what}: gate "${req.gate.name}": ${(0,_transport_postgres_connection_js__WEBPACK_IMPORTED_MODULE_1__/* .describePgError */ .Ry)(e, ctx.redactor)}`);
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what}: gate "${req.gate.name}": ${(0,_transport_postgres_connection_js__WEBPACK_IMPORTED_MODULE_1__/* .describePgError */ .Ry)(e, ctx.redactor)}`);
        }
        finally {
            req.signal.removeEventListener('abort', onAbort);
            if (!released) {
                try {
                    await client.query('ROLLBACK');
                }
                catch (e) {
                    broken = e;
                }
            }
            release(broken);
        }
    }
    return {
        async query(req) {
            if (closed)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what} is closed`);
            const gate = `gate "${req.gate.name}"`;
            const { columns, rows } = await run(req, gateStatement(req, `${what}: ${gate}`));
            if (rows.length === 0)
                return { samples: [], noDataReason: 'the query returned no rows' };
            if (req.range === null) {
                if (rows.length > 1) {
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what}: ${gate}: the query returned ${rows.length} rows; a gate without \`over\` needs exactly one (or set \`over\` and return (ts, value) rows)`);
                }
                const col = valueColumn(columns, req.gate.select, null, gate);
                const raw = rows[0][col];
                const detail = { row: rowDetail(columns, rows[0]) };
                if (raw === null || raw === undefined)
                    return { samples: [], noDataReason: `column "${columns[col]}" is NULL`, detail };
                return { samples: [[req.nowMs / 1000, (0,_values_js__WEBPACK_IMPORTED_MODULE_3__/* .toValue */ .BA)(raw, `${gate}: column "${columns[col]}"`)]], detail };
            }
            if (rows.length > MAX_ROWS) {
                throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${what}: ${gate}: the query returned ${rows.length} rows (limit ${MAX_ROWS}); filter it to the gate's window`);
            }
            const tsCol = timeColumn(columns);
            const col = valueColumn(columns, req.gate.select, tsCol, gate);
            const samples = [];
            let nulls = 0;
            rows.forEach((row, i) => {
                const v = row[col];
                // A NULL value is a gap in the series, not a violation.
                if (v === null || v === undefined) {
                    nulls++;
                    return;
                }
                samples.push([
                    (0,_values_js__WEBPACK_IMPORTED_MODULE_3__/* .toUnixSeconds */ .LE)(row[tsCol], `${gate}: row ${i + 1} column "${columns[tsCol]}"`),
                    (0,_values_js__WEBPACK_IMPORTED_MODULE_3__/* .toValue */ .BA)(v, `${gate}: row ${i + 1} column "${columns[col]}"`),
                ]);
            });
            if (samples.length === 0)
                return { samples: [], noDataReason: `every one of ${rows.length} rows has a NULL "${columns[col]}"` };
            return { samples, ...(nulls > 0 ? { warnings: [`${nulls} row${nulls === 1 ? '' : 's'} with a NULL value skipped`] } : {}) };
        },
        async close() {
            closed ??= (() => {
                const ended = pool.end();
                (0,_transport_postgres_connection_js__WEBPACK_IMPORTED_MODULE_1__/* .dropConnecting */ .ap)(pool);
                return ended;
            })();
            await closed;
        },
    };
}
/** Named parameters a gate query may use: the window it is asked about, as timestamptz text. */
const GATE_PARAMETERS = ['start', 'end', 'now'];
const MENTIONS_PARAMETER = /:(start|end|now)\b/;
/**
 * The gate's SQL as sent: as written, unless it uses `:start`, `:end` or `:now`, which are bound
 * (never spliced) to the request's window. That is what lets a query follow `--now` and a
 * `baselineOffset` window instead of the database's own clock.
 */
function gateStatement(req, where) {
    if (!MENTIONS_PARAMETER.test(req.query))
        return { text: req.query, values: [] };
    let positional;
    try {
        positional = (0,_transport_sql_parameters_js__WEBPACK_IMPORTED_MODULE_4__/* .toPositional */ .E)(req.query, GATE_PARAMETERS);
    }
    catch (e) {
        if (e instanceof _transport_sql_parameters_js__WEBPACK_IMPORTED_MODULE_4__/* .SqlParameterError */ .S)
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .QueryError */ .lr(`${where}: ${e.message}`);
        throw e;
    }
    const iso = (ms) => new Date(ms).toISOString();
    const values = positional.names.map((name) => {
        if (name === 'now')
            return iso(req.nowMs);
        if (!req.range)
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .QueryError */ .lr(`${where}: :${name} is the window's ${name}; the gate needs \`over\` to have one`);
        return iso(name === 'start' ? req.range.startMs : req.range.endMs);
    });
    return { text: positional.text, values };
}
function findColumn(columns, name) {
    const exact = columns.indexOf(name);
    if (exact >= 0)
        return exact;
    // Unquoted aliases come back lower-cased: `as gateOk` is column "gateok".
    return columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
}
/** The time column of a windowed gate: one named `ts`, else the first. */
function timeColumn(columns) {
    const named = findColumn(columns, 'ts');
    return named >= 0 ? named : 0;
}
/** The value column: `select`; else `value` or the only other column. */
function valueColumn(columns, select, tsCol, gate) {
    const list = columns.map((c) => `"${c}"`).join(', ');
    if (select) {
        const i = findColumn(columns, select);
        if (i < 0)
            throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${gate}: select names column "${select}", but the query returns ${list}`);
        return i;
    }
    if (tsCol === null) {
        if (columns.length === 1)
            return 0;
        throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${gate}: the query returns ${columns.length} columns (${list}); set \`select\` to the one that holds the value`);
    }
    const named = findColumn(columns, 'value');
    if (named >= 0 && named !== tsCol)
        return named;
    if (columns.length === 2)
        return tsCol === 0 ? 1 : 0;
    throw new _types_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ(`${gate}: a windowed gate returns rows (ts, value), but the query returns ${list}; name the value column with \`select\` or alias it "value"`);
}
/** The row a single-row gate read, for the evidence: scalars only, long texts cut. */
function rowDetail(columns, row) {
    const out = {};
    columns.forEach((c, i) => {
        const v = row[i];
        if (v === null || typeof v === 'number' || typeof v === 'boolean')
            out[c] = v;
        else if (v instanceof Date)
            out[c] = v.toISOString();
        else if (typeof v === 'string')
            out[c] = v.length > 200 ? `${v.slice(0, 200)}…` : v;
        else if (typeof v === 'bigint')
            out[c] = v.toString();
    });
    return out;
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
