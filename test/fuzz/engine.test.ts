import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarVerdict, inWindow } from '../../src/engine/calendar.js';
import { holds, parseCondition, type Condition, type Operator } from '../../src/engine/conditions.js';
import { formatDuration, parseDuration } from '../../src/engine/duration.js';
import { compareSamples, comparisonFails } from '../../src/engine/compare.js';
import { evaluateGate, type GateObservation } from '../../src/engine/gates.js';
import type { Freeze, Gate, ReleaseWindow, Sample, Weekday } from '../../src/engine/model.js';
import { judgeSamples } from '../../src/engine/windows.js';
import { gate, NOW, NOW_S } from '../support/fixtures.js';
import { fuzz, STACK } from './settings.js';
import { yieldingProperty } from '../support/property.js';

const OPS: Operator[] = ['<', '<=', '>', '>=', '==', '!='];
const COMPLEMENT: Record<Operator, Operator> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };
const anyNumber = fc.oneof(fc.double(), fc.integer({ min: -5, max: 5 }), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0));
const numericCondition = fc.tuple(fc.constantFrom(...OPS), fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }))).map(([op, n]) => parseCondition(`${op} ${n}`));
const relativeCondition = fc.tuple(fc.constantFrom(...OPS), fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 300 })).map(([op, s, n]) => parseCondition(`${op} ${s}${n}%`));
const anyCondition: fc.Arbitrary<Condition> = fc.oneof(
  numericCondition,
  relativeCondition,
  fc.tuple(fc.constantFrom<Operator>('==', '!='), fc.boolean()).map(([op, b]) => parseCondition(`${op} ${b}`)),
);

describe('[fuzz] conditions and durations', () => {
  it('[fuzz] holds() is total: true, false, or null exactly when there is nothing to compare (NaN value, no finite baseline)', async () => {
    await fc.assert(
      yieldingProperty(anyCondition, fc.oneof(anyNumber, fc.boolean()), fc.option(anyNumber), (c, value, baseline) => {
        const r = holds(c, value, baseline);
        const undecidable = (typeof value === 'number' && Number.isNaN(value)) || (c.operand.kind === 'relative' && (baseline === null || !Number.isFinite(baseline)));
        expect(r === null).toBe(undecidable);
        if (r !== null) expect(typeof r).toBe('boolean');
      }),
      fuzz,
    );
  });

  it('[fuzz] a condition and its complement never both hold: < vs >=, == vs !=, for every value and baseline', async () => {
    await fc.assert(
      yieldingProperty(fc.oneof(numericCondition, relativeCondition), fc.oneof(anyNumber, fc.boolean()), fc.option(anyNumber), (c, value, baseline) => {
        const other = parseCondition(`${COMPLEMENT[c.op]} ${c.text.split(' ')[1]}`);
        const a = holds(c, value, baseline);
        const b = holds(other, value, baseline);
        if (a === null) expect(b).toBeNull();
        else expect(b).toBe(!a);
      }),
      fuzz,
    );
  });

  it('[fuzz] parseDuration of any text: null or whole positive seconds, the same with surrounding whitespace', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.tuple(fc.oneof(fc.nat().map(String), fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '.', 'e', ' ') , maxLength: 6 })), fc.constantFrom('s', 'm', 'h', 'd', 'ms', 'w', 'S', '')).map(([n, u]) => n + u),
    );
    await fc.assert(
      yieldingProperty(text, fc.constantFrom('', ' ', '\t', '\n '), (t, pad) => {
        const ms = parseDuration(t);
        if (ms !== null) {
          expect(Number.isInteger(ms)).toBe(true);
          expect(ms).toBeGreaterThan(0);
          expect(ms % 1000).toBe(0);
        }
        expect(parseDuration(`${pad}${t}${pad}`)).toBe(ms);
      }),
      fuzz,
    );
  });

  it('[fuzz] formatDuration never overstates a duration, and loses less than one unit of its last part', async () => {
    const unitMs: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };
    await fc.assert(
      yieldingProperty(fc.oneof(fc.integer({ min: 0, max: 4e11 }), fc.double({ min: 0, max: 4e11, noNaN: true })), (ms) => {
        const text = formatDuration(ms);
        expect(text).toMatch(/^(\d+[dhms]){1,2}$/);
        const parts = [...text.matchAll(/(\d+)([dhms])/g)].map((m) => [Number(m[1]), unitMs[m[2]!]!] as const);
        expect(parts.map(([, u]) => u)).toEqual([...parts.map(([, u]) => u)].sort((a, b) => b - a));
        const shown = parts.reduce((sum, [n, u]) => sum + n * u, 0);
        const rounded = Math.round(ms / 1000) * 1000;
        expect(shown).toBeLessThanOrEqual(rounded);
        expect(rounded - shown).toBeLessThan(parts.at(-1)![1]);
      }),
      fuzz,
    );
  });
});

/** Sorted unix seconds ending near NOW with irregular gaps (including gaps far over 1.5 steps). */
const timestamps = fc.array(fc.oneof(fc.integer({ min: 1, max: 45 }), fc.integer({ min: 46, max: 900 })), { minLength: 1, maxLength: 150 }).map((gaps) => {
  let t = NOW_S;
  const out = [t];
  for (const g of gaps.slice(1)) out.unshift((t -= g));
  return out;
});

/** The failAfter rule written out on its own: the longest unbroken run of violations, in seconds. */
/** The longest unbroken violation (s): k violating samples at resolution r last k·r; a gap over 1.5·r breaks a run. */
function longestRunS(series: readonly Sample[], bad: readonly boolean[], stepS: number): number {
  let best = 0;
  let count = 0;
  for (let i = 0; i < series.length; i++) {
    const gapBreaks = i > 0 && series[i]![0] - series[i - 1]![0] > 1.5 * stepS;
    if (!bad[i]) {
      count = 0;
      continue;
    }
    count = gapBreaks ? 1 : count + 1;
    best = Math.max(best, count * stepS);
  }
  return best;
}

describe('[fuzz] window logic', () => {
  it('[fuzz] judgeSamples over irregular series with gaps: counts every violation, and failAfter fails iff an unbroken run lasts long enough', async () => {
    await fc.assert(
      yieldingProperty(
        timestamps.chain((ts) => fc.tuple(fc.constant(ts), fc.array(fc.integer({ min: 0, max: 10 }), { minLength: ts.length, maxLength: ts.length }))),
        fc.array(numericCondition, { minLength: 1, maxLength: 2 }),
        fc.option(fc.integer({ min: 1, max: 120 }).map((n) => n * 15_000)),
        fc.integer({ min: 1, max: 8 }).map((n) => n * 15_000),
        ([ts, values], conds, failAfterMs, stepMs) => {
          const series: Sample[] = ts.map((t, i) => [t, values[i]!]);
          const bad = series.map(([, v]) => conds.some((c) => !holds(c, v, null)));
          const verdict = judgeSamples(series, conds, { overMs: 24 * 3_600_000, failAfterMs, resolutionMs: stepMs }, null);
          expect(verdict.kind).not.toBe('no_data');
          if (verdict.kind === 'no_data') return;
          expect(verdict.violations).toBe(bad.filter(Boolean).length);
          // Coarser than failAfter/2, one violating sample stands for its whole interval (fail-closed).
          const longestMs = longestRunS(series, bad, stepMs / 1000) * 1000;
          const shouldFail = failAfterMs === null ? bad.some(Boolean) : longestMs >= failAfterMs || (stepMs > failAfterMs / 2 && longestMs > 0);
          expect(verdict.kind).toBe(shouldFail ? 'fail' : 'pass');
          // Without `over` only the newest sample counts.
          const instant = judgeSamples(series, conds, { overMs: null, failAfterMs: null, resolutionMs: null }, null);
          expect(instant.kind).toBe(bad.at(-1) ? 'fail' : 'pass');
        },
      ),
      fuzz,
    );
  });

  const sampleValue = fc.oneof(fc.integer({ min: -2, max: 10 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.boolean(), fc.constantFrom(NaN, Infinity, -Infinity));
  const observation: fc.Arbitrary<GateObservation> = fc.record({
    samples: fc.array(fc.tuple(fc.integer({ min: NOW_S - 7_200, max: NOW_S + 600 }), sampleValue), { maxLength: 60 }),
    baseline: fc.option(fc.array(fc.tuple(fc.integer({ min: NOW_S - 7_200, max: NOW_S }), sampleValue), { maxLength: 5 })),
    error: fc.option(fc.constantFrom('HTTP 502 from /api/v1/query', 'timed out after 10s')),
    noDataReason: fc.option(fc.constantFrom('empty result', 'stale')),
  });
  const gateArb = fc.record({
    pass: fc.oneof(fc.constant('< 5'), fc.constant('<= +10%'), fc.constant<string | string[]>(['>= 0', '!= 7']), fc.constant('== true')),
    overMs: fc.option(fc.constantFrom(600_000, 3_600_000)),
    minSamples: fc.integer({ min: 1, max: 5 }),
    noData: fc.constantFrom<'hold' | 'fail' | 'pass'>('hold', 'fail', 'pass'),
  }).map(({ pass, overMs, minSamples, noData }) => gate({ name: 'g', pass, overMs, minSamples, noData, baseline: pass === '<= +10%' ? 'b' : null }));

  it('[fuzz] evaluateGate on any observation: never throws, counts only finite samples in the window, and never passes without data', async () => {
    await fc.assert(
      yieldingProperty(gateArb, observation, (g, obs) => {
        const r = evaluateGate(g, 'canary_10', obs, NOW);
        const lowS = g.overMs === null ? -Infinity : (NOW - g.overMs) / 1000;
        const usable = obs.samples.filter(([t, v]) => (typeof v === 'boolean' || Number.isFinite(v)) && t >= lowS && t <= (g.overMs === null ? Infinity : NOW_S + 60));
        if (obs.error || obs.noDataReason) expect(r.status).toBe('no_data');
        else expect(r.samples).toBe(usable.length);
        if (usable.length < g.minSamples) expect(r.status).toBe('no_data');
        if (r.status === 'no_data') {
          expect(r.effect).toBe(g.noData === 'pass' ? 'warning' : g.noData === 'hold' ? 'hold' : 'hold');
          if (obs.error) expect(r.reason).toContain(obs.error);
        }
        expect(r.reason).not.toMatch(STACK);
        expect(r.reason.length).toBeGreaterThan(0);
      }),
      fuzz,
    );
  });

  it('[fuzz] NaN and ±Inf samples never change a gate\'s status: they are ignored, not read as 0', async () => {
    await fc.assert(
      yieldingProperty(
        gateArb,
        fc.array(fc.tuple(fc.integer({ min: NOW_S - 500, max: NOW_S }), fc.integer({ min: -2, max: 10 })), { maxLength: 30 }),
        fc.array(fc.tuple(fc.integer({ min: NOW_S - 500, max: NOW_S }), fc.constantFrom(NaN, Infinity, -Infinity)), { minLength: 1, maxLength: 10 }),
        (g, finite, junk) => {
          const baseline: Sample[] = [[NOW_S - 600, 4]];
          const clean = evaluateGate(g, 'canary_10', { samples: finite, baseline }, NOW);
          const noisy = evaluateGate(g, 'canary_10', { samples: [...finite, ...junk].sort((a, b) => a[0] - b[0]), baseline }, NOW);
          expect(noisy.status).toBe(clean.status);
          expect(noisy.samples).toBe(clean.samples);
        },
      ),
      fuzz,
    );
  });
});

describe('[fuzz] compare gates', () => {
  const value = fc.oneof(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.integer({ min: 0, max: 5 }),
    fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e300, -1e300),
    fc.boolean(),
  );
  const sideArb = fc.array(fc.tuple(fc.integer({ min: NOW_S - 2400, max: NOW_S + 120 }), value), { maxLength: 40 });
  const specArb = fc.record({
    test: fc.constantFrom<'mann-whitney' | 'sigma'>('mann-whitney', 'sigma'),
    direction: fc.constantFrom<'increase' | 'decrease' | 'either'>('increase', 'decrease', 'either'),
    confidence: fc.constantFrom(0.5, 0.9, 0.98, 0.999999),
    allowedChange: fc.constantFrom(0, 0.1, 1.5),
    sigma: fc.constantFrom(0.5, 3),
  }).map((c) => ({ ...c, confidence: c.test === 'sigma' ? null : c.confidence, allowedChange: c.test === 'sigma' ? null : c.allowedChange, sigma: c.test === 'sigma' ? c.sigma : null }));
  const compareGate = (compare: NonNullable<Gate['compare']>, minSamples: number, offset: boolean) =>
    gate({ name: 'c', pass: null, overMs: 1_800_000, minSamples, compare, baseline: offset ? null : 'b', baselineOffsetMs: offset ? 86_400_000 : null });

  it('[fuzz] any samples on either side: never throws; no data below minSamples on a side, else a verdict with stats and a sentence', async () => {
    await fc.assert(
      yieldingProperty(specArb, sideArb, fc.option(sideArb), fc.integer({ min: 1, max: 12 }), fc.boolean(), (spec, x, y, minSamples, offset) => {
        const g = compareGate(spec, minSamples, offset);
        const r = evaluateGate(g, 'canary_10', { samples: x, baseline: y }, NOW);
        const finite = (s: Sample[], highS: number) => s.filter(([t, v]) => (typeof v === 'boolean' || Number.isFinite(v)) && t >= NOW_S - 1800 && t <= highS).length;
        const n = finite(x, NOW_S + 60);
        const m = y === null ? 0 : finite(y, offset ? NOW_S : NOW_S + 60);
        // Two samples at one timestamp, or a canary series that stops more than two resolutions
        // before the window's end, is no data whatever the test would say (SPEC §8.1).
        const kept = (s: Sample[], highS: number) => s.filter(([t, v]) => (typeof v === 'boolean' || Number.isFinite(v)) && t >= NOW_S - 1800 && t <= highS).map(([t]) => t).sort((a, b) => a - b);
        const xt = kept(x, NOW_S + 60);
        const yt = y === null ? [] : kept(y, offset ? NOW_S : NOW_S + 60);
        const dup = (ts: number[]) => ts.some((t, i) => i > 0 && t === ts[i - 1]);
        const gaps = xt.slice(1).map((t, i) => t - xt[i]!).sort((a, b) => a - b);
        const median = gaps.length === 0 ? null : gaps.length % 2 ? gaps[gaps.length >> 1]! : (gaps[gaps.length / 2 - 1]! + gaps[gaps.length / 2]!) / 2;
        const resS = median !== null && median > 0 ? median : 15;
        const stopped = xt.length > 0 && NOW_S - xt.at(-1)! > 2 * resS;
        const special = dup(xt) || (y !== null && dup(yt)) || (!dup(xt) && stopped);
        expect(/two samples at|the series stops at/.test(r.reason)).toBe(special);
        if (special) {
          expect(r.status).toBe('no_data');
          expect(r.stats).toBeNull();
          return;
        }
        expect(r.samples).toBe(n);
        expect(r.baselineSeries).toHaveLength(m);
        if (n < minSamples || m < minSamples) {
          expect(r.status).toBe('no_data');
          expect(r.stats).toBeNull();
        } else {
          expect(['pass', 'fail']).toContain(r.status);
          expect(r.stats).toMatchObject({ n, m, test: spec.test, direction: spec.direction });
          expect(r.status === 'fail').toBe(comparisonFails(r.stats!));
          expect(r.reason).toMatch(/: (passes|fails) \(/);
        }
        expect(r.reason).not.toMatch(/undefined|null|NaN%/);
      }),
      fuzz,
    );
  });

  it('[fuzz] mann-whitney without an allowance is antisymmetric: x high against y exactly when y is low against x', async () => {
    const sample = fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ min: -100, max: 100, noNaN: true })), { minLength: 1, maxLength: 30 });
    const mirror = { high: 'low', low: 'high', pass: 'pass' } as const;
    await fc.assert(
      yieldingProperty(sample, sample, fc.constantFrom(0.8, 0.98), (x, y, confidence) => {
        const spec = { test: 'mann-whitney' as const, direction: 'either' as const, confidence, allowedChange: 0, sigma: null };
        expect(compareSamples(y, x, spec).classification).toBe(mirror[compareSamples(x, y, spec).classification]);
      }),
      fuzz,
    );
  });
});

describe('[fuzz] release calendar', () => {
  const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const windowArb: fc.Arbitrary<ReleaseWindow> = fc.record({
    days: fc.subarray(DAYS, { minLength: 1 }),
    start: hhmm,
    end: hhmm,
    tz: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'),
  }).filter((w) => w.start !== w.end);
  const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') });
  const freezeArb = (now: number): fc.Arbitrary<Freeze> =>
    fc.tuple(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), fc.integer({ min: 60_000, max: 5 * 86_400_000 })).map(([s, len]) => ({ fromMs: now + s, toMs: now + s + len, reason: null }));

  it('[fuzz] inside a freeze is always closed; when closed, the next opening named is outside every freeze and inside a window', async () => {
    await fc.assert(
      yieldingProperty(
        instant.chain((now) => fc.tuple(fc.constant(now), fc.array(windowArb, { maxLength: 2 }), fc.array(freezeArb(now), { maxLength: 2 }))),
        ([now, windows, freezes]) => {
          const v = calendarVerdict(windows, freezes, now);
          if (freezes.some((f) => now >= f.fromMs && now < f.toMs)) expect(v.open).toBe(false);
          if (freezes.length === 0) expect(v.open).toBe(windows.length === 0 || windows.some((w) => inWindow(w, now)));
          if (v.open) expect(v.nextOpenMs).toBeNull();
          // Closed: the next opening is ahead, outside every freeze, and inside a window.
          else if (v.nextOpenMs !== null) {
            expect(v.nextOpenMs).toBeGreaterThanOrEqual(now);
            expect(freezes.some((f) => v.nextOpenMs! >= f.fromMs && v.nextOpenMs! < f.toMs)).toBe(false);
            expect(windows.length === 0 || windows.some((w) => inWindow(w, v.nextOpenMs!))).toBe(true);
          }
          expect(v.detail).not.toMatch(STACK);
        },
      ),
      fuzz,
    );
  });
});
