import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/schema.js';
import type { Gate } from '../../src/engine/model.js';
import { backoffMs, parseRetryAfter } from '../../src/transport/http-request.js';
import { interpretResult, labelsText, parseQueryResult, prometheusProvider, reduceSeries, type Series } from '../../src/providers/prometheus.js';
import { ProviderError, type ProviderContext, type ProviderRequest } from '../../src/providers/types.js';
import { Redactor } from '../../src/secrets.js';
import { gate, M, NOW, NOW_S } from '../support/fixtures.js';

type PromConfig = Extract<ProviderConfig, { type: 'prometheus' }>;

describe('parseQueryResult: the result types of the Prometheus HTTP API', () => {
  it('reads a vector, a matrix and a scalar', () => {
    expect(parseQueryResult({ resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'a' }, value: [NOW_S, '1'] }] })).toEqual({
      resultType: 'vector',
      series: [{ labels: { __name__: 'up', job: 'a' }, samples: [[NOW_S, 1]] }],
    });
    expect(parseQueryResult({ resultType: 'matrix', result: [{ metric: {}, values: [[NOW_S - 30, '0.5'], [NOW_S, '1e-3']] }] }).series[0]!.samples).toEqual([
      [NOW_S - 30, 0.5],
      [NOW_S, 0.001],
    ]);
    expect(parseQueryResult({ resultType: 'scalar', result: [NOW_S, '42'] }).series).toEqual([{ labels: {}, samples: [[NOW_S, 42]] }]);
  });

  it('keeps NaN and ±Inf as non-finite numbers', () => {
    const r = parseQueryResult({ resultType: 'vector', result: [{ metric: {}, value: [NOW_S, 'NaN'] }, { metric: { a: '1' }, value: [NOW_S, '+Inf'] }, { metric: { a: '2' }, value: [NOW_S, '-Inf'] }] });
    expect(r.series.map((s) => s.samples[0]![1])).toEqual([NaN, Infinity, -Infinity]);
  });

  it.each([
    [{ resultType: 'string', result: [NOW_S, 'x'] }, /returned a string/],
    [{ resultType: 'streams', result: [] }, /unknown resultType "streams"/],
    [{ resultType: 'vector', result: [{ metric: { __name__: 'h' }, histogram: [NOW_S, {}] }] }, /native histogram/],
    [{ resultType: 'vector', result: [{ metric: {}, value: [NOW_S, 'abc'] }] }, /result\[0\].value is string "abc"/],
    [{ resultType: 'matrix', result: [{ metric: {}, values: 3 }] }, /values is not a list/],
    [null, /no "data"/],
  ])('rejects %j', (data, message) => {
    expect(() => parseQueryResult(data)).toThrow(message);
  });
});

describe('labelsText', () => {
  it.each([
    [{ __name__: 'up', job: 'api', instance: 'a:9090' }, 'up{instance="a:9090", job="api"}'],
    [{ __name__: 'up' }, 'up'],
    [{ code: '5"00' }, '{code="5\\"00"}'],
    [{}, '{}'],
  ])('%j → %s', (labels, text) => expect(labelsText(labels)).toBe(text));
});

const series = (labels: Record<string, string>, samples: [number, number][]): Series => ({ labels, samples });

describe('reduceSeries: several series as one, per timestamp', () => {
  const three = [series({ i: 'a' }, [[1, 1], [2, 5]]), series({ i: 'b' }, [[1, 3], [2, 1]]), series({ i: 'c' }, [[2, 3]])];
  it.each([
    ['max', [[1, 3], [2, 5]]],
    ['min', [[1, 1], [2, 1]]],
    ['sum', [[1, 4], [2, 9]]],
    ['avg', [[1, 2], [2, 3]]],
  ] as const)('%s', (how, expected) => expect(reduceSeries(three, how)).toEqual(expected));

  it('max/min skip NaN like PromQL; sum/avg propagate it', () => {
    const withNaN = [series({ i: 'a' }, [[1, NaN]]), series({ i: 'b' }, [[1, 2]])];
    expect(reduceSeries(withNaN, 'max')).toEqual([[1, 2]]);
    expect(reduceSeries(withNaN, 'min')).toEqual([[1, 2]]);
    expect(reduceSeries(withNaN, 'sum')[0]![1]).toBeNaN();
    expect(reduceSeries(withNaN, 'avg')[0]![1]).toBeNaN();
  });

  it('min ≤ avg ≤ max and sum = avg × n at every timestamp (property)', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const input = rows.map((vals, i) => series({ i: String(i) }, vals.map((v, t) => [t, v] as [number, number])));
        const [mx, mn, av, sm] = (['max', 'min', 'avg', 'sum'] as const).map((h) => reduceSeries(input, h));
        for (let t = 0; t < 3; t++) {
          const [a, b, c, d] = [mx![t]![1] as number, mn![t]![1] as number, av![t]![1] as number, sm![t]![1] as number];
          expect(b).toBeLessThanOrEqual(c + 1e-6);
          expect(c).toBeLessThanOrEqual(a + 1e-6);
          expect(d).toBeCloseTo(c * rows.length, 3);
        }
      }),
      { numRuns: 200, seed: process.env.CI ? 42 : undefined },
    );
  });
});

describe('interpretResult: samples or the reason there is no data', () => {
  const g = (over: Partial<Pick<Gate, 'reduce' | 'staleAfterMs'>> = {}) => ({ reduce: null, staleAfterMs: null, ...over });
  const vec = (...values: [Record<string, string>, number][]) => ({ resultType: 'vector' as const, series: values.map(([l, v]) => series(l, [[NOW_S, v]])) });

  it('one series: its samples, in time order', () => {
    const r = interpretResult({ resultType: 'matrix', series: [series({}, [[NOW_S, 2], [NOW_S - 60, 1]])] }, g(), NOW);
    expect(r.noDataReason).toBeUndefined();
    expect(r.samples).toEqual([[NOW_S - 60, 1], [NOW_S, 2]]);
  });

  it('an empty result is no data', () => {
    expect(interpretResult({ resultType: 'vector', series: [] }, g(), NOW).noDataReason).toMatch(/empty result/);
    expect(interpretResult({ resultType: 'matrix', series: [series({}, [])] }, g(), NOW).noDataReason).toMatch(/empty result.*in the window/);
  });

  it.each([
    [NaN, 'the value is NaN'],
    [Infinity, 'the value is Inf'],
    [-Infinity, 'the value is -Inf'],
  ])('%s is no data', (v, reason) => {
    expect(interpretResult(vec([{}, v]), g(), NOW).noDataReason).toBe(reason);
  });

  it('a window of only NaN is no data; a window with some finite values is judged (the engine drops NaN)', () => {
    const allNaN = { resultType: 'matrix' as const, series: [series({}, [[NOW_S - 30, NaN], [NOW_S, NaN]])] };
    expect(interpretResult(allNaN, g(), NOW).noDataReason).toBe('every sample is NaN');
    const some = { resultType: 'matrix' as const, series: [series({}, [[NOW_S - 30, NaN], [NOW_S, 1]])] };
    expect(interpretResult(some, g(), NOW).noDataReason).toBeUndefined();
  });

  it('several series are an error naming their labels unless reduce is set', () => {
    const many = vec([{ __name__: 'cpu', instance: 'a' }, 1], [{ __name__: 'cpu', instance: 'b' }, 2]);
    expect(() => interpretResult(many, g(), NOW)).toThrow(ProviderError);
    expect(() => interpretResult(many, g(), NOW)).toThrow(/returned 2 series.*reduce.*cpu\{instance="a"\}, cpu\{instance="b"\}/);
    const r = interpretResult(many, g({ reduce: 'sum' }), NOW);
    expect(r.samples).toEqual([[NOW_S, 3]]);
    expect(r.detail).toMatchObject({ reduce: 'sum', seriesCount: 2 });
  });

  it('lists at most 10 series in the error', () => {
    const many = vec(...Array.from({ length: 15 }, (_, i) => [{ i: String(i) }, i] as [Record<string, string>, number]));
    expect(() => interpretResult(many, g(), NOW)).toThrow(/returned 15 series.*and 5 more/);
  });

  it.each([
    [4 * M, null, false],
    [6 * M, null, true],
    [6 * M, 10 * M, false],
    [2 * M, 1 * M, true],
  ])('newest sample %ims old with staleAfter %s → stale: %s', (ageMs, staleAfterMs, stale) => {
    const r = interpretResult({ resultType: 'matrix', series: [series({}, [[(NOW - ageMs) / 1000, 1]])] }, g({ staleAfterMs }), NOW);
    if (stale) expect(r.noDataReason).toMatch(/^stale: the newest sample is from .*before now \(staleAfter \d+m\)/);
    else expect(r.noDataReason).toBeUndefined();
  });
});

describe('backoff and Retry-After', () => {
  it('backoff doubles per attempt, with jitter in [d/2, d], capped', () => {
    expect(backoffMs(0, () => 0)).toBe(125);
    expect(backoffMs(0, () => 1)).toBe(250);
    expect(backoffMs(3, () => 1)).toBe(2000);
    expect(backoffMs(20, () => 1)).toBe(5000);
  });
  it.each([
    ['3', 3000],
    ['0.5', null], // delta-seconds are whole seconds (RFC 9110)
    [new Date(NOW + 7000).toUTCString(), 7000],
    ['soon', null],
    [null, null],
  ])('Retry-After %s → %s ms', (header, ms) => expect(parseRetryAfter(header, NOW)).toBe(ms));
});

// --- The provider against a local HTTP server ---

interface Seen {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
      const s = { method: req.method!, path: url.pathname, params, headers: req.headers };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());
afterEach(() => {
  seen.length = 0;
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
const ok = (result: unknown[], resultType = 'vector', extra: Record<string, unknown> = {}) => ({ status: 'success', data: { resultType, result }, ...extra });
const one = ok([{ metric: {}, value: [NOW_S, '0.25'] }]);
/** The error a query fails with; a query that succeeds fails the test. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the query to fail');
    },
    (e: unknown) => e as ProviderError,
  );

function setup(config: Partial<PromConfig> = {}, secrets: string[] = []) {
  const logs: string[] = [];
  const ctx: ProviderContext = {
    name: 'prom',
    cwd: process.cwd(),
    logger: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warning: (m) => logs.push(m) },
    redactor: new Redactor(secrets),
    fetch: globalThis.fetch,
    defaultTimeoutMs: 5_000,
  };
  const provider = prometheusProvider({ type: 'prometheus', url: baseUrl, ...config } as PromConfig, ctx);
  const ask = (over: Partial<ProviderRequest> = {}) =>
    provider.query({ gate: gate({ name: 'g', providerType: 'prometheus' }), query: 'up', role: 'value', nowMs: NOW, range: null, target: null, signal: new AbortController().signal, ...over });
  return { provider, ask, logs, ctx };
}

describe('prometheusProvider over HTTP', () => {
  it('an instant query is GET /api/v1/query at time=now', async () => {
    handler = (_, res) => json(res, 200, one);
    const answer = await setup().ask({ query: 'sum(rate(x[5m]))' });
    expect(answer.samples).toEqual([[NOW_S, 0.25]]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.path).toBe('/api/v1/query');
    expect(seen[0]!.params.get('query')).toBe('sum(rate(x[5m]))');
    expect(Number(seen[0]!.params.get('time'))).toBe(NOW_S);
  });

  it('a range query is /api/v1/query_range with start, end and step in seconds; the URL path prefix is kept', async () => {
    handler = (_, res) => json(res, 200, ok([{ metric: {}, values: [[NOW_S - 60, '1'], [NOW_S - 30, '2'], [NOW_S, '3']] }], 'matrix'));
    const { ask } = setup({ url: `${baseUrl}/prometheus` });
    const answer = await ask({ range: { startMs: NOW - 60_000, endMs: NOW, stepMs: 30_000 } });
    expect(answer.samples).toHaveLength(3);
    expect(seen[0]!.path).toBe('/prometheus/api/v1/query_range');
    expect(Object.fromEntries(seen[0]!.params)).toMatchObject({ start: String(NOW_S - 60), end: String(NOW_S), step: '30' });
  });

  it('a long query is sent as a form-encoded POST', async () => {
    handler = (_, res) => json(res, 200, one);
    const long = `sum(${Array.from({ length: 300 }, (_, i) => `rate(metric_${i}_total[5m])`).join(' + ')})`;
    await setup().ask({ query: long });
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]!.params.get('query')).toBe(long);
  });

  it('sends headers (tenant, bearer) and basic auth; credentials in the URL become basic auth', async () => {
    handler = (_, res) => json(res, 200, one);
    await setup({ headers: { 'X-Scope-OrgID': 'team-a', 'X-Extra': 'y' }, basicAuth: { username: 'u', password: 'p@ss' } }).ask();
    expect(seen[0]!.headers['x-scope-orgid']).toBe('team-a');
    expect(seen[0]!.headers['x-extra']).toBe('y');
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:p@ss').toString('base64')}`);
    await setup({ url: baseUrl.replace('http://', 'http://reader:s%3Acret@') }).ask();
    expect(seen[1]!.headers.authorization).toBe(`Basic ${Buffer.from('reader:s:cret').toString('base64')}`);
  });

  it('passes warnings through (and infos, marked)', async () => {
    handler = (_, res) => json(res, 200, ok([{ metric: {}, value: [NOW_S, '1'] }], 'vector', { warnings: ['PromQL info: metric might not be a counter'], infos: ['fyi'] }));
    const answer = await setup().ask();
    expect(answer.warnings).toEqual(['prometheus "prom": PromQL info: metric might not be a counter', 'prometheus "prom" (info): fyi']);
  });

  it('reports the error envelope in Prometheus\' own words, once, without retrying a 4xx', async () => {
    handler = (_, res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unexpected end of input' });
    const err = await failure(setup().ask());
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toBe('prometheus "prom": bad_data: invalid parameter "query": 1:5: parse error: unexpected end of input (HTTP 400)');
    expect(err.retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('retries 5xx with backoff and succeeds', async () => {
    let n = 0;
    handler = (_, res) => (++n < 3 ? json(res, 503, { status: 'error', errorType: 'unavailable', error: 'overloaded' }) : json(res, 200, one));
    const { ask, logs } = setup();
    const answer = await ask();
    expect(answer.samples).toEqual([[NOW_S, 0.25]]);
    expect(seen).toHaveLength(3);
    expect(logs.filter((l) => l.includes('→ HTTP 503'))).toHaveLength(2);
  });

  it('gives up after `retries` retries, saying how many attempts, with the last server message', async () => {
    handler = (_, res) => json(res, 500, { status: 'error', errorType: 'internal', error: 'boom' });
    const err = await failure(setup({ retries: 1 }).ask());
    expect(err.message).toBe('prometheus "prom": internal: boom (HTTP 500) after 2 attempts');
    expect(err.retryable).toBe(true);
    expect(seen).toHaveLength(2);
    seen.length = 0;
    await setup({ retries: 0 }).ask().catch(() => {});
    expect(seen).toHaveLength(1);
  });

  it('retries 429 after the Retry-After the server asks for', async () => {
    let n = 0;
    handler = (_, res) => (++n === 1 ? json(res, 429, { status: 'error', errorType: 'too_many', error: 'slow down' }, { 'retry-after': '1' }) : json(res, 200, one));
    const started = Date.now();
    await setup().ask();
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('a non-JSON error page is reported with its status and an excerpt', async () => {
    handler = (_, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>\n  <body>Not Found</body></html>');
    const err = await failure(setup().ask());
    expect(err.message).toBe('prometheus "prom": HTTP 404 from /api/v1/query (is the url the Prometheus API root?): <html> <body>Not Found</body></html>');
  });

  it('logs each query at debug level with secrets redacted', async () => {
    handler = (_, res) => json(res, 200, one);
    const { ask, logs } = setup({ headers: { Authorization: 'Bearer abc-secret-123' } }, ['hunter22']);
    await ask({ query: 'up{password="hunter22"}' });
    expect(seen[0]!.headers.authorization).toBe('Bearer abc-secret-123');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^prometheus "prom": GET \/api\/v1\/query gate "g": up\{password="\*\*\*"\} → HTTP 200 in \d+ms$/);
    expect(logs.join('\n')).not.toContain('abc-secret-123');
  });

  it('a network failure is retried, then reported', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const provider = prometheusProvider({ type: 'prometheus', url: `http://127.0.0.1:${port}`, retries: 1 }, setup().ctx);
    const err = await failure(provider.query({ gate: gate({ name: 'g' }), query: 'up', role: 'value', nowMs: NOW, range: null, target: null, signal: new AbortController().signal }));
    expect(err.message).toMatch(/^prometheus "prom": cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED \(connect ECONNREFUSED 127\.0\.0\.1:\d+\) \(after 2 attempts\)$/);
    expect(err.retryable).toBe(true);
  });

  it('an aborted request stops without retrying', async () => {
    handler = () => {}; // never answers
    const controller = new AbortController();
    const pending = setup().ask({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('timed out')), 50);
    await expect(pending).rejects.toThrow(/request aborted/);
    expect(seen).toHaveLength(1);
  });

  it('`concurrency` bounds the requests in flight to this provider', async () => {
    let inFlight = 0;
    let peak = 0;
    handler = (_, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, one);
      }, 20);
    };
    const { ask } = setup({ concurrency: 2 });
    const answers = await Promise.all(Array.from({ length: 7 }, () => ask()));
    expect(answers).toHaveLength(7);
    expect(seen).toHaveLength(7);
    expect(peak).toBe(2);
  });
});

describe('prometheusProvider over HTTPS with a private CA', () => {
  let dir: string;
  let tls: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollout-gate-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => json(res, 200, one));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(tls.address() as { port: number }).port}`;
  });
  afterAll(() => {
    tls?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = (config: Partial<PromConfig>) => {
    const { ctx } = setup();
    const provider = prometheusProvider({ type: 'prometheus', url, retries: 0, ...config } as PromConfig, { ...ctx, cwd: dir });
    return provider
      .query({ gate: gate({ name: 'g' }), query: 'up', role: 'value', nowMs: NOW, range: null, target: null, signal: new AbortController().signal })
      .finally(() => provider.close?.());
  };

  it('refuses the unknown certificate by default', async () => {
    await expect(query({})).rejects.toThrow(/cannot reach .*(self.signed|SELF_SIGNED|DEPTH_ZERO)/i);
  });
  it('trusts it with caFile (relative to the working directory)', async () => {
    expect((await query({ caFile: 'cert.pem' })).samples).toEqual([[NOW_S, 0.25]]);
  });
  it('accepts it with insecureSkipVerify', async () => {
    expect((await query({ insecureSkipVerify: true })).samples).toEqual([[NOW_S, 0.25]]);
  });
  it('a missing caFile is an error naming it', () => {
    expect(() => prometheusProvider({ type: 'prometheus', url, caFile: 'nope.pem' }, { ...setup().ctx, cwd: dir })).toThrow(/caFile nope.pem: cannot read it \(ENOENT\)/);
  });
});
