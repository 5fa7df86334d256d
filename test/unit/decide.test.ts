import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide, type DecideInput } from '../../src/engine/decide.js';
import type { GateObservation } from '../../src/engine/gates.js';
import type { Gate } from '../../src/engine/model.js';
import { gate, H, M, NOW, plan, seriesOf, state } from '../support/fixtures.js';
import { yieldingProperty } from '../support/property.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = process.env.CI ? 42 : undefined;
const ok = { samples: seriesOf(1, 30, () => 0) };
const bad = { samples: seriesOf(1, 30, () => 5) };
const none = { samples: [] };

function input(over: Partial<DecideInput> = {}, gates: [Gate, GateObservation | undefined][] = []): DecideInput {
  return {
    plan: plan(),
    gates: gates.map(([g]) => g),
    state: state(),
    target: null,
    observations: new Map(gates.filter(([, o]) => o).map(([g, o]) => [g.name, o!])),
    nowMs: NOW,
    ...over,
  };
}

describe('decide: the decision rules', () => {
  it.each([
    ['every gate passes → PROCEED', {}, [[gate({ name: 'a' }), ok]], 'PROCEED'],
    ['a major gate fails → HOLD', {}, [[gate({ name: 'a' }), bad]], 'HOLD'],
    ['a critical gate fails → ROLLBACK', {}, [[gate({ name: 'a', severity: 'critical' }), bad], [gate({ name: 'b' }), bad]], 'ROLLBACK'],
    ['a minor gate fails → PROCEED with a warning', {}, [[gate({ name: 'a', severity: 'minor' }), bad]], 'PROCEED'],
    ['no data under noData hold → HOLD', {}, [[gate({ name: 'a' }), none]], 'HOLD'],
    ['no data under noData pass → PROCEED', {}, [[gate({ name: 'a', noData: 'pass' }), none]], 'PROCEED'],
    ['no data under noData fail on a critical gate → ROLLBACK', {}, [[gate({ name: 'a', noData: 'fail', severity: 'critical' }), none]], 'ROLLBACK'],
    ['a gate that does not apply is not consulted', {}, [[gate({ name: 'a', appliesTo: ['full'], severity: 'critical' }), bad]], 'PROCEED'],
    ['the kill switch → ROLLBACK', { state: state({ killSwitch: true }) }, [[gate({ name: 'a' }), ok]], 'ROLLBACK'],
    ['minDuration not elapsed → HOLD', { state: state({ enteredAt: new Date(NOW - 1 * H).toISOString() }) }, [], 'HOLD'],
    ['minDuration unknown (no enteredAt) → HOLD', { state: state({ enteredAt: null }) }, [], 'HOLD'],
    ['cooldown after rollback not over → HOLD', { plan: plan({ ramp: { maxStepFactor: null, cooldownAfterRollbackMs: 24 * H, allowSkip: false } }), state: state({ lastRollbackAt: new Date(NOW - 2 * H).toISOString() }) }, [], 'HOLD'],
    ['cooldown over → PROCEED', { plan: plan({ ramp: { maxStepFactor: null, cooldownAfterRollbackMs: 24 * H, allowSkip: false } }), state: state({ lastRollbackAt: new Date(NOW - 25 * H).toISOString() }) }, [], 'PROCEED'],
    ['skipping a stage → HOLD', { target: 'full' }, [], 'HOLD'],
    ['skipping with allowSkip → PROCEED', { target: 'full', plan: plan({ ramp: { maxStepFactor: null, cooldownAfterRollbackMs: null, allowSkip: true } }) }, [], 'PROCEED'],
    ['traffic step above maxStepFactor → HOLD', { plan: plan({ ramp: { maxStepFactor: 2, cooldownAfterRollbackMs: null, allowSkip: false } }) }, [], 'HOLD'],
    ['traffic step within maxStepFactor → PROCEED', { plan: plan({ ramp: { maxStepFactor: 5, cooldownAfterRollbackMs: null, allowSkip: false } }) }, [], 'PROCEED'],
    ['unknown target → HOLD', { target: 'canary_99' }, [], 'HOLD'],
    ['target behind the current stage → HOLD', { target: 'canary_1' }, [], 'HOLD'],
    ['already at the final stage → HOLD', { state: state({ stage: 'full' }) }, [], 'HOLD'],
    ['state names an unknown stage → HOLD', { state: state({ stage: 'canary_7' }) }, [], 'HOLD'],
    ['not started: the first stage is the target', { state: state({ stage: null, enteredAt: null }) }, [], 'PROCEED'],
    ['inside a freeze → HOLD', { plan: plan({ freezes: [{ fromMs: NOW - H, toMs: NOW + H, reason: 'holiday' }] }) }, [], 'HOLD'],
    ['outside every window → HOLD', { plan: plan({ windows: [{ days: ['sat'], start: '09:00', end: '10:00', tz: 'UTC' }] }) }, [], 'HOLD'],
    ['the deadline passed → HOLD', { deadlineExceeded: true }, [[gate({ name: 'a', noData: 'pass' }), { samples: [], error: 'deadline exceeded' }]], 'HOLD'],
  ] as [string, Partial<DecideInput>, [Gate, GateObservation | undefined][], string][])('%s', (_name, over, gates, expected) => {
    const d = decide(input(over, gates));
    expect(d.decision).toBe(expected);
    expect(d.reasons.length).toBeGreaterThan(0);
  });

  it('names the reason for every blocking check and failed gate', () => {
    const d = decide(input({ state: state({ enteredAt: new Date(NOW - H).toISOString() }) }, [[gate({ name: 'err' }), bad], [gate({ name: 'lat', noData: 'hold' }), none]]));
    expect(d.failedGates).toEqual(['err', 'lat']);
    expect(d.reasons.join('\n')).toMatch(/in canary_10 for 1h of the minimum 2h; 1h to go/);
    expect(d.reasons.join('\n')).toMatch(/err: 5 breaks < 1/);
    expect(d.reasons.join('\n')).toMatch(/lat: no data/);
  });

  it('the transition defaults to the next stage', () => {
    expect(decide(input()).transition).toMatchObject({ from: 'canary_10', to: 'canary_50', fromTraffic: 10, toTraffic: 50, problem: null });
  });

  it('names the next opening when outside the release windows', () => {
    // NOW is Sunday 2026-11-22 12:00Z; the window opens Monday 09:00 Berlin = 08:00Z.
    const d = decide(input({ plan: plan({ windows: [{ days: ['mon'], start: '09:00', end: '16:00', tz: 'Europe/Berlin' }] }) }));
    expect(d.decision).toBe('HOLD');
    expect(d.reasons.join()).toContain('next opening 2026-11-23T08:00Z');
  });
});

describe('decide: shadow gates', () => {
  it.each([
    ['a failing critical shadow gate', gate({ name: 's', severity: 'critical', shadow: true }), bad, 'shadow gate s would have failed: 5 breaks < 1'],
    ['a failing major shadow gate', gate({ name: 's', shadow: true }), bad, 'shadow gate s would have failed: 5 breaks < 1'],
    ['a shadow gate without data under noData: fail', gate({ name: 's', severity: 'critical', noData: 'fail', shadow: true }), none, 'shadow gate s: no data: no samples (noData: fail)'],
    ['a shadow gate without data under noData: hold', gate({ name: 's', shadow: true }), none, 'shadow gate s: no data: no samples'],
  ] as [string, Gate, GateObservation, string][])('%s is judged and reported, and only warns', (_name, g, obs, warning) => {
    const d = decide(input({}, [[gate({ name: 'a' }), ok], [g, obs]]));
    expect(d.decision).toBe('PROCEED');
    expect(d.failedGates).toEqual([]);
    expect(d.reasons).toEqual(['every applicable gate and ramp rule passed']);
    expect(d.warnings).toEqual([warning]);
    expect(d.gates[1]).toMatchObject({ name: 's', shadow: true, effect: 'warning', status: obs === bad ? 'fail' : 'no_data' });
  });

  it('a passing shadow gate adds nothing; a gate list of only shadow gates is "no gate applies"', () => {
    const d = decide(input({}, [[gate({ name: 's', shadow: true }), ok]]));
    expect(d).toMatchObject({ decision: 'PROCEED', warnings: [], failedGates: [], reasons: ['every ramp rule passed; no gate applies'] });
    expect(d.gates[0]).toMatchObject({ status: 'pass', effect: 'none', shadow: true });
  });

  it('a shadow gate changes nothing next to a failing real gate', () => {
    const d = decide(input({}, [[gate({ name: 'a' }), bad], [gate({ name: 's', severity: 'critical', shadow: true }), bad]]));
    expect(d.decision).toBe('HOLD');
    expect(d.failedGates).toEqual(['a']);
    expect(d.reasons).toEqual(['a: 5 breaks < 1']);
    expect(d.warnings).toEqual(['shadow gate s would have failed: 5 breaks < 1']);
  });

  it('a provider warning of a shadow gate is still a warning', () => {
    const d = decide(input({}, [[gate({ name: 's', shadow: true }), { ...ok, warnings: ['prometheus: partial response'] }]]));
    expect(d.warnings).toEqual(['s: prometheus: partial response']);
  });
});

describe('decide: force', () => {
  const force = { reason: 'hotfix for incident 42', actor: 'alice', allowed: true, refusal: null };

  it('turns HOLD into PROCEED, recorded with actor and reason', () => {
    const d = decide(input({ force }, [[gate({ name: 'a' }), bad]]));
    expect(d.decision).toBe('PROCEED');
    expect(d.forced).toEqual({ actor: 'alice', reason: 'hotfix for incident 42' });
    expect(d.reasons[0]).toContain('forced by alice');
    expect(d.failedGates).toEqual(['a']);
  });

  it('never overrides ROLLBACK', () => {
    const d = decide(input({ force }, [[gate({ name: 'a', severity: 'critical' }), bad]]));
    expect(d.decision).toBe('ROLLBACK');
    expect(d.forced).toBeNull();
    expect(d.warnings.join()).toContain('never overrides ROLLBACK');
  });

  it('is refused for actors outside forceAllowed', () => {
    const d = decide(input({ force: { ...force, allowed: false, refusal: 'mallory is not in rollout.forceAllowed' } }, [[gate({ name: 'a' }), bad]]));
    expect(d.decision).toBe('HOLD');
    expect(d.warnings.join()).toContain('mallory is not in rollout.forceAllowed');
  });

  it('cannot promote to a stage that does not exist', () => {
    expect(decide(input({ force, target: 'nope' })).decision).toBe('HOLD');
  });
});

describe('decide: properties', () => {
  const severity = fc.constantFrom('critical', 'major', 'minor') as fc.Arbitrary<Gate['severity']>;
  const noData = fc.constantFrom('hold', 'fail', 'pass') as fc.Arbitrary<Gate['noData']>;
  const outcome = fc.constantFrom('pass', 'fail', 'none');
  const gateArb = fc.record({ severity, noData, outcome });
  const rank = { PROCEED: 0, HOLD: 1, ROLLBACK: 2 } as const;
  const build = (specs: { severity: Gate['severity']; noData: Gate['noData']; outcome: string }[]) =>
    specs.map((s, i) => [gate({ name: `g${i}`, severity: s.severity, noData: s.noData }), s.outcome === 'pass' ? ok : s.outcome === 'fail' ? bad : none] as [Gate, GateObservation]);

  it('adding a gate never makes the decision less severe (a failing gate never turns HOLD into PROCEED)', async () => {
    await fc.assert(
      yieldingProperty(fc.array(gateArb, { maxLength: 12 }), gateArb, (specs, extra) => {
        const before = decide(input({}, build(specs))).decision;
        const after = decide(input({}, build([...specs, extra]))).decision;
        expect(rank[after]).toBeGreaterThanOrEqual(rank[before]);
      }),
      { numRuns: runs, seed },
    );
  });

  it('a gate without data never yields PROCEED under noData hold', async () => {
    await fc.assert(
      yieldingProperty(fc.array(gateArb, { maxLength: 12 }), severity, (specs, sev) => {
        const gates = [...build(specs), [gate({ name: 'nodata', severity: sev, noData: 'hold' }), none] as [Gate, GateObservation]];
        expect(decide(input({}, gates)).decision).not.toBe('PROCEED');
      }),
      { numRuns: runs, seed },
    );
  });

  it('the decision is monotone in severity: raising a failing gate\'s severity never lowers the decision', async () => {
    const order: Gate['severity'][] = ['minor', 'major', 'critical'];
    await fc.assert(
      yieldingProperty(fc.array(gateArb, { minLength: 1, maxLength: 12 }), fc.nat(), (specs, pick) => {
        const i = pick % specs.length;
        const s = specs[i]!;
        const up = order[Math.min(2, order.indexOf(s.severity) + 1)]!;
        const raised = specs.map((x, j) => (j === i ? { ...x, severity: up } : x));
        expect(rank[decide(input({}, build(raised))).decision]).toBeGreaterThanOrEqual(rank[decide(input({}, build(specs))).decision]);
      }),
      { numRuns: runs, seed },
    );
  });

  it('force never produces ROLLBACK → PROCEED, and never changes PROCEED', async () => {
    await fc.assert(
      yieldingProperty(fc.array(gateArb, { maxLength: 12 }), (specs) => {
        const plain = decide(input({}, build(specs))).decision;
        const forced = decide(input({ force: { reason: 'r', actor: 'a', allowed: true, refusal: null } }, build(specs))).decision;
        expect(forced).toBe(plain === 'ROLLBACK' ? 'ROLLBACK' : 'PROCEED');
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('ramp checks', () => {
  it('lists what was checked, in words', () => {
    const d = decide(input({ plan: plan({ ramp: { maxStepFactor: 2, cooldownAfterRollbackMs: 24 * H, allowSkip: false } }), state: state({ lastRollbackAt: new Date(NOW - 30 * H).toISOString() }) }));
    expect(d.ramp.map((r) => [r.rule, r.ok])).toEqual([
      ['kill_switch', true],
      ['target', true],
      ['min_duration', true],
      ['cooldown', true],
      ['step_factor', false],
    ]);
    expect(d.ramp.find((r) => r.rule === 'step_factor')!.detail).toBe('10% → 50% is ×5 (maximum ×2)');
    expect(d.ramp.find((r) => r.rule === 'cooldown')!.detail).toBe('last rollback 1d6h ago (cooldown 1d)');
  });

  it('minDuration counts from enteredAt to the evaluation instant', () => {
    const at = (ms: number) => decide(input({ state: state({ stage: 'canary_1', enteredAt: new Date(NOW - ms).toISOString() }) })).decision;
    expect(at(30 * M - 1000)).toBe('HOLD');
    expect(at(30 * M)).toBe('PROCEED');
  });
});
