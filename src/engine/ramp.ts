import { formatDuration } from './duration.js';
import type { Pause, RolloutPlan, RolloutState, Stage } from './model.js';

/** The move a run is about: the current stage and the stage it wants to promote to. */
export interface Transition {
  from: string | null;
  to: string | null;
  fromTraffic: number;
  toTraffic: number | null;
  /** Why there is no valid target (unknown stage, already final), if so. */
  problem: string | null;
}

export type RampRule =
  | 'kill_switch'
  | 'paused'
  | 'target'
  | 'min_duration'
  | 'cooldown'
  | 'skip'
  | 'step_factor'
  | 'release_window';

export interface RampCheck {
  rule: RampRule;
  ok: boolean;
  detail: string;
}

export function stageIndex(plan: RolloutPlan, name: string | null): number {
  return name === null ? -1 : plan.stages.findIndex((s) => s.name === name);
}

/** The traffic of a stage by name: 0 before the first stage (null) or for a name the plan lacks. */
export function trafficOf(plan: RolloutPlan, name: string | null): number {
  const i = stageIndex(plan, name);
  return i >= 0 ? plan.stages[i]!.traffic : 0;
}

/** The target is the requested stage, or the stage after the current one. */
export function resolveTransition(plan: RolloutPlan, state: RolloutState, requested: string | null): Transition {
  const cur = stageIndex(plan, state.stage);
  const base = { from: state.stage, fromTraffic: trafficOf(plan, state.stage) };
  if (state.stage !== null && cur < 0) {
    return { ...base, to: requested, toTraffic: null, problem: `the state's stage "${state.stage}" is not a stage of this rollout (${names(plan)})` };
  }
  if (requested !== null) {
    const t = stageIndex(plan, requested);
    if (t < 0) return { ...base, to: requested, toTraffic: null, problem: `target "${requested}" is not a stage of this rollout (${names(plan)})` };
    const target = plan.stages[t]!;
    if (t <= cur) {
      return { ...base, to: requested, toTraffic: target.traffic, problem: `target "${requested}" is not ahead of the current stage "${state.stage}"` };
    }
    return { ...base, to: requested, toTraffic: target.traffic, problem: null };
  }
  const next: Stage | undefined = plan.stages[cur + 1];
  if (!next) return { ...base, to: null, toTraffic: null, problem: `already at the final stage "${state.stage}"` };
  return { ...base, to: next.name, toTraffic: next.traffic, problem: null };
}

function names(plan: RolloutPlan): string {
  return plan.stages.map((s) => s.name).join(' → ');
}

/** "paused since 2026-11-30T10:00:00.000Z by ana: reason; resume to continue". */
export function pauseDetail(p: Pause): string {
  return `paused since ${p.at}${p.actor ? ` by ${p.actor}` : ''}: ${p.reason}; resume to continue`;
}

const elapsed = (sinceIso: string | null, nowMs: number) => (sinceIso === null ? null : nowMs - Date.parse(sinceIso));

/** The ramp rules for a promotion. A check that is not configured is not listed. */
export function rampChecks(plan: RolloutPlan, state: RolloutState, transition: Transition, nowMs: number): RampCheck[] {
  const checks: RampCheck[] = [];
  checks.push({
    rule: 'kill_switch',
    ok: !state.killSwitch,
    detail: state.killSwitch ? 'the kill switch is engaged' : 'kill switch off',
  });
  // Listed only while paused: a pause is an exception, not a rule every run checks.
  if (state.paused) checks.push({ rule: 'paused', ok: false, detail: pauseDetail(state.paused) });
  checks.push({
    rule: 'target',
    ok: transition.problem === null,
    detail: transition.problem ?? `${transition.from ?? '(not started)'} → ${transition.to}`,
  });
  const cur = stageIndex(plan, state.stage);
  const current = cur >= 0 ? plan.stages[cur]! : null;
  if (current?.minDurationMs) {
    const inStage = elapsed(state.enteredAt, nowMs);
    const need = formatDuration(current.minDurationMs);
    if (inStage === null || Number.isNaN(inStage)) {
      checks.push({ rule: 'min_duration', ok: false, detail: `the state does not say when "${current.name}" was entered; minimum ${need}` });
    } else {
      const ok = inStage >= current.minDurationMs;
      checks.push({
        rule: 'min_duration',
        ok,
        detail: ok
          ? `in ${current.name} for ${formatDuration(inStage)} (minimum ${need})`
          : `in ${current.name} for ${formatDuration(Math.max(0, inStage))} of the minimum ${need}; ${formatDuration(current.minDurationMs - inStage)} to go`,
      });
    }
  }
  const cooldown = plan.ramp.cooldownAfterRollbackMs;
  if (cooldown && state.lastRollbackAt) {
    const since = elapsed(state.lastRollbackAt, nowMs)!;
    const ok = since >= cooldown;
    checks.push({
      rule: 'cooldown',
      ok,
      detail: ok
        ? `last rollback ${formatDuration(since)} ago (cooldown ${formatDuration(cooldown)})`
        : `last rollback ${formatDuration(Math.max(0, since))} ago; cooldown ${formatDuration(cooldown)} ends in ${formatDuration(cooldown - since)}`,
    });
  }
  if (transition.problem === null && transition.to !== null) {
    const t = stageIndex(plan, transition.to);
    if (t > cur + 1) {
      const skipped = plan.stages.slice(cur + 1, t).map((s) => s.name).join(', ');
      checks.push({
        rule: 'skip',
        ok: plan.ramp.allowSkip,
        detail: plan.ramp.allowSkip ? `skips ${skipped} (allowSkip)` : `skips ${skipped}; the target must be the next stage (set ramp.allowSkip to allow)`,
      });
    }
    const factor = plan.ramp.maxStepFactor;
    if (factor !== null && transition.toTraffic !== null && transition.fromTraffic > 0) {
      const ratio = transition.toTraffic / transition.fromTraffic;
      const ok = transition.toTraffic <= factor * transition.fromTraffic;
      checks.push({
        rule: 'step_factor',
        ok,
        detail: `${transition.fromTraffic}% → ${transition.toTraffic}% is ×${Number(ratio.toFixed(2))} (maximum ×${factor})`,
      });
    }
  }
  return checks;
}
