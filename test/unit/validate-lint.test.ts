import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { describeProbe, medianGapMs, probeExit, type ProbeLine } from '../../src/cli/validate.js';
import { nearest } from '../../src/cli/select-gates.js';
import { gate, NOW } from '../support/fixtures.js';

/**
 * `validate` in a lint job: no secrets there, so an unset `${VAR}` is listed as needed at run
 * time and passes; `--strict` fails on it; a variable set to "" is named where its value fails.
 */

const CONFIG = `version: 1
rollout:
  name: shop
  stages:
    - { name: canary_5, traffic: 5 }
    - { name: full, traffic: 100 }
providers:
  prom:
    type: prometheus
    url: \${PROMETHEUS_URL}
    headers: { Authorization: "Bearer \${PROMETHEUS_TOKEN}" }
  db: { type: postgres, url: "\${DATABASE_URL}" }
  nr: { type: newrelic, accountId: "\${NEW_RELIC_ACCOUNT_ID}", apiKey: "\${NEW_RELIC_API_KEY}" }
gates:
  - { name: errors, provider: prom, query: "sum(rate(errors_total[5m]))", pass: "< 1" }
  - { name: p0, provider: db, query: "select ok from gates", pass: "== true" }
  - { name: nrql, provider: nr, query: "SELECT count(*) FROM Transaction", pass: "> 0" }
`;
const NEEDED = ['PROMETHEUS_URL', 'PROMETHEUS_TOKEN', 'DATABASE_URL', 'NEW_RELIC_ACCOUNT_ID', 'NEW_RELIC_API_KEY'];

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

async function cli(args: string[], env: Record<string, string> = {}, text = CONFIG) {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-validate-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'rollout-gate.yml'), text);
  let out = '';
  let err = '';
  const code = await main(['--config', 'rollout-gate.yml', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), env, cwd: dir, isTTY: false, ask: null });
  return { code, out, err };
}

describe('validate without secrets', () => {
  it('lists the unset variables, where each is used, and exits 0', async () => {
    const r = await cli(['validate']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('rollout-gate.yml: valid');
    expect(r.out).toContain(`needed at run time: ${NEEDED.join(', ')}`);
    expect(r.out).toMatch(/PROMETHEUS_URL\s+used at providers\.prom\.url/);
    expect(r.out).toMatch(/PROMETHEUS_TOKEN\s+used at providers\.prom\.headers\.Authorization/);
    // The stand-ins never show.
    expect(r.out).not.toContain('unset-variable');
  });

  it('lists only what is unset, and nothing once every variable is set', async () => {
    const some = await cli(['validate'], { PROMETHEUS_URL: 'http://prom:9090', PROMETHEUS_TOKEN: 'tok-123' });
    expect(some.out).toContain('needed at run time: DATABASE_URL, NEW_RELIC_ACCOUNT_ID, NEW_RELIC_API_KEY');
    const all = await cli(['validate'], { PROMETHEUS_URL: 'http://prom:9090', PROMETHEUS_TOKEN: 't', DATABASE_URL: 'postgres://db/x', NEW_RELIC_ACCOUNT_ID: '42', NEW_RELIC_API_KEY: 'k' });
    expect(all.code).toBe(0);
    expect(all.out).not.toContain('needed at run time');
  });

  it('--strict: every unset variable is an error naming it, exit 2', async () => {
    const r = await cli(['validate', '--strict']);
    expect(r.code).toBe(2);
    for (const n of NEEDED) expect(r.err).toContain(`environment variable ${n} is not set`);
    expect(r.out).toBe('');
  });

  it('a run (evaluate, --probe) still needs them: an unset variable is a config error there', async () => {
    for (const args of [['evaluate'], ['validate', '--probe']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('providers.prom.url: environment variable PROMETHEUS_URL is not set');
    }
  });

  it('a variable set to "" is named where its value fails (vars.X of an undefined variable is empty)', async () => {
    const r = await cli(['validate'], { PROMETHEUS_URL: '', DATABASE_URL: '', NEW_RELIC_ACCOUNT_ID: '' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('providers.prom.url: expected an http:// or https:// URL (PROMETHEUS_URL is set but empty)');
    expect(r.err).toContain('providers.db.url: expected a postgres:// connection URL (DATABASE_URL is set but empty)');
    expect(r.err).toMatch(/providers\.nr\.accountId: .*\(NEW_RELIC_ACCOUNT_ID is set but empty\)/);
  });

  it('the same in the library: parseConfig names the empty variable', () => {
    expect(() => parseConfig(CONFIG, 'x.yml', { PROMETHEUS_URL: '', PROMETHEUS_TOKEN: 't', DATABASE_URL: 'postgres://d/x', NEW_RELIC_ACCOUNT_ID: '1', NEW_RELIC_API_KEY: 'k' })).toThrow(
      /providers\.prom\.url: expected an http:\/\/ or https:\/\/ URL \(PROMETHEUS_URL is set but empty\)/,
    );
    const lenient = parseConfig(CONFIG, 'x.yml', {}, { unset: 'placeholder' });
    expect(lenient.unsetVariables!.map((u) => u.name)).toEqual(NEEDED);
    // Stand-ins are not secrets: nothing would be masked for them.
    expect(lenient.secrets).toEqual([]);
  });

  it('stand-ins fit the field: a region, a site; a value no stand-in can fit names its variable', async () => {
    const hosted = `version: 1
rollout:
  name: shop
  stages: [{ name: canary_5, traffic: 5 }, { name: full, traffic: 100 }]
providers:
  cw: { type: cloudwatch, region: "\${AWS_REGION}" }
  nr: { type: newrelic, accountId: "\${NR_ACCOUNT}", apiKey: "\${NR_KEY}", region: "\${NR_REGION}" }
  dd: { type: datadog, site: "\${DD_SITE}", apiKey: "\${DD_API_KEY}", appKey: "\${DD_APP_KEY}" }
gates:
  - { name: a, provider: cw, query: "SUM(SEARCH('x', 'Sum', 60))", pass: "< 1" }
  - { name: b, provider: nr, query: "SELECT count(*) FROM Transaction", pass: "> 0" }
  - { name: c, provider: dd, query: "sum:x{*}", pass: "< 1" }
`;
    const ok = await cli(['validate'], {}, hosted);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('needed at run time: AWS_REGION, NR_ACCOUNT, NR_KEY, NR_REGION, DD_SITE, DD_API_KEY, DD_APP_KEY');
    const odd = await cli(['validate'], {}, hosted.replace('traffic: 5 }', 'traffic: "\${CANARY_TRAFFIC}" }'));
    expect(odd.code).toBe(2);
    expect(odd.err).toMatch(/rollout\.stages\[0\]\.traffic: .*\(CANARY_TRAFFIC is not set, and this value cannot be checked without it\)/);
  });

  it('--strict and --probe go with validate only', async () => {
    expect((await cli(['evaluate', '--strict'])).err).toContain('--strict goes with validate');
    expect((await cli(['evaluate', '--probe'])).err).toContain('--probe goes with validate');
    expect((await cli(['promote', '--gate', 'errors'])).err).toContain('--gate goes with evaluate or calibrate');
  });
});

describe('validate --probe on a file store', () => {
  it('one line per gate: a series, a scalar, a missing path, and a github gate not probed; exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-probe-'));
    dirs.push(dir);
    const s = NOW / 1000;
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ canary: { errors: [[s - 90, 0.01], [s - 60, 0.02], [s - 30, 0.03]], p95: 412 } }));
    const text = `version: 1
rollout:
  name: shop
  stages: [{ name: canary_5, traffic: 5 }, { name: full, traffic: 100 }]
providers:
  m: { type: file, path: metrics.json }
gates:
  - { name: errors, provider: m, query: canary.errors, pass: "< 1", over: 5m }
  - { name: p95, provider: m, query: canary.p95, pass: "< 500" }
  - { name: p99, provider: m, query: canary.p99, pass: "< 900" }
  - { name: sev1, provider: github, query: "is:issue is:open label:sev-1", pass: "== 0" }
`;
    writeFileSync(join(dir, 'rollout-gate.yml'), text);
    let out = '';
    let err = '';
    const code = await main(['validate', '--probe', '--now', new Date(NOW).toISOString()], { stdout: (x) => (out += x), stderr: (x) => (err += x), env: {}, cwd: dir, isTTY: false, ask: null });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/\n {2}errors\s+\[m\]\s+3 samples, every 30s, newest 30s ago: 0\.03\n/);
    expect(out).toMatch(/\n {2}p95\s+\[m\]\s+1 sample, instant, newest now: 412\n/);
    expect(out).toMatch(/\n {2}p99\s+\[m\]\s+no data: metrics\.json has no value at "canary\.p99"\n/);
    expect(out).toMatch(/\n {2}sev1\s+\[github\]\s+not probed: the github provider answers in the Action only\n/);
    expect(out).toContain('2 with data, 1 without data, 0 query errors, 0 failed, 1 not probed');
  });
});

describe('probe lines', () => {
  it('the resolution is the median gap, whatever the order of the samples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 2, max: 200 }), fc.integer(), (stepS, n, seed) => {
        const samples = Array.from({ length: n }, (_, i) => [1_700_000_000 + i * stepS, i] as const);
        const shuffled = [...samples].sort((a, b) => ((a[0] * 31 + seed) % 97) - ((b[0] * 31 + seed) % 97));
        expect(medianGapMs(shuffled)).toBe(stepS * 1000);
      }),
    );
    expect(medianGapMs([[1, 1]])).toBeNull();
    // One missing sample does not change the resolution.
    expect(medianGapMs([[0, 1], [15, 1], [30, 1], [60, 1], [75, 1]])).toBe(15_000);
  });

  it('says samples, resolution, the newest sample\'s age and value; or the error or the no-data reason', () => {
    const g = gate({ name: 'errors', provider: 'prom' });
    const s = NOW / 1000;
    expect(describeProbe(g, { samples: [[s - 120, 0.1], [s - 60, 0.2]] }, NOW).text).toBe('2 samples, every 1m, newest 1m ago: 0.2');
    expect(describeProbe(g, { samples: [[s, true]] }, NOW).text).toBe('1 sample, instant, newest now: true');
    expect(describeProbe(g, { samples: [], noDataReason: 'empty result' }, NOW)).toMatchObject({ outcome: 'no_data', text: 'no data: empty result' });
    expect(describeProbe(g, { samples: [], error: 'bad_data: parse error', queryError: true }, NOW)).toMatchObject({ outcome: 'query_error', text: 'query error: bad_data: parse error' });
    expect(describeProbe(g, { samples: [], error: 'cannot reach' }, NOW)).toMatchObject({ outcome: 'error', text: 'error: cannot reach' });
  });

  it('exit: 2 for a query error, 1 for a store that failed, else 0', () => {
    const l = (outcome: ProbeLine['outcome']): ProbeLine => ({ gate: 'g', provider: 'p', outcome, text: '' });
    expect(probeExit([l('data'), l('no_data'), l('not_probed')])).toBe(0);
    expect(probeExit([l('data'), l('error')])).toBe(1);
    expect(probeExit([l('error'), l('query_error')])).toBe(2);
  });
});

describe('evaluate --gate', () => {
  it.each([
    ['double_charge', 'double_charges'],
    ['Error_Rate', 'error_rate'],
    ['latncy_p95', 'latency_p95'],
    ['latency_p99', 'latency_p99'],
    ['throughput', null],
    ['x', null],
  ])('the nearest gate to "%s" is %s', (word, expected) => {
    expect(nearest(word, ['double_charges', 'error_rate', 'latency_p95', 'latency_p99'])).toBe(expected);
  });

  it('an unknown gate is a usage error naming the nearest one and every gate', async () => {
    const r = await cli(['evaluate', '--gate', 'error'], { PROMETHEUS_URL: 'http://127.0.0.1:9', PROMETHEUS_TOKEN: 't', DATABASE_URL: 'postgres://db/x', NEW_RELIC_ACCOUNT_ID: '1', NEW_RELIC_API_KEY: 'k' });
    expect(r.code).toBe(2);
    expect(r.err).toBe('rollout-gate: --gate: no gate "error" in rollout-gate.yml (gates: errors, p0, nrql)\n'.replace(' (gates', '; did you mean "errors"? (gates'));
  });
});
