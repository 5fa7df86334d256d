import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/schema.js';
import type { GateObservation } from '../../src/engine/gates.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';
import { gate, NOW, NOW_S } from '../support/fixtures.js';
import { ROOT } from '../support/demo.js';
import { startFaultServer, startSilentServer, type Fault, type FaultServer } from './fault-server.js';
import { answer as shared, expectNoDataWithout as expectNoData, providerFaultCases } from './provider-cases.js';

// Datadog, CloudWatch and New Relic against a server that fails on cue (issue 7's faults, as for
// Prometheus): every failure ends as "no data" with the reason, within the timeout, without the key.
const TOKEN = 'tok-faults-metrics-4Vb8Rp';
const ACCESS_KEY_ID = 'AKIAFAULTS000000001';

interface Kind {
  type: 'datadog' | 'cloudwatch' | 'newrelic';
  ok: string;
  query: string;
  value: number;
  config(url: string): Record<string, unknown>;
  /** The header that carries the credential, and what it must hold. */
  credential(headers: Record<string, string | string[] | undefined>): boolean;
  providerEnv?: Record<string, string>;
}

const kinds: Kind[] = [
  {
    type: 'datadog',
    ok: JSON.stringify({
      data: { id: '0', type: 'timeseries_response', attributes: { series: [{ group_tags: [], query_index: 0, unit: null }], times: [NOW - 60_000, NOW], values: [[0.5, 0.25]] } },
    }),
    query: 'avg:system.load.1{env:prod}',
    value: 0.25,
    config: (url) => ({ type: 'datadog', url, apiKey: TOKEN, appKey: `app-${TOKEN}` }),
    credential: (h) => h['dd-api-key'] === TOKEN && h['dd-application-key'] === `app-${TOKEN}`,
  },
  {
    type: 'cloudwatch',
    ok: JSON.stringify({ MetricDataResults: [{ Id: 'q', Label: 'q', Timestamps: [NOW_S - 120], Values: [0.25], StatusCode: 'Complete' }], Messages: [] }),
    query: 'SELECT AVG(CPUUtilization) FROM "AWS/EC2"',
    value: 0.25,
    config: (url) => ({ type: 'cloudwatch', region: 'eu-central-1', endpoint: url }),
    credential: (h) => String(h.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/`) && h['x-amz-security-token'] === `session-${TOKEN}`,
    providerEnv: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: TOKEN, AWS_SESSION_TOKEN: `session-${TOKEN}` },
  },
  {
    type: 'newrelic',
    ok: JSON.stringify({ data: { actor: { account: { nrql: { results: [{ count: 0.25 }] } } } } }),
    query: 'SELECT count(*) FROM Transaction',
    value: 0.25,
    config: (url) => ({ type: 'newrelic', accountId: 42, apiKey: TOKEN, url: `${url}/graphql` }),
    credential: (h) => h['api-key'] === TOKEN,
  },
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
  const g = gate({ name: 'g', provider: 'p', providerType: kind.type, query: kind.query });
  const config = { ...kind.config(url), timeout: opts.timeout ?? '5s', retries: opts.retries ?? 2 } as ProviderConfig;
  const started = Date.now();
  const { observations } = await collectObservations({
    gates: [g],
    providers: { p: config },
    factories: defaultFactories,
    nowMs: NOW,
    target: 'canary_50',
    cwd: process.cwd(),
    logger: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warning: (m) => logs.push(m) },
    redactor: new Redactor(),
    ...(kind.providerEnv ? { env: kind.providerEnv } : {}),
  });
  return { obs: observations.get('g')!, elapsedMs: Date.now() - started, logs };
}

const answer = (status: number, body = '{"errors":["no"]}', headers: Record<string, string> = {}): Fault => shared(status, body, headers);
const expectNoDataWithout = (obs: GateObservation, pattern: RegExp, logs: string[]) => expectNoData(obs, pattern, logs, TOKEN);

describe.each(kinds)('[fault] $type provider', (kind) => {
  it(`[fault] ${kind.type}: the healthy answer is read (the baseline for the faults below)`, async () => {
    server.script([answer(200, kind.ok)]);
    const { obs } = await observe(kind, server.url);
    expect(obs.error ?? null).toBeNull();
    expect(obs.samples.map((s) => s[1])).toEqual([kind.value]);
    expect(kind.credential(server.requests[0]!.headers)).toBe(true);
  });

  providerFaultCases(kind, {
    server: () => server,
    observe,
    secret: TOKEN,
    errorBody: (message) => JSON.stringify({ errors: [message] }),
    auth: {
      status: 403,
      body: JSON.stringify({ errors: [`invalid key ${TOKEN} session-${TOKEN}`], message: `invalid key ${TOKEN} session-${TOKEN}`, __type: 'AccessDeniedException' }),
      pattern: /403.*\(check /,
    },
  });

  it(`[fault] ${kind.type}: a 200 whose body is not the API's answer is no data naming it, not a value`, async () => {
    server.script([answer(200, '<html>captive portal</html>')]);
    const { obs, logs } = await observe(kind, server.url);
    expectNoDataWithout(obs, /./, logs);
    expect(obs.error).toMatch(/captive portal|no data\.|Unexpected token|not valid JSON|Deserialization|answer has no/i);
  });
});

describe('[fault] datadog rate limits', () => {
  const dd = kinds[0]!;
  it('[fault] datadog: 429 with X-RateLimit-Reset: 1 is waited out, then read', async () => {
    server.script([answer(429, '{"errors":["Rate limit of 1600 requests in 3600 seconds reached."]}', { 'x-ratelimit-limit': '1600', 'x-ratelimit-period': '3600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }), answer(200, dd.ok)]);
    const { obs, logs } = await observe(dd, server.url);
    expect(obs.error ?? null, logs.join('\n')).toBeNull();
    expect(obs.samples.map((s) => s[1])).toEqual([dd.value]);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('[fault] datadog: a reset longer than the gate\'s timeout ends at the timeout as no data, not a hang', async () => {
    server.script([answer(429, '{"errors":["Rate limit reached."]}', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' })]);
    const { obs, logs } = await observe(dd, server.url, { timeout: '1s' });
    expectNoDataWithout(obs, /timed out after 1s/, logs);
    expect(server.requests).toHaveLength(1);
  });

  it('[fault] datadog: a reset beyond a minute is not waited for: no data naming the 429 at once', async () => {
    server.script([answer(429, '{"errors":["Rate limit reached."]}', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3000' })]);
    const { obs, logs } = await observe(dd, server.url);
    expectNoDataWithout(obs, /HTTP 429.*Rate limit reached/, logs);
    expect(server.requests).toHaveLength(1);
  });
});

describe('[fault] newrelic NerdGraph errors', () => {
  const nr = kinds[2]!;
  it('[fault] newrelic: HTTP 200 with an errors array is an error, never data (even beside partial data)', async () => {
    server.script([
      answer(
        200,
        JSON.stringify({
          errors: [{ message: `NRQL Syntax Error: unexpected 'FORM' (key ${TOKEN})`, path: ['actor', 'account', 'nrql'], extensions: { errorClass: 'INVALID_INPUT' } }],
          data: { actor: { account: { nrql: { results: [{ count: 7 }] } } } },
        }),
      ),
    ]);
    const { obs, logs } = await observe(nr, server.url);
    expectNoDataWithout(obs, /NerdGraph refused the query: INVALID_INPUT: NRQL Syntax Error/, logs);
    expect(server.requests).toHaveLength(1);
  });
});

describe('[fault] cloudwatch status codes', () => {
  const cw = kinds[1]!;
  it('[fault] cloudwatch: a result with StatusCode Forbidden is an error naming its messages, not an empty series', async () => {
    server.script([answer(200, JSON.stringify({ MetricDataResults: [{ Id: 'q', Label: 'q', Timestamps: [], Values: [], StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'not authorized to read AWS/EC2' }] }] }))]);
    const { obs, logs } = await observe(cw, server.url);
    expectNoDataWithout(obs, /status is Forbidden: Forbidden not authorized to read AWS\/EC2/, logs);
  });
});

describe('[fault] the run deadline with the hosted providers', () => {
  let silent: { port: number; stop(): Promise<void> };
  let dir: string;
  beforeAll(async () => {
    silent = await startSilentServer();
    dir = mkdtempSync(join(tmpdir(), 'rg-deadline-hosted-'));
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ rollout: 'chat', stage: 'canary_10', enteredAt: '2026-11-20T00:00:00Z', killSwitch: false, lastRollbackAt: null, history: [] }));
  });
  afterAll(async () => {
    await silent.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // The gate's timeout is a minute: only the 1s deadline can end the run, and a socket left open
  // (an SDK's keep-alive agent) would keep the process from exiting at all.
  it.each(kinds)('[fault] deadline: the installed CLI with a $type provider that never answers ends HOLD "deadline exceeded" and exits', async (kind) => {
    const provider = JSON.stringify({ ...kind.config(`http://127.0.0.1:${silent.port}`), timeout: '60s', retries: 0 });
    writeFileSync(
      join(dir, `${kind.type}.yml`),
      `version: 1
rollout: { name: chat, stages: [{ name: canary_10, traffic: 10 }, { name: canary_50, traffic: 50 }] }
state: { type: file, path: state.json }
providers:
  stuck: ${provider}
gates:
  - { name: g, provider: stuck, query: ${JSON.stringify(kind.query)}, pass: "< 1" }
`,
    );
    const child = spawn(process.execPath, [join(ROOT, 'bin/rollout-gate.js'), 'evaluate', '--config', `${kind.type}.yml`, '--timeout', '1s'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...(kind.providerEnv ?? {}) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(3);
    expect(stdout).toMatch(/HOLD/);
    expect(stdout).toMatch(/deadline exceeded/);
    expect(stdout + stderr).not.toContain(TOKEN);
  });
});
