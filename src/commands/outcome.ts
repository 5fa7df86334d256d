import type { DecisionKind } from '../engine/model.js';
import type { Command } from '../report/snapshot.js';
import { commandModule } from './index.js';
import type { RunResult } from './types.js';

import { EXIT } from './exit.js';

export { EXIT };

/** Action input `fail-on`: which verdicts fail the step. */
export type FailOn = 'hold' | 'rollback' | 'never';

/** Whether a verdict counts as a failure under `failOn`; an operator action (rollback, pause, resume) never does. */
export function verdictFails(command: Command, decision: DecisionKind, failOn: FailOn = 'hold'): boolean {
  if (!commandModule(command).judgesGates || failOn === 'never') return false;
  if (failOn === 'rollback') return decision === 'ROLLBACK';
  return decision !== 'PROCEED';
}

/** The exit code of a verdict alone (a replayed snapshot, `explain`). */
export function verdictExit(command: Command, decision: DecisionKind): number {
  if (!verdictFails(command, decision)) return EXIT.ok;
  return decision === 'HOLD' ? EXIT.hold : EXIT.rollback;
}

/**
 * What counts as success for a run, every front door alike: a failed apply, or a state change
 * that could not be written, is an error whatever the verdict; otherwise the verdict decides.
 */
export function runExit(result: Pick<RunResult, 'snapshot' | 'applyError' | 'writeError'>): number {
  if (result.applyError) return EXIT.error;
  // The verdict stands, but a promotion or rollback that did not land is not a success.
  if (result.writeError && result.snapshot.stateAfter) return EXIT.error;
  return verdictExit(result.snapshot.command, result.snapshot.decision);
}
