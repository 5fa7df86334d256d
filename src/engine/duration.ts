/**
 * Durations in the config: positive integers each followed by d, h, m or s, the units from the
 * largest down, each at most once: `90s`, `5m`, `2h`, `1d`, `2h30m`, `1h30m15s`, `1d12h`.
 */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:(\d{1,9})d)?(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?$/;

export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const m = DURATION.exec(t);
  if (!m) return null;
  const [, d, h, mi, s] = m;
  const ms =
    Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(mi ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s;
  return ms > 0 ? ms : null;
}

/**
 * Why a text is not a duration, repeating it, with the nearest form that is one when there is
 * one (`1.5h` → `1h30m`): the message a config or flag error shows.
 */
export function durationError(text: unknown): string {
  const shown = typeof text === 'string' ? JSON.stringify(text) : String(text);
  const base = `expected a duration like "30s", "5m", "2h30m" or "1d" (whole numbers with s, m, h or d), got ${shown}`;
  if (typeof text !== 'string') return base;
  const decimal = /^\s*(\d{1,9}\.\d+)\s*(s|m|h|d)\s*$/.exec(text);
  if (decimal) {
    const ms = Number(decimal[1]) * UNIT_MS[decimal[2] as keyof typeof UNIT_MS];
    if (ms >= 1000 && ms % 1000 === 0) return `${base} (did you mean "${formatDuration(ms, 4)}"?)`;
  }
  if (/^\s*0+\s*[smhd]?\s*$/.test(text) || parseDurationAllowZero(text) === 0) return `expected a duration longer than zero, got ${shown}`;
  const spaced = text.replace(/\s+/g, '').toLowerCase();
  if (spaced !== text.trim() && parseDuration(spaced) !== null) return `${base} (did you mean "${spaced}"?)`;
  return base;
}

function parseDurationAllowZero(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === '') return null;
  return 0 + Number(m[1] ?? 0) + Number(m[2] ?? 0) + Number(m[3] ?? 0) + Number(m[4] ?? 0);
}

/** Milliseconds in the largest units that divide them exactly, up to `maxParts` parts (default two): `2h30m`, `45s`. */
export function formatDuration(ms: number, maxParts = 2): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest === 0) return `${sign}0s`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === maxParts) break;
  }
  return sign + parts.join('');
}

/** A lag: a duration, or "0" / "0s" for none (ms); null when it is neither. */
export function parseLag(text: string): number | null {
  return /^\s*0+[smhd]?\s*$/.test(text) ? 0 : parseDuration(text);
}
