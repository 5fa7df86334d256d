import { parseDuration } from '../engine/duration.js';
import { parseExclusion, type ExcludedRange } from '../engine/calibrate.js';
import { Inputs } from './constants.js';
import type { Command } from '../report/snapshot.js';
import { calibrateNumbers, checkRequest } from '../commands/index.js';

export interface ActionSettings {
  config: string;
  /** A decision's command, or calibrate (SPEC §7.3: no decision, a calibration of the gates). */
  command: Command | 'calibrate' | 'comment' | 'verify';
  /** command verify: a checkout of the ledger branch, relative to the workspace. */
  ledgerPath: string;
  targetStage: string | null;
  token: string;
  failOn: 'hold' | 'rollback' | 'never';
  comment: boolean;
  evidence: 'commit' | 'none';
  force: boolean;
  reason: string | null;
  killSwitch: boolean;
  dryRun: boolean;
  /** The whole run's deadline, overriding the config's `deadline`; null keeps the config's. */
  timeoutMs: number | null;
  /** command calibrate: days of history, the gates (empty: all windowed gates), the target fail rate. */
  calibration: { days: number; gates: string[]; failRate: number; exclude: ExcludedRange[] };
}

/** A wrong input value: the message names the input and what it accepts. */
export class InputError extends Error {}

type GetInput = (name: string) => string;

function choice<T extends string>(get: GetInput, name: string, allowed: readonly T[], fallback: T): T {
  const raw = get(name).trim();
  if (raw === '') return fallback;
  const v = raw.toLowerCase() as T;
  if (!allowed.includes(v)) throw new InputError(`input ${name}: "${raw}" is not one of ${allowed.join(', ')}`);
  return v;
}

function flag(get: GetInput, name: string, fallback: boolean): boolean {
  const raw = get(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(raw)) return true;
  if (['false', 'no', 'off', '0'].includes(raw)) return false;
  throw new InputError(`input ${name}: "${raw}" is not true or false`);
}

function duration(get: GetInput, name: string): number | null {
  const raw = get(name).trim();
  if (raw === '') return null;
  const ms = parseDuration(raw);
  if (ms === null) throw new InputError(`input ${name}: "${raw}" is not a duration (e.g. 90s, 5m, 1h)`);
  return ms;
}

/**
 * Every input, read once into one typed settings object; empty means the default. `eventName`:
 * on `issue_comment` the default command is `comment` (SPEC §8.3).
 */
export function readSettings(get: GetInput, eventName = ''): ActionSettings {
  const defaultCommand = eventName === 'issue_comment' ? 'comment' : 'evaluate';
  const reason = get(Inputs.Reason).trim();
  const settings: ActionSettings = {
    config: get(Inputs.Config).trim() || '.github/rollout-gate.yml',
    command: choice(get, Inputs.Command, ['evaluate', 'promote', 'rollback', 'watch', 'pause', 'resume', 'calibrate', 'comment', 'verify'] as const, defaultCommand),
    ledgerPath: get(Inputs.LedgerPath).trim() || 'rollout-ledger',
    targetStage: get(Inputs.TargetStage).trim() || null,
    token: get(Inputs.GithubToken).trim(),
    failOn: choice(get, Inputs.FailOn, ['hold', 'rollback', 'never'] as const, 'hold'),
    comment: flag(get, Inputs.Comment, true),
    evidence: choice(get, Inputs.Evidence, ['commit', 'none'] as const, 'commit'),
    force: flag(get, Inputs.Force, false),
    reason: reason || null,
    killSwitch: flag(get, Inputs.KillSwitch, false),
    dryRun: flag(get, Inputs.DryRun, false),
    timeoutMs: duration(get, Inputs.Timeout),
    calibration: {
      ...calibrateNumbers({ days: get(Inputs.CalibrateDays), failRate: get(Inputs.CalibrateFailRate) }),
      gates: get(Inputs.CalibrateGates).split(/[,\n]/).map((g) => g.trim()).filter(Boolean),
      exclude: get(Inputs.CalibrateExclude).split(/[,\n]/).map((r) => r.trim()).filter(Boolean).map((raw) => {
        const r = parseExclusion(raw);
        if (typeof r === 'string') throw new InputError(`input ${Inputs.CalibrateExclude}: ${r}`);
        return r;
      }),
    },
  };
  if (settings.command !== 'calibrate') {
    // A calibration setting on a decision would be silently ignored: say so instead.
    for (const name of [Inputs.CalibrateDays, Inputs.CalibrateGates, Inputs.CalibrateFailRate, Inputs.CalibrateExclude]) {
      if (get(name).trim() !== '') throw new InputError(`input ${name}: goes with command calibrate, not ${settings.command}`);
    }
  }
  // The command's own rules (force needs a reason, the kill switch goes with rollback…): one check for every front door.
  if (settings.command !== 'calibrate' && settings.command !== 'comment' && settings.command !== 'verify') {
    checkRequest({ command: settings.command, target: settings.targetStage, force: settings.force, reason: settings.reason, killSwitch: settings.killSwitch });
  }
  return settings;
}
