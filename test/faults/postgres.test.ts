import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/schema.js';
import type { GateObservation } from '../../src/engine/gates.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';
import { postgresStateStore } from '../../src/state/postgres.js';
import { gate, M, NOW } from '../support/fixtures.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../servers/postgres.js';
import { closedPort, startSilentServer } from './fault-server.js';

// A distinctive password with characters that URLs percent-encode.
const PASSWORD = 'pw$Fault/9#kQ';
const ENCODED = encodeURIComponent(PASSWORD);

async function observe(url: string, g: Parameters<typeof gate>[0], timeout = '3s'): Promise<{ obs: GateObservation; elapsedMs: number; logs: string[] }> {
  const logs: string[] = [];
  const redactor = new Redactor([PASSWORD]);
  const started = Date.now();
  const { observations } = await collectObservations({
    gates: [gate({ name: 'g', provider: 'db', providerType: 'postgres', ...g })],
    providers: { db: { type: 'postgres', url, timeout } as ProviderConfig },
    factories: defaultFactories,
    nowMs: NOW,
    target: 'canary_50',
    cwd: process.cwd(),
    logger: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warning: (m) => logs.push(m) },
    redactor,
  });
  return { obs: observations.get('g')!, elapsedMs: Date.now() - started, logs };
}

function expectNoData(obs: GateObservation, pattern: RegExp, logs: string[]): void {
  expect(obs.samples).toEqual([]);
  expect(obs.error ?? '').toMatch(pattern);
  const all = JSON.stringify(obs) + logs.join('\n');
  expect(all).not.toContain(PASSWORD);
  expect(all).not.toContain(ENCODED);
}

describe('[fault] postgres provider without a server', () => {
  it('[fault] postgres: connection refused is no data saying it cannot connect, without the password', async () => {
    const { obs, logs } = await observe(`postgres://app:${ENCODED}@127.0.0.1:${await closedPort()}/db`, { query: 'select 1' });
    expectNoData(obs, /ECONNREFUSED|cannot connect/i, logs);
  });

  it('[fault] postgres: a host that does not resolve is no data naming ENOTFOUND, without the password', async () => {
    const { obs, logs } = await observe(`postgres://app:${ENCODED}@rollout-gate-fault.invalid:5432/db`, { query: 'select 1' });
    expectNoData(obs, /ENOTFOUND|EAI_AGAIN/, logs);
  });

  it('[fault] postgres: a server that accepts and never answers is no data within the timeout', async () => {
    const silent = await startSilentServer();
    try {
      const { obs, elapsedMs, logs } = await observe(`postgres://app:${ENCODED}@127.0.0.1:${silent.port}/db`, { query: 'select 1' }, '1s');
      expectNoData(obs, /timed out|no connection within the timeout/, logs);
      expect(elapsedMs).toBeLessThan(3_000);
    } finally {
      await silent.stop();
    }
  });

  it('[fault] postgres state: a refused connection is a state error without the password', async () => {
    const store = postgresStateStore(
      { type: 'postgres', url: `postgres://app:${ENCODED}@127.0.0.1:${await closedPort()}/db`, read: 'select 1', timeout: '2s' } as never,
      { rollout: 'chat', cwd: process.cwd(), redactor: new Redactor([PASSWORD]), logger: { debug() {}, info() {}, warning() {} } },
    );
    const err = (await store.read().catch((e: unknown) => e)) as Error;
    await store.close?.();
    expect(err.name).toBe('StateError');
    expect(err.message).toMatch(/ECONNREFUSED|cannot connect/i);
    expect(err.message).not.toContain(PASSWORD);
    expect(err.message).not.toContain(ENCODED);
  });
});

describe.skipIf(!postgresAvailable)('[fault] postgres provider against a real PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('[fault] postgres: a wrong password is refused with PostgreSQL\'s words, and neither password is shown', async () => {
    const url = server.url.replace(`:${encodeURIComponent(server.password)}@`, `:${ENCODED}@`);
    const { obs, logs } = await observe(url, { query: 'select 1' });
    expectNoData(obs, /password authentication failed/, logs);
  });

  it('[fault] postgres: a slow query is cancelled by the server at the timeout: no data, not a hang', async () => {
    const { obs, elapsedMs } = await observe(server.url, { query: 'select pg_sleep(30)' }, '1s');
    expect(obs.samples).toEqual([]);
    expect(obs.error).toMatch(/statement timeout|timed out/);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it.each([
    ['an instant gate', null],
    ['a windowed gate', 60 * M],
  ])('[fault] postgres: %s whose query returns 300k rows is an error at 100k rows, not an out-of-memory', async (_, overMs) => {
    const { obs, elapsedMs } = await observe(server.url, { query: 'select now() as ts, g::float8 as value from generate_series(1, 300000) g', overMs }, '10s');
    expect(obs.samples).toEqual([]);
    expect(obs.error).toMatch(/returned more than 100000 rows/);
    expect(elapsedMs).toBeLessThan(8_000);
  });
});
