import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/schema.js';
import type { GateObservation } from '../../src/engine/gates.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';
import { gate, NOW, NOW_S } from '../support/fixtures.js';
import { closedPort, startFaultServer, type Fault, type FaultServer } from './fault-server.js';

// Prometheus, Alertmanager and the HTTP provider against a server that fails on cue. Every
// failure must end as "no data" with the reason, within the gate's timeout, without the token.
const TOKEN = 'tok-faults-7Hq2xZ';

interface Kind {
  type: 'prometheus' | 'alertmanager' | 'http';
  ok: string;
  gate: Parameters<typeof gate>[0];
  value: number;
}

const kinds: Kind[] = [
  {
    type: 'prometheus',
    ok: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [NOW_S, '0.25'] }] } }),
    gate: { query: 'up', staleAfterMs: null },
    value: 0.25,
  },
  { type: 'alertmanager', ok: '[]', gate: { query: 'severity="critical"' }, value: 0 },
  { type: 'http', ok: JSON.stringify({ data: { v: 0.5 } }), gate: { query: '/gate', select: 'data.v' }, value: 0.5 },
];

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.stop();
});

async function observe(kind: Kind, url: string, opts: { timeout?: string; retries?: number } = {}): Promise<{ obs: GateObservation; elapsedMs: number; logs: string[] }> {
  const logs: string[] = [];
  const g = gate({ name: 'g', provider: 'p', providerType: kind.type, ...kind.gate });
  const config = { type: kind.type, url, headers: { Authorization: `Bearer ${TOKEN}` }, timeout: opts.timeout ?? '5s', retries: opts.retries ?? 2 } as ProviderConfig;
  const redactor = new Redactor();
  const started = Date.now();
  const { observations } = await collectObservations({
    gates: [g],
    providers: { p: config },
    factories: defaultFactories,
    nowMs: NOW,
    target: 'canary_50',
    cwd: process.cwd(),
    logger: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warning: (m) => logs.push(m) },
    redactor,
  });
  return { obs: observations.get('g')!, elapsedMs: Date.now() - started, logs };
}

const answer = (status: number, body = '{"message":"no"}', headers: Record<string, string> = {}): Fault => ({ kind: 'answer', status, body, headers });

function expectNoDataWithout(obs: GateObservation, pattern: RegExp, logs: string[]): void {
  expect(obs.samples).toEqual([]);
  expect(obs.error ?? '').toMatch(pattern);
  expect(JSON.stringify(obs) + logs.join('\n')).not.toContain(TOKEN);
}

describe.each(kinds)('[fault] $type provider', (kind) => {
  it(`[fault] ${kind.type}: connection refused on a closed port is retried, then no data naming ECONNREFUSED`, async () => {
    const { obs, logs } = await observe(kind, `http://127.0.0.1:${await closedPort()}`, { retries: 1 });
    expectNoDataWithout(obs, /ECONNREFUSED.*after 2 attempts/, logs);
  });

  it(`[fault] ${kind.type}: a host name that does not resolve (.invalid) is no data naming ENOTFOUND`, async () => {
    const { obs, logs } = await observe(kind, 'http://rollout-gate-fault.invalid:9090', { retries: 0 });
    expectNoDataWithout(obs, /ENOTFOUND|EAI_AGAIN/, logs);
  });

  it.each([429, 503])(`[fault] ${kind.type}: HTTP %i with Retry-After: 1 is retried after the second it asks for`, async (status) => {
    server.script([answer(status, '{"status":"error","error":"busy"}', { 'retry-after': '1' }), answer(200, kind.ok)]);
    const { obs } = await observe(kind, server.url);
    expect(obs.error ?? null).toBeNull();
    expect(obs.samples.map((s) => s[1])).toEqual([kind.value]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it(`[fault] ${kind.type}: a Retry-After of an hour is not waited for: no data at once, one request`, async () => {
    server.script([answer(429, '{"status":"error","error":"slow down"}', { 'retry-after': '3600' })]);
    const { obs, elapsedMs, logs } = await observe(kind, server.url);
    expectNoDataWithout(obs, /429/, logs);
    expect(server.requests).toHaveLength(1);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it(`[fault] ${kind.type}: a server that keeps answering 503 is tried retries+1 times, then no data`, async () => {
    server.script([answer(503, '{"status":"error","error":"down"}')]);
    const { obs, logs } = await observe(kind, server.url, { retries: 2 });
    expectNoDataWithout(obs, /503/, logs);
    expect(server.requests).toHaveLength(3);
  });

  it(`[fault] ${kind.type}: 401 on a bad token is not retried and names the status, never the token`, async () => {
    server.script([answer(401, `{"status":"error","error":"invalid token ${TOKEN}"}`)]);
    const { obs, logs } = await observe(kind, server.url);
    expectNoDataWithout(obs, /401.*check the provider's headers or (basicAuth|the credentials in its url)/, logs);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it(`[fault] ${kind.type}: a server that accepts and never answers is no data after the timeout, not a hang`, async () => {
    server.script([{ kind: 'hang' }]);
    const { obs, elapsedMs, logs } = await observe(kind, server.url, { timeout: '1s' });
    expectNoDataWithout(obs, /timed out after 1s/, logs);
    expect(elapsedMs).toBeGreaterThanOrEqual(950);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it.each([false, true])(`[fault] ${kind.type}: a 50 MB answer is cut off at the size limit (Content-Length declared: %s)`, async (declare) => {
    server.script([{ kind: 'huge', bytes: 50 * 1024 * 1024, declare }]);
    const { obs, logs } = await observe(kind, server.url, { retries: 2 });
    expectNoDataWithout(obs, /larger than 10 MB/, logs);
    // Not retried: the next answer would be as large.
    expect(server.requests).toHaveLength(1);
  });
});
