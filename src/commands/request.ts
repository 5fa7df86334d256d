import type { Command } from '../report/snapshot.js';
import { UsageError } from './errors.js';

/**
 * One command as every front door hands it over: the CLI's flags, the Action's inputs and a pull
 * request comment all become this, and `checkRequest` judges it once, with one message per
 * mistake whichever door it came through.
 */
export interface CommandRequest {
  command: Command;
  target: string | null;
  force: boolean;
  reason: string | null;
  killSwitch: boolean;
}

/** The commands that decide (as opposed to calibrate and backtest, which only report). */
export const DECISION_COMMANDS: readonly Command[] = ['evaluate', 'promote', 'rollback', 'watch', 'pause', 'resume'];

/** The messages, named so a test can hold each front door to the same text. */
export const RequestMessages = {
  forceWithoutReason: 'force needs a reason (why the HOLD may be overridden)',
  forceWrongCommand: (c: string) => `force goes with evaluate or promote, not ${c}`,
  killSwitchWrongCommand: 'the kill switch goes with rollback',
  pauseWithoutReason: 'pause needs a reason (it is shown on every HOLD until the rollout is resumed)',
  resumeWithoutReason: 'resume needs a reason (why the rollout may go on)',
  noTarget: (c: string, why: string) => `${c} ${why}: it takes no target stage`,
} as const;

/** What a command's request may hold; the state-dependent checks run with the state, in the command's module. */
export function checkRequest(req: CommandRequest): void {
  const reason = req.reason?.trim() ?? '';
  if (req.force && req.command !== 'evaluate' && req.command !== 'promote') throw new UsageError(RequestMessages.forceWrongCommand(req.command));
  if (req.force && !reason) throw new UsageError(RequestMessages.forceWithoutReason);
  if (req.killSwitch && req.command !== 'rollback') throw new UsageError(RequestMessages.killSwitchWrongCommand);
  if (req.command === 'pause' && !reason) throw new UsageError(RequestMessages.pauseWithoutReason);
  if (req.command === 'resume' && !reason) throw new UsageError(RequestMessages.resumeWithoutReason);
  if (req.target !== null) {
    if (req.command === 'pause' || req.command === 'resume') throw new UsageError(RequestMessages.noTarget(req.command, 'does not move the rollout'));
    if (req.command === 'watch') throw new UsageError(RequestMessages.noTarget('watch', 'judges the current stage'));
  }
}

/** `--now` / a replay instant: ISO-8601 only, so a typo never silently evaluates at another time. */
export function parseNow(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw new UsageError(`--now: "${text}" is not an ISO-8601 instant (e.g. 2026-11-22T10:00:00Z)`);
  return ms;
}
