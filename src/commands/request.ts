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

/**
 * Calibrate's history length. One limit for every front door (the CLI once allowed 3650 days and
 * the Action 400): 400 days covers a year of seasonality, and beyond ~13 months the hosted stores
 * either no longer keep the data (Datadog 15 months) or keep it only coarser than a gate judges
 * (CloudWatch: 1-hour points after 63 days), while the chunked reads grow with every day asked for.
 */
export const CALIBRATE_MAX_DAYS = 400;

export const CalibrateMessages = {
  days: (raw: string) => `days: "${raw}" is not a whole number of days from 1 to ${CALIBRATE_MAX_DAYS} (e.g. 14)`,
  failRate: (raw: string) => `fail rate: "${raw}" is not a fraction from 0 to 1 (e.g. 0.01 for 1% of windows)`,
} as const;

/** `calibrate`'s numbers as text (a flag, an input), checked once for every front door. */
export function calibrateNumbers(raw: { days?: string; failRate?: string }): { days: number; failRate: number } {
  const read = (text: string | undefined, fallback: number, ok: (n: number) => boolean, message: (s: string) => string) => {
    if (text === undefined || text.trim() === '') return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || !ok(n)) throw new UsageError(message(text));
    return n;
  };
  return {
    days: read(raw.days, 14, (n) => Number.isInteger(n) && n >= 1 && n <= CALIBRATE_MAX_DAYS, CalibrateMessages.days),
    failRate: read(raw.failRate, 0.01, (n) => n >= 0 && n <= 1, CalibrateMessages.failRate),
  };
}
