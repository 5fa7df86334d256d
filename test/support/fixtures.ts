import { parseCondition } from '../../src/engine/conditions.js';
import type { Gate, RolloutPlan, RolloutState, Sample } from '../../src/engine/model.js';

export const NOW = Date.parse('2026-11-22T12:00:00Z');
export const NOW_S = NOW / 1000;
export const H = 3_600_000;
export const M = 60_000;

export function plan(over: Partial<RolloutPlan> = {}): RolloutPlan {
  return {
    name: 'chat',
    stages: [
      { name: 'canary_1', traffic: 1, minDurationMs: 30 * M, flags: null },
      { name: 'canary_10', traffic: 10, minDurationMs: 2 * H, flags: null },
      { name: 'canary_50', traffic: 50, minDurationMs: 12 * H, flags: null },
      { name: 'full', traffic: 100, minDurationMs: null, flags: null },
    ],
    ramp: { maxStepFactor: null, cooldownAfterRollbackMs: null, allowSkip: false },
    windows: [],
    freezes: [],
    forceAllowed: null,
    ...over,
  };
}

export function state(over: Partial<RolloutState> = {}): RolloutState {
  return {
    rollout: 'chat',
    stage: 'canary_10',
    enteredAt: new Date(NOW - 3 * H).toISOString(),
    killSwitch: false,
    lastRollbackAt: null,
    paused: null,
    history: [],
    ...over,
  };
}

let index = 0;
export function gate(over: Partial<Omit<Gate, 'pass'>> & { pass?: string | string[] | null } = {}): Gate {
  const { pass = '< 1', ...rest } = over;
  return {
    index: index++,
    name: 'g',
    provider: 'p',
    providerType: 'file',
    query: 'q',
    baseline: null,
    pass: pass === null ? null : (Array.isArray(pass) ? pass : [pass]).map(parseCondition),
    thresholds: {},
    appliesTo: null,
    severity: 'major',
    noData: 'hold',
    minSamples: 1,
    overMs: null,
    failAfterMs: null,
    stepMs: null,
    select: null,
    reduce: null,
    staleAfterMs: null,
    activeForMs: null,
    approvals: null,
    checklist: null,
    compare: null,
    baselineOffsetMs: null,
    shadow: false,
    ...rest,
  };
}

/** A series ending at NOW, one sample every stepS seconds, values from `f(i)`. */
export function seriesOf(n: number, stepS: number, f: (i: number) => number | boolean): Sample[] {
  return Array.from({ length: n }, (_, i) => [NOW_S - (n - 1 - i) * stepS, f(i)] as const);
}
