import type { Decision } from '../engine/decide.js';
import type { Gate, RolloutState } from '../engine/model.js';
import { trafficOf } from '../engine/ramp.js';
import { collectObservations } from '../providers/index.js';
import { TOOL_VERSION, type Snapshot } from '../report/snapshot.js';
import type { RunOptions } from './types.js';

export function baseSnapshot(opts: RunOptions, state: RolloutState): Omit<Snapshot, keyof Decision> {
  return {
    schemaVersion: 1,
    tool: { name: 'rollout-gate', version: TOOL_VERSION },
    rollout: opts.config.rollout.name,
    command: opts.command,
    at: new Date(opts.nowMs).toISOString(),
    actor: opts.actor,
    approvers: [],
    dryRun: opts.dryRun === true,
    stateChanged: false,
    stateBefore: state,
    stateAfter: null,
    config: { file: opts.config.file, sha256: opts.config.sha256 },
    context: opts.context,
    evidencePath: null,
  };
}

/** Asks the providers about `gates` for `target`, within the run's deadline. */
export function observe(opts: RunOptions, gates: Gate[], target: string | null, deadlineAt: number | null) {
  const { config } = opts;
  return collectObservations({
    gates,
    providers: config.providers,
    factories: opts.factories,
    nowMs: opts.nowMs,
    target,
    cwd: opts.cwd,
    logger: opts.logger,
    redactor: opts.redactor,
    fetch: opts.fetch,
    defaultTimeoutMs: config.defaults.timeoutMs,
    concurrency: config.defaults.concurrency,
    deadlineAt,
  });
}

/** The decision fields of a run that judges no gate and does not move the rollout. */
export function stayAt(opts: RunOptions, state: RolloutState): Omit<Decision, 'decision' | 'reasons'> {
  const plan = opts.config.rollout;
  const traffic = trafficOf(plan, state.stage);
  return {
    transition: { from: state.stage, to: state.stage, fromTraffic: traffic, toTraffic: traffic, problem: null },
    ramp: [],
    gates: [],
    warnings: [],
    failedGates: [],
    forced: null,
  };
}
