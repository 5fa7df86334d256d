import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileProvider } from '../../src/providers/file.js';
import { ProviderError } from '../../src/providers/types.js';
import { Redactor } from '../../src/secrets.js';
import { httpStateStore } from '../../src/state/http.js';
import { gate, NOW } from '../support/fixtures.js';
import { closedPort, startFaultServer, type FaultServer } from './fault-server.js';

const TOKEN = 'state-tok-Q8v3mZ1';
const quiet = { debug() {}, info() {}, warning() {} };
let server: FaultServer;
let dir: string;
beforeAll(async () => {
  server = await startFaultServer();
  dir = mkdtempSync(join(tmpdir(), 'rg-file-faults-'));
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('[fault] file provider', () => {
  const ask = (path: string) =>
    fileProvider({ type: 'file', path }, { name: 'snap', cwd: dir, logger: quiet, redactor: new Redactor(), fetch, defaultTimeoutMs: 1000 })
      .query({ gate: gate(), query: 'a.b', role: 'value', nowMs: NOW, range: null, target: null, signal: new AbortController().signal });

  it('[fault] file: a file above 50 MB is refused with its size, without reading it', async () => {
    const big = join(dir, 'huge.json');
    writeFileSync(big, '');
    truncateSync(big, 60 * 1024 * 1024);
    const err = await ask('huge.json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe('huge.json: the file is 60 MB, larger than the 50 MB a file provider reads');
  });

  it('[fault] file: a missing file is still "file not found", and a small one is read', async () => {
    await expect(ask('nope.json')).rejects.toThrow('nope.json: file not found');
    writeFileSync(join(dir, 'ok.json'), '{"a":{"b":3}}');
    expect((await ask('ok.json')).samples.map((s) => s[1])).toEqual([3]);
  });
});

describe('[fault] http state store', () => {
  const store = (url: string, timeout = '5s') =>
    httpStateStore({ type: 'http', url, headers: { Authorization: `Bearer ${TOKEN}` }, timeout, retries: 2 } as never, { rollout: 'chat', cwd: dir, redactor: new Redactor(), logger: quiet });
  const doc = JSON.stringify({ rollout: 'chat', stage: 'canary_10', enteredAt: '2026-11-22T09:00:00Z', killSwitch: false, lastRollbackAt: null, paused: null, history: [] });

  it('[fault] http state: connection refused is a state error naming ECONNREFUSED', async () => {
    const err = (await store(`http://127.0.0.1:${await closedPort()}/state`).read().catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('StateError');
    expect(err.message).toMatch(/ECONNREFUSED.*after 3 attempts/);
  });

  it('[fault] http state: a host that does not resolve is a state error naming ENOTFOUND', async () => {
    await expect(store('http://rollout-gate-state.invalid/state').read()).rejects.toThrow(/ENOTFOUND|EAI_AGAIN/);
  });

  it('[fault] http state: 503 with Retry-After is waited out on a read', async () => {
    server.script([{ kind: 'answer', status: 503, body: 'busy', headers: { 'retry-after': '1' } }, { kind: 'answer', status: 200, body: doc }]);
    const read = await store(`${server.url}/state`).read();
    expect(read.state?.stage).toBe('canary_10');
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('[fault] http state: 401 is an error at once, with the status and never the token', async () => {
    server.script([{ kind: 'answer', status: 401, body: `bad token ${TOKEN}` }]);
    const err = (await store(`${server.url}/state`).read().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/HTTP 401 \(check the state's headers or the credentials in its url\)/);
    expect(err.message).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(1);
  });

  it('[fault] http state: a server that never answers is an error after the timeout of each attempt', async () => {
    server.script([{ kind: 'hang' }]);
    const started = Date.now();
    await expect(store(`${server.url}/state`, '1s').read()).rejects.toThrow(/no answer within 1000 ms \(after 3 attempts\)/);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('[fault] http state: a 50 MB state document is refused at the size limit', async () => {
    server.script([{ kind: 'huge', bytes: 50 * 1024 * 1024, declare: false }]);
    await expect(store(`${server.url}/state`).read()).rejects.toThrow(/larger than 10 MB/);
  });
});
