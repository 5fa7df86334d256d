import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/schema.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';
import { gate, NOW } from '../support/fixtures.js';

// Errors thrown by fetch/undici and pg, and answers that echo the request, must not carry a
// secret even when the caller registered none: each provider registers what its config holds.
let echo: Server;
let url: string;
beforeAll(async () => {
  echo = createServer((req, res) => {
    res.writeHead(401, { 'content-type': 'text/plain' });
    res.end(`denied: ${req.url} ${JSON.stringify(req.headers)}`);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
});
afterAll(async () => {
  echo.closeAllConnections();
  await new Promise<void>((r) => echo.close(() => r()));
});

async function errorOf(config: ProviderConfig, g: Parameters<typeof gate>[0] = {}): Promise<{ text: string; redactor: Redactor }> {
  const logs: string[] = [];
  const redactor = new Redactor();
  const { observations } = await collectObservations({
    gates: [gate({ name: 'g', provider: 'p', providerType: config.type, query: config.type === 'alertmanager' ? 'severity="critical"' : 'up', ...g })],
    providers: { p: config },
    factories: defaultFactories,
    nowMs: NOW,
    target: null,
    cwd: process.cwd(),
    logger: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warning: (m) => logs.push(m) },
    redactor,
  });
  const obs = observations.get('g')!;
  expect(obs.error ?? '').not.toBe('');
  return { text: `${JSON.stringify(obs)}\n${logs.join('\n')}`, redactor };
}

const leaks = (text: string, ...secrets: string[]) => secrets.filter((s) => text.includes(s));

describe('[secret] provider errors', () => {
  it.each(['http', 'prometheus', 'alertmanager'] as const)('[secret] %s: a DNS failure on http://user:pass@host.invalid names the host, not the password', async (type) => {
    const { text } = await errorOf({ type, url: 'http://svc:dnsPw-1Qa9Zm@rollout-gate-secret.invalid/api', retries: 0 } as ProviderConfig);
    expect(text).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(leaks(text, 'dnsPw-1Qa9Zm', Buffer.from('svc:dnsPw-1Qa9Zm').toString('base64'))).toEqual([]);
  });

  it('[secret] http: a password with a malformed percent escape is still moved out of the URL and masked (fetch would echo the URL)', async () => {
    const { text } = await errorOf({ type: 'http', url: 'http://svc:bad%zzPw-7Kc@rollout-gate-secret.invalid/api', retries: 0 } as ProviderConfig);
    expect(text).not.toMatch(/includes credentials/);
    expect(leaks(text, 'bad%zzPw-7Kc')).toEqual([]);
  });

  it.each([
    ['prometheus', { headers: { Authorization: 'Bearer echoTok-3Lp8Vx' } }, ['echoTok-3Lp8Vx']],
    ['prometheus', { basicAuth: { username: 'reader', password: 'echoPw-5Ns2Kd' } }, ['echoPw-5Ns2Kd', Buffer.from('reader:echoPw-5Ns2Kd').toString('base64')]],
    ['alertmanager', { headers: { 'X-Api-Key': 'echoKey-8Ty4Bq' } }, ['echoKey-8Ty4Bq']],
    ['http', { headers: { Cookie: 'session=echoCookie-2Hm6Wr' } }, ['echoCookie-2Hm6Wr']],
  ] as const)('[secret] %s: a server that echoes the credentials it was sent into its error body: masked', async (type, extra, secrets) => {
    const { text } = await errorOf({ type, url, retries: 0, ...extra } as ProviderConfig);
    expect(text).toMatch(/401/);
    expect(leaks(text, ...secrets)).toEqual([]);
  });

  it('[secret] http: a ${VAR} value in the URL query (?key=…) never shows: messages give scheme, host and path', async () => {
    const { text } = await errorOf({ type: 'http', url: `${url}/gate?key=qKey-6Zr1Pn`, retries: 0 } as ProviderConfig, { query: '&x=1' });
    // The config loader registers ${VAR} values; here nobody did, and still the query string is not shown.
    expect(text).toContain(`${url}/gate`);
    expect(leaks(text.replace(/denied: [^"]*/g, ''), 'qKey-6Zr1Pn')).toEqual([]);
  });

  it.each([
    ['a percent-encoded password', 'pa%24%24w0rd-Xq', ['pa$$w0rd-Xq', 'pa%24%24w0rd-Xq']],
    ['a plain password', 'plainPgPw-4Jd', ['plainPgPw-4Jd']],
  ])('[secret] postgres: pg errors for a URL with %s name the host, never the password', async (_, pw, secrets) => {
    const { text } = await errorOf({ type: 'postgres', url: `postgres://app:${pw}@rollout-gate-secret.invalid:5432/db`, timeout: '3s' } as ProviderConfig, { query: 'select 1' });
    expect(text).toMatch(/ENOTFOUND|EAI_AGAIN|resolve/);
    expect(leaks(text, ...secrets)).toEqual([]);
  });

  it('[secret] the redactor masks every form: as is, percent-encoded, base64, and user:pass@ in URLs it was not told about', () => {
    const r = new Redactor(['s3cr/t+V@lue']);
    expect(r.redact(`a s3cr/t+V@lue b ${encodeURIComponent('s3cr/t+V@lue')} c ${Buffer.from('s3cr/t+V@lue').toString('base64')}`)).toBe('a *** b *** c ***');
    expect(r.redact('postgres://u:unknownPw@db/x')).toBe('postgres://u:***@db/x');
  });
});
