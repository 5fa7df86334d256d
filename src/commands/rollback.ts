import { stageIndex, trafficOf } from '../engine/ramp.js';
import { UsageError } from './errors.js';
import { checkRequest } from './request.js';
import { baseSnapshot } from './snapshot.js';
import type { CommandModule } from './types.js';

/** `rollback`: no gates; back to the previous stage (or the target), always allowed; apply after the write. */
export const rollbackCommand: CommandModule = {
  name: 'rollback',
  judgesGates: false,
  check: checkRequest,
  async judge(opts, state) {
    const plan = opts.config.rollout;
    const cur = stageIndex(plan, state.stage);
    let to: string | null;
    if (opts.target !== null) {
      const t = stageIndex(plan, opts.target);
      if (t < 0) throw new UsageError(`rollback target "${opts.target}" is not a stage of this rollout (${plan.stages.map((s) => s.name).join(', ')})`);
      if (t >= cur) throw new UsageError(`rollback target "${opts.target}" is not behind the current stage "${state.stage ?? '(not started)'}"`);
      to = opts.target;
    } else if (cur >= 0) {
      to = cur > 0 ? plan.stages[cur - 1]!.name : null;
    } else if (state.stage !== null) {
      throw new UsageError(`the state's stage "${state.stage}" is not a stage of this rollout; name the rollback target`);
    } else if (opts.killSwitch) {
      to = null;
    } else {
      throw new UsageError('nothing to roll back: the rollout has not started (use the kill switch to stop it from starting)');
    }
    const reason = `rollback ${state.stage ?? '(not started)'} → ${to ?? '(no traffic)'}${opts.killSwitch ? ' with the kill switch engaged' : ''}${opts.reason?.trim() ? `: ${opts.reason.trim()}` : ''}`;
    const snapshot = {
      ...baseSnapshot(opts, state),
      decision: 'ROLLBACK' as const,
      transition: { from: state.stage, to, fromTraffic: trafficOf(plan, state.stage), toTraffic: trafficOf(plan, to), problem: null },
      ramp: [],
      gates: [],
      reasons: [reason],
      warnings: [],
      failedGates: [],
      forced: null,
    };
    const at = snapshot.at;
    return { snapshot, next: { ...state, stage: to, enteredAt: at, lastRollbackAt: at, killSwitch: state.killSwitch || opts.killSwitch === true }, applyBeforeWrite: false };
  },
};
