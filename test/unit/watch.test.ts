import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide } from '../../src/engine/decide.js';
import type { GateObservation } from '../../src/engine/gates.js';
import { parseCondition } from '../../src/engine/conditions.js';
import type { Gate, RolloutState } from '../../src/engine/model.js';
import { DEFAULT_WATCH_POLICY, judgeWatch, watchedGates, type WatchPolicy } from '../../src/engine/watch.js';
import { gate, H, M, NOW, NOW_S, plan, seriesOf, state } from '../support/fixtures.js';
import { yieldingProperty } from '../support/property.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = process.env.CI ? 42 : undefined;

/** A series of one sample a minute ending now, `minutes` long. */
const recent = (minutes: number, f: (i: number) => number): GateObservation => ({
  samples: Array.from({ length: minutes }, (_, i) => [NOW_S - (minutes - 1 - i) * 60, f(i)] as const),
});

function watch(st: RolloutState, gates: [Gate, GateObservation | undefined][], policy: WatchPolicy = DEFAULT_WATCH_POLICY, extra: { deadlineExceeded?: boolean } = {}) {
  const picked = watchedGates(gates.map(([g]) => g), st, NOW);
  return judgeWatch({
    plan: plan(),
    gates: picked.gates,
    clipped: picked.clipped,
    state: st,
    observations: new Map(gates.filter(([, o]) => o).map(([g, o]) => [g.name, o!])),
    nowMs: NOW,
    policy,
    ...extra,
  });
}

const windowed = (over: Parameters<typeof gate>[0] = {}) => gate({ name: 'errors', pass: '< 1', overMs: 30 * M, stepMs: 60_000, minSamples: 5, ...over });

describe('watch: the current stage health', () => {
  it.each([
    ['healthy → PROCEED, nothing changes', state(), [[windowed(), recent(30, () => 0)]], DEFAULT_WATCH_POLICY, 'PROCEED', 'none'],
    ['critical failure → ROLLBACK to the previous stage', state(), [[windowed({ severity: 'critical' }), recent(30, (i) => (i === 20 ? 5 : 0))]], DEFAULT_WATCH_POLICY, 'ROLLBACK', 'rollback'],
    ['critical failure with onCritical: report → ROLLBACK, no change', state(), [[windowed({ severity: 'critical' }), recent(30, () => 5)]], { onCritical: 'report', onMajor: 'pause' }, 'ROLLBACK', 'none'],
    ['major failure → HOLD and pause', state(), [[windowed(), recent(30, () => 5)]], DEFAULT_WATCH_POLICY, 'HOLD', 'pause'],
    ['major failure while paused → HOLD, no second pause', state({ paused: { at: new Date(NOW - H).toISOString(), reason: 'x', actor: 'ana' } }), [[windowed(), recent(30, () => 5)]], DEFAULT_WATCH_POLICY, 'HOLD', 'none'],
    ['major failure with onMajor: report → HOLD, no change', state(), [[windowed(), recent(30, () => 5)]], { onCritical: 'rollback', onMajor: 'report' }, 'HOLD', 'none'],
    ['no data under noData: hold → HOLD and pause', state(), [[windowed(), { samples: [], error: 'connection refused' }]], DEFAULT_WATCH_POLICY, 'HOLD', 'pause'],
    ['minor failure → PROCEED with a warning', state(), [[windowed({ severity: 'minor' }), recent(30, () => 5)]], DEFAULT_WATCH_POLICY, 'PROCEED', 'none'],
    ['shadow critical failure → PROCEED', state(), [[windowed({ severity: 'critical', shadow: true }), recent(30, () => 5)]], DEFAULT_WATCH_POLICY, 'PROCEED', 'none'],
    ['critical failure while paused → still rolls back', state({ paused: { at: new Date(NOW - H).toISOString(), reason: 'x', actor: null } }), [[windowed({ severity: 'critical' }), recent(30, () => 5)]], DEFAULT_WATCH_POLICY, 'ROLLBACK', 'rollback'],
    ['kill switch → ROLLBACK, no further rollback', state({ killSwitch: true }), [[windowed({ severity: 'critical' }), recent(30, () => 5)]], DEFAULT_WATCH_POLICY, 'ROLLBACK', 'none'],
    ['not started → PROCEED, nothing to watch', state({ stage: null, enteredAt: null }), [[windowed({ severity: 'critical' }), recent(30, () => 5)]], DEFAULT_WATCH_POLICY, 'PROCEED', 'none'],
    ['deadline exceeded → HOLD and pause', state(), [[windowed(), recent(30, () => 0)]], DEFAULT_WATCH_POLICY, 'HOLD', 'pause', { deadlineExceeded: true }],
  ] as const)('%s', (_, st, gates, policy, decision, action, extra?: { deadlineExceeded?: boolean }) => {
    const w = watch(st as RolloutState, gates as unknown as [Gate, GateObservation][], policy, extra ?? {});
    expect(w.decision).toBe(decision);
    expect(w.action.kind).toBe(action);
    expect(w.reasons.length).toBeGreaterThan(0);
  });

  it('rolls back to the stage before, with the kill switch under rollback-and-kill', () => {
    const w = watch(state({ stage: 'canary_10' }), [[windowed({ severity: 'critical' }), recent(30, () => 5)]], { onCritical: 'rollback-and-kill', onMajor: 'pause' });
    expect(w.action).toEqual({ kind: 'rollback', to: 'canary_1', killSwitch: true });
    expect(w.transition).toMatchObject({ from: 'canary_10', to: 'canary_1', fromTraffic: 10, toTraffic: 1 });
    expect(w.reasons[0]).toMatch(/^rolled back canary_10 → canary_1 and engaged the kill switch: errors: /);
    expect(w.failedGates).toEqual(['errors']);
  });

  it('rolls back below the first stage to no traffic', () => {
    const w = watch(state({ stage: 'canary_1' }), [[windowed({ severity: 'critical' }), recent(30, () => 5)]]);
    expect(w.action).toEqual({ kind: 'rollback', to: null, killSwitch: false });
    expect(w.transition.toTraffic).toBe(0);
  });

  it("judges with the current stage's threshold, and only gates that apply to it", () => {
    const g = windowed({ pass: null, thresholds: { canary_10: [parseCondition('< 10')], full: [parseCondition('< 1')] } });
    const other = windowed({ name: 'only_full', appliesTo: ['full'], severity: 'critical' });
    const w = watch(state({ stage: 'canary_10' }), [[g, recent(30, () => 5)], [other, recent(30, () => 99)]]);
    expect(w.decision).toBe('PROCEED');
    expect(w.gates.map((r) => r.name)).toEqual(['errors']);
    expect(w.gates[0]!.condition).toBe('< 10');
  });

  it('clips each window to the time since the stage was entered: a breach from before is not judged again', () => {
    // Entered 10 minutes ago; the breach was 20 minutes ago, inside the gate's 30 m window.
    const st = state({ enteredAt: new Date(NOW - 10 * M).toISOString() });
    const obs = recent(30, (i) => (i === 9 ? 5 : 0));
    const picked = watchedGates([windowed({ severity: 'critical' })], st, NOW);
    expect(picked.clipped.has('errors')).toBe(true);
    expect(picked.gates[0]!.overMs).toBe(10 * M);
    expect(picked.gates[0]!.stepMs).toBe(60_000);
    const w = watch(st, [[windowed({ severity: 'critical' }), obs]]);
    expect(w.decision).toBe('PROCEED');
    expect(w.gates[0]).toMatchObject({ status: 'pass', window: { over: '10m' } });
    // The same breach inside the stage's time rolls back.
    const inside = watch(st, [[windowed({ severity: 'critical' }), recent(30, (i) => (i === 25 ? 5 : 0))]]);
    expect(inside.decision).toBe('ROLLBACK');
  });

  it('a gate with fewer than minSamples since the stage was entered is warming up and takes no action', () => {
    const st = state({ enteredAt: new Date(NOW - 3 * M).toISOString() });
    const w = watch(st, [[windowed({ severity: 'critical', noData: 'fail' }), recent(30, () => 0)]]);
    expect(w.decision).toBe('PROCEED');
    expect(w.action.kind).toBe('none');
    expect(w.gates[0]!.status).toBe('skipped');
    expect(w.gates[0]!.reason).toMatch(/^warming up: canary_10 was entered 3m ago \(4 samples, fewer than minSamples 5 in the last 3m\)$/);
    expect(w.reasons[0]).toMatch(/no gate judged yet/);
  });

  it('a provider error while warming up is still no data, not warming up', () => {
    const st = state({ enteredAt: new Date(NOW - 3 * M).toISOString() });
    const w = watch(st, [[windowed(), { samples: [], error: 'HTTP 503' }]]);
    expect(w.decision).toBe('HOLD');
    expect(w.gates[0]!.status).toBe('no_data');
  });

  it('judges no ramp rule and no release window: a watch at 3 a.m. on a Sunday still acts', () => {
    const closed = plan({ windows: [{ days: ['mon'], start: '09:00', end: '10:00', tz: 'UTC' }] });
    const picked = watchedGates([windowed({ severity: 'critical' })], state({ enteredAt: new Date(NOW - 5 * M - 2 * H).toISOString() }), NOW);
    const w = judgeWatch({ plan: closed, ...picked, state: state(), observations: new Map([['errors', recent(30, () => 5)]]), nowMs: NOW, policy: DEFAULT_WATCH_POLICY });
    expect(w.decision).toBe('ROLLBACK');
    expect(w.ramp.map((r) => r.rule)).toEqual(['kill_switch']);
  });
});

describe('pause in the decision rules', () => {
  const paused = state({ paused: { at: '2026-11-22T11:00:00.000Z', reason: 'watch: errors failed at canary_10', actor: 'rollout-gate' } });

  it('evaluate and promote HOLD with the pause as the reason, and force does not override it', () => {
    const d = decide({ plan: plan(), gates: [], state: paused, target: null, observations: new Map(), nowMs: NOW, force: { reason: 'ship it', actor: 'ana', allowed: true, refusal: null } });
    expect(d.decision).toBe('HOLD');
    expect(d.reasons).toContain('paused since 2026-11-22T11:00:00.000Z by rollout-gate: watch: errors failed at canary_10; resume to continue');
    expect(d.warnings).toContain('force ignored: the rollout is paused; resume it first');
    expect(d.forced).toBeNull();
  });

  it('a pause never hides a ROLLBACK', () => {
    const d = decide({ plan: plan(), gates: [gate({ name: 'a', severity: 'critical' })], state: paused, target: null, observations: new Map([['a', { samples: seriesOf(1, 30, () => 5) }]]), nowMs: NOW });
    expect(d.decision).toBe('ROLLBACK');
  });

  it('property: a watch never promotes, rolls back only on a critical failure or never, and pauses only when not paused', async () => {
    const outcome = fc.constantFrom('ok', 'bad', 'none', 'error');
    const spec = fc.record({ severity: fc.constantFrom('critical', 'major', 'minor'), noData: fc.constantFrom('hold', 'fail', 'pass'), outcome, shadow: fc.boolean() });
    await fc.assert(
      yieldingProperty(
        fc.array(spec, { maxLength: 6 }),
        fc.record({ killSwitch: fc.boolean(), paused: fc.boolean(), enteredMin: fc.integer({ min: 0, max: 120 }), stage: fc.constantFrom(null, 'canary_1', 'canary_10', 'full') }),
        fc.constantFrom<WatchPolicy['onCritical']>('rollback', 'rollback-and-kill', 'report'),
        fc.constantFrom<WatchPolicy['onMajor']>('pause', 'report'),
        (specs, s, onCritical, onMajor) => {
          const st = state({
            stage: s.stage,
            killSwitch: s.killSwitch,
            enteredAt: new Date(NOW - s.enteredMin * M).toISOString(),
            paused: s.paused ? { at: new Date(NOW - H).toISOString(), reason: 'r', actor: null } : null,
          });
          const gates = specs.map((g, i): [Gate, GateObservation] => [
            windowed({ name: `g${i}`, severity: g.severity as Gate['severity'], noData: g.noData as Gate['noData'], shadow: g.shadow }),
            g.outcome === 'ok' ? recent(60, () => 0) : g.outcome === 'bad' ? recent(60, () => 5) : g.outcome === 'none' ? { samples: [] } : { samples: [], error: 'boom' },
          ]);
          const w = watch(st, gates, { onCritical, onMajor });
          expect(w.transition.from).toBe(st.stage);
          if (w.action.kind === 'rollback') {
            expect(w.decision).toBe('ROLLBACK');
            expect(onCritical).not.toBe('report');
            expect(st.killSwitch).toBe(false);
            expect(w.gates.some((r) => !r.shadow && r.effect === 'rollback')).toBe(true);
          } else {
            expect(w.transition.to).toBe(st.stage);
          }
          if (w.action.kind === 'pause') {
            expect(w.decision).toBe('HOLD');
            expect(st.paused).toBeNull();
            expect(onMajor).toBe('pause');
          }
          if (w.decision === 'PROCEED') expect(w.failedGates).toEqual([]);
          // Shadow gates never decide.
          for (const r of w.gates) if (r.shadow) expect(w.failedGates).not.toContain(r.name);
        },
      ),
      { numRuns: Math.min(runs, 2000), seed },
    );
  });
});

describe('watch after a rollback', () => {
  const instant = (over: Parameters<typeof gate>[0] = {}) => gate({ name: 'ack_breaches_30m', pass: '== 0', severity: 'critical', ...over });
  const rolledBack = state({ stage: 'canary_1', enteredAt: new Date(NOW - 2 * M).toISOString(), lastRollbackAt: new Date(NOW - 2 * M).toISOString() });

  it('a failing critical instant gate does not roll back again on the stage a rollback led to: it pauses', () => {
    const w = watch(rolledBack, [[instant(), { samples: [[NOW_S, 3]] }]]);
    expect(w.decision).toBe('HOLD');
    expect(w.action).toEqual({ kind: 'pause', reason: 'watch: ack_breaches_30m failed at canary_1' });
    expect(w.reasons[0]).toMatch(/not rolling back again\)$/);
  });

  it('an hour after the rollback, a failing critical instant gate is a new incident: it rolls back', () => {
    const long = state({ stage: 'canary_10', enteredAt: new Date(NOW - 48 * H).toISOString(), lastRollbackAt: new Date(NOW - 48 * H).toISOString() });
    expect(watch(long, [[instant(), { samples: [[NOW_S, 3]] }]]).action).toMatchObject({ kind: 'rollback', to: 'canary_1' });
    const edge = state({ stage: 'canary_10', enteredAt: new Date(NOW - 61 * M).toISOString(), lastRollbackAt: new Date(NOW - 61 * M).toISOString() });
    expect(watch(edge, [[instant(), { samples: [[NOW_S, 3]] }]]).action.kind).toBe('rollback');
  });

  it('the same instant gate on a stage entered by a promotion rolls back', () => {
    const w = watch(state({ stage: 'canary_10', lastRollbackAt: null }), [[instant(), { samples: [[NOW_S, 3]] }]]);
    expect(w.action).toMatchObject({ kind: 'rollback', to: 'canary_1' });
  });

  it('a windowed critical gate failing inside the new stage still rolls back further', () => {
    const st = state({ stage: 'canary_10', enteredAt: new Date(NOW - 20 * M).toISOString(), lastRollbackAt: new Date(NOW - 20 * M).toISOString() });
    const w = watch(st, [[windowed({ severity: 'critical' }), recent(30, (i) => (i === 25 ? 5 : 0))]]);
    expect(w.action).toMatchObject({ kind: 'rollback', to: 'canary_1' });
  });
});

describe('how a watch reads', () => {
  it('says how many gates passed and how many are warming up, and reports them as warming up', async () => {
    const { statusText, statusBadge } = await import('../../src/report/format.js');
    const st = state({ enteredAt: new Date(NOW - 3 * M).toISOString() });
    const short = windowed({ name: 'slow', minSamples: 10 });
    const quick = windowed({ name: 'quick', minSamples: 1 });
    const w = watch(st, [[short, recent(30, () => 0)], [quick, recent(30, () => 0)]]);
    expect(w.reasons).toEqual(['canary_10 is healthy: 1 gate passed; 1 warming up (too few samples since canary_10 was entered)']);
    const slow = w.gates.find((g) => g.name === 'slow')!;
    expect(statusText(slow)).toBe('warming up');
    expect(statusBadge(slow)).toBe('⏳ warming up');
    expect(statusText({ ...slow, reason: 'not applicable to target full' })).toBe('n/a');
  });
});
