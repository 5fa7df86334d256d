import type { Freeze, ReleaseWindow, Weekday } from '../../src/engine/model.js';

/**
 * A test oracle for release windows: each zone's UTC offsets read off Intl once, as a table of
 * changes, so asking "open at this minute?" is arithmetic. Properties can then check every
 * minute of a 14-day span without calling Intl 20,000 times per run (which blocked a vitest
 * worker for a minute under CI's 10,000 runs). It shares no code with src/engine/calendar.ts:
 * the engine reads weekday and clock through formatToParts, this reads an offset.
 */

const MIN = 60_000;
const DAY = 1440 * MIN;
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The zone's offset from UTC in whole minutes at an instant, from Intl. */
function intlOffset(tz: string, ms: number, f: Intl.DateTimeFormat): number {
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!);
  return Math.round((local - Math.floor(ms / MIN) * MIN) / MIN);
}

export interface ZoneClock {
  /** Local weekday and minute of the day of a whole-minute instant. */
  local(ms: number): { day: Weekday; minute: number };
}

/**
 * Offsets of `tz` over [fromMs, toMs): sampled daily (no zone changes twice in a day), each
 * change pinned to its minute by bisection.
 */
export function zoneClock(tz: string, fromMs: number, toMs: number): ZoneClock {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const starts: number[] = [fromMs];
  const offsets: number[] = [intlOffset(tz, fromMs, f)];
  for (let day = fromMs + DAY; day < toMs + DAY; day += DAY) {
    const off = intlOffset(tz, day, f);
    if (off === offsets[offsets.length - 1]) continue;
    // The first minute in (day − 1 day, day] with the new offset.
    let lo = (day - DAY) / MIN;
    let hi = day / MIN;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (intlOffset(tz, mid * MIN, f) === off) hi = mid;
      else lo = mid;
    }
    starts.push(hi * MIN);
    offsets.push(off);
  }
  return {
    local(ms) {
      if (ms < fromMs || ms >= toMs + DAY) throw new RangeError(`zone clock for ${tz}: ${new Date(ms).toISOString()} is outside the table`);
      let i = starts.length - 1;
      while (starts[i]! > ms) i--;
      const localMin = Math.floor(ms / MIN) + offsets[i]!;
      const dayIndex = Math.floor(localMin / 1440);
      // 1970-01-01 was a Thursday.
      return { day: WEEKDAYS[(((dayIndex + 4) % 7) + 7) % 7]!, minute: ((localMin % 1440) + 1440) % 1440 };
    },
  };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Clocks for every zone the windows name, built once and reused. */
export function calendarOracle(fromMs: number, toMs: number) {
  const clocks = new Map<string, ZoneClock>();
  const clock = (tz: string) => {
    let c = clocks.get(tz);
    if (!c) clocks.set(tz, (c = zoneClock(tz, fromMs, toMs)));
    return c;
  };
  // A window's bounds and days, parsed once per window object: the scan asks 20,000 times a run.
  const parsed = new WeakMap<ReleaseWindow, { start: number; end: number; days: boolean[]; clock: ZoneClock }>();
  const inWindow = (w: ReleaseWindow, ms: number): boolean => {
    let p = parsed.get(w);
    if (!p) parsed.set(w, (p = { start: toMinute(w.start), end: toMinute(w.end), days: WEEKDAYS.map((d) => w.days.includes(d)), clock: clock(w.tz) }));
    const { day, minute } = p.clock.local(ms);
    const d = WEEKDAYS.indexOf(day);
    if (p.start < p.end) return p.days[d]! && minute >= p.start && minute < p.end;
    // Crosses midnight: the part after midnight belongs to the previous day's window.
    return (p.days[d]! && minute >= p.start) || (p.days[(d + 6) % 7]! && minute < p.end);
  };
  const openAt = (windows: readonly ReleaseWindow[], freezes: readonly Freeze[], ms: number): boolean =>
    !freezes.some((f) => ms >= f.fromMs && ms < f.toMs) && (windows.length === 0 || windows.some((w) => inWindow(w, ms)));
  return { inWindow, openAt, local: (tz: string, ms: number) => clock(tz).local(ms) };
}
