import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/schema.js';
import type { GateObservation } from '../../src/engine/gates.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';
import { gate, NOW, NOW_S } from '../support/fixtures.js';
import { startFaultServer, type FaultServer } from './fault-server.js';
import { providerFaultCases } from './provider-cases.js';

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

describe.each(kinds)('[fault] $type provider', (kind) => {
  providerFaultCases(kind, {
    server: () => server,
    observe,
    secret: TOKEN,
    errorBody: (message) => JSON.stringify({ status: 'error', error: message }),
    auth: {
      status: 401,
      body: `{"status":"error","error":"invalid token ${TOKEN}"}`,
      pattern: /401.*check the provider's headers or (basicAuth|the credentials in its url)/,
      sent: (_, headers) => expect(headers.authorization).toBe(`Bearer ${TOKEN}`),
    },
  });
});
