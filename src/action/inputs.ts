import { parseDuration } from '../engine/duration.js';
import { parseExclusion, type ExcludedRange } from '../engine/calibrate.js';
import { Inputs } from './constants.js';
import type { Command } from '../report/snapshot.js';

export interface ActionSettings {
  config: string;
  /** A decision's command, or calibrate (SPEC §7.3: no decision, a calibration of the gates). */
  command: Command | 'calibrate';
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

/** A number input within [min, max]; empty means the default. */
function numberInput(get: GetInput, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  const raw = get(name).trim();
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InputError(`input ${name}: "${raw}" is not ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return n;
}

/** Every input, read once into one typed settings object; empty means the default. */
export function readSettings(get: GetInput): ActionSettings {
  const reason = get(Inputs.Reason).trim();
  const settings: ActionSettings = {
    config: get(Inputs.Config).trim() || '.github/rollout-gate.yml',
    command: choice(get, Inputs.Command, ['evaluate', 'promote', 'rollback', 'watch', 'pause', 'resume', 'calibrate'] as const, 'evaluate'),
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
      days: numberInput(get, Inputs.CalibrateDays, 14, 1, 400, true),
      gates: get(Inputs.CalibrateGates).split(/[,\n]/).map((g) => g.trim()).filter(Boolean),
      failRate: numberInput(get, Inputs.CalibrateFailRate, 0.01, 0, 1, false),
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
  if (settings.force && !settings.reason) throw new InputError(`input ${Inputs.Force}: a forced promotion needs input ${Inputs.Reason}`);
  if (settings.killSwitch && settings.command !== 'rollback') throw new InputError(`input ${Inputs.KillSwitch}: goes with command rollback`);
  if (settings.command === 'resume' && !settings.reason) throw new InputError(`input ${Inputs.Command}: resume needs input ${Inputs.Reason} (why the rollout may go on)`);
  if (settings.command === 'pause' && !settings.reason) throw new InputError(`input ${Inputs.Command}: pause needs input ${Inputs.Reason} (it is shown on every HOLD until the rollout is resumed)`);
  if (settings.force && settings.command !== 'evaluate' && settings.command !== 'promote') throw new InputError(`input ${Inputs.Force}: goes with command evaluate or promote, not ${settings.command}`);
  return settings;
}
