import { pauseDetail } from '../engine/ramp.js';
import { UsageError } from './errors.js';
import { checkRequest } from './request.js';
import { baseSnapshot, stayAt } from './snapshot.js';
import type { CommandModule } from './types.js';

/** `pause`: the rollout stays where it is, and every evaluate and promote HOLDs, until `resume`. */
export const pauseCommand: CommandModule = {
  name: 'pause',
  judgesGates: false,
  check: checkRequest,
  async judge(opts, state) {
    checkRequest({ command: 'pause', target: opts.target, force: false, reason: opts.reason ?? null, killSwitch: false });
    const reason = opts.reason!.trim();
    if (state.paused) throw new UsageError(`the rollout is already ${pauseDetail(state.paused)}`);
    const snapshot = {
      ...baseSnapshot(opts, state),
      ...stayAt(opts, state),
      decision: 'HOLD' as const,
      reasons: [`paused at ${state.stage ?? '(not started)'} by ${opts.actor ?? 'an unnamed actor'}: ${reason}`],
    };
    return { snapshot, next: { ...state, paused: { at: snapshot.at, reason, actor: opts.actor } }, applyBeforeWrite: false };
  },
};
