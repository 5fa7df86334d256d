import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerProvider, matcherText, parseMatchers } from '../../src/providers/alertmanager.js';
import type { ProviderContext } from '../../src/providers/types.js';
import { Redactor } from '../../src/secrets.js';
import { gate, M, NOW, NOW_S } from '../support/fixtures.js';

describe('parseMatchers: a gate query as Alertmanager label matchers', () => {
  it.each([
    ['severity="critical", service="chat"', [['severity', '=', 'critical'], ['service', '=', 'chat']]],
    ['{severity="critical",service="chat"}', [['severity', '=', 'critical'], ['service', '=', 'chat']]],
    ['severity = critical , team != "db"', [['severity', '=', 'critical'], ['team', '!=', 'db']]],
    ["service=~'chat|api', env!~\"dev.*\"", [['service', '=~', 'chat|api'], ['env', '!~', 'dev.*']]],
    ['msg="say \\"hi\\"\\\\n"', [['msg', '=', 'say "hi"\\n']]],
    ['msg="a, b {c}"', [['msg', '=', 'a, b {c}']]],
    ['empty=""', [['empty', '=', '']]],
  ])('%s', (text, expected) => {
    expect(parseMatchers(text).map((m) => [m.name, m.op, m.value])).toEqual(expected);
  });

  it.each([
    ['', /no matcher/],
    ['{}', /no matcher/],
    ['severity', /an operator/],
    ['severity=="critical"', /a value after "severity="/],
    ['severity="critical" service="chat"', /a comma between matchers/],
    ['severity="critical', /unterminated/],
    ['{severity="critical"', /without a closing/],
    ['1abc="x"', /a label name/],
    ['service=~"(chat"', /invalid regular expression/],
  ])('rejects %s', (text, message) => {
    expect(() => parseMatchers(text)).toThrow(message);
  });

  it('matcherText quotes so that parsing it again gives the same matcher (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);
    const op = fc.constantFrom('=', '!=' as const);
    fc.assert(
      fc.property(name, op, fc.string({ maxLength: 20 }), (n, o, v) => {
        const m = { name: n, op: o, value: v.replace(/\t/g, ' ') };
        expect(parseMatchers(matcherText(m))).toEqual([m]);
      }),
      { numRuns: 300, seed: process.env.CI ? 42 : undefined },
    );
  });
});

describe('alertmanagerProvider over HTTP', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body: unknown };
  const requests: URL[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(new URL(req.url!, 'http://x'));
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server.close());

  const ctx: ProviderContext = {
    name: 'am',
    cwd: process.cwd(),
    logger: { debug() {}, info() {}, warning() {} },
    redactor: new Redactor(),
    fetch: globalThis.fetch,
    defaultTimeoutMs: 5_000,
  };
  const ask = (query: string, activeForMs: number | null = null) =>
    alertmanagerProvider({ type: 'alertmanager', url, retries: 0 }, ctx).query({
      gate: gate({ name: 'alerts', providerType: 'alertmanager', activeForMs }),
      query,
      role: 'value',
      nowMs: NOW,
      range: null,
      target: null,
      signal: new AbortController().signal,
    });
  const alert = (name: string, ageMs: number, state = 'active') => ({
    labels: { alertname: name, severity: 'critical' },
    startsAt: new Date(NOW - ageMs).toISOString(),
    status: { state, silencedBy: [], inhibitedBy: [] },
  });

  it('asks for active, unsilenced, uninhibited alerts with one filter per matcher', async () => {
    answer = { status: 200, body: [] };
    await ask('severity="critical", service=~"chat|api"');
    const q = requests.at(-1)!;
    expect(q.pathname).toBe('/api/v2/alerts');
    expect(q.searchParams.get('active')).toBe('true');
    expect(q.searchParams.get('silenced')).toBe('false');
    expect(q.searchParams.get('inhibited')).toBe('false');
    expect(q.searchParams.getAll('filter')).toEqual(['severity="critical"', 'service=~"chat|api"']);
  });

  it('counts alerts active at least activeFor, one sample at now, names them in the detail', async () => {
    answer = { status: 200, body: [alert('Old', 10 * M), alert('Young', 30_000), alert('Borderline', 2 * M), alert('Muted', 10 * M, 'suppressed')] };
    const sustained = await ask('severity="critical"', 2 * M);
    expect(sustained.samples).toEqual([[NOW_S, 2]]);
    expect((sustained.detail!.alerts as { alertname: string }[]).map((a) => a.alertname)).toEqual(['Old', 'Borderline']);
    expect(sustained.detail!.activeForLessThan).toBe(1);
    expect((await ask('severity="critical"')).samples).toEqual([[NOW_S, 3]]);
  });

  it('lists at most 20 alerts in the detail but counts them all', async () => {
    answer = { status: 200, body: Array.from({ length: 25 }, (_, i) => alert(`A${i}`, 5 * M)) };
    const r = await ask('severity="critical"');
    expect(r.samples[0]![1]).toBe(25);
    expect(r.detail!.alerts).toHaveLength(20);
    expect(r.detail!.more).toBe(5);
  });

  it('an error answer is reported with the server message', async () => {
    answer = { status: 400, body: 'bad matcher format: x' };
    await expect(ask('severity="critical"')).rejects.toThrow('alertmanager "am": HTTP 400 from /api/v2/alerts: bad matcher format: x');
    answer = { status: 200, body: { unexpected: true } };
    await expect(ask('severity="critical"')).rejects.toThrow(/the answer is not a list of alerts/);
  });
});
