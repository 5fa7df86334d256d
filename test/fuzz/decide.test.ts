import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type DecideInput, type ForceRequest } from '../../src/engine/decide.js';
import type { GateObservation } from '../../src/engine/gates.js';
import type { Gate, RolloutPlan, RolloutState } from '../../src/engine/model.js';
import { gate, H, M, NOW, plan, seriesOf } from '../support/fixtures.js';
import { fuzz } from './settings.js';
import { yieldingProperty } from '../support/property.js';

const STAGES = ['canary_1', 'canary_10', 'canary_50', 'full'];
const OBSERVATIONS: Record<string, GateObservation | undefined> = {
  pass: { samples: seriesOf(3, 30, () => 0) },
  fail: { samples: seriesOf(3, 30, () => 5) },
  empty: { samples: [] },
  nan: { samples: seriesOf(3, 30, () => NaN) },
  error: { samples: [], error: 'HTTP 502 from /api/v1/query' },
  stale: { samples: [], noDataReason: 'stale' },
  missing: undefined,
};
const gateSpec = fc.record({
  severity: fc.constantFrom<Gate['severity']>('critical', 'major', 'minor'),
  noData: fc.constantFrom<Gate['noData']>('hold', 'fail', 'pass'),
  outcome: fc.constantFrom(...Object.keys(OBSERVATIONS)),
  appliesTo: fc.option(fc.subarray(STAGES, { minLength: 1 })),
  over: fc.boolean(),
  shadow: fc.constant<boolean>(false),
});
type GateSpec = typeof gateSpec extends fc.Arbitrary<infer T> ? T : never;

const scenario = fc.record({
  gates: fc.array(gateSpec, { maxLength: 8 }),
  stage: fc.option(fc.constantFrom(...STAGES, 'retired_stage')),
  target: fc.option(fc.constantFrom(...STAGES, 'nowhere')),
  enteredAgoMs: fc.option(fc.integer({ min: -H, max: 48 * H })),
  rollbackAgoMs: fc.option(fc.integer({ min: 0, max: 48 * H })),
  killSwitch: fc.boolean(),
  maxStepFactor: fc.option(fc.constantFrom(2, 5, 10)),
  cooldownMs: fc.option(fc.constantFrom(H, 24 * H)),
  allowSkip: fc.boolean(),
  freezeNow: fc.boolean(),
  force: fc.option(fc.record({ reason: fc.constant('customer escalation'), actor: fc.constantFrom('alice', null), allowed: fc.boolean(), refusal: fc.constant('not in forceAllowed') })),
  deadlineExceeded: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario, specs: GateSpec[] = s.gates): DecideInput {
  const p: RolloutPlan = plan({
    ramp: { maxStepFactor: s.maxStepFactor, cooldownAfterRollbackMs: s.cooldownMs, allowSkip: s.allowSkip },
    freezes: s.freezeNow ? [{ fromMs: NOW - H, toMs: NOW + H, reason: 'incident' }] : [],
  });
  // Real gates are g0, g1, … in order and shadow gates s0, s1, …: adding a shadow gate renames no real one.
  let real = 0;
  let shadow = 0;
  const names = specs.map((g) => (g.shadow ? `s${shadow++}` : `g${real++}`));
  const gates = specs.map((g, i) => gate({ name: names[i]!, severity: g.severity, noData: g.noData, appliesTo: g.appliesTo, overMs: g.over ? 10 * M : null, shadow: g.shadow }));
  const observations = new Map<string, GateObservation>();
  specs.forEach((g, i) => {
    const o = OBSERVATIONS[g.outcome];
    if (o) observations.set(names[i]!, o);
  });
  const state: RolloutState = {
    rollout: 'chat',
    stage: s.stage,
    enteredAt: s.enteredAgoMs === null ? null : new Date(NOW - s.enteredAgoMs).toISOString(),
    killSwitch: s.killSwitch,
    lastRollbackAt: s.rollbackAgoMs === null ? null : new Date(NOW - s.rollbackAgoMs).toISOString(),
    paused: null,
    history: [],
  };
  return { plan: p, gates, state, target: s.target, observations, nowMs: NOW, force: s.force as ForceRequest | null, deadlineExceeded: s.deadlineExceeded };
}

describe('[fuzz] decision invariants', () => {
  it('[fuzz] force never turns ROLLBACK into PROCEED, and never changes PROCEED', async () => {
    await fc.assert(
      yieldingProperty(scenario, (s) => {
        const plain = decide(build({ ...s, force: null }));
        const forced = decide(build(s));
        if (plain.decision === 'ROLLBACK') expect(forced.decision).toBe('ROLLBACK');
        if (plain.decision === 'PROCEED') expect(forced.decision).toBe('PROCEED');
        if (forced.forced) expect(plain.decision).toBe('HOLD');
      }),
      fuzz,
    );
  });

  it('[fuzz] the decision does not depend on the order of the gates', async () => {
    await fc.assert(
      yieldingProperty(scenario, fc.array(fc.nat()), (s, keys) => {
        const order = s.gates.map((g, i) => ({ g, k: keys[i] ?? i })).sort((a, b) => a.k - b.k).map((x) => x.g);
        // Gate names follow positions, so compare what each gate did by its spec, not its name.
        const a = decide(build(s));
        const b = decide(build(s, order));
        expect(b.decision).toBe(a.decision);
        expect(b.forced === null).toBe(a.forced === null);
        expect(b.failedGates.length).toBe(a.failedGates.length);
      }),
      fuzz,
    );
  });

  it('[fuzz] a gate that does not apply to the target never changes the decision, whatever it saw', async () => {
    await fc.assert(
      yieldingProperty(scenario, gateSpec, (s, extra) => {
        const before = decide(build(s));
        const target = before.transition.to;
        const elsewhere = STAGES.filter((x) => x !== target);
        const notApplicable = { ...extra, appliesTo: elsewhere.slice(0, 1 + (extra.over ? 1 : 0)) };
        const after = decide(build(s, [...s.gates, notApplicable]));
        expect(after.decision).toBe(before.decision);
        expect(after.failedGates).toEqual(before.failedGates);
        expect(after.gates.at(-1)!.status).toBe('skipped');
      }),
      fuzz,
    );
  });

  it('[fuzz] shadow gates, whatever they saw and wherever they sit, never change the decision, failedGates or reasons', async () => {
    await fc.assert(
      yieldingProperty(scenario, fc.array(fc.tuple(gateSpec, fc.nat()), { minLength: 1, maxLength: 4 }), (s, extras) => {
        const before = decide(build(s));
        const specs = [...s.gates];
        for (const [extra, at] of extras) specs.splice(at % (specs.length + 1), 0, { ...extra, shadow: true });
        const after = decide(build(s, specs));
        expect(after.decision).toBe(before.decision);
        expect(after.failedGates).toEqual(before.failedGates);
        expect(after.reasons).toEqual(before.reasons);
        expect(after.forced).toEqual(before.forced);
        expect(after.gates.filter((g) => !g.shadow)).toEqual(before.gates);
        const shadows = after.gates.filter((g) => g.shadow);
        expect(shadows).toHaveLength(extras.length);
        for (const g of shadows) expect(['none', 'warning']).toContain(g.effect);
        // What a shadow gate would have done is said, as a warning only.
        const said = after.warnings.filter((w) => !before.warnings.includes(w));
        expect(said.length).toBeGreaterThanOrEqual(shadows.filter((g) => g.status === 'fail' || g.status === 'no_data').length);
      }),
      fuzz,
    );
  });

  it('[fuzz] PROCEED only when every ramp check is ok (or the promotion is forced), every gate that blocks is absent, and the deadline held', async () => {
    await fc.assert(
      yieldingProperty(scenario, (s) => {
        const d = decide(build(s));
        if (d.decision !== 'PROCEED') return;
        if (d.forced === null) {
          for (const c of d.ramp) expect(c.ok, `${c.rule}: ${c.detail}`).toBe(true);
          expect(d.failedGates).toEqual([]);
        }
        // Even forced: never past the kill switch, the deadline, an unknown target or a critical failure.
        expect(d.ramp.find((c) => c.rule === 'kill_switch')!.ok).toBe(true);
        expect(d.ramp.find((c) => c.rule === 'target')!.ok).toBe(true);
        expect(s.deadlineExceeded).toBe(false);
        expect(d.gates.some((g) => g.effect === 'rollback')).toBe(false);
      }),
      fuzz,
    );
  });

  it('[fuzz] a gate that could not see its data under noData: hold never lets an unforced run PROCEED', async () => {
    await fc.assert(
      yieldingProperty(scenario, fc.constantFrom('empty', 'nan', 'error', 'stale', 'missing'), gateSpec, (s, outcome, spec) => {
        const blind = { ...spec, noData: 'hold' as const, outcome, appliesTo: null };
        const d = decide(build({ ...s, force: null }, [...s.gates, blind]));
        expect(d.decision).not.toBe('PROCEED');
        if (d.transition.to !== null) expect(d.gates.at(-1)!.status).toBe('no_data');
      }),
      fuzz,
    );
  });
});
