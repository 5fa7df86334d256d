import { decisionLogLines } from '../support/decision-log.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { Redactor, secretForms } from '../../src/secrets.js';

/**
 * SPEC §8.1: redaction never rewrites identifiers. A secret that is part of a rollout, stage,
 * gate or provider name is refused at config load, naming where the secret came from and never
 * its value; nothing is queried or written. A secret that is not part of a name is masked as
 * before, and every name stays as written in the output, snapshot.json, the decision log and the
 * evidence paths.
 */

const config = (over: { rollout?: string; stages?: string; providers?: string; gates?: string; state?: string; notify?: string }) => `version: 1
rollout:
  name: ${over.rollout ?? 'checkout-pg'}
  stages: ${over.stages ?? '[{ name: canary, traffic: 10 }, { name: full, traffic: 100 }]'}
${over.state ?? ''}
providers:
  metrics: { type: file, path: metrics.json }
${over.providers ?? ''}
gates:
  - { name: ${over.gates ?? 'checkout_errors'}, provider: metrics, query: errors, pass: "< 0.01" }
${over.notify ?? ''}`;

function refused(text: string, env: Record<string, string>): ConfigError {
  try {
    parseConfig(text, 'rollout-gate.yml', env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('the config was accepted');
}

describe('[secret] a secret that is part of a name is refused at config load', () => {
  it.each<[string, Parameters<typeof config>[0], Record<string, string>, string, RegExp, string]>([
    [
      'a database password from ${PG_PASSWORD} inside the rollout name',
      { providers: '  db: { type: postgres, url: "postgres://app:${PG_PASSWORD}@127.0.0.1:1/orders" }' },
      { PG_PASSWORD: 'checkout' },
      'rollout.name',
      /the value of \$\{PG_PASSWORD\} \(read into providers\.db\.url\)/,
      'checkout',
    ],
    [
      'a bearer token from ${API_TOKEN} equal to a stage name',
      { providers: '  api: { type: http, url: "http://127.0.0.1:9/x", headers: { authorization: "Bearer ${API_TOKEN}" } }' },
      { API_TOKEN: 'canary' },
      'rollout.stages[0].name',
      /the value of \$\{API_TOKEN\} \(read into providers\.api\.headers\.authorization\)/,
      'canary',
    ],
    [
      'a password written in a provider URL inside a gate name',
      { providers: '  prom: { type: prometheus, url: "http://reader:errors@127.0.0.1:9" }', gates: 'checkout_errors' },
      {},
      'gates[0].name',
      /a credential written in providers\.prom/,
      'errors',
    ],
    [
      'a basicAuth password inside a provider name',
      { providers: '  metricsro: { type: prometheus, url: "http://127.0.0.1:9", basicAuth: { username: u, password: metricsro } }' },
      {},
      'providers',
      /^the name of provider 2 \(in file order\) contains a credential written in provider 2 \(in file order\), a secret/,
      'metricsro',
    ],
    [
      'a postgres state password inside a stage name',
      { state: 'state: { type: postgres, url: "postgres://app:${STATE_PW}@127.0.0.1:1/rollout", read: "select 1" }', stages: '[{ name: canary_eu, traffic: 10 }, { name: full, traffic: 100 }]' },
      { STATE_PW: 'canary_eu' },
      'rollout.stages[0].name',
      /the value of \$\{STATE_PW\} \(read into state\.url\)/,
      'canary_eu',
    ],
    [
      'a webhook signing secret inside the rollout name',
      { notify: 'notify:\n  - { type: webhook, url: "https://hooks.example.com/x", secret: "pg-signing" }', rollout: 'checkout-pg-signing' },
      {},
      'rollout.name',
      /a credential written in notify\[0\]/,
      'pg-signing',
    ],
    [
      'the base64 form of a secret (what a basic auth header carries) inside a gate name',
      { providers: '  api: { type: http, url: "http://127.0.0.1:9/x", headers: { x-api-key: "${KEY}" } }', gates: 'YWJj_rate' },
      { KEY: 'abc' },
      'gates[0].name',
      /the value of \$\{KEY\}/,
      'abc',
    ],
  ])('%s', (_name, over, env, path, from, value) => {
    const e = refused(config(over), env);
    const issue = e.issues.find((i) => i.path === path);
    expect(issue, e.message).toBeDefined();
    expect(issue!.message).toMatch(from);
    expect(issue!.message).toContain('Rename it, or use a secret that is not part of any name');
    // The message names where the secret came from, never the secret (nor the name holding it).
    expect(e.message).not.toContain(value);
  });

  it.each<[string, Parameters<typeof config>[0], Record<string, string>]>([
    ['a secret that contains a name (not inside one)', { providers: '  api: { type: http, url: "http://127.0.0.1:9/x", headers: { authorization: "Bearer ${API_TOKEN}" } }' }, { API_TOKEN: 'checkout-pg-2026-Zq8' }],
    ['a value shorter than 3 characters (never masked either)', { providers: '  api: { type: http, url: "http://127.0.0.1:9/x", headers: { authorization: "${API_TOKEN}" } }' }, { API_TOKEN: 'pg' }],
    ['a ${VAR} outside the secret sections', { rollout: '${SERVICE}-pg' }, { SERVICE: 'checkout' }],
    ['a header that is not a credential', { providers: '  api: { type: http, url: "http://127.0.0.1:9/x", headers: { accept: "checkout" } }' }, {}],
  ])('accepted: %s', (_name, over, env) => {
    const cfg = parseConfig(config(over), 'rollout-gate.yml', env);
    expect(cfg.rollout.name).toMatch(/^checkout-pg$/);
  });

  it('secretForms is the redactor\'s own rule: what it masks is what a name may not hold', () => {
    const r = new Redactor(['s3cr et']);
    for (const form of secretForms('s3cr et')) expect(r.redact(`x${form}x`)).toBe('x***x');
    expect(secretForms('pg')).toEqual([]);
    expect(new Redactor(['pg']).redact('pg')).toBe('pg');
  });
});

// ---- through the CLI -------------------------------------------------------------------------

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  dirs = [];
});

const NOW = '2026-11-22T12:00:00Z';
const NOW_S = Date.parse(NOW) / 1000;

function project(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-names-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ errors: [[NOW_S - 60, 0.001], [NOW_S, 0.002]] }));
  writeFileSync(join(dir, 'rollout-gate.yml'), text);
  return dir;
}

async function cli(args: string[], cwd: string, env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env, cwd, isTTY: false });
  return { code, out, err };
}

/** Every file under dir, by path relative to it, with its content. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const STATE = 'state: { type: file, path: state.json }';

describe('[secret] through the CLI: names stay as written', () => {
  it('a password that is part of the rollout name: exit 2 naming the variable, nothing queried or written, the password nowhere', async () => {
    const dir = project(config({ state: STATE, providers: '  db: { type: postgres, url: "postgres://app:${PG_PASSWORD}@127.0.0.1:1/orders" }' }));
    const before = [...files(dir).keys()].sort();
    const r = await cli(['promote', '--config', 'rollout-gate.yml', '--now', NOW, '--actor', 'alice'], dir, { PG_PASSWORD: 'checkout' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('rollout.name: contains the value of ${PG_PASSWORD} (read into providers.db.url), a secret');
    expect(`${r.out}\n${r.err}`).not.toContain('checkout');
    expect(`${r.out}\n${r.err}`).not.toContain('***');
    // No state, no evidence, no decision log: no record was started, so none can be corrupted.
    expect([...files(dir).keys()].sort()).toEqual(before);
  });

  it('a password that is not part of a name: every name intact in the output, snapshot.json, the decision log and the evidence path; the password nowhere', async () => {
    const password = 'pw-7Hq2Zp-orders';
    const dir = project(config({ state: STATE, providers: '  db: { type: postgres, url: "postgres://app:${PG_PASSWORD}@127.0.0.1:1/orders" }' }));
    const r = await cli(['promote', '--config', 'rollout-gate.yml', '--now', NOW, '--actor', 'alice'], dir, { PG_PASSWORD: password });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('rollout-gate checkout-pg: PROCEED');
    expect(r.out).toMatch(/checkout_errors\s+0\.002/);
    const written = files(dir);
    const evidence = [...written.keys()].filter((p) => p.endsWith('snapshot.json'));
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatch(/^evidence\/checkout-pg\/20261122T120000Z-none-to-canary-[0-9a-f]{6}\/snapshot\.json$/);
    const snapshot = JSON.parse(written.get(evidence[0]!)!);
    expect(snapshot).toMatchObject({ rollout: 'checkout-pg', decision: 'PROCEED' });
    expect(snapshot.gates.map((g: { name: string; provider: string }) => `${g.name}/${g.provider}`)).toEqual(['checkout_errors/metrics']);
    const log = decisionLogLines(written, 'checkout-pg');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ to: 'canary', decision: 'PROCEED' });
    expect(log[0]!.evidencePath).toContain('evidence/checkout-pg/');
    for (const [path, content] of [['(terminal)', `${r.out}\n${r.err}`], ...written] as const) {
      expect(content.includes(password), path).toBe(false);
      expect(content.includes('***-pg'), path).toBe(false);
    }
    expect(existsSync(join(dir, 'evidence', '***-pg'))).toBe(false);
  });
});
