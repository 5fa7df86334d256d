import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { DAY, HOUR, MINUTE, cli, counter, explain, fixtureEnd, histogram, iso, prometheusWith, rampCheck, runbookConfig, stateDoc, tempDir, writeState } from './support.js';

/**
 * examples/runbooks/ga-soft-launch end to end: the CLI against a real Prometheus holding forty
 * hours of the search service's metrics, replayed with --now: thresholds that tighten phase by
 * phase, minimum phase durations, the 7 days before GA, the ≤ 2× ramp, and a rollback to the
 * last stable phase followed by the re-ramp once the cooldown is over.
 */

const have = requireBinary('prometheus', 'prometheus') && requireBinary('promtool', 'prometheus');

const SCRAPE = 30;
const E = fixtureEnd(SCRAPE);
const between = (t: number, from: number, to: number) => t >= E + from && t < E + to;
const ELEVATED_ERRORS = [-6 * HOUR, -4 * HOUR] as const;   // 0.4% errors instead of 0.15%
const T_ELEVATED = E - 4 * HOUR - 10 * MINUTE;  // its whole 1h window inside the elevated stretch
const INTEGRITY_ERROR_AT = E - 10 * HOUR;
const T_INTEGRITY = E - 10 * HOUR + 30 * MINUTE;

function series() {
  const errors = (t: number) => (between(t, ...ELEVATED_ERRORS) ? 8 : 3);
  return [
    counter('http_requests_total', { service: 'search', track: 'new', code: '200' }, (t) => 2000 - errors(t)),
    counter('http_requests_total', { service: 'search', track: 'new', code: '500' }, errors),
    // p95 ≈ 477 ms throughout: under every phase's latency threshold, GA's 600 ms included.
    ...histogram('http_request_duration_seconds', { service: 'search', track: 'new' }, ['0.1', '0.25', '0.5', '1', '2.5', '+Inf'], () => [0.3, 0.75, 0.97, 0.99, 1, 1], 1000),
    counter('search_result_integrity_errors_total', { track: 'new' }, (t) => (t === INTEGRITY_ERROR_AT ? 1 : 0)),
  ];
}

let prometheus: RunningServer | undefined;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  if (have) prometheus = await prometheusWith(series(), { startS: E - 40 * HOUR, endS: E, scrapeS: SCRAPE });
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
});
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir('ga'));
});
afterEach(async () => {
  await removeDir();
});

const setState = (stage: string, enteredAt: number, extra: Record<string, unknown> = {}) => writeState(join(dir, 'state.json'), stateDoc('search-ga', stage, enteredAt * 1000, extra));
const readState = async () => JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { stage: string; enteredAt: string; lastRollbackAt: string | null };

function run(command: string, at: number, ...args: string[]) {
  return cli([command, '--config', runbookConfig('ga-soft-launch'), '--state-file', 'state.json', '--now', iso(at), '--actor', 'release-manager', '--json', ...args], {
    cwd: dir,
    env: { PROMETHEUS_URL: prometheus!.url },
  });
}

describe.skipIf(!have)('runbook ga-soft-launch: P0–P4 with tightening thresholds, phase durations, 7 days before GA and re-ramping', () => {
  it('thresholds tighten per phase: 0.4% errors may enter P2 (< 0.5%) but not P3 (< 0.3%)', async () => {
    await setState('p1', T_ELEVATED - 2 * DAY);
    const intoP2 = await run('evaluate', T_ELEVATED);
    expect(intoP2.code, explain(intoP2)).toBe(0);
    const errorRate = intoP2.snapshot!.gates.find((g) => g.name === 'error_rate')!;
    expect(errorRate).toMatchObject({ condition: '< 0.005', status: 'pass' });
    expect(errorRate.value as number).toBeCloseTo(0.004, 6);

    await setState('p2', T_ELEVATED - 3 * DAY);
    const intoP3 = await run('evaluate', T_ELEVATED);
    expect(intoP3.code, explain(intoP3)).toBe(3);
    expect(intoP3.snapshot!.failedGates).toEqual(['error_rate']);
    expect(intoP3.snapshot!.gates.find((g) => g.name === 'error_rate')!.condition).toBe('< 0.003');
  });

  it('each phase has a minimum duration', async () => {
    await setState('p0', E - 12 * HOUR);
    const r = await run('evaluate', E);
    expect(r.code, explain(r)).toBe(3);
    expect(r.snapshot!.failedGates).toEqual([]);
    expect(rampCheck(r.snapshot!, 'min_duration')).toMatchObject({ ok: false, detail: 'in p0 for 12h of the minimum 1d; 12h to go' });
  });

  it('GA needs 7 consecutive days in P3, and then the GA thresholds', async () => {
    await setState('p3', E - 6 * DAY);
    const early = await run('evaluate', E);
    expect(early.code, explain(early)).toBe(3);
    expect(rampCheck(early.snapshot!, 'min_duration')).toMatchObject({ ok: false, detail: expect.stringContaining('minimum 7d') });

    await setState('p3', E - 7 * DAY - HOUR);
    const ga = await run('promote', E);
    expect(ga.code, explain(ga)).toBe(0);
    expect(ga.snapshot!.transition).toMatchObject({ from: 'p3', to: 'p4', toTraffic: 100 });
    expect(ga.snapshot!.gates.map((g) => g.condition)).toEqual(['< 0.002', '< 0.6', '== 0']);
    expect((await readState()).stage).toBe('p4');
  });

  it('the ramp at most doubles: P2 cannot go straight to GA', async () => {
    await setState('p2', E - 5 * DAY);
    const r = await run('evaluate', E, '--target', 'p4');
    expect(r.code, explain(r)).toBe(3);
    expect(rampCheck(r.snapshot!, 'step_factor')).toMatchObject({ ok: false, detail: expect.stringContaining('maximum ×2') });
    expect(rampCheck(r.snapshot!, 'skip')).toMatchObject({ ok: false, detail: expect.stringContaining('skips p3') });
  });

  it('after a rollback to the last stable phase, the re-ramp waits out the cooldown and then goes phase by phase', async () => {
    const rolledBackAt = E - 30 * HOUR;
    await setState('p3', E - 9 * DAY);
    const rollback = await run('rollback', rolledBackAt, '--target', 'p1', '--reason', 'p99 regression in P3');
    expect(rollback.code, explain(rollback)).toBe(0);
    expect(await readState()).toMatchObject({ stage: 'p1', enteredAt: iso(rolledBackAt), lastRollbackAt: iso(rolledBackAt) });

    const tooSoon = await run('evaluate', rolledBackAt + HOUR);
    expect(tooSoon.code, explain(tooSoon)).toBe(3);
    expect(rampCheck(tooSoon.snapshot!, 'cooldown')).toMatchObject({ ok: false, detail: expect.stringContaining('ends in 23h') });

    // A day and more later: P1 → P2 again, not back to P3 in one step.
    const skip = await run('evaluate', E, '--target', 'p3');
    expect(skip.code, explain(skip)).toBe(3);
    expect(rampCheck(skip.snapshot!, 'skip')).toMatchObject({ ok: false, detail: expect.stringContaining('skips p2') });
    const reramp = await run('promote', E);
    expect(reramp.code, explain(reramp)).toBe(0);
    expect(reramp.snapshot!.transition).toMatchObject({ from: 'p1', to: 'p2' });
    expect(rampCheck(reramp.snapshot!, 'cooldown')).toMatchObject({ ok: true });
    expect((await readState()).stage).toBe('p2');
  });

  it('a result-integrity error rolls back in any phase', async () => {
    await setState('p1', T_INTEGRITY - 2 * DAY);
    const r = await run('evaluate', T_INTEGRITY);
    expect(r.code, explain(r)).toBe(4);
    expect(r.snapshot!.failedGates).toEqual(['result_integrity_errors']);
  });
});
