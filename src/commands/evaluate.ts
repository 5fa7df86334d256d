import { decide } from '../engine/decide.js';
import { appliesTo } from '../engine/gates.js';
import type { RolloutState } from '../engine/model.js';
import type { Snapshot } from '../report/snapshot.js';
import { forceRequest } from './authority.js';
import { checkRequest } from './request.js';
import { baseSnapshot, observe } from './snapshot.js';
import type { CommandModule, RunOptions } from './types.js';

/** The gates of the transition current → target, judged by the engine. */
async function judgeTransition(opts: RunOptions, state: RolloutState, deadlineAt: number | null): Promise<Snapshot> {
  const { config } = opts;
  // Ask the providers only for gates that apply to where this run is going.
  const probe = decide({ plan: config.rollout, gates: [], state, target: opts.target, observations: new Map(), nowMs: opts.nowMs });
  const target = probe.transition.to;
  const applicable = probe.transition.problem === null ? config.gates.filter((g) => appliesTo(g, target)) : [];
  opts.logger.info(`${config.rollout.name}: ${state.stage ?? '(not started)'} → ${target ?? '(none)'}; querying ${applicable.length} gate${applicable.length === 1 ? '' : 's'}`);
  const collection = await observe(opts, applicable, target, deadlineAt);
  const decision = decide({
    plan: config.rollout,
    gates: config.gates,
    state,
    target: opts.target,
    observations: collection.observations,
    nowMs: opts.nowMs,
    force: await forceRequest(opts),
    deadlineExceeded: collection.deadlineExceeded,
  });
  const approvers = new Set<string>();
  for (const g of decision.gates) {
    const list = g.detail?.approvers;
    if (Array.isArray(list)) for (const a of list) if (typeof a === 'string') approvers.add(a);
  }
  return { ...baseSnapshot(opts, state), ...decision, approvers: [...approvers].sort() };
}

/** `evaluate`: decide and report; the state never moves. */
export const evaluateCommand: CommandModule = {
  name: 'evaluate',
  judgesGates: true,
  check: checkRequest,
  async judge(opts, state, deadlineAt) {
    return { snapshot: await judgeTransition(opts, state, deadlineAt), next: null, applyBeforeWrite: false };
  },
};

/** `promote`: evaluate, and on PROCEED move to the target stage (apply first, then the state). */
export const promoteCommand: CommandModule = {
  name: 'promote',
  judgesGates: true,
  check: checkRequest,
  async judge(opts, state, deadlineAt) {
    const snapshot = await judgeTransition(opts, state, deadlineAt);
    const next = snapshot.decision === 'PROCEED' ? { ...state, stage: snapshot.transition.to, enteredAt: snapshot.at } : null;
    return { snapshot, next, applyBeforeWrite: true };
  },
};
