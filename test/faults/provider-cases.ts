import { expect, it } from 'vitest';
import type { GateObservation } from '../../src/engine/gates.js';
import { closedPort, type Fault, type FaultServer } from './fault-server.js';

/**
 * The faults every HTTP-based metric provider must survive (issue 7), as one set of cases run
 * for each provider kind: every failure ends as "no data" with the reason, within the gate's
 * timeout, without the credential.
 */
export interface FaultKind {
  type: string;
  /** A healthy answer, and the value it holds. */
  ok: string;
  value: number;
}

export interface FaultSuite<K extends FaultKind> {
  server: () => FaultServer;
  observe: (kind: K, url: string, opts?: { timeout?: string; retries?: number }) => Promise<{ obs: GateObservation; elapsedMs: number; logs: string[] }>;
  /** The credential that must never show in an observation or a log line. */
  secret: string;
  /** An error answer in the API's own shape. */
  errorBody: (message: string) => string;
  /** A bad credential: the status the API answers, its body, what the error must say, and a check of the request sent. */
  auth: { status: number; body: string; pattern: RegExp; sent?: (kind: K, headers: Record<string, string | string[] | undefined>) => void };
}

export const answer = (status: number, body: string, headers: Record<string, string> = {}): Fault => ({ kind: 'answer', status, body, headers });

export function expectNoDataWithout(obs: GateObservation, pattern: RegExp, logs: string[], secret: string): void {
  expect(obs.samples).toEqual([]);
  expect(obs.error ?? '').toMatch(pattern);
  expect(JSON.stringify(obs) + logs.join('\n')).not.toContain(secret);
}

/** Registers the shared fault cases for `kind` (call inside its describe block). */
export function providerFaultCases<K extends FaultKind>(kind: K, suite: FaultSuite<K>): void {
  const { observe, secret } = suite;
  const noData = (obs: GateObservation, pattern: RegExp, logs: string[]) => expectNoDataWithout(obs, pattern, logs, secret);

  it(`[fault] ${kind.type}: connection refused on a closed port is retried, then no data naming ECONNREFUSED`, async () => {
    const { obs, logs } = await observe(kind, `http://127.0.0.1:${await closedPort()}`, { retries: 1 });
    noData(obs, /ECONNREFUSED.*after 2 attempts/, logs);
  });

  it(`[fault] ${kind.type}: a host name that does not resolve (.invalid) is no data naming ENOTFOUND`, async () => {
    const { obs, logs } = await observe(kind, 'http://rollout-gate-fault.invalid:9090', { retries: 0 });
    noData(obs, /ENOTFOUND|EAI_AGAIN/, logs);
  });

  it.each([429, 503])(`[fault] ${kind.type}: HTTP %i with Retry-After: 1 is retried after the second it asks for`, async (status) => {
    const server = suite.server();
    server.script([answer(status, suite.errorBody('busy'), { 'retry-after': '1' }), answer(200, kind.ok)]);
    const { obs } = await observe(kind, server.url);
    expect(obs.error ?? null).toBeNull();
    expect(obs.samples.map((s) => s[1])).toEqual([kind.value]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it(`[fault] ${kind.type}: a Retry-After of an hour is not waited for: no data at once, one request`, async () => {
    const server = suite.server();
    server.script([answer(429, suite.errorBody('slow down'), { 'retry-after': '3600' })]);
    const { obs, elapsedMs, logs } = await observe(kind, server.url);
    noData(obs, /429/, logs);
    expect(server.requests).toHaveLength(1);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it(`[fault] ${kind.type}: a server that keeps answering 503 is tried retries+1 times, then no data`, async () => {
    const server = suite.server();
    server.script([answer(503, suite.errorBody('down'))]);
    const { obs, logs } = await observe(kind, server.url, { retries: 2 });
    noData(obs, /503/, logs);
    expect(server.requests).toHaveLength(3);
  });

  it(`[fault] ${kind.type}: ${suite.auth.status} on a bad credential is not retried and names the status, never the credential`, async () => {
    const server = suite.server();
    server.script([answer(suite.auth.status, suite.auth.body)]);
    const { obs, logs } = await observe(kind, server.url);
    noData(obs, suite.auth.pattern, logs);
    expect(server.requests).toHaveLength(1);
    suite.auth.sent?.(kind, server.requests[0]!.headers);
  });

  it(`[fault] ${kind.type}: a server that accepts and never answers is no data after the timeout, not a hang`, async () => {
    suite.server().script([{ kind: 'hang' }]);
    const { obs, elapsedMs, logs } = await observe(kind, suite.server().url, { timeout: '1s' });
    noData(obs, /timed out after 1s/, logs);
    expect(elapsedMs).toBeGreaterThanOrEqual(950);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it.each([false, true])(`[fault] ${kind.type}: a 50 MB answer is cut off at the size limit (Content-Length declared: %s)`, async (declare) => {
    const server = suite.server();
    server.script([{ kind: 'huge', bytes: 50 * 1024 * 1024, declare }]);
    const { obs, logs } = await observe(kind, server.url, { retries: 2 });
    noData(obs, /larger than 10 MB/, logs);
    // Not retried: the next answer would be as large.
    expect(server.requests).toHaveLength(1);
  });
}
