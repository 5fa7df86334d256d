import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type pg from 'pg';
import type { Logger } from '../logger.js';
import type { Redactor } from '../secrets.js';

export interface PostgresConnectionConfig {
  url: string;
  ssl?: boolean | { rejectUnauthorized?: boolean | undefined; caFile?: string | undefined } | undefined;
}

/**
 * Connections per provider unless its `connections` says otherwise. Gates are queried at most 8
 * at a time by default; 4 connections keep the database's connection count low while the
 * queries, which are short, still overlap: `npm run bench` (scripts/bench-postgres.ts) measures
 * 100 gates at 1, 2, 4 and 8 connections.
 */
export const DEFAULT_POOL_SIZE = 4;

/**
 * A pg pool for a config's URL; the URL's password is registered as a secret before anything can
 * echo it. `pg` is imported here, on first use, so runs without postgres never load it.
 */
export async function createPool(
  config: PostgresConnectionConfig,
  opts: { cwd: string; redactor: Redactor; logger: Logger; timeoutMs: number; max?: number; what: string },
): Promise<pg.Pool> {
  registerUrlSecrets(config.url, opts.redactor);
  const { default: pgModule } = await import('pg');
  let ssl: pg.PoolConfig['ssl'];
  if (config.ssl === true) ssl = { rejectUnauthorized: true };
  else if (config.ssl && typeof config.ssl === 'object') {
    const caFile = config.ssl.caFile;
    let ca: string | undefined;
    if (caFile) {
      try {
        ca = readFileSync(isAbsolute(caFile) ? caFile : resolve(opts.cwd, caFile), 'utf8');
      } catch (e) {
        throw new Error(`ssl.caFile ${caFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
    ssl = { rejectUnauthorized: config.ssl.rejectUnauthorized ?? true, ...(ca ? { ca } : {}) };
  } else if (config.ssl === false) ssl = false;
  const pool = new pgModule.Pool({
    connectionString: config.url,
    ...(ssl !== undefined ? { ssl } : {}),
    max: opts.max ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: opts.timeoutMs,
    idleTimeoutMillis: 10_000,
    application_name: 'rollout-gate',
    // Idle pooled connections never keep a finished CLI run alive.
    allowExitOnIdle: true,
  });
  // An idle connection that drops (server restart) must not crash the run.
  pool.on('error', (e) => opts.logger.debug(opts.redactor.redact(`${opts.what}: an idle connection failed: ${e.message}`)));
  return pool;
}

function registerUrlSecrets(url: string, redactor: Redactor): void {
  try {
    const u = new URL(url);
    if (u.password) redactor.add(decodeURIComponent(u.password));
    const fromQuery = u.searchParams.get('password');
    if (fromQuery) redactor.add(fromQuery);
  } catch {
    // An unparsable URL is reported by pg; the redactor still masks user:password@ in it.
  }
}

/**
 * Drops the connections a pool is still opening. pool.end() waits for them, and a server that
 * accepted the TCP connection but never answers would hold the run until the connect timeout
 * (past the deadline). Clients in use were already released when their query was abandoned.
 */
export function dropConnecting(pool: pg.Pool): void {
  const internals = pool as unknown as { _clients?: pg.Client[]; _idle?: { client: pg.Client }[] };
  const idle = new Set((internals._idle ?? []).map((i) => i.client));
  for (const client of internals._clients ?? []) {
    if (idle.has(client)) continue;
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

/** A pg or network error as one line for a user: the server's message and SQLSTATE, secrets masked. */
export function describePgError(e: unknown, redactor: Redactor): string {
  const err = e as { message?: string; code?: string; hint?: string; detail?: string };
  let text = err?.message || String(e);
  if (err?.code === 'ECONNREFUSED') text = `cannot connect: ${text}`;
  else if (err?.code === 'ENOTFOUND') text = `cannot resolve the host: ${text}`;
  else if (/timeout exceeded when trying to connect|connection timeout/i.test(text)) {
    text = 'no connection within the timeout (the server did not answer, or every pooled connection stayed busy)';
  }
  if (typeof err?.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) text += ` (SQLSTATE ${err.code})`;
  if (err?.hint) text += `; hint: ${err.hint}`;
  return redactor.redact(text);
}

/** Whether a pg error means the transaction lost a race (serialization failure, deadlock). */
export function isConcurrencyFailure(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === '40001' || code === '40P01';
}
