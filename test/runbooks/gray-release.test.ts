import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { startAlertmanager } from '../servers/alertmanager.js';
import { HOUR, MINUTE, DAY, cli, counter, explain, fixtureEnd, iso, prometheusWith, rampCheck, runbookConfig, stateDoc, tempDir, writeState } from './support.js';

/**
 * examples/runbooks/gray-release end to end: the CLI against a real Prometheus holding four
 * hours of the queue service's metrics (each breach at its own moment, replayed with --now) and
 * a real Alertmanager holding the service's alerts.
 */

const have = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus') && requireBinary('prometheus-alertmanager', 'prometheus-alertmanager');

const SCRAPE = 15;
const E = fixtureEnd(SCRAPE);
const between = (t: number, from: number, to: number) => t >= E + from && t < E + to;
// Each breach in its own stretch of the history; T_* is the instant that sees it.
const ERROR_SPIKE = [-110 * MINUTE, -105 * MINUTE] as const;       // 3% errors for 5 minutes
const T_ERROR = E - 100 * MINUTE;
const QUEUE_CLOSED_BURST = [-150 * MINUTE, -150 * MINUTE + 45] as const; // 3 queues closed
const T_QUEUE_CLOSED = E - 140 * MINUTE;
const CAS_BREACH = [-40 * MINUTE, -25 * MINUTE] as const;            // anomalies 25% above legacy
const T_CAS = E - 25 * MINUTE;
const T_HEALTHY = E - 60 * MINUTE;
const T_ALERTS = E;                                                  // the alerts are current

function series() {
  const requests = 2000;
  const grayErrors = (t: number) => (between(t, ...ERROR_SPIKE) ? 60 : 4);
  return [
    counter('queue_requests_total', { track: 'gray', code: '200' }, (t) => requests - grayErrors(t)),
    counter('queue_requests_total', { track: 'gray', code: '500' }, grayErrors),
    counter('queue_requests_total', { track: 'legacy', code: '200' }, () => requests - 4),
    counter('queue_requests_total', { track: 'legacy', code: '500' }, () => 4),
    // Legacy: 1% of requests hit a fencing/CAS anomaly; gray: 5% more than that, 25% more during the breach.
    counter('fencing_cas_anomalies_total', { track: 'legacy' }, () => 20),
    counter('fencing_cas_anomalies_total', { track: 'gray' }, (t) => (between(t, ...CAS_BREACH) ? 25 : 21)),
    counter('queue_closed_total', { track: 'gray' }, (t) => (between(t, ...QUEUE_CLOSED_BURST) ? 1 : 0)),
  ];
}

let prometheus: RunningServer | undefined;
let alertmanager: RunningServer | undefined;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  if (!have) return;
  [prometheus, alertmanager] = await Promise.all([
    prometheusWith(series(), { startS: E - 4 * HOUR, endS: E, scrapeS: SCRAPE }),
    startAlertmanager(),
  ]);
  // Alerts as they stand at E: one critical alert of the queue service firing for 5 minutes,
  // one that started 30 seconds ago (flapping), a warning, and another service's critical alert.
  const alert = (labels: Record<string, string>, ageS: number) => ({
    labels, startsAt: iso(E - ageS), endsAt: new Date(Date.now() + HOUR * 1000).toISOString(),
  });
  const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      alert({ alertname: 'LeaseExpiryStorm', severity: 'critical', service: 'queue' }, 5 * MINUTE),
      alert({ alertname: 'LeaderFlap', severity: 'critical', service: 'queue' }, 30),
      alert({ alertname: 'QueueDepthHigh', severity: 'warning', service: 'queue' }, 10 * MINUTE),
      alert({ alertname: 'PaymentsDown', severity: 'critical', service: 'payments' }, 10 * MINUTE),
    ]),
  });
  expect(res.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await Promise.all([prometheus?.stop(), alertmanager?.stop()]);
});
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('gray'));
});
afterEach(async () => {
  await removeDir();
});

/** Runs `command` at `at` with the rollout in `stage` since `enteredAt`. */
async function run(command: 'evaluate' | 'promote', at: number, stage: string, enteredAt: number) {
  await writeState(join(dir, 'state.json'), stateDoc('queue-v2-gray', stage, enteredAt * 1000));
  return cli([command, '--config', runbookConfig('gray-release'), '--state-file', 'state.json', '--now', iso(at), '--actor', 'oncall', '--json'], {
    cwd: dir,
    env: { PROMETHEUS_URL: prometheus!.url, ALERTMANAGER_URL: alertmanager!.url },
  });
}

describe.skipIf(!have)('runbook gray-release: 5% → 10% → 20%, stopped by sustained critical alerts, errors, closed queues and CAS anomalies', () => {
  it('a healthy gray stage promotes 10% → 20%, and the state records it', async () => {
    const promote = await run('promote', T_HEALTHY, 'gray_10', T_HEALTHY - 2 * HOUR);
    expect(promote.code, explain(promote)).toBe(0);
    expect(promote.snapshot!.decision).toBe('PROCEED');
    expect(promote.snapshot!.transition).toMatchObject({ from: 'gray_10', to: 'gray_20' });
    const gates = Object.fromEntries(promote.snapshot!.gates.map((g) => [g.name, g]));
    expect(gates.error_rate!.value).toBeCloseTo(0.002, 6);
    expect(gates.fencing_cas_anomalies_vs_legacy!.value).toBeCloseTo(0.0105, 6);
    expect(gates.fencing_cas_anomalies_vs_legacy!.baselineValue).toBeCloseTo(0.01, 6);
    expect(gates.queue_closed!.value).toBe(0);
    expect(gates.no_sustained_critical_alerts!.value).toBe(0);
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { stage: string; enteredAt: string };
    expect(state).toMatchObject({ stage: 'gray_20', enteredAt: iso(T_HEALTHY) });
  });

  it('a critical alert firing for 5 minutes rolls back; one 30 seconds old and other services\' alerts do not count', async () => {
    const r = await run('evaluate', T_ALERTS, 'gray_10', T_ALERTS - 2 * HOUR);
    expect(r.code, explain(r)).toBe(4);
    expect(r.snapshot!.decision).toBe('ROLLBACK');
    expect(r.snapshot!.failedGates).toEqual(['no_sustained_critical_alerts']);
    expect(r.snapshot!.gates.find((g) => g.name === 'no_sustained_critical_alerts')!.value).toBe(1);
  });

  it('5xx above the 1% rollback threshold rolls back', async () => {
    const r = await run('evaluate', T_ERROR, 'gray_5', T_ERROR - HOUR);
    expect(r.code, explain(r)).toBe(4);
    expect(r.snapshot!.failedGates).toEqual(['error_rate']);
  });

  it('three queues closed within 10 minutes hold the rollout', async () => {
    const r = await run('evaluate', T_QUEUE_CLOSED, 'gray_5', T_QUEUE_CLOSED - HOUR);
    expect(r.code, explain(r)).toBe(3);
    expect(r.snapshot!.decision).toBe('HOLD');
    expect(r.snapshot!.failedGates).toEqual(['queue_closed']);
  });

  it('fencing/CAS anomalies 25% above the legacy baseline hold the rollout', async () => {
    const r = await run('evaluate', T_CAS, 'gray_10', T_CAS - 2 * HOUR);
    expect(r.code, explain(r)).toBe(3);
    expect(r.snapshot!.failedGates).toEqual(['fencing_cas_anomalies_vs_legacy']);
    const gate = r.snapshot!.gates.find((g) => g.name === 'fencing_cas_anomalies_vs_legacy')!;
    expect((gate.value as number) / gate.baselineValue!).toBeCloseTo(1.25, 2);
  });

  it('legacy cleanup waits for 3 days stable at 20%', async () => {
    const early = await run('evaluate', T_HEALTHY, 'gray_20', T_HEALTHY - 2 * DAY);
    expect(early.code, explain(early)).toBe(3);
    expect(early.snapshot!.transition).toMatchObject({ from: 'gray_20', to: 'legacy_cleanup' });
    expect(early.snapshot!.failedGates).toEqual([]);
    expect(rampCheck(early.snapshot!, 'min_duration')).toMatchObject({ ok: false, detail: expect.stringContaining('minimum 3d') });

    const stable = await run('evaluate', T_HEALTHY, 'gray_20', T_HEALTHY - 3 * DAY - HOUR);
    expect(stable.code, explain(stable)).toBe(0);
    expect(stable.snapshot!.transition.to).toBe('legacy_cleanup');
  });
});
