import type { Command } from '../report/snapshot.js';
import { evaluateCommand, promoteCommand } from './evaluate.js';
import { pauseCommand } from './pause.js';
import { resumeCommand } from './resume.js';
import { rollbackCommand } from './rollback.js';
import { runTransaction } from './transaction.js';
import type { CommandModule, RunOptions, RunResult } from './types.js';
import { watchCommand } from './watch.js';

/**
 * Every command that decides, by name: a transaction on the state (read, judge, effects, write).
 * A new one is one module and one line here. Commands that only report (calibrate, backtest, and a
 * ledger check such as verify) are modules beside these: their request check and their exit.
 */
const COMMANDS: Record<Command, CommandModule> = {
  evaluate: evaluateCommand,
  promote: promoteCommand,
  rollback: rollbackCommand,
  pause: pauseCommand,
  resume: resumeCommand,
  watch: watchCommand,
};

export function commandModule(name: Command): CommandModule {
  const m = COMMANDS[name];
  if (!m) throw new Error(`no command module "${name}"`);
  return m;
}

/** Runs one command: what the CLI, the Action and a pull request comment all call. */
export function runCommand(opts: RunOptions): Promise<RunResult> {
  return runTransaction(commandModule(opts.command), opts);
}

export { UsageError } from './errors.js';
export { checkRequest, DECISION_COMMANDS, parseNow, RequestMessages, type CommandRequest } from './request.js';
export { calibrateNumbers, calibrationExit, checkCalibrateArguments, CALIBRATE_MAX_DAYS } from './calibrate.js';
export { BACKTEST_EXIT, checkBacktest } from './backtest.js';
export type { CommandModule, Judgment, RunOptions, RunResult } from './types.js';
