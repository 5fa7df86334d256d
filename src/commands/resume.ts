import { pauseDetail } from '../engine/ramp.js';
import type { Snapshot } from '../report/snapshot.js';
import { overrideRefusal } from './authority.js';
import { UsageError } from './errors.js';
import { checkRequest } from './request.js';
import { baseSnapshot, stayAt } from './snapshot.js';
import type { CommandModule } from './types.js';

/**
 * `resume`: clears a pause and releases the kill switch, nothing else. The stage, its entry time
 * and the last rollback stay as they are, so minDuration and the cooldown still apply to the next
 * promotion, which is decided by its gates as usual. The rollout does not move: the decision is HOLD.
 */
export const resumeCommand: CommandModule = {
  name: 'resume',
  judgesGates: false,
  check: checkRequest,
  async judge(opts, state) {
    checkRequest({ command: 'resume', target: opts.target, force: false, reason: opts.reason ?? null, killSwitch: false });
    const reason = opts.reason!.trim();
    if (!state.killSwitch && !state.paused) throw new UsageError('the rollout is neither paused nor stopped by the kill switch: there is nothing to resume');
    const refusal = await overrideRefusal(opts);
    if (refusal) throw new UsageError(`resuming the rollout is an override: ${refusal}`);
    const released = [state.paused ? 'pause cleared' : '', state.killSwitch ? 'kill switch released' : ''].filter(Boolean).join(' and ');
    const ramp: Snapshot['ramp'] = [];
    if (state.killSwitch) ramp.push({ rule: 'kill_switch', ok: true, detail: `kill switch released by ${opts.actor ?? 'unknown'}` });
    if (state.paused) ramp.push({ rule: 'paused', ok: true, detail: `pause cleared by ${opts.actor ?? 'unknown'} (was ${pauseDetail(state.paused).replace(/; resume to continue$/, '')})` });
    const snapshot: Snapshot = {
      ...baseSnapshot(opts, state),
      ...stayAt(opts, state),
      decision: 'HOLD',
      ramp,
      reasons: [`${released} at ${state.stage ?? '(not started)'}: ${reason}; the next promotion is decided by its gates`],
    };
    return { snapshot, next: { ...state, killSwitch: false, paused: null }, applyBeforeWrite: false };
  },
};
