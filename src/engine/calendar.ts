import type { Freeze, ReleaseWindow, Weekday } from './model.js';

/** Release windows and freezes: when a promotion may happen. Pure: the instant is passed in. */

export interface CalendarVerdict {
  open: boolean;
  detail: string;
  /** When promotions open next (epoch ms), if closed and an opening exists within 14 days. */
  nextOpenMs: number | null;
  freeze: Freeze | null;
}

const DAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local weekday and minute of the day of an instant in a time zone (DST handled by Intl). */
export function localTime(ms: number, tz: string): { day: Weekday; minute: number } {
  let day: Weekday = 'sun';
  let hour = 0;
  let minute = 0;
  for (const part of formatter(tz).formatToParts(ms)) {
    if (part.type === 'weekday') day = part.value.slice(0, 3).toLowerCase() as Weekday;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function inWindow(w: ReleaseWindow, ms: number): boolean {
  const { day, minute } = localTime(ms, w.tz);
  const start = toMinute(w.start);
  const end = toMinute(w.end);
  if (start < end) return w.days.includes(day) && minute >= start && minute < end;
  // Crosses midnight: the part after midnight belongs to the previous day's window.
  const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7]!;
  return (w.days.includes(day) && minute >= start) || (w.days.includes(yesterday) && minute < end);
}

function activeFreeze(freezes: readonly Freeze[], ms: number): Freeze | null {
  return freezes.find((f) => ms >= f.fromMs && ms < f.toMs) ?? null;
}

function isOpen(windows: readonly ReleaseWindow[], freezes: readonly Freeze[], ms: number): boolean {
  return !activeFreeze(freezes, ms) && (windows.length === 0 || windows.some((w) => inWindow(w, ms)));
}

const MINUTE = 60_000;
const HORIZON = 14 * 24 * 60 * MINUTE;
/** The largest shift of local clocks at a DST change (minutes); jumps stay this far from a boundary. */
const MAX_DST_SHIFT = 60;

/** The first minute at or after `fromMs` when promotions are allowed, or null within 14 days. */
export function nextOpening(windows: readonly ReleaseWindow[], freezes: readonly Freeze[], fromMs: number): number | null {
  let t = Math.ceil(fromMs / MINUTE) * MINUTE;
  const end = fromMs + HORIZON;
  while (t <= end) {
    const freeze = activeFreeze(freezes, t);
    if (freeze) {
      t = Math.ceil(freeze.toMs / MINUTE) * MINUTE;
      continue;
    }
    if (isOpen(windows, freezes, t)) return t;
    // Open/closed changes only where a local clock reads a window's start or end: jump towards
    // the nearest such minute, stopping short by the largest DST shift so none is skipped.
    // A clock set back at a DST change reads a boundary it passed within that shift again, so
    // close behind a boundary go minute by minute too.
    let delta = 1440;
    let justPassed = false;
    for (const w of windows) {
      const { minute } = localTime(t, w.tz);
      for (const b of [toMinute(w.start), toMinute(w.end)]) {
        const ahead = ((b - minute + 1440) % 1440) || 1440;
        delta = Math.min(delta, ahead);
        if (1440 - ahead <= MAX_DST_SHIFT) justPassed = true;
      }
    }
    t += (delta > MAX_DST_SHIFT + 1 && !justPassed ? delta - MAX_DST_SHIFT : 1) * MINUTE;
  }
  return null;
}

/** "Mon 09:00 Europe/Berlin": an instant as the people in that window read their clocks. */
function localLabel(ms: number, tz: string): string {
  const { day, minute } = localTime(ms, tz);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${day[0]!.toUpperCase()}${day.slice(1)} ${hh}:${mm} ${tz}`;
}

function describeWindow(w: ReleaseWindow): string {
  return `${w.days.join(',')} ${w.start}-${w.end} ${w.tz}`;
}

export function calendarVerdict(windows: readonly ReleaseWindow[], freezes: readonly Freeze[], nowMs: number): CalendarVerdict {
  const freeze = activeFreeze(freezes, nowMs);
  const inAny = windows.length === 0 || windows.some((w) => inWindow(w, nowMs));
  if (!freeze && inAny) {
    const detail = windows.length === 0 ? 'no release windows configured' : `inside ${describeWindow(windows.find((w) => inWindow(w, nowMs))!)}`;
    return { open: true, detail, nextOpenMs: null, freeze: null };
  }
  const next = nextOpening(windows, freezes, nowMs);
  const utc = (ms: number) => new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
  const opening = windows.find((w) => next !== null && inWindow(w, next));
  const local = opening && next !== null ? ` (${localLabel(next, opening.tz)})` : '';
  const when = next === null ? 'no opening in the next 14 days' : `next opening ${utc(next)}${local}`;
  const detail = freeze
    ? `inside freeze${freeze.reason ? ` "${freeze.reason}"` : ''} until ${utc(freeze.toMs)}; ${when}`
    : `outside every release window (${windows.map(describeWindow).join('; ')}); ${when}`;
  return { open: false, detail, nextOpenMs: next, freeze };
}
