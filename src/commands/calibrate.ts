import type { Calibration } from '../calibrate.js';
import { UsageError } from './errors.js';
import { EXIT } from './exit.js';

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

/** `calibrate` succeeds when every gate's history was read; the reports say which could not be and why. */
export function calibrationExit(result: Pick<Calibration, 'gates'>): number {
  return result.gates.some((g) => g.error) ? EXIT.error : EXIT.ok;
}

/** `calibrate`'s arguments: it takes options only. */
export function checkCalibrateArguments(extra: readonly string[]): void {
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (calibrate takes options only)`);
}
