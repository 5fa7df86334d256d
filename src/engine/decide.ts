import { calendarVerdict } from './calendar.js';
import { evaluateGate, type GateObservation, type GateResult } from './gates.js';
import type { DecisionKind, Gate, RolloutPlan, RolloutState } from './model.js';
import { rampChecks, resolveTransition, type RampCheck, type Transition } from './ramp.js';

export interface ForceRequest {
  reason: string;
  actor: string | null;
  /** Whether the actor may force (rollout.forceAllowed); the edge resolves teams. */
  allowed: boolean;
  refusal: string | null;
}

export interface DecideInput {
  plan: RolloutPlan;
  gates: readonly Gate[];
  state: RolloutState;
  target: string | null;
  observations: ReadonlyMap<string, GateObservation>;
  nowMs: number;
  force?: ForceRequest | null;
  /** The run's deadline passed before every gate answered. */
  deadlineExceeded?: boolean;
}

export interface Decision {
  decision: DecisionKind;
  transition: Transition;
  ramp: RampCheck[];
  gates: GateResult[];
  /** Why the decision is what it is, most serious first. */
  reasons: string[];
  warnings: string[];
  /** Gates whose failure or missing data blocks the promotion (HOLD or ROLLBACK). */
  failedGates: string[];
  forced: { actor: string | null; reason: string } | null;
}

/**
 * The decision rules (SPEC §3): ROLLBACK on the kill switch or a failing critical gate; else
 * HOLD on a failing major gate, a gate without data under `noData: hold`, a closed release
 * calendar or a broken ramp rule; else PROCEED. Force turns HOLD into PROCEED, never ROLLBACK.
 * Shadow gates are judged and returned like any other, but only ever add warnings.
 */
export function decide(input: DecideInput): Decision {
  const { plan, state, nowMs } = input;
  const transition = resolveTransition(plan, state, input.target);
  const ramp = rampChecks(plan, state, transition, nowMs);
  if (plan.windows.length > 0 || plan.freezes.length > 0) {
    const cal = calendarVerdict(plan.windows, plan.freezes, nowMs);
    ramp.push({ rule: 'release_window', ok: cal.open, detail: cal.detail });
  }
  const gates = input.gates.map((g) => evaluateGate(g, transition.to, input.observations.get(g.name), nowMs));

  const rollback: string[] = [];
  const hold: string[] = [];
  for (const c of ramp) {
    if (c.ok) continue;
    (c.rule === 'kill_switch' ? rollback : hold).push(c.detail);
  }
  const verdicts = gateVerdicts(gates);
  rollback.push(...verdicts.rollback);
  hold.push(...verdicts.hold);
  const warnings = verdicts.warnings;
  if (input.deadlineExceeded) hold.unshift('deadline exceeded: not every gate answered in time');

  let decision: DecisionKind = rollback.length ? 'ROLLBACK' : hold.length ? 'HOLD' : 'PROCEED';
  let forced: Decision['forced'] = null;
  const reasons = [...rollback, ...hold];
  const force = input.force;
  if (force) {
    if (!force.allowed) {
      warnings.push(`force refused: ${force.refusal ?? 'not allowed'}`);
    } else if (decision === 'ROLLBACK') {
      warnings.push('force ignored: a forced promotion never overrides ROLLBACK');
    } else if (input.deadlineExceeded) {
      warnings.push('force ignored: the deadline passed before every gate answered');
    } else if (decision === 'HOLD' && state.paused) {
      warnings.push('force ignored: the rollout is paused; resume it first');
    } else if (decision === 'HOLD' && transition.problem !== null) {
      warnings.push(`force ignored: ${transition.problem}`);
    } else if (decision === 'HOLD') {
      decision = 'PROCEED';
      forced = { actor: force.actor, reason: force.reason };
      reasons.unshift(`forced by ${force.actor ?? 'an unnamed actor'}: ${force.reason}`);
    }
  }
  if (reasons.length === 0) reasons.push(gates.some((g) => !g.shadow && g.status !== 'skipped') ? 'every applicable gate and ramp rule passed' : 'every ramp rule passed; no gate applies');
  return { decision, transition, ramp, gates, reasons, warnings, failedGates: verdicts.failedGates, forced };
}

/** What judged gates do to a decision, each as a line "name: reason". */
export interface GateVerdicts {
  rollback: string[];
  hold: string[];
  warnings: string[];
  /** Gates whose failure or missing data blocks (HOLD or ROLLBACK); never a shadow gate. */
  failedGates: string[];
}

/**
 * Sorts judged gates by their effect. Shadow gates are reported, never decisive: what they would
 * have done is a warning. `demote` may turn a rollback into a hold, with the line it returns.
 */
export function gateVerdicts(gates: readonly GateResult[], demote: (g: GateResult, line: string) => string | null = () => null): GateVerdicts {
  const v: GateVerdicts = { rollback: [], hold: [], warnings: [], failedGates: [] };
  for (const g of gates) {
    const line = `${g.name}: ${g.reason}`;
    if (g.shadow) {
      if (g.status === 'fail') v.warnings.push(`shadow gate ${g.name} would have failed: ${g.reason}`);
      else if (g.status === 'no_data' || g.status === 'query_error') v.warnings.push(`shadow gate ${g.name}: ${g.reason}`);
    } else if (g.effect === 'rollback') {
      const held = demote(g, line);
      (held === null ? v.rollback : v.hold).push(held ?? line);
    } else if (g.effect === 'hold') v.hold.push(line);
    else if (g.effect === 'warning') v.warnings.push(line);
    if (!g.shadow && (g.effect === 'hold' || g.effect === 'rollback')) v.failedGates.push(g.name);
    for (const w of g.warnings) v.warnings.push(`${g.name}: ${w}`);
  }
  return v;
}
