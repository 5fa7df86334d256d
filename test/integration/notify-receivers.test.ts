/**
 * Notifications and apply against local HTTP receivers (node:http on 127.0.0.1) that record
 * every request and answer as each path says: ok, failing, throttling or hanging.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { applyStage, ApplyError, notifyAll, notifyWarning, SIGNATURE_HEADER, type ApplyTarget, type NotifyTarget, type SlackMessage, type TeamsMessage } from '../../src/notify/index.js';
import { silentLogger } from '../../src/logger.js';
import { Redactor } from '../../src/secrets.js';
import { blockKitProblems, sampleEvent, teamsProblems } from '../support/notify-payloads.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
/** How many times each path was asked: the scripts below answer by count. */
const hits = new Map<string, number>();
let server: Server;
let base: string;
const open = new Set<import('node:http').ServerResponse>();

/** path → the status of the n-th request (1-based); 'hang' never answers. */
const SCRIPTS: Record<string, (n: number) => number | 'hang' | { status: number; headers: Record<string, string> }> = {
  '/ok': () => 200,
  '/accepted': () => 202,
  '/flaky': (n) => (n <= 2 ? 500 : 200),
  '/always-500': () => 500,
  '/throttled': (n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : 200),
  '/throttled-long': () => ({ status: 429, headers: { 'retry-after': '3600' } }),
  '/throttled-always': () => ({ status: 429, headers: { 'retry-after': '1' } }),
  '/forbidden': () => 403,
  '/bad-request': () => 400,
  '/hang': () => 'hang',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const key = `/${url.pathname.split('/')[1]}`;
      const n = (hits.get(url.pathname) ?? 0) + 1;
      hits.set(url.pathname, n);
      received.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = SCRIPTS[key]?.(n) ?? 404;
      if (answer === 'hang') {
        open.add(res);
        return;
      }
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(status < 300 ? 'ok' : `no (${status})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  hits.clear();
});

const noSleep = async () => {};
const opts = (extra: Partial<Parameters<typeof notifyAll>[2]> = {}) => ({ redactor: new Redactor(), logger: silentLogger, ...extra });
const target = (type: NotifyTarget['type'], path: string, extra: Partial<NotifyTarget> = {}): NotifyTarget => ({ type, url: `${base}${path}`, on: ['ROLLBACK', 'state-change'], secret: null, ...extra });
const bodiesOf = (path: string) => received.filter((r) => r.path.startsWith(path)).map((r) => JSON.parse(r.body) as unknown);

describe('each destination gets a payload its receiver accepts', () => {
  it('Slack: one POST with a Block Kit message within limits', async () => {
    const [outcome] = await notifyAll([target('slack', '/ok/services/T000/B000/XXXXXXXX')], sampleEvent(), opts());
    expect(outcome).toEqual({ type: 'slack', target: `127.0.0.1:${new URL(base).port}/ok/***`, ok: true, attempts: 1, error: null });
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.headers['content-type']).toMatch(/^application\/json/);
    const msg = bodiesOf('/ok')[0] as SlackMessage;
    expect(blockKitProblems(msg)).toEqual([]);
    expect(JSON.stringify(msg)).toContain('error_rate');
  });

  it('Teams: one POST with one Adaptive Card the adaptivecards package reads back unchanged (202 is success)', async () => {
    const [outcome] = await notifyAll([target('teams', '/accepted/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=abcdefghijk')], sampleEvent(), opts());
    expect(outcome).toMatchObject({ type: 'teams', ok: true, attempts: 1 });
    expect(outcome!.target).not.toContain('sig');
    const msg = bodiesOf('/accepted')[0] as TeamsMessage;
    expect(teamsProblems(msg)).toEqual([]);
  });

  it('webhook: the SPEC body, signed with an HMAC-SHA256 the receiver can recompute', async () => {
    const [outcome] = await notifyAll([target('webhook', '/ok/rollout', { secret: 'whsec_0123456789' })], sampleEvent(), opts());
    expect(outcome).toMatchObject({ ok: true, attempts: 1 });
    const { body, headers } = received[0]!;
    const header = headers[SIGNATURE_HEADER.toLowerCase()] as string;
    const expected = `sha256=${createHmac('sha256', 'whsec_0123456789').update(body).digest('hex')}`;
    expect(timingSafeEqual(Buffer.from(header), Buffer.from(expected))).toBe(true);
    expect(JSON.parse(body)).toEqual({
      rollout: 'chat', command: 'watch', decision: 'ROLLBACK', from: 'canary_10', to: 'canary_1', at: '2026-11-22T12:00:00.000Z', stateChanged: true,
      failedGates: ['error_rate'], reasons: ['error_rate failed (critical): value 0.042 breaks < 0.01'], evidence: sampleEvent().evidence, runUrl: sampleEvent().runUrl,
    });
  });

  it('webhook without a secret: no signature header', async () => {
    await notifyAll([target('webhook', '/ok/unsigned')], sampleEvent(), opts());
    expect(received[0]!.headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
  });

  it('sends only to targets whose `on` matches, all of them concurrently', async () => {
    const targets = [target('slack', '/ok/a'), target('teams', '/ok/b', { on: ['PROCEED'] }), target('webhook', '/ok/c', { on: ['state-change'] })];
    const outcomes = await notifyAll(targets, sampleEvent({ decision: 'HOLD', change: 'paused' }), opts());
    expect(outcomes.map((o) => [o.type, o.ok])).toEqual([['slack', true], ['webhook', true]]);
    expect(received.map((r) => r.path).sort()).toEqual(['/ok/a', '/ok/c']);
  });
});

describe('bounded and retried, never throwing', () => {
  it('500, 500, 200: ok after 3 attempts', async () => {
    const [o] = await notifyAll([target('webhook', '/flaky/x')], sampleEvent(), opts({ sleep: noSleep }));
    expect(o).toMatchObject({ ok: true, attempts: 3, error: null });
    expect(hits.get('/flaky/x')).toBe(3);
  });

  it('[fault] 500 every time: a failed outcome after 3 attempts, naming the status', async () => {
    const [o] = await notifyAll([target('slack', '/always-500/services/T/B/XXXXXXXX')], sampleEvent(), opts({ sleep: noSleep }));
    expect(o).toMatchObject({ ok: false, attempts: 3 });
    expect(o!.error).toMatch(/HTTP 500.*after 3 attempts/);
    expect(notifyWarning(o!)).toBe(`notify slack 127.0.0.1:${new URL(base).port}/always-500/***: HTTP 500: no (500) (after 3 attempts)`);
    expect(hits.get('/always-500/services/T/B/XXXXXXXX')).toBe(3);
  });

  it('429 with Retry-After: 1 is waited for (within the bound), then succeeds', async () => {
    const waits: number[] = [];
    const [o] = await notifyAll([target('teams', '/throttled/x')], sampleEvent(), opts({ sleep: async (ms) => void waits.push(ms) }));
    expect(o).toMatchObject({ ok: true, attempts: 2 });
    expect(waits).toEqual([1000]);
  });

  it('429 asking for longer than the bound is not waited for', async () => {
    const [o] = await notifyAll([target('webhook', '/throttled-long/x')], sampleEvent(), opts({ sleep: noSleep }));
    expect(o).toMatchObject({ ok: false, attempts: 1 });
    expect(o!.error).toMatch(/HTTP 429 \(asked to retry after 3600, beyond the 10 s bound\)/);
  });

  it('[fault] 429 on every attempt: a failed outcome after 3 attempts, each Retry-After waited for', async () => {
    const waits: number[] = [];
    const [o] = await notifyAll([target('webhook', '/throttled-always/x')], sampleEvent(), opts({ sleep: async (ms) => void waits.push(ms) }));
    expect(o).toMatchObject({ ok: false, attempts: 3, error: 'HTTP 429: no (429) (after 3 attempts)' });
    expect(waits).toEqual([1000, 1000]);
  });

  it('4xx is not retried', async () => {
    const [o] = await notifyAll([target('webhook', '/bad-request/x')], sampleEvent(), opts({ sleep: noSleep }));
    expect(o).toMatchObject({ ok: false, attempts: 1 });
    expect(o!.error).toContain('HTTP 400: no (400)');
  });

  it('[fault] a receiver that hangs costs at most the bound: notifyAll resolves with ok=false, the other target still succeeds', async () => {
    const boundMs = 1_500;
    const started = Date.now();
    const outcomes = await notifyAll([target('slack', '/hang/services/T/B/XXXXXXXX'), target('webhook', '/ok/fine')], sampleEvent(), opts({ boundMs }));
    const elapsed = Date.now() - started;
    expect(outcomes[0]).toMatchObject({ type: 'slack', ok: false });
    expect(outcomes[0]!.error).toMatch(/no success within 1500 ms|no answer within/);
    expect(outcomes[1]).toMatchObject({ type: 'webhook', ok: true });
    // A functional bound (the bound plus slack for a busy machine), not a speed target.
    expect(elapsed).toBeLessThan(boundMs + 2_000);
  });

  it('[fault] a refused connection is retried, then a failed outcome naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const [o] = await notifyAll([{ type: 'webhook', url: `http://127.0.0.1:${port}/x`, on: ['ROLLBACK'], secret: null }], sampleEvent(), opts({ sleep: noSleep }));
    expect(o).toMatchObject({ ok: false, attempts: 3 });
    expect(o!.error).toMatch(/ECONNREFUSED/);
  });

  it('a fetch that throws yields a failed outcome, never a rejection', async () => {
    const broken = (() => {
      throw new TypeError('boom');
    }) as unknown as typeof fetch;
    const outcomes = await notifyAll([target('slack', '/ok/x')], sampleEvent(), opts({ fetch: broken, sleep: noSleep }));
    expect(outcomes[0]).toMatchObject({ ok: false });
  });
});

describe('secrets never reach a payload or an outcome', () => {
  const SLACK_TOKEN_PATH = 'T0SECRET1/B0SECRET2/s3cr3tWebhookToken';
  const TOKEN = 'flags-token-9f8e7d6c5b';

  function loaded(env: Record<string, string>) {
    return parseConfig(
      `version: 1
rollout:
  name: chat
  stages:
    - { name: canary_1, traffic: 1, flags: { newComposer: true } }
    - { name: full, traffic: 100 }
notify:
  - { type: slack, url: "\${SLACK_WEBHOOK_URL}" }
  - { type: teams, url: "${base}/ok/workflows/abc/invoke?api-version=1&sig=teamsSignatureSecret" }
  - { type: webhook, url: "${base}/ok/hook", secret: "\${HOOK_SECRET}" }
apply:
  url: "\${FLAGS_API}/rollouts/chat"
  headers: { Authorization: "Bearer \${FLAGS_TOKEN}" }
`,
      'rollout-gate.yml',
      env,
    );
  }

  it('[secret] a ${VAR} webhook URL, a literal Teams sig and a token in a reason are redacted everywhere', async () => {
    const env = { SLACK_WEBHOOK_URL: `${base}/ok/services/${SLACK_TOKEN_PATH}`, HOOK_SECRET: 'hook-secret-123456', FLAGS_API: `${base}/apply-ok`, FLAGS_TOKEN: TOKEN };
    const cfg = loaded(env);
    const redactor = new Redactor(cfg.secrets);
    const event = sampleEvent({ reasons: [`provider said: bad token ${TOKEN}`], warnings: [`see ${env.SLACK_WEBHOOK_URL}`], failures: [{ name: 'g', severity: 'major', value: TOKEN, condition: '< 1', reason: 'sig=teamsSignatureSecret' }] });
    const outcomes = await notifyAll(cfg.notify, event, { redactor, logger: silentLogger });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    const everything = JSON.stringify(received.map((r) => r.body)) + JSON.stringify(outcomes);
    for (const secret of [TOKEN, 's3cr3tWebhookToken', SLACK_TOKEN_PATH, 'teamsSignatureSecret', 'hook-secret-123456', env.SLACK_WEBHOOK_URL]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('***');
    expect(outcomes[0]!.target).toBe(`127.0.0.1:${new URL(base).port}/ok/***`);
    // The signature still verifies: it is computed over the redacted body that was sent.
    const hook = received.find((r) => r.path === '/ok/hook')!;
    expect(hook.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(`sha256=${createHmac('sha256', 'hook-secret-123456').update(hook.body).digest('hex')}`);
  });

  it('[secret] apply sends the configured header, and a failed apply names the URL without its secrets', async () => {
    const env = { SLACK_WEBHOOK_URL: `${base}/ok/s/x/y`, HOOK_SECRET: 'hook-secret-123456', FLAGS_API: `${base}/forbidden`, FLAGS_TOKEN: TOKEN };
    const cfg = loaded(env);
    const redactor = new Redactor(cfg.secrets);
    const err = await applyStage(cfg.apply!, { rollout: 'chat', stage: 'canary_1', traffic: 1, flags: cfg.rollout.stages[0]!.flags, killSwitch: false, reason: `token ${TOKEN}` }, { redactor, logger: silentLogger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyError);
    const e = err as ApplyError;
    expect(e.message).toBe('apply: PUT ***/rollouts/chat answered HTTP 403 (check apply.headers): no (403)');
    expect(e).toMatchObject({ status: 403, attempts: 1, target: '***/rollouts/chat' });
    expect(received[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received[0]!.body).not.toContain(TOKEN);
    expect(JSON.parse(received[0]!.body)).toEqual({ rollout: 'chat', stage: 'canary_1', traffic: 1, flags: { newComposer: true }, killSwitch: false, reason: 'token ***' });
  });
});

describe('apply', () => {
  const applyTarget = (path: string, extra: Partial<ApplyTarget> = {}): ApplyTarget => ({ url: `${base}${path}`, method: 'PUT', headers: {}, timeoutMs: 10_000, ...extra });
  const body = { rollout: 'chat', stage: 'canary_10', traffic: 10, flags: { model: 'v2' }, killSwitch: false, reason: 'promoted by @alice' };
  const aopts = (extra = {}) => ({ redactor: new Redactor(), logger: silentLogger, sleep: noSleep, ...extra });

  it('PUTs the JSON body and returns the status on 2xx', async () => {
    await expect(applyStage(applyTarget('/ok/rollouts/chat', { headers: { 'x-team': 'web' } }), body, aopts())).resolves.toEqual({ status: 200, attempts: 1 });
    expect(received[0]).toMatchObject({ method: 'PUT', path: '/ok/rollouts/chat' });
    expect(received[0]!.headers['x-team']).toBe('web');
    expect(JSON.parse(received[0]!.body)).toEqual(body);
  });

  it.each(['POST', 'PATCH'] as const)('takes %s too', async (method) => {
    await applyStage(applyTarget('/accepted/x', { method }), body, aopts());
    expect(received[0]!.method).toBe(method);
  });

  it('500, 500, 200: applied after 3 attempts', async () => {
    await expect(applyStage(applyTarget('/flaky/apply'), body, aopts())).resolves.toEqual({ status: 200, attempts: 3 });
  });

  it('[fault] 500 three times: ApplyError naming the status and attempts', async () => {
    const e = (await applyStage(applyTarget('/always-500/apply'), body, aopts()).catch((x: unknown) => x)) as ApplyError;
    expect(e).toBeInstanceOf(ApplyError);
    expect(e.message).toBe(`apply: PUT 127.0.0.1:${new URL(base).port}/always-500/apply answered HTTP 500: no (500) (after 3 attempts)`);
    expect(e.attempts).toBe(3);
  });

  it('4xx fails at once, the URL shown without user info or query', async () => {
    const url = `http://deploy:pa55word-xyz@127.0.0.1:${new URL(base).port}/bad-request/apply?token=querysecret`;
    const redactor = new Redactor();
    const e = (await applyStage({ url, method: 'PUT', headers: {}, timeoutMs: 10_000 }, body, aopts({ redactor })).catch((x: unknown) => x)) as ApplyError;
    expect(e).toBeInstanceOf(ApplyError);
    expect(e.attempts).toBe(1);
    expect(e.message).toContain(`apply: PUT 127.0.0.1:${new URL(base).port}/bad-request/apply answered HTTP 400`);
    expect(e.message).not.toMatch(/pa55word|querysecret|deploy:/);
    expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('deploy:pa55word-xyz').toString('base64')}`);
  });

  it('[fault] a hanging receiver: ApplyError within the timeout', async () => {
    const started = Date.now();
    const e = (await applyStage(applyTarget('/hang/apply', { timeoutMs: 1_000 }), body, aopts()).catch((x: unknown) => x)) as ApplyError;
    expect(e).toBeInstanceOf(ApplyError);
    expect(e.message).toMatch(/^apply: PUT 127\.0\.0\.1:\d+\/hang\/apply failed: no success within 1000 ms/);
    expect(e.status).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000 + 2_000);
  });
});
