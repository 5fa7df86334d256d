import { judgeWatch, watchedGates } from '../engine/watch.js';
import type { Snapshot } from '../report/snapshot.js';
import { checkRequest } from './request.js';
import { baseSnapshot, observe } from './snapshot.js';
import type { CommandModule } from './types.js';

/**
 * `watch`: the current stage's health, judged on windows clipped to the time since it was entered.
 * A critical failure rolls back (applied after the write), a major one pauses.
 */
export const watchCommand: CommandModule = {
  name: 'watch',
  judgesGates: true,
  check: checkRequest,
  async judge(opts, state, deadlineAt) {
    checkRequest({ command: 'watch', target: opts.target, force: false, reason: null, killSwitch: false });
    const { config } = opts;
    const { gates, clipped } = watchedGates(config.gates, state, opts.nowMs);
    opts.logger.info(`${config.rollout.name}: watching ${state.stage ?? '(not started)'}; querying ${gates.length} gate${gates.length === 1 ? '' : 's'}${clipped.size ? ` (${clipped.size} window${clipped.size === 1 ? '' : 's'} clipped to the time since the stage was entered)` : ''}`);
    const collection = await observe(opts, gates, state.stage, deadlineAt);
    const { action, ...decision } = judgeWatch({
      plan: config.rollout,
      gates,
      clipped,
      state,
      observations: collection.observations,
      nowMs: opts.nowMs,
      policy: config.watch,
      deadlineExceeded: collection.deadlineExceeded,
    });
    const snapshot: Snapshot = { ...baseSnapshot(opts, state), ...decision, approvers: [] };
    const at = snapshot.at;
    const next =
      action.kind === 'rollback'
        ? { ...state, stage: snapshot.transition.to, enteredAt: at, lastRollbackAt: at, killSwitch: state.killSwitch || action.killSwitch }
        : action.kind === 'pause'
          ? { ...state, paused: { at, reason: action.reason, actor: opts.actor } }
          : null;
    return { snapshot, next, applyBeforeWrite: false };
  },
};
