import type { RolloutState } from '../engine/model.js';
import { fmt } from '../engine/windows.js';
// The senders load only when a config has `apply` or `notify`: a run without them does not pay for them.
import type { NotifyEvent, NotifyOutcome, StateChange } from '../notify/index.js';
import type { Snapshot } from '../report/snapshot.js';
import type { WriteResult } from '../state/types.js';
import type { RunOptions } from './types.js';

/** Calls `apply` for the stage `state` is in; the error (named, redacted) or null. */
export async function applyFor(opts: RunOptions, state: RolloutState, reason: string | null): Promise<Error | null> {
  const apply = opts.config.apply!;
  const stage = opts.config.rollout.stages.find((s) => s.name === state.stage) ?? null;
  try {
    const { applyStage } = await import('../notify/apply.js');
    const r = await applyStage(
      apply,
      { rollout: opts.config.rollout.name, stage: state.stage, traffic: stage?.traffic ?? 0, flags: stage?.flags ?? {}, killSwitch: state.killSwitch, reason: reason ?? '' },
      { fetch: opts.fetch, redactor: opts.redactor, logger: opts.logger },
    );
    opts.logger.info(`apply: ${state.stage ?? '(no traffic)'} at ${stage?.traffic ?? 0}% applied (HTTP ${r.status})`);
    return null;
  } catch (e) {
    const error = new Error(opts.redactor.redact(e instanceof Error ? e.message : String(e)));
    error.name = 'ApplyError';
    return error;
  }
}

/** What changed, for notifications: null when the run changed no state. */
export function stateChange(s: Snapshot, before: RolloutState): StateChange | null {
  if (!s.stateChanged || !s.stateAfter) return null;
  const after = s.stateAfter;
  if (after.killSwitch && !before.killSwitch) return 'kill-switch';
  if (s.command === 'resume') return 'resumed';
  if (after.paused && !before.paused) return 'paused';
  if (after.stage !== before.stage) return s.command === 'promote' ? 'promoted' : 'rolled-back';
  return null;
}

/** What the run's effects report back. */
export interface Effects {
  applyError: Error | null;
  notifications: NotifyOutcome[];
}

/** Whether this run has effects after its decision: a rollback (or released kill switch) to apply, or notifications. */
export function hasEffects(opts: RunOptions, s: Snapshot, before: RolloutState): boolean {
  return opts.config.notify.length > 0 || appliesAfterDecision(opts, s, before) !== null;
}

/** The change `apply` is called for after the decision, or null. */
function appliesAfterDecision(opts: RunOptions, s: Snapshot, before: RolloutState): StateChange | null {
  const change = stateChange(s, before);
  if (!opts.config.apply || !s.stateAfter || !s.stateChanged) return null;
  return change === 'rolled-back' || change === 'kill-switch' || (change === 'resumed' && before.killSwitch) ? change : null;
}

/**
 * After the state change is committed (or when there is none): a rollback (or a released kill
 * switch) is applied (the rollback stands whatever the answer), then the notifications go out.
 * Neither changes the decision; a failure is a warning of the snapshot, which the evidence,
 * written after this, records. A failed apply makes the run fail.
 */
export async function runEffects(opts: RunOptions, s: Snapshot, before: RolloutState, out: Effects, stateWrite: WriteResult | null): Promise<void> {
  const { config } = opts;
  const change = stateChange(s, before);
  if (appliesAfterDecision(opts, s, before) !== null) {
    out.applyError = await applyFor(opts, s.stateAfter!, s.reasons[0] ?? null);
    if (out.applyError) s.warnings.push(`${out.applyError.message}; the ${change === 'resumed' ? 'resume' : 'rollback'} stands`);
  }
  if (config.notify.length === 0) return;
  const event: NotifyEvent = {
    rollout: s.rollout,
    command: s.command,
    decision: s.decision,
    from: s.transition.from,
    to: s.transition.to,
    at: s.at,
    stateChanged: s.stateChanged,
    change,
    failedGates: s.failedGates,
    failures: s.gates
      .filter((g) => !g.shadow && (g.effect === 'hold' || g.effect === 'rollback'))
      .map((g) => ({ name: g.name, severity: g.severity, value: g.status === 'query_error' ? 'query error' : g.value === null ? 'no data' : fmt(g.value), condition: g.condition ?? '', reason: g.reason })),
    reasons: s.reasons,
    warnings: [...s.warnings],
    // The commit that changed the state; the evidence follows it on the ledger.
    evidence: (stateWrite && opts.evidenceUrl?.(stateWrite)) ?? s.evidencePath,
    runUrl: s.context.runUrl,
  };
  const { notifyAll, notifyWarning } = await import('../notify/send.js');
  out.notifications = await notifyAll(config.notify, event, { fetch: opts.fetch, redactor: opts.redactor, logger: opts.logger });
  for (const o of out.notifications) if (!o.ok) s.warnings.push(notifyWarning(o));
}
