import type pg from 'pg';
import type { ProviderConfig } from '../config/schema.js';
import { parseDuration } from '../engine/duration.js';
import type { Sample } from '../engine/model.js';
import { createPool, DEFAULT_POOL_SIZE, describePgError, dropConnecting } from '../transport/postgres-connection.js';
import { ProviderError, QueryError, type Provider, type ProviderAnswer, type ProviderContext, type ProviderRequest } from './types.js';
import { toUnixSeconds, toValue } from './values.js';
import { SqlParameterError, toPositional, type PositionalStatement } from '../transport/sql-parameters.js';

type PostgresConfig = Extract<ProviderConfig, { type: 'postgres' }>;

/**
 * More rows than this is a query that forgot its time filter: the run stops reading (and drops
 * the connection) instead of holding them all in memory.
 */
export const MAX_ROWS = 100_000;

class TooManyRows extends Error {}
// Room for the server's cancellation to arrive before the run's own timer fires, even on a busy machine.
const STATEMENT_MARGIN_MS = 250;

interface Result {
  columns: string[];
  rows: unknown[][];
}

/**
 * Gate values from SQL. Every query runs alone (extended protocol: one statement) in a READ
 * ONLY transaction with `statement_timeout` set to the provider's timeout, and is rolled back:
 * a gate can never change the database. Query text is sent as written; nothing is spliced in.
 */
export async function postgresProvider(config: PostgresConfig, ctx: ProviderContext): Promise<Provider> {
  const timeoutMs = (config.timeout ? parseDuration(config.timeout) : null) ?? ctx.defaultTimeoutMs;
  const what = `postgres provider "${ctx.name}"`;
  const pool = await createPool(config, { cwd: ctx.cwd, redactor: ctx.redactor, logger: ctx.logger, timeoutMs, what, max: config.connections ?? DEFAULT_POOL_SIZE });
  let closed: Promise<void> | null = null;

  async function run(req: ProviderRequest, statement: GateStatement): Promise<Result> {
    const started = Date.now();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw new ProviderError(`${what}: ${describePgError(e, ctx.redactor)}`, true);
    }
    let released = false;
    const release = (broken?: Error) => {
      if (released) return;
      released = true;
      client.release(broken);
    };
    // On the run's deadline, drop the connection instead of waiting for it; statement_timeout
    // bounds whatever the server still does.
    const onAbort = () => release(new Error('aborted'));
    if (req.signal.aborted) {
      onAbort();
      throw new ProviderError(`${what}: the query was cancelled (timeout or deadline)`);
    }
    req.signal.addEventListener('abort', onAbort, { once: true });
    let broken: Error | undefined;
    try {
      await client.query('BEGIN READ ONLY');
      // The server cancels the statement just before the run gives up on the gate, so the
      // answer is the server's own "canceling statement due to statement timeout".
      const budget = Math.round(timeoutMs - (Date.now() - started) - STATEMENT_MARGIN_MS);
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, budget)}`);
      // queryMode extended: the server refuses "select 1; commit; insert …" instead of running it.
      const { Query } = (await import('pg')).default;
      const query = new Query({ text: statement.text, values: statement.values, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
      const rows: unknown[][] = [];
      const fields = await new Promise<pg.FieldDef[]>((resolve, reject) => {
        query.on('row', (row: unknown[]) => {
          if (rows.length < MAX_ROWS) rows.push(row);
          else if (!released) {
            // Stop the stream: a runaway query must not fill the memory.
            release(new TooManyRows());
            reject(new TooManyRows());
          }
        });
        query.on('end', (result: pg.QueryResult) => resolve(result.fields));
        query.on('error', reject);
        client.query(query);
      });
      return { columns: fields.map((f) => f.name), rows };
    } catch (e) {
      if (e instanceof TooManyRows) {
        throw new ProviderError(`${what}: gate "${req.gate.name}": the query returned more than ${MAX_ROWS} rows; filter it to the gate's window (or aggregate in SQL)`);
      }
      if (req.signal.aborted) throw new ProviderError(`${what}: the query was cancelled (timeout or deadline)`);
      // SQLSTATE class 42 (a syntax error, an undefined column or table), not 42501 (the role's rights): a query error.
      if (/^42(?!501)/.test(String((e as { code?: unknown })?.code))) throw new QueryError(`${what}: gate "${req.gate.name}": ${describePgError(e, ctx.redactor)}`);
      throw new ProviderError(`${what}: gate "${req.gate.name}": ${describePgError(e, ctx.redactor)}`);
    } finally {
      req.signal.removeEventListener('abort', onAbort);
      if (!released) {
        try {
          await client.query('ROLLBACK');
        } catch (e) {
          broken = e as Error;
        }
      }
      release(broken);
    }
  }

  return {
    async query(req): Promise<ProviderAnswer> {
      if (closed) throw new ProviderError(`${what} is closed`);
      const gate = `gate "${req.gate.name}"`;
      const { columns, rows } = await run(req, gateStatement(req, `${what}: ${gate}`));
      if (rows.length === 0) return { samples: [], noDataReason: 'the query returned no rows' };
      if (req.range === null) {
        if (rows.length > 1) {
          throw new ProviderError(`${what}: ${gate}: the query returned ${rows.length} rows; a gate without \`over\` needs exactly one (or set \`over\` and return (ts, value) rows)`);
        }
        const col = valueColumn(columns, req.gate.select, null, gate);
        const raw = rows[0]![col];
        const detail = { row: rowDetail(columns, rows[0]!) };
        if (raw === null || raw === undefined) return { samples: [], noDataReason: `column "${columns[col]}" is NULL`, detail };
        return { samples: [[req.nowMs / 1000, toValue(raw, `${gate}: column "${columns[col]}"`)]], detail };
      }
      if (rows.length > MAX_ROWS) {
        throw new ProviderError(`${what}: ${gate}: the query returned ${rows.length} rows (limit ${MAX_ROWS}); filter it to the gate's window`);
      }
      const tsCol = timeColumn(columns);
      const col = valueColumn(columns, req.gate.select, tsCol, gate);
      const samples: Sample[] = [];
      let nulls = 0;
      rows.forEach((row, i) => {
        const v = row[col];
        // A NULL value is a gap in the series, not a violation.
        if (v === null || v === undefined) { nulls++; return; }
        samples.push([
          toUnixSeconds(row[tsCol], `${gate}: row ${i + 1} column "${columns[tsCol]}"`),
          toValue(v, `${gate}: row ${i + 1} column "${columns[col]}"`),
        ]);
      });
      if (samples.length === 0) return { samples: [], noDataReason: `every one of ${rows.length} rows has a NULL "${columns[col]}"` };
      return { samples, ...(nulls > 0 ? { warnings: [`${nulls} row${nulls === 1 ? '' : 's'} with a NULL value skipped`] } : {}) };
    },
    async close() {
      closed ??= (() => {
        const ended = pool.end();
        dropConnecting(pool);
        return ended;
      })();
      await closed;
    },
  };
}

/** Named parameters a gate query may use: the window it is asked about, as timestamptz text. */
export const GATE_PARAMETERS = ['start', 'end', 'now'] as const;
const MENTIONS_PARAMETER = /:(start|end|now)\b/;

interface GateStatement {
  text: string;
  values: string[];
}

/**
 * The gate's SQL as sent: as written, unless it uses `:start`, `:end` or `:now`, which are bound
 * (never spliced) to the request's window. That is what lets a query follow `--now` and a
 * `baselineOffset` window instead of the database's own clock.
 */
function gateStatement(req: ProviderRequest, where: string): GateStatement {
  if (!MENTIONS_PARAMETER.test(req.query)) return { text: req.query, values: [] };
  let positional: PositionalStatement;
  try {
    positional = toPositional(req.query, GATE_PARAMETERS);
  } catch (e) {
    if (e instanceof SqlParameterError) throw new QueryError(`${where}: ${e.message}`);
    throw e;
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  const values = positional.names.map((name) => {
    if (name === 'now') return iso(req.nowMs);
    if (!req.range) throw new QueryError(`${where}: :${name} is the window's ${name}; the gate needs \`over\` to have one`);
    return iso(name === 'start' ? req.range.startMs : req.range.endMs);
  });
  return { text: positional.text, values };
}

function findColumn(columns: string[], name: string): number {
  const exact = columns.indexOf(name);
  if (exact >= 0) return exact;
  // Unquoted aliases come back lower-cased: `as gateOk` is column "gateok".
  return columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
}

/** The time column of a windowed gate: one named `ts`, else the first. */
function timeColumn(columns: string[]): number {
  const named = findColumn(columns, 'ts');
  return named >= 0 ? named : 0;
}

/** The value column: `select`; else `value` or the only other column. */
function valueColumn(columns: string[], select: string | null, tsCol: number | null, gate: string): number {
  const list = columns.map((c) => `"${c}"`).join(', ');
  if (select) {
    const i = findColumn(columns, select);
    if (i < 0) throw new ProviderError(`${gate}: select names column "${select}", but the query returns ${list}`);
    return i;
  }
  if (tsCol === null) {
    if (columns.length === 1) return 0;
    throw new ProviderError(`${gate}: the query returns ${columns.length} columns (${list}); set \`select\` to the one that holds the value`);
  }
  const named = findColumn(columns, 'value');
  if (named >= 0 && named !== tsCol) return named;
  if (columns.length === 2) return tsCol === 0 ? 1 : 0;
  throw new ProviderError(`${gate}: a windowed gate returns rows (ts, value), but the query returns ${list}; name the value column with \`select\` or alias it "value"`);
}

/** The row a single-row gate read, for the evidence: scalars only, long texts cut. */
function rowDetail(columns: string[], row: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    const v = row[i];
    if (v === null || typeof v === 'number' || typeof v === 'boolean') out[c] = v;
    else if (v instanceof Date) out[c] = v.toISOString();
    else if (typeof v === 'string') out[c] = v.length > 200 ? `${v.slice(0, 200)}…` : v;
    else if (typeof v === 'bigint') out[c] = v.toString();
  });
  return out;
}
