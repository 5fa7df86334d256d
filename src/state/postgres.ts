import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { StateConfig } from '../config/schema.js';
import { parseDuration } from '../engine/duration.js';
import type { RolloutState } from '../engine/model.js';
import type { Logger } from '../logger.js';
import { createPool, describePgError, dropConnecting, isConcurrencyFailure } from '../transport/postgres-connection.js';
import type { Redactor } from '../secrets.js';
import { parseStateDocument } from './document.js';
import { lastLoggedDecision, resolveEvidenceDir, writeEvidence } from './evidence-dir.js';
import { decisionLogShard } from '../ledger/layout.js';
import { SqlParameterError, toPositional, type PositionalStatement } from '../transport/sql-parameters.js';
import { StateConflictError, StateError, type StateRead, type StateStore, type StateWrite, type WriteResult } from './types.js';

export type PostgresStateConfig = Extract<StateConfig, { type: 'postgres' }>;

export interface PostgresStateOptions {
  rollout: string;
  cwd: string;
  redactor: Redactor;
  logger: Logger;
}

/** The named parameters a `write` statement may use. */
export const WRITE_PARAMETERS = [
  'stage', 'killSwitch', 'reason', 'actor', 'decision', 'state',
  'rollout', 'from', 'enteredAt', 'lastRollbackAt',
  'paused', 'pausedAt', 'pausedReason', 'pausedBy',
] as const;

const DEFAULT_TIMEOUT_MS = 10_000;

/** Column names as the read statement may spell them: enteredAt, entered_at, "enteredAt". */
const key = (column: string) => column.toLowerCase().replace(/_/g, '');
const COLUMNS: Record<string, keyof RolloutState | 'history' | 'pausedAt' | 'pausedReason' | 'pausedBy'> = {
  rollout: 'rollout',
  stage: 'stage',
  enteredat: 'enteredAt',
  killswitch: 'killSwitch',
  lastrollbackat: 'lastRollbackAt',
  history: 'history',
  // A pause as one JSON column, or as three plain ones.
  paused: 'paused',
  pausedat: 'pausedAt',
  pausedreason: 'pausedReason',
  pausedby: 'pausedBy',
};

/** The compare-and-swap stamp of a state: any change of stage, entry time, kill switch, last rollback or pause moves it. */
function stamp(state: RolloutState): string {
  const text = JSON.stringify([state.stage, state.enteredAt, state.killSwitch, state.lastRollbackAt, state.paused]);
  return `row:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** host:port/database, never the credentials. */
function databaseOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'database';
  }
}

function isoOf(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  // timestamptz as text ("2026-11-22 05:00:00+00") is still a time.
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d/.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T')))) {
    return new Date(Date.parse(v.replace(' ', 'T'))).toISOString();
  }
  return v;
}

/**
 * Rollout state in PostgreSQL, read and written by the user's own SQL. `read` returns one row
 * (stage, enteredAt, killSwitch, lastRollbackAt, optional history JSON); no row means the rollout
 * has not started. `write` runs with named parameters bound as real parameters, inside one
 * transaction that first takes a per-rollout advisory lock and re-reads the state: when it moved
 * since the run read it, nothing is written and the run decides again. Evidence and the decision
 * log go to a local directory (`evidenceDir`, default .rollout/).
 */
export function postgresStateStore(config: PostgresStateConfig, opts: PostgresStateOptions): StateStore {
  const timeoutMs = (config.timeout ? parseDuration(config.timeout) : null) ?? DEFAULT_TIMEOUT_MS;
  const evidenceRoot = resolveEvidenceDir(config.evidenceDir, opts.cwd);
  const where = 'postgres state';
  let write: PositionalStatement | null = null;
  if (config.write) {
    try {
      write = toPositional(config.write, WRITE_PARAMETERS);
    } catch (e) {
      if (e instanceof SqlParameterError) throw new StateError(`${where}: state.write: ${e.message}`);
      throw e;
    }
  }
  // Built on first use: creating the store loads nothing and connects nowhere.
  let pool: Promise<pg.Pool> | null = null;
  const getPool = () => (pool ??= createPool(config, { cwd: opts.cwd, redactor: opts.redactor, logger: opts.logger, timeoutMs, max: 2, what: where }));

  const fail = (doing: string, e: unknown) => new StateError(`${where}: ${doing}: ${describePgError(e, opts.redactor)}`);

  async function connect(): Promise<pg.PoolClient> {
    try {
      return await (await getPool()).connect();
    } catch (e) {
      const text = describePgError(e, opts.redactor);
      throw new StateError(`${where}: ${/^(cannot connect|no connection)/.test(text) ? text : `cannot connect: ${text}`}`);
    }
  }

  /** Runs the read statement on `client` (inside the caller's transaction). */
  async function readWith(client: pg.PoolClient): Promise<StateRead> {
    let res: pg.QueryResult;
    try {
      res = await client.query({ text: config.read, queryMode: 'extended' } as pg.QueryConfig);
    } catch (e) {
      throw fail('state.read failed', e);
    }
    if (res.rows.length === 0) return { state: null, version: null };
    if (res.rows.length > 1) throw new StateError(`${where}: state.read returned ${res.rows.length} rows; it must return one row for rollout "${opts.rollout}" (or none before the rollout starts)`);
    const row = res.rows[0] as Record<string, unknown>;
    const doc: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      const field = COLUMNS[key(column)];
      if (!field) continue;
      if ((field === 'history' || field === 'paused') && typeof value === 'string') {
        try {
          doc[field] = JSON.parse(value);
        } catch {
          throw new StateError(`${where}: state.read column "${column}" is not valid JSON`);
        }
      } else if (field === 'enteredAt' || field === 'lastRollbackAt' || field === 'pausedAt') doc[field] = isoOf(value);
      else doc[field] = value;
    }
    if ('pausedAt' in doc && !('paused' in doc)) {
      doc.paused = doc.pausedAt === null || doc.pausedAt === undefined ? null : { at: doc.pausedAt, reason: doc.pausedReason ?? '', actor: doc.pausedBy ?? null };
    }
    delete doc.pausedAt;
    delete doc.pausedReason;
    delete doc.pausedBy;
    if (!('stage' in doc)) {
      throw new StateError(`${where}: state.read must return a "stage" column (and enteredAt, killSwitch, lastRollbackAt); it returned ${Object.keys(row).map((c) => `"${c}"`).join(', ') || 'no columns'}`);
    }
    const state = parseStateDocument(doc, `${where} (state.read)`, opts.rollout);
    return { state, version: stamp(state) };
  }

  async function inTransaction<T>(client: pg.PoolClient, readOnly: boolean, fn: () => Promise<T>): Promise<T> {
    await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
    try {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      const out = await fn();
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (e) {
      if (!(e instanceof StateError) && !(e instanceof StateConflictError)) broken = e as Error;
      throw e;
    } finally {
      client.release(broken);
    }
  }

  function parameters(change: StateWrite, state: RolloutState): unknown[] {
    const last = state.history.at(-1);
    const values: Record<(typeof WRITE_PARAMETERS)[number], unknown> = {
      stage: state.stage,
      killSwitch: state.killSwitch,
      reason: last?.reason ?? change.message,
      actor: last?.actor ?? null,
      decision: last?.decision ?? null,
      state: JSON.stringify(state),
      rollout: state.rollout,
      from: last?.from ?? null,
      enteredAt: state.enteredAt,
      lastRollbackAt: state.lastRollbackAt,
      paused: state.paused ? JSON.stringify(state.paused) : null,
      pausedAt: state.paused?.at ?? null,
      pausedReason: state.paused?.reason ?? null,
      pausedBy: state.paused?.actor ?? null,
    };
    return write!.names.map((n) => values[n as keyof typeof values]);
  }

  return {
    description: `postgres ${databaseOf(config.url)}${config.write ? '' : ' (read only: no state.write)'}`,
    async read(): Promise<StateRead> {
      const read = await withClient((client) =>
        inTransaction(client, true, async () => {
          try {
            return await readWith(client);
          } catch (e) {
            if (e instanceof StateError) throw e;
            throw fail('state.read failed', e);
          }
        }),
      );
      // The decision log is local (evidenceDir): what a watch compares with to keep full evidence or not.
      return { ...read, lastDecision: await lastLoggedDecision(evidenceRoot, decisionLogShard(opts.rollout, Date.now())).catch(() => undefined) };
    },
    async write(change: StateWrite): Promise<WriteResult> {
      let version: string | null = null;
      if (change.state) {
        if (!write) throw new StateError(`${where}: state.write is not configured, so this run cannot change the stage; add a write statement (see the postgres state docs)`);
        const next = change.state;
        version = await withClient((client) =>
          inTransaction(client, false, async () => {
            try {
              // Serialises rollout-gate writers of this rollout, whatever the user's SQL locks.
              await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rollout-gate:${opts.rollout}`]);
            } catch (e) {
              throw fail('cannot lock the rollout', e);
            }
            const current = await readWith(client);
            if (current.version !== change.expectedVersion) {
              throw new StateConflictError(`the rollout state in postgres changed since this run read it (now ${current.state?.stage ?? 'not started'})`);
            }
            try {
              await client.query({ text: write!.text, values: parameters(change, next), queryMode: 'extended' } as pg.QueryConfig);
            } catch (e) {
              if (isConcurrencyFailure(e)) throw new StateConflictError(`the rollout state in postgres is being changed by another run (${describePgError(e, opts.redactor)})`);
              throw fail('state.write failed', e);
            }
            const after = await readWith(client);
            if (after.state?.stage !== next.stage) {
              throw new StateError(`${where}: after state.write the read statement returns stage ${JSON.stringify(after.state?.stage ?? null)}, not ${JSON.stringify(next.stage)}; nothing was changed (check that write updates the row read returns)`);
            }
            // A pause the read statement cannot return would be lost without a word.
            if ((after.state?.paused === null) !== (next.paused === null) || after.state?.killSwitch !== next.killSwitch) {
              const field = after.state?.killSwitch !== next.killSwitch ? 'killSwitch' : 'paused';
              throw new StateError(`${where}: after state.write the read statement returns ${field} ${JSON.stringify(after.state?.[field] ?? null)}, not ${JSON.stringify(next[field])}; nothing was changed (write must store it and read must return it: a "paused" JSON column, or paused_at, paused_reason and paused_by; see the postgres state docs)`);
            }
            return after.version;
          }),
        ).catch((e: unknown) => {
          if (e instanceof StateError || e instanceof StateConflictError) throw e;
          if (isConcurrencyFailure(e)) throw new StateConflictError(`the rollout state in postgres is being changed by another run (${describePgError(e, opts.redactor)})`);
          throw fail('the write transaction failed', e);
        });
      }
      const evidencePath = await writeEvidence(evidenceRoot, change);
      return { evidencePath, commit: null, version };
    },
    async close() {
      if (!pool) return;
      const p = await pool;
      const ended = p.end();
      dropConnecting(p);
      await ended;
    },
  };
}
