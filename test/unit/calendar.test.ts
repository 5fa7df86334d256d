import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarVerdict, inWindow, localTime, nextOpening } from '../../src/engine/calendar.js';
import type { Freeze, ReleaseWindow, Weekday } from '../../src/engine/model.js';
import { yieldingProperty } from '../support/property.js';
import { calendarOracle } from '../support/zone-clock.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = process.env.CI ? 42 : undefined;

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const win = (days: Weekday[], start: string, end: string, tz: string): ReleaseWindow => ({ days, start, end, tz });
const freeze = (from: string, to: string, reason: string | null = null): Freeze => ({ fromMs: at(from), toMs: at(to), reason });
/** Open at an instant, judged from inWindow and the freezes alone (cheaper than a whole verdict). */
const openAt = (windows: ReleaseWindow[], freezes: Freeze[], ms: number) =>
  !freezes.some((f) => ms >= f.fromMs && ms < f.toMs) && (windows.length === 0 || windows.some((w) => inWindow(w, ms)));
/** Minutes in [fromMs, toMs) during which promotions are open. */
const openMinutes = (windows: ReleaseWindow[], freezes: Freeze[], fromMs: number, toMs: number) => {
  let n = 0;
  for (let t = fromMs; t < toMs; t += MIN) if (openAt(windows, freezes, t)) n++;
  return n;
};

const berlinOffice = win(['mon', 'tue', 'wed', 'thu'], '09:00', '16:00', 'Europe/Berlin');
const newYorkOffice = win(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '17:00', 'America/New_York');

describe('inWindow across DST changes', () => {
  it.each<[string, ReleaseWindow, string, boolean]>([
    // Berlin: CET (UTC+1) until 2026-03-29, CEST (UTC+2) until 2026-10-25, then CET again.
    ['Berlin, winter Monday 09:00 CET', berlinOffice, '2026-03-23T08:00:00Z', true],
    ['Berlin, winter Monday 08:59 CET', berlinOffice, '2026-03-23T07:59:00Z', false],
    ['Berlin, winter Monday 08:00 CET (09:00 UTC+2 would be wrong)', berlinOffice, '2026-03-23T07:00:00Z', false],
    ['Berlin, Monday after the spring change 09:00 CEST', berlinOffice, '2026-03-30T07:00:00Z', true],
    ['Berlin, Monday after the spring change 08:59 CEST', berlinOffice, '2026-03-30T06:59:00Z', false],
    ['Berlin, Monday after the spring change 15:59 CEST', berlinOffice, '2026-03-30T13:59:00Z', true],
    ['Berlin, Monday after the spring change 16:00 CEST', berlinOffice, '2026-03-30T14:00:00Z', false],
    ['Berlin, Monday before the autumn change 09:00 CEST', berlinOffice, '2026-10-19T07:00:00Z', true],
    ['Berlin, Monday after the autumn change 08:00 CET', berlinOffice, '2026-10-26T07:00:00Z', false],
    ['Berlin, Monday after the autumn change 09:00 CET', berlinOffice, '2026-10-26T08:00:00Z', true],
    ['Berlin, Monday after the autumn change 15:59 CET', berlinOffice, '2026-10-26T14:59:00Z', true],
    ['Berlin, Friday is not a window day', berlinOffice, '2026-10-30T10:00:00Z', false],
    // New York: EST (UTC-5) until 2026-03-08, EDT (UTC-4) until 2026-11-01, then EST.
    ['New York, winter Monday 09:00 EST', newYorkOffice, '2026-03-02T14:00:00Z', true],
    ['New York, winter Monday 08:00 EST', newYorkOffice, '2026-03-02T13:00:00Z', false],
    ['New York, Monday after the spring change 09:00 EDT', newYorkOffice, '2026-03-09T13:00:00Z', true],
    ['New York, Monday after the spring change 08:59 EDT', newYorkOffice, '2026-03-09T12:59:00Z', false],
    ['New York, Monday after the spring change 16:59 EDT', newYorkOffice, '2026-03-09T20:59:00Z', true],
    ['New York, Monday after the spring change 17:00 EDT', newYorkOffice, '2026-03-09T21:00:00Z', false],
    ['New York, Friday before the autumn change 16:59 EDT', newYorkOffice, '2026-10-30T20:59:00Z', true],
    ['New York, Monday after the autumn change 08:59 EST', newYorkOffice, '2026-11-02T13:59:00Z', false],
    ['New York, Monday after the autumn change 09:00 EST', newYorkOffice, '2026-11-02T14:00:00Z', true],
    ['New York, Monday after the autumn change 17:00 EST', newYorkOffice, '2026-11-02T22:00:00Z', false],
    ['New York, Saturday', newYorkOffice, '2026-11-07T15:00:00Z', false],
  ])('%s', (_name, w, instant, expected) => {
    expect(inWindow(w, at(instant))).toBe(expected);
  });

  it.each<[string, ReleaseWindow, string, number]>([
    // A window of three local hours on the change day lasts 2 real hours in spring, 4 in autumn.
    ['Berlin spring-forward night', win(['sun'], '01:00', '04:00', 'Europe/Berlin'), '2026-03-28T22:00:00Z', 2 * 60],
    ['Berlin fall-back night', win(['sun'], '01:00', '04:00', 'Europe/Berlin'), '2026-10-24T22:00:00Z', 4 * 60],
    ['New York spring-forward night', win(['sun'], '01:00', '03:00', 'America/New_York'), '2026-03-08T04:00:00Z', 1 * 60],
    ['New York fall-back night', win(['sun'], '01:00', '03:00', 'America/New_York'), '2026-11-01T04:00:00Z', 3 * 60],
  ])('%s: the window counts real minutes of the local clock', (_name, w, fromIso, minutes) => {
    expect(openMinutes([w], [], at(fromIso), at(fromIso) + D)).toBe(minutes);
  });

  it('localTime follows the zone offset on both sides of a change', () => {
    expect(localTime(at('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toEqual({ day: 'sun', minute: 1 * 60 + 59 });
    expect(localTime(at('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toEqual({ day: 'sun', minute: 3 * 60 });
    expect(localTime(at('2026-11-01T05:59:00Z'), 'America/New_York')).toEqual({ day: 'sun', minute: 1 * 60 + 59 });
    expect(localTime(at('2026-11-01T06:00:00Z'), 'America/New_York')).toEqual({ day: 'sun', minute: 1 * 60 });
    expect(localTime(at('2026-11-22T23:30:00Z'), 'Asia/Kolkata')).toEqual({ day: 'mon', minute: 5 * 60 });
  });
});

describe('windows crossing midnight and days', () => {
  // Friday night 22:00 → Saturday 02:00, Berlin time (CET in November: UTC+1).
  const fridayNight = win(['fri'], '22:00', '02:00', 'Europe/Berlin');
  it.each<[string, string, boolean]>([
    ['Friday 21:59', '2026-11-20T20:59:00Z', false],
    ['Friday 22:00', '2026-11-20T21:00:00Z', true],
    ['Friday 23:59', '2026-11-20T22:59:00Z', true],
    ['Saturday 00:00', '2026-11-20T23:00:00Z', true],
    ['Saturday 01:30', '2026-11-21T00:30:00Z', true],
    ['Saturday 01:59', '2026-11-21T00:59:00Z', true],
    ['Saturday 02:00', '2026-11-21T01:00:00Z', false],
    ['Saturday 22:30 (Saturday is not a window day)', '2026-11-21T21:30:00Z', false],
    ['Friday 01:30 (Thursday night is not a window)', '2026-11-20T00:30:00Z', false],
  ])('fri 22:00–02:00 at %s', (_name, instant, expected) => {
    expect(inWindow(fridayNight, at(instant))).toBe(expected);
  });

  it('a window ending at midnight covers the last minute of the day only', () => {
    const w = win(['sun'], '23:00', '00:00', 'UTC');
    expect(inWindow(w, at('2026-11-22T23:59:00Z'))).toBe(true);
    expect(inWindow(w, at('2026-11-23T00:00:00Z'))).toBe(false);
    expect(inWindow(w, at('2026-11-22T22:59:00Z'))).toBe(false);
  });

  it('the days filter uses the local day, not the UTC day', () => {
    // 23:30 UTC Sunday is 08:30 Monday in Tokyo.
    const tokyoMonday = win(['mon'], '08:00', '09:00', 'Asia/Tokyo');
    expect(inWindow(tokyoMonday, at('2026-11-22T23:30:00Z'))).toBe(true);
    expect(inWindow(tokyoMonday, at('2026-11-23T23:30:00Z'))).toBe(false);
    const utcTuesday = win(['tue'], '09:00', '10:00', 'UTC');
    expect(openMinutes([utcTuesday], [], at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z'))).toBe(60);
  });

  it('several windows: open inside any of them', () => {
    const windows = [win(['mon'], '09:00', '10:00', 'UTC'), win(['mon'], '14:00', '15:00', 'UTC')];
    expect(calendarVerdict(windows, [], at('2026-11-23T14:30:00Z')).open).toBe(true);
    expect(calendarVerdict(windows, [], at('2026-11-23T12:00:00Z'))).toMatchObject({ open: false, nextOpenMs: at('2026-11-23T14:00:00Z') });
  });
});

describe('freezes', () => {
  const holiday = freeze('2026-12-20T00:00:00Z', '2027-01-04T00:00:00Z', 'holiday freeze');

  it.each<[string, string, boolean]>([
    ['just before', '2026-12-19T23:59:00Z', true],
    ['at the start', '2026-12-20T00:00:00Z', false],
    ['inside', '2026-12-24T12:00:00Z', false],
    ['one minute before the end', '2027-01-03T23:59:00Z', false],
    ['at the end', '2027-01-04T00:00:00Z', true],
  ])('a freeze with no windows: %s', (_name, instant, open) => {
    expect(calendarVerdict([], [holiday], at(instant)).open).toBe(open);
  });

  it('inside a freeze the verdict is closed, names the freeze, and the next opening is its end', () => {
    const v = calendarVerdict([], [holiday], at('2026-12-24T12:00:00Z'));
    expect(v).toMatchObject({ open: false, freeze: holiday, nextOpenMs: at('2027-01-04T00:00:00Z') });
    expect(v.detail).toContain('inside freeze "holiday freeze"');
    expect(v.detail).toContain('next opening 2027-01-04T00:00Z');
  });

  it('a freeze closes a window it overlaps', () => {
    const v = calendarVerdict([berlinOffice], [freeze('2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')], at('2026-11-23T10:00:00Z'));
    expect(v.open).toBe(false);
  });

  it.each<[string, Freeze[], string, string]>([
    // Mon 2027-01-04 00:00Z is 01:00 in Berlin: the window opens at 09:00 CET.
    ['the holiday freeze ends at night: the next window start', [holiday], '2026-12-22T10:00:00Z', '2027-01-04T08:00:00Z'],
    ['a freeze ending inside a window: the freeze end, to the minute', [freeze('2026-11-23T00:00:00Z', '2026-11-24T10:30:00Z')], '2026-11-23T09:00:00Z', '2026-11-24T10:30:00Z'],
    ['a freeze ending mid-minute: the next whole minute', [freeze('2026-11-23T00:00:00Z', '2026-11-24T10:30:20Z')], '2026-11-23T09:00:00Z', '2026-11-24T10:31:00Z'],
    ['a freeze ending after the window: the next day', [freeze('2026-11-23T00:00:00Z', '2026-11-24T18:00:00Z')], '2026-11-23T09:00:00Z', '2026-11-25T08:00:00Z'],
    ['back-to-back freezes', [freeze('2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z'), freeze('2026-11-24T00:00:00Z', '2026-11-25T12:00:00Z')], '2026-11-23T09:00:00Z', '2026-11-25T12:00:00Z'],
  ])('the next opening after a freeze respects the windows: %s', (_name, freezes, fromIso, expected) => {
    expect(iso(nextOpening([berlinOffice], freezes, at(fromIso)))).toBe(iso(at(expected)));
  });
});

describe('nextOpening', () => {
  it.each<[string, ReleaseWindow[], string, string]>([
    ['Thursday 16:30 Berlin → Monday 09:00 Berlin', [berlinOffice], '2026-11-19T15:30:00Z', '2026-11-23T08:00:00Z'],
    ['Thursday 16:30 CEST → Monday 09:00 CET, across the autumn change', [berlinOffice], '2026-10-22T14:30:00Z', '2026-10-26T08:00:00Z'],
    ['Thursday 16:30 CET → Monday 09:00 CEST, across the spring change', [berlinOffice], '2026-03-26T15:30:00Z', '2026-03-30T07:00:00Z'],
    ['Friday 17:30 EDT → Monday 09:00 EST, across the autumn change', [newYorkOffice], '2026-10-30T21:30:00Z', '2026-11-02T14:00:00Z'],
    ['Friday 17:30 EST → Monday 09:00 EDT, across the spring change', [newYorkOffice], '2026-03-06T22:30:00Z', '2026-03-09T13:00:00Z'],
    ['Monday 08:59:30 Berlin → 09:00 the same day', [berlinOffice], '2026-11-23T07:59:30Z', '2026-11-23T08:00:00Z'],
    ['a five-minute window is found', [win(['wed'], '12:00', '12:05', 'America/New_York')], '2026-11-23T00:00:00Z', '2026-11-25T17:00:00Z'],
    ['a one-minute window is found', [win(['sat'], '03:17', '03:18', 'Asia/Kolkata')], '2026-11-22T00:00:00Z', '2026-11-27T21:47:00Z'],
    ['the earliest of two windows in different zones', [berlinOffice, newYorkOffice], '2026-11-20T15:30:00Z', '2026-11-20T15:30:00Z'],
    ['a window starting in the hour skipped in spring opens when the clock jumps', [win(['sun'], '02:30', '05:00', 'Europe/Berlin')], '2026-03-28T23:00:00Z', '2026-03-29T01:00:00Z'],
    // Saturday night until 02:30 Berlin: on 2026-10-25 the clock goes from 03:00 CEST back to 02:00 CET,
    // so after closing at 02:30 CEST the window is open again from 02:00 to 02:30 CET.
    ['a window ending in the hour repeated in autumn opens again when the clock goes back', [win(['sat'], '22:00', '02:30', 'Europe/Berlin')], '2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z'],
    ['New York: closed at 01:30 EDT, open again at 01:00 EST', [win(['sun'], '00:00', '01:30', 'America/New_York')], '2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z'],
  ])('%s', (_name, windows, fromIso, expected) => {
    expect(iso(nextOpening(windows, [], at(fromIso)))).toBe(iso(at(expected)));
  });

  it('no windows: always open, the next opening is now (rounded up to the minute)', () => {
    expect(calendarVerdict([], [], at('2026-11-22T03:00:00Z'))).toEqual({ open: true, detail: 'no release windows configured', nextOpenMs: null, freeze: null });
    expect(nextOpening([], [], at('2026-11-22T03:00:00Z'))).toBe(at('2026-11-22T03:00:00Z'));
    expect(nextOpening([], [], at('2026-11-22T03:00:01Z'))).toBe(at('2026-11-22T03:01:00Z'));
  });

  it('no opening within 14 days is null, and the verdict says so', () => {
    const longFreeze = freeze('2026-11-01T00:00:00Z', '2026-12-31T00:00:00Z', 'migration');
    expect(nextOpening([berlinOffice], [longFreeze], at('2026-11-22T12:00:00Z'))).toBeNull();
    const v = calendarVerdict([berlinOffice], [longFreeze], at('2026-11-22T12:00:00Z'));
    expect(v).toMatchObject({ open: false, nextOpenMs: null });
    expect(v.detail).toContain('no opening in the next 14 days');
  });

  it('the verdict outside every window names the windows and the next opening', () => {
    const v = calendarVerdict([berlinOffice], [], at('2026-11-19T15:30:00Z'));
    expect(v).toMatchObject({ open: false, freeze: null, nextOpenMs: at('2026-11-23T08:00:00Z') });
    expect(v.detail).toBe('outside every release window (mon,tue,wed,thu 09:00-16:00 Europe/Berlin); next opening 2026-11-23T08:00Z (Mon 09:00 Europe/Berlin)');
  });

  it('the verdict inside a window names it', () => {
    expect(calendarVerdict([newYorkOffice, berlinOffice], [], at('2026-11-23T08:30:00Z'))).toEqual({
      open: true,
      detail: 'inside mon,tue,wed,thu 09:00-16:00 Europe/Berlin',
      nextOpenMs: null,
      freeze: null,
    });
  });

  describe('property: the next opening is open, and every earlier minute back to t is closed', () => {
    const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham'];
    const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    // DST changes of 2026 in the zones above; instants are drawn near them as often as anywhere else.
    const CHANGES = ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-04-04T16:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T16:00:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z'].map(at);
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 0, 15, 30, 45, 1, 59)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const windowArb = fc
      .record({ days: fc.subarray(DAYS, { minLength: 1 }), start: hhmm, end: hhmm, tz: fc.constantFrom(...ZONES) })
      .filter((w) => w.start !== w.end);
    const instant = fc.oneof(
      fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') }),
      fc.tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -3 * D, max: 3 * D })).map(([c, d]) => c + d),
    );
    const freezeArb = fc.tuple(fc.integer({ min: -2 * D, max: 5 * D }), fc.integer({ min: MIN, max: 4 * D })).map(([s, len]) => [s, len] as const);

    // Every minute is checked against a table-driven oracle (offsets read off Intl once), not the
    // engine's own inWindow, so a run costs arithmetic instead of 20,000 Intl calls.
    const oracle = calendarOracle(at('2025-12-01T00:00:00Z'), at('2028-02-01T00:00:00Z'));

    it('the oracle agrees with the engine\'s local clock and inWindow at any instant', async () => {
      await fc.assert(
        yieldingProperty(windowArb, instant, (w, t0) => {
          const m = Math.floor(t0 / MIN) * MIN;
          expect(oracle.local(w.tz, m), `${w.tz} at ${iso(m)}`).toEqual(localTime(m, w.tz));
          expect(oracle.inWindow(w, m)).toBe(inWindow(w, m));
        }),
        { numRuns: runs, seed },
      );
    });

    it('holds for random instants, windows and freezes', async () => {
      await fc.assert(
        yieldingProperty(fc.array(windowArb, { minLength: 0, maxLength: 3 }), fc.array(freezeArb, { maxLength: 2 }), instant, fc.integer({ min: 0, max: 59_999 }), (windows, fr, t0, jitter) => {
          const t = t0 + jitter;
          const freezes: Freeze[] = fr.map(([s, len]) => ({ fromMs: t + s, toMs: t + s + len, reason: null }));
          const next = nextOpening(windows, freezes, t);
          const first = Math.ceil(t / MIN) * MIN;
          const end = next ?? t + 14 * D;
          if (next !== null) {
            expect(next % MIN).toBe(0);
            expect(next).toBeGreaterThanOrEqual(t);
            expect(calendarVerdict(windows, freezes, next).open).toBe(true);
          }
          // Every minute before it is closed (expect() only on a failure: it is the slow part).
          for (let m = first; m < end; m += MIN) {
            if (oracle.openAt(windows, freezes, m)) expect.fail(`open at ${iso(m)}, before ${iso(next)}`);
          }
        }),
        { numRuns: runs, seed },
      );
    });

    // Autumn changes: the zone, the instant, the first local minute read twice, and how long the clock goes back.
    const FALL_BACKS = [
      { tz: 'Europe/Berlin', change: at('2026-10-25T01:00:00Z'), repeated: 2 * 60, shift: 60 },
      { tz: 'America/New_York', change: at('2026-11-01T06:00:00Z'), repeated: 1 * 60, shift: 60 },
      { tz: 'Australia/Sydney', change: at('2026-04-04T16:00:00Z'), repeated: 2 * 60, shift: 60 },
      { tz: 'Australia/Lord_Howe', change: at('2026-04-04T15:00:00Z'), repeated: 1 * 60 + 30, shift: 30 },
    ];
    const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

    it('holds around an autumn change for windows with a boundary in the repeated hour', async () => {
      await fc.assert(
        yieldingProperty(
          fc.constantFrom(...FALL_BACKS),
          fc.integer({ min: 0, max: 1439 }),
          fc.integer({ min: 0, max: 59 }),
          fc.boolean(),
          fc.subarray(DAYS, { minLength: 1 }),
          fc.integer({ min: -3 * 60, max: 3 * 60 }),
          ({ tz, change, repeated, shift }, other, into, endInside, days, offset) => {
            const inside = repeated + (into % shift);
            const [start, end] = endInside ? [other, inside] : [inside, other];
            if (start === end) return;
            const w = win(days.includes('sun') ? days : [...days, 'sun'], clock(start), clock(end), tz);
            const t = change + offset * MIN;
            const next = nextOpening([w], [], t);
            if (next === null) return;
            expect(inWindow(w, next)).toBe(true);
            for (let m = Math.ceil(t / MIN) * MIN; m < next && m < t + 26 * H; m += MIN) {
              if (oracle.inWindow(w, m)) expect.fail(`open at ${iso(m)}, before ${iso(next)}`);
            }
          },
        ),
        { numRuns: Math.max(1, Math.round(runs / 5)), seed },
      );
    });
  });
});
