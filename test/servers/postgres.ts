import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresServer {
  host: string;
  port: number;
  database: string;
  /** The application role: password auth, no superuser rights. */
  user: string;
  password: string;
  /** postgres://user:password@127.0.0.1:port/database for the application role. */
  url: string;
  /** The same for the superuser, to arrange and inspect data behind the code's back. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server binaries on the machine (Debian layout), or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

/** Skip only on a developer machine without PostgreSQL; under CI=true a missing server is a failure. */
export const postgresAvailable = postgresBinDir() !== null || process.env.CI === 'true';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * A throwaway PostgreSQL: initdb into a temp dir, started on 127.0.0.1 at a free port with
 * scram password auth (as the `postgres` OS user when we are root), the example schema loaded
 * and an application role granted what the examples need.
 */
export async function startPostgres(opts: { schemaFiles?: string[] } = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (run scripts/ensure-servers.sh)');
  const ids = await postgresIds();
  const dir = await mkdtemp(join(tmpdir(), 'rg-pg-'));
  const data = join(dir, 'data');
  const adminPassword = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pwfile');
  await writeFile(pwfile, `${adminPassword}\n`, { mode: 0o600 });
  if (ids) {
    await chown(dir, ids.uid, ids.gid);
    await chown(pwfile, ids.uid, ids.gid);
  }
  await chmod(dir, 0o700);
  const as = (cmd: string, args: string[]) =>
    ids ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args);

  let started = false;
  const stop = async () => {
    if (started) await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    started = false;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=scram-sha-256', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    await as('pg_ctl', [
      '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
      '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`,
      'start',
    ]);
    started = true;
    const host = '127.0.0.1';
    const database = 'chat';
    const user = 'rollout_gate';
    // A password with characters that need encoding in a URL, as real ones do.
    const password = `pw-${randomBytes(9).toString('hex')}!#`;
    const adminBase = `postgres://postgres:${adminPassword}@${host}:${port}`;
    const admin = new pg.Client({ connectionString: `${adminBase}/postgres` });
    await admin.connect();
    try {
      await admin.query(`create role ${user} login password '${password}'`);
      await admin.query(`create database ${database}`);
    } finally {
      await admin.end();
    }
    const adminUrl = `${adminBase}/${database}`;
    const db = new pg.Client({ connectionString: adminUrl });
    await db.connect();
    try {
      for (const file of opts.schemaFiles ?? []) await db.query(await readFile(file, 'utf8'));
      await db.query(`grant usage on schema public to ${user}`);
      await db.query(`grant select, insert, update, delete on all tables in schema public to ${user}`);
      await db.query(`grant usage on all sequences in schema public to ${user}`);
      await db.query(`grant execute on all functions in schema public to ${user}`);
    } finally {
      await db.end();
    }
    return {
      host,
      port,
      database,
      user,
      password,
      url: `postgres://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`,
      adminUrl,
      stop,
    };
  } catch (e) {
    const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    await stop();
    const err = e as Error & { stderr?: string };
    throw new Error(`could not start PostgreSQL: ${err.message}${err.stderr ? `\n${err.stderr}` : ''}${log ? `\nserver log:\n${log.slice(-2000)}` : ''}`);
  }
}
