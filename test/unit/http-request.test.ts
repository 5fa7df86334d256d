import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  httpRequest,
  HttpRequestError,
  joinUrl,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  snippet,
  withCredentials,
} from '../../src/transport/http-request.js';
import { Redactor } from '../../src/secrets.js';

/** A fetch that answers from a script, one entry per call; an Error entry is a network failure. */
function scripted(answers: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const next = answers[calls.length - 1];
    if (!next) throw new Error('unexpected extra request');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  return { fetchFn, calls };
}

const answer = (status: number, body = '{}', headers: Record<string, string> = {}) => new Response(status === 204 ? null : body, { status, headers });

describe('Retry-After and backoff', () => {
  it.each([
    ['2', 2_000],
    ['0', 0],
    [' 15 ', 15_000],
    ['soon', null],
    ['-3', null],
    ['1.5', null],
  ])('Retry-After %j → %s ms', (value, ms) => {
    expect(parseRetryAfter(value, Date.now())).toBe(ms);
  });

  it('reads an HTTP date as the time left until it', () => {
    const now = Date.parse('2026-11-22T05:00:00Z');
    expect(parseRetryAfter('Sun, 22 Nov 2026 05:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 04:00:00 GMT', now)).toBe(0);
  });

  it('backs off between half and all of a doubling ceiling, never beyond 5 s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(5_000, 250 * 2 ** attempt);
        const wait = backoffMs(attempt, () => r);
        expect(wait).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(wait).toBeLessThanOrEqual(ceiling);
      }),
    );
  });
});

describe('joining a gate query to the provider URL', () => {
  const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
  const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

  it('puts exactly one slash between base and path, whichever side has one', () => {
    fc.assert(
      fc.property(fc.constantFrom('https://gates.internal', 'http://127.0.0.1:8080/api'), fc.boolean(), fc.boolean(), path, (base, trailing, leading, p) => {
        const joined = joinUrl(trailing ? `${base}/` : base, leading ? `/${p}` : p);
        expect(joined).toBe(`${base}/${p}`);
      }),
    );
  });

  it('adds a query string with ? or &, as the base needs', () => {
    expect(joinUrl('https://g.internal/v1/gate', '?cohort=a')).toBe('https://g.internal/v1/gate?cohort=a');
    expect(joinUrl('https://g.internal/v1/gate?key=1', '?cohort=a')).toBe('https://g.internal/v1/gate?key=1&cohort=a');
    expect(joinUrl('https://g.internal/v1/gate', '')).toBe('https://g.internal/v1/gate');
  });
});

describe('httpRequest retries', () => {
  const statuses = fc.array(fc.constantFrom(200, 201, 204, 400, 401, 404, 409, 429, 500, 502, 503, 504), { minLength: 1, maxLength: 6 });

  it('retries 429 and 5xx only, up to the limit, and returns the answer it stopped at', async () => {
    await fc.assert(
      fc.asyncProperty(statuses, fc.integer({ min: 0, max: 4 }), async (script, retries) => {
        const { fetchFn, calls } = scripted(script.map((s) => answer(s)));
        const waits: number[] = [];
        const firstFinal = script.findIndex((s) => s !== 429 && s < 500);
        const expectedCalls = Math.min(firstFinal < 0 ? Infinity : firstFinal + 1, retries + 1);
        // A script that runs out before the request would stop says nothing: skip it.
        fc.pre(expectedCalls <= script.length);
        const res = await httpRequest({ method: 'GET', url: 'http://x/', headers: {}, retries, fetch: fetchFn, sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 });
        expect(calls).toHaveLength(expectedCalls);
        expect(res.status).toBe(script[expectedCalls - 1]);
        expect(res.attempts).toBe(expectedCalls);
        expect(waits).toHaveLength(expectedCalls - 1);
      }),
    );
  });

  it('waits as long as Retry-After asks, but gives up on a wait beyond the cap', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => { waits.push(ms); };
    const ok = scripted([answer(429, '{}', { 'retry-after': '3' }), answer(200, '{"v":1}')]);
    const res = await httpRequest({ method: 'GET', url: 'http://x/', headers: {}, retries: 2, fetch: ok.fetchFn, sleep });
    expect(res.text).toBe('{"v":1}');
    expect(waits).toEqual([3_000]);
    const tooLong = scripted([answer(429, 'busy', { 'retry-after': String(MAX_RETRY_AFTER_MS / 1000 + 60) })]);
    const gaveUp = await httpRequest({ method: 'GET', url: 'http://x/', headers: {}, retries: 2, fetch: tooLong.fetchFn, sleep });
    expect(gaveUp.status).toBe(429);
    expect(tooLong.calls).toHaveLength(1);
  });

  it('retries a network error and names its cause when it keeps failing', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' } });
    const recovers = scripted([refused, answer(200, '{"v":2}')]);
    expect((await httpRequest({ method: 'GET', url: 'http://x/', headers: {}, retries: 1, fetch: recovers.fetchFn, sleep: async () => {} })).text).toBe('{"v":2}');
    const down = scripted([refused, refused]);
    await expect(httpRequest({ method: 'GET', url: 'http://x/', headers: {}, retries: 1, fetch: down.fetchFn, sleep: async () => {} }))
      .rejects.toThrow('ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9) (after 2 attempts)');
  });

  it('stops reading a body beyond the size limit', async () => {
    const big = scripted([answer(200, 'x'.repeat(5_000))]);
    const err = await httpRequest({ method: 'GET', url: 'http://x/', headers: {}, retries: 0, fetch: big.fetchFn, maxBytes: 4_096 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect((err as Error).message).toMatch(/larger than/);
    const declared = scripted([answer(200, 'x', { 'content-length': '99999999' })]);
    await expect(httpRequest({ method: 'GET', url: 'http://x/', headers: {}, retries: 3, fetch: declared.fetchFn })).rejects.toThrow(/larger than 10 MB/);
    expect(declared.calls).toHaveLength(1);
  });

  it('gives up at once when the caller cancels while waiting to retry', async () => {
    const controller = new AbortController();
    const flaky = scripted([answer(503), answer(200)]);
    const pending = httpRequest({
      method: 'GET', url: 'http://x/', headers: {}, retries: 3, fetch: flaky.fetchFn, signal: controller.signal,
      sleep: (_ms, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toThrow(/cancelled/);
    expect(flaky.calls).toHaveLength(1);
  });
});

describe('credentials and error text', () => {
  it('moves URL credentials into a basic Authorization header and treats them as secrets', () => {
    const redactor = new Redactor();
    const { url, headers } = withCredentials('https://svc:s3cr3t-pw@gates.internal/api', { 'X-Api-Key': 'key-abcdef' }, redactor);
    expect(url).toBe('https://gates.internal/api');
    expect(headers.authorization).toBe(`Basic ${Buffer.from('svc:s3cr3t-pw').toString('base64')}`);
    expect(redactor.redact('pw s3cr3t-pw key key-abcdef')).toBe('pw *** key ***');
  });

  it('masks the credential of a "Bearer <token>" header on its own too', () => {
    const redactor = new Redactor();
    withCredentials('https://gates.internal', { Authorization: 'Bearer tok-123456' }, redactor);
    expect(redactor.redact('echo: tok-123456')).toBe('echo: ***');
  });

  it('cuts a body to its first 200 characters on one line', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (body) => {
        const s = snippet(body);
        expect(s).not.toMatch(/\s{2,}|\n/);
        expect(s.length).toBeLessThanOrEqual(201);
      }),
    );
  });
});
