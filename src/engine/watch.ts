import { gateVerdicts, type Decision } from './decide.js';
import { formatDuration } from './duration.js';
import { appliesTo, evaluateGate, type GateObservation, type GateResult } from './gates.js';
import { effectiveStepMs, type Gate, type RolloutPlan, type RolloutState } from './model.js';
import { stageIndex, trafficOf, type RampCheck } from './ramp.js';

/** What a watch does about what it sees (SPEC §7.4, config `watch:`). */
export interface WatchPolicy {
  /** A failing critical gate: roll back (and engage the kill switch), or only report. */
  onCritical: 'rollback' | 'rollback-and-kill' | 'report';
  /** A failing major gate, or no data under `noData: hold`: pause the rollout, or only report. */
  onMajor: 'pause' | 'report';
}

/**
 * For this long after a rollback, a failing critical instant gate pauses instead of rolling back
 * again: its value may still carry the breach that caused the rollback. After it, a failing
 * critical gate is a new incident and rolls back as usual.
 */
export const INSTANT_GATE_SETTLE_MS = 60 * 60_000;

export const DEFAULT_WATCH_POLICY: WatchPolicy = { onCritical: 'rollback', onMajor: 'pause' };

/** The state change a watch makes: none, a rollback to the previous stage, or a pause. */
export type WatchAction =
  | { kind: 'none' }
  | { kind: 'rollback'; to: string | null; killSwitch: boolean }
  | { kind: 'pause'; reason: string };

export interface WatchDecision extends Decision {
  action: WatchAction;
}

/**
 * The gates a watch asks about: those that apply to the current stage, each window clipped to
 * the time since the stage was entered, so a breach from before a rollback (or from the stage
 * before) is never judged again. The step stays what the full window would use.
 */
export function watchedGates(gates: readonly Gate[], state: RolloutState, nowMs: number): { gates: Gate[]; clipped: Set<string> } {
  const clipped = new Set<string>();
  if (state.stage === null) return { gates: [], clipped };
  const entered = state.enteredAt === null ? Number.NaN : Date.parse(state.enteredAt);
  const since = Number.isNaN(entered) ? null : nowMs - entered;
  const out: Gate[] = [];
  for (const g of gates) {
    if (!appliesTo(g, state.stage)) continue;
    // The window ends `lag` before now: only what is left of it after the entry counts.
    const sinceInWindow = since === null ? null : since - (g.lagMs ?? 0);
    if (g.overMs === null || sinceInWindow === null || sinceInWindow >= g.overMs) {
      out.push(g);
      continue;
    }
    clipped.add(g.name);
    // At least a second: a zero-length window asks the provider for nothing useful.
    out.push({ ...g, overMs: Math.max(1000, sinceInWindow), stepMs: effectiveStepMs(g) });
  }
  return { gates: out, clipped };
}

export interface WatchInput {
  plan: RolloutPlan;
  /** The gates from `watchedGates` (already clipped). */
  gates: readonly Gate[];
  clipped: ReadonlySet<string>;
  state: RolloutState;
  observations: ReadonlyMap<string, GateObservation>;
  nowMs: number;
  policy: WatchPolicy;
  deadlineExceeded?: boolean;
}

/** A gate whose clipped window holds too little yet: reported, never acted on. */
function warmingUp(r: GateResult, state: RolloutState, nowMs: number): GateResult {
  const since = state.enteredAt ? formatDuration(Math.max(0, nowMs - Date.parse(state.enteredAt))) : 'moments';
  const what = r.reason.replace(/^no data: /, '').replace(/ \(noData: (pass|fail)\)$/, '');
  return { ...r, status: 'skipped', effect: 'none', reason: `warming up: ${state.stage} was entered ${since} ago (${what})` };
}

/**
 * Judges the current stage's health (SPEC §7.4). Pure. ROLLBACK on the kill switch or a failing
 * critical gate; HOLD on a failing major gate, no data under `hold` or a missed deadline; else
 * PROCEED. No ramp rule or release window applies: guarding a stage never waits for office hours.
 */
export function judgeWatch(input: WatchInput): WatchDecision {
  const { plan, state, nowMs } = input;
  const cur = stageIndex(plan, state.stage);
  const traffic = trafficOf(plan, state.stage);
  const stay = { from: state.stage, to: state.stage, fromTraffic: traffic, toTraffic: traffic, problem: null };
  const ramp: RampCheck[] = [{ rule: 'kill_switch', ok: !state.killSwitch, detail: state.killSwitch ? 'the kill switch is engaged' : 'kill switch off' }];
  const warnings: string[] = [];
  if (state.paused) warnings.push(`the rollout is paused since ${state.paused.at}${state.paused.actor ? ` by ${state.paused.actor}` : ''}: ${state.paused.reason}`);
  const none: WatchAction = { kind: 'none' };

  if (state.stage === null) {
    const reasons = state.killSwitch ? ['the kill switch is engaged; the rollout has not started'] : ['the rollout has not started: nothing to watch'];
    return { decision: state.killSwitch ? 'ROLLBACK' : 'PROCEED', transition: stay, ramp, gates: [], reasons, warnings, failedGates: [], forced: null, action: none };
  }
  if (cur < 0) {
    const problem = `the state's stage "${state.stage}" is not a stage of this rollout (${plan.stages.map((s) => s.name).join(' → ')})`;
    return { decision: 'HOLD', transition: { ...stay, toTraffic: null, problem }, ramp, gates: [], reasons: [problem], warnings, failedGates: [], forced: null, action: none };
  }

  const gates = input.gates.map((g) => {
    const r = evaluateGate(g, state.stage, input.observations.get(g.name), nowMs);
    return input.clipped.has(g.name) && r.status === 'no_data' && r.error === null ? warmingUp(r, state, nowMs) : r;
  });
  // An instant gate has no window to clip: its value (an increase over 30m, an alert) may still
  // carry the breach that caused the rollback into this stage. Rolling back again on it would
  // walk the rollout down every stage on one incident; it freezes the rollout instead.
  const enteredByRollback =
    state.lastRollbackAt !== null && state.lastRollbackAt === state.enteredAt && nowMs - Date.parse(state.lastRollbackAt) < INSTANT_GATE_SETTLE_MS;
  const verdicts = gateVerdicts(gates, (g, line) =>
    g.window === null && enteredByRollback ? `${line} (an instant gate, so possibly the breach before the rollback at ${state.lastRollbackAt}: not rolling back again)` : null,
  );
  const rollback = state.killSwitch ? ['the kill switch is engaged; the rollout stays stopped until it is resumed', ...verdicts.rollback] : verdicts.rollback;
  const hold = verdicts.hold;
  if (input.deadlineExceeded) hold.unshift('deadline exceeded: not every gate answered in time');
  warnings.push(...verdicts.warnings);
  const failedGates = verdicts.failedGates;
  const base = { ramp, gates, warnings, failedGates, forced: null };

  if (rollback.length) {
    // A kill switch already stopped the rollout; walking further down the stages would not help.
    const critical = rollback.length > (state.killSwitch ? 1 : 0);
    if (critical && !state.killSwitch && input.policy.onCritical !== 'report') {
      const to = cur > 0 ? plan.stages[cur - 1]! : null;
      const kill = input.policy.onCritical === 'rollback-and-kill';
      const did = `rolled back ${state.stage} → ${to?.name ?? '(no traffic)'}${kill ? ' and engaged the kill switch' : ''}`;
      return {
        ...base,
        decision: 'ROLLBACK',
        transition: { from: state.stage, to: to?.name ?? null, fromTraffic: traffic, toTraffic: to?.traffic ?? 0, problem: null },
        reasons: [`${did}: ${rollback[0]}`, ...rollback.slice(1), ...hold],
        action: { kind: 'rollback', to: to?.name ?? null, killSwitch: kill },
      };
    }
    const note = critical && !state.killSwitch ? ' (watch.onCritical: report: nothing changed)' : '';
    return { ...base, decision: 'ROLLBACK', transition: stay, reasons: [...rollback.map((r, i) => (i === 0 ? r + note : r)), ...hold], action: none };
  }
  if (hold.length) {
    if (input.policy.onMajor === 'pause' && !state.paused) {
      const reason = failedGates.length ? pauseReason(gates, failedGates, state.stage) : `watch: ${hold[0]}`;
      return { ...base, decision: 'HOLD', transition: stay, reasons: [`paused the rollout at ${state.stage}: ${hold[0]}`, ...hold.slice(1)], action: { kind: 'pause', reason } };
    }
    const note = state.paused ? ' (already paused)' : ' (watch.onMajor: report: nothing changed)';
    return { ...base, decision: 'HOLD', transition: stay, reasons: hold.map((r, i) => (i === 0 ? r + note : r)), action: none };
  }
  const decisive = gates.filter((g) => !g.shadow);
  const judged = decisive.filter((g) => g.status !== 'skipped').length;
  const warm = decisive.length - judged;
  const waiting = warm ? `; ${warm} warming up (too few samples since ${state.stage} was entered)` : '';
  const reasons = [judged ? `${state.stage} is healthy: ${judged === decisive.length ? 'every gate passed' : `${judged} gate${judged === 1 ? '' : 's'} passed`}${waiting}` : `${state.stage}: no gate judged yet${warm ? ` (${warm} warming up)` : ' (none applies)'}`];
  return { ...base, decision: 'PROCEED', transition: stay, reasons, action: none };
}

/** Why a watch paused: the failing gates by name, and a broken query with its error (not "failed"). */
function pauseReason(gates: readonly GateResult[], failedGates: readonly string[], stage: string): string {
  const broken = gates.filter((g) => g.status === 'query_error' && failedGates.includes(g.name));
  const failing = failedGates.filter((n) => !broken.some((b) => b.name === n));
  if (broken.length === 0) return `watch: ${failing.join(', ')} failed at ${stage}`;
  const parts = [...(failing.length ? [`${failing.join(', ')} failed`] : []), ...broken.map((b) => `${b.name}: ${b.reason}`)];
  return `watch at ${stage}: ${parts.join('; ')}`;
}
