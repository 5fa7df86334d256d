import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cp, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { HOUR, MINUTE, cli, counter, explain, fixtureEnd, gauge, histogram, iso, prometheusWith, runbookConfig, runbookDir, stateDoc, tempDir, writeState } from './support.js';
import { decisionLogText } from '../support/decision-log.js';

/**
 * examples/runbooks/canary-execution end to end: the CLI against a real Prometheus holding eight
 * hours of the assistant service's canary metrics, each incident at its own moment (replayed
 * with --now), and the evidence bundle rendered from the runbook's own Go/No-Go template.
 */

const have = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');

const SCRAPE = 15;
const E = fixtureEnd(SCRAPE);
const inMinutes = (t: number, from: number, to: number) => t >= E + from * MINUTE && t < E + to * MINUTE;

const TTFV_SHORT_SPIKE = [-330, -327] as const;   // 3 minutes over 1500 ms: tolerated
const T_HEALTHY = E - 300 * MINUTE;
const TTFV_LONG_SPIKE = [-250, -243] as const;    // 7 minutes over 1500 ms
const T_TTFV = E - 230 * MINUTE;
const SSE_AND_RLS = [-180, -170] as const;        // SSE 99.3%, one RLS error
const T_SSE_RLS = E - 165 * MINUTE;
const ANN_AND_POOL = [-120, -100] as const;       // ANN p95 400 ms, a pod's pool at 86%
const T_ANN_POOL = E - 100 * MINUTE;
const CROSS_TENANT_AT = -40;                      // one cross-tenant access attempt
const T_CROSS_TENANT = E;

function series() {
  const ttfvSlow = (t: number) => inMinutes(t, ...TTFV_SHORT_SPIKE) || inMinutes(t, ...TTFV_LONG_SPIKE);
  const annSlow = (t: number) => inMinutes(t, ...ANN_AND_POOL);
  return [
    // TTFV p95: 1200 ms normally, 2250 ms in a spike.
    ...histogram('ttfv_seconds', { track: 'canary' }, ['0.25', '0.5', '1', '1.5', '2.5', '+Inf'], (t) => (ttfvSlow(t) ? [0.1, 0.3, 0.6, 0.8, 1, 1] : [0.3, 0.7, 0.93, 0.98, 1, 1]), 1000),
    // ANN search p95: 188 ms normally, 400 ms when slow.
    ...histogram('ann_search_duration_seconds', { track: 'canary' }, ['0.05', '0.1', '0.2', '0.3', '0.5', '+Inf'], (t) => (annSlow(t) ? [0.1, 0.4, 0.8, 0.9, 1, 1] : [0.4, 0.8, 0.97, 0.99, 1, 1]), 1000),
    counter('rls_policy_errors_total', { track: 'canary' }, (t) => (t === E + (SSE_AND_RLS[0] + 5) * MINUTE ? 1 : 0)),
    counter('sse_streams_started_total', { track: 'canary' }, () => 1000),
    counter('sse_streams_completed_total', { track: 'canary' }, (t) => (inMinutes(t, ...SSE_AND_RLS) ? 993 : 998)),
    counter('cross_tenant_access_total', { track: 'canary' }, (t) => (t === E + CROSS_TENANT_AT * MINUTE ? 1 : 0)),
    gauge('db_pool_connections_in_use', { track: 'canary', pod: 'a' }, () => 20),
    gauge('db_pool_connections_in_use', { track: 'canary', pod: 'b' }, (t) => (annSlow(t) ? 43 : 25)),
    gauge('db_pool_connections_max', { track: 'canary', pod: 'a' }, () => 50),
    gauge('db_pool_connections_max', { track: 'canary', pod: 'b' }, () => 50),
  ];
}

let prometheus: RunningServer | undefined;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  if (have) prometheus = await prometheusWith(series(), { startS: E - 8 * HOUR, endS: E, scrapeS: SCRAPE });
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
});
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('execution'));
  // The config names its template relative to the repository root: lay it out the same way.
  await mkdir(join(dir, 'examples/runbooks'), { recursive: true });
  await cp(runbookDir('canary-execution'), join(dir, 'examples/runbooks/canary-execution'), { recursive: true });
});
afterEach(async () => {
  await removeDir();
});

async function evaluate(at: number) {
  await writeState(join(dir, 'state.json'), stateDoc('assistant-canary', 'canary_10', (at - 3 * HOUR) * 1000));
  return cli(['evaluate', '--config', runbookConfig('canary-execution'), '--state-file', 'state.json', '--now', iso(at), '--actor', 'oncall', '--json'], {
    cwd: dir,
    env: { PROMETHEUS_URL: prometheus!.url },
  });
}

/** The evidence directory of the one run so far: its files by name. */
async function evidence(): Promise<Record<string, string>> {
  const root = join(dir, 'evidence/assistant-canary');
  const [run] = await readdir(root);
  const files: Record<string, string> = {};
  for (const f of await readdir(join(root, run!))) files[f] = await readFile(join(root, run!, f), 'utf8');
  return files;
}

describe.skipIf(!have)('runbook canary-execution: TTFV, RLS, SSE, cross-tenant, ANN, DB pool, and the evidence bundle', () => {
  it('a healthy canary proceeds (a 3-minute TTFV spike is tolerated) and leaves the runbook\'s evidence bundle', async () => {
    const r = await evaluate(T_HEALTHY);
    expect(r.code, explain(r)).toBe(0);
    const gates = Object.fromEntries(r.snapshot!.gates.map((g) => [g.name, g]));
    expect(gates.ttfv_p95_ms!.value as number).toBeCloseTo(1200, 0);
    expect(gates.ttfv_p95_ms!.reason).toMatch(/failAfter 5m/);
    expect(gates.sse_success_ratio!.value as number).toBeCloseTo(0.998, 6);
    expect(gates.ann_p95_seconds!.value as number).toBeCloseTo(0.188, 3);
    expect(gates.db_pool_utilisation!.value).toBe(0.5);

    const files = await evidence();
    expect(Object.keys(files).sort()).toEqual(['go-no-go.md', 'snapshot.json']);
    const doc = files['go-no-go.md']!;
    expect(doc).toMatch(/^# Canary execution: Go\/No-Go for assistant-canary\n/);
    expect(doc).toContain('| Decision | **PROCEED** |');
    expect(doc).toContain('**GO**: every canary-execution gate and ramp rule passed; widen to 50%.');
    for (const gate of ['ttfv_p95_ms', 'rls_errors', 'sse_success_ratio', 'cross_tenant_access', 'ann_p95_seconds', 'db_pool_utilisation']) {
      expect(doc).toMatch(new RegExp(`^\\| ${gate.replace(/_/g, '\\\\_')} \\| prom \\| (major|critical) \\| .+ \\| pass \\|$`, 'm'));
    }
    expect(doc).toContain('- [ ] `snapshot.json` beside this document');
    expect(JSON.parse(files['snapshot.json']!)).toMatchObject({ decision: 'PROCEED', rollout: 'assistant-canary' });
    const log = decisionLogText(dir, 'assistant-canary').trim().split('\n');
    expect(log).toHaveLength(1);
  });

  it('TTFV p95 over 1500 ms for 7 minutes holds', async () => {
    const r = await evaluate(T_TTFV);
    expect(r.code, explain(r)).toBe(3);
    expect(r.snapshot!.failedGates).toEqual(['ttfv_p95_ms']);
  });

  it('one RLS error and SSE success at 99.3% hold', async () => {
    const r = await evaluate(T_SSE_RLS);
    expect(r.code, explain(r)).toBe(3);
    expect(r.snapshot!.failedGates).toEqual(['rls_errors', 'sse_success_ratio']);
  });

  it('ANN p95 at 400 ms and a pod\'s DB pool at 86% hold', async () => {
    const r = await evaluate(T_ANN_POOL);
    expect(r.code, explain(r)).toBe(3);
    expect(r.snapshot!.failedGates).toEqual(['ann_p95_seconds', 'db_pool_utilisation']);
    expect(r.snapshot!.gates.find((g) => g.name === 'db_pool_utilisation')!.max).toBe(0.86);
  });

  it('a single cross-tenant access attempt is a security rollback, on record in the Go/No-Go document', async () => {
    const r = await evaluate(T_CROSS_TENANT);
    expect(r.code, explain(r)).toBe(4);
    expect(r.snapshot!.decision).toBe('ROLLBACK');
    expect(r.snapshot!.failedGates).toEqual(['cross_tenant_access']);
    const doc = (await evidence())['go-no-go.md']!;
    expect(doc).toContain('| Decision | **ROLLBACK** |');
    expect(doc).toContain('**NO-GO**');
    expect(doc).toMatch(/^\| cross\\_tenant\\_access \| prom \| critical \| .+ \| fail \|$/m);
  });
});
