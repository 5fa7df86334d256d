import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ConditionSyntaxError,
  describeConditions,
  holds,
  isRelative,
  parseCondition,
  type Operator,
} from '../../src/engine/conditions.js';
import { durationError, formatDuration, parseDuration } from '../../src/engine/duration.js';
import { yieldingProperty } from '../support/property.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = process.env.CI ? 42 : undefined;
const opts = { numRuns: runs, seed };

const OPS: Operator[] = ['<', '<=', '>', '>=', '==', '!='];
const js = (op: Operator, a: number, b: number): boolean =>
  ({ '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b, '==': a === b, '!=': a !== b })[op];

describe('parseCondition', () => {
  it.each<[string, object, string]>([
    ['< 0.01', { op: '<', operand: { kind: 'number', value: 0.01 } }, '< 0.01'],
    ['<=1500', { op: '<=', operand: { kind: 'number', value: 1500 } }, '<= 1500'],
    ['  >=   -3  ', { op: '>=', operand: { kind: 'number', value: -3 } }, '>= -3'],
    ['> 1e-3', { op: '>', operand: { kind: 'number', value: 0.001 } }, '> 1e-3'],
    ['== .5', { op: '==', operand: { kind: 'number', value: 0.5 } }, '== .5'],
    ['!= 0', { op: '!=', operand: { kind: 'number', value: 0 } }, '!= 0'],
    ['== true', { op: '==', operand: { kind: 'boolean', value: true } }, '== true'],
    ['!= false', { op: '!=', operand: { kind: 'boolean', value: false } }, '!= false'],
    ['<= +10%', { op: '<=', operand: { kind: 'relative', percent: 10 } }, '<= +10%'],
    ['>= -2.5%', { op: '>=', operand: { kind: 'relative', percent: -2.5 } }, '>= -2.5%'],
  ])('%j parses', (text, expected, normalised) => {
    expect(parseCondition(text)).toEqual({ ...expected, text: normalised });
  });

  it.each([
    ['', 'is not a condition'],
    ['< ', 'is not a condition'],
    ['0.01', 'is not a condition'],
    ['=< 1', 'is not a condition'],
    ['= 1', 'is not a condition'],
    ['<> 1', 'operand'],
    ['< 1 2', 'is not a condition'],
    ['< true', 'true/false can only be compared with == or !='],
    ['>= false', 'true/false can only be compared with == or !='],
    ['== True', 'operand "True"'],
    ['< 10%', 'operand "10%"'],
    ['< NaN', 'operand "NaN"'],
    ['< Infinity', 'operand "Infinity"'],
    ['< 0x10', 'operand "0x10"'],
    ['< 1,5', 'operand "1,5"'],
  ])('%j is rejected with a message saying what was expected', (text, message) => {
    expect(() => parseCondition(text)).toThrow(ConditionSyntaxError);
    expect(() => parseCondition(text)).toThrow(message);
  });

  const operandText = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
    fc.integer().map(String),
    fc.constantFrom('true', 'false'),
    fc.tuple(fc.constantFrom('+', '-'), fc.nat(1000), fc.option(fc.nat(99), { nil: undefined })).map(([s, n, d]) => `${s}${n}${d === undefined ? '' : `.${d}`}%`),
  );
  const conditionParts = fc.tuple(fc.constantFrom(...OPS), operandText).filter(([op, o]) => !((o === 'true' || o === 'false') && op !== '==' && op !== '!='));

  it('property: parse(format(x)) round-trips', async () => {
    await fc.assert(
      yieldingProperty(conditionParts, fc.constantFrom('', ' ', '   '), ([op, operand], gap) => {
        const c = parseCondition(`${op}${gap}${operand}`);
        expect(c.op).toBe(op);
        expect(c.text).toBe(`${op} ${operand}`);
        expect(parseCondition(c.text)).toEqual(c);
        if (c.operand.kind === 'number') expect(c.operand.value).toBe(Number(operand));
      }),
      opts,
    );
  });

  it('property: garbage never throws anything but ConditionSyntaxError', async () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('<', '>', '=', '!', ' ', '+', '-', '%', '.', 'e', '1', '0', 't', 'r', 'u', 'f', 'a', 'l', 's') }),
      fc.tuple(fc.constantFrom(...OPS), fc.string()).map(([op, s]) => `${op} ${s}`),
    );
    await fc.assert(
      yieldingProperty(garbage, (text) => {
        try {
          const c = parseCondition(text);
          // Whatever parses is a well-formed condition that parses again to itself.
          expect(OPS).toContain(c.op);
          expect(parseCondition(c.text)).toEqual(c);
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionSyntaxError);
        }
      }),
      opts,
    );
  });
});

describe('holds', () => {
  it.each<[string, number | boolean, number | null, boolean | null]>([
    ['< 0.01', 0.009, null, true],
    ['< 0.01', 0.01, null, false],
    ['<= 0.01', 0.01, null, true],
    ['== 0', 0, null, true],
    ['== 0', -0, null, true],
    ['!= 0', 0.0001, null, true],
    ['== true', true, null, true],
    ['== true', false, null, false],
    ['== true', 1, null, true],
    ['== true', 0, null, false],
    ['== false', 0, null, true],
    ['!= true', false, null, true],
    ['== 1', true, null, true],
    ['< 1', false, null, true],
    ['<= +10%', 110, 100, true],
    ['< +10%', 110, 100, false],
    ['>= +10%', 3.3, 3, true],
    ['< +10%', 3.3, 3, false],
    ['<= +10%', 111, 100, false],
    ['>= -20%', 80, 100, true],
    ['>= -20%', 79.9, 100, false],
    ['<= +0%', 100, 100, true],
    ['<= +10%', 1, null, null],
    ['<= +10%', 1, Number.NaN, null],
    ['< 5', Number.NaN, null, null],
  ])('%j with value %j and baseline %j → %j', (text, value, baseline, expected) => {
    expect(holds(parseCondition(text), value, baseline)).toBe(expected);
  });

  it('a list of conditions is described as all of them', () => {
    expect(describeConditions(['>= 0', '< 1500'].map(parseCondition))).toBe('>= 0 and < 1500');
    expect(isRelative(parseCondition('<= +10%'))).toBe(true);
    expect(isRelative(parseCondition('<= 10'))).toBe(false);
  });

  it('property: agrees with the JavaScript comparison for numbers', async () => {
    const num = fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -5, max: 5 }));
    await fc.assert(
      yieldingProperty(fc.constantFrom(...OPS), num, num, (op, value, operand) => {
        if (!Number.isFinite(operand)) return;
        expect(holds(parseCondition(`${op} ${operand}`), value, null)).toBe(js(op, value, operand));
      }),
      opts,
    );
  });

  it('property: booleans compare as 1/0', async () => {
    await fc.assert(
      yieldingProperty(fc.constantFrom<Operator>('==', '!='), fc.boolean(), fc.oneof(fc.boolean(), fc.integer({ min: -2, max: 2 })), (op, operand, value) => {
        const n = typeof value === 'boolean' ? Number(value) : value;
        expect(holds(parseCondition(`${op} ${operand}`), value, null)).toBe(js(op, n, Number(operand)));
      }),
      opts,
    );
  });

  it('property: a relative condition compares against baseline × (1 + N/100), exact for whole numbers', async () => {
    await fc.assert(
      yieldingProperty(
        fc.constantFrom(...OPS),
        fc.integer({ min: -100, max: 300 }),
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: -200_000, max: 200_000 }),
        (op, pct, baseline, value) => {
          const text = `${op} ${pct < 0 ? '-' : '+'}${Math.abs(pct)}%`;
          // value ⋛ baseline·(100+N)/100  ⇔  100·value ⋛ baseline·(100+N): exact in integers.
          expect(holds(parseCondition(text), value, baseline)).toBe(js(op, 100 * value, baseline * (100 + pct)));
        },
      ),
      opts,
    );
  });

  it('property: the value at exactly baseline + N% meets <= and >=, not < or >', async () => {
    await fc.assert(
      yieldingProperty(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 200 }), (baseline, pct) => {
        const edge = (baseline * (100 + pct)) / 100;
        expect(holds(parseCondition(`<= +${pct}%`), edge, baseline)).toBe(true);
        expect(holds(parseCondition(`>= +${pct}%`), edge, baseline)).toBe(true);
        expect(holds(parseCondition(`< +${pct}%`), edge, baseline)).toBe(false);
        expect(holds(parseCondition(`> +${pct}%`), edge, baseline)).toBe(false);
      }),
      opts,
    );
  });
});

describe('durations', () => {
  const UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  type Unit = keyof typeof UNITS;

  it.each<[string, number | null]>([
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['90s', 90_000],
    [' 15m ', 900_000],
    ['0s', null],
    ['0m', null],
    ['', null],
    ['5', null],
    ['m', null],
    ['1.5h', null],
    ['-5m', null],
    ['+5m', null],
    ['5 m', null],
    ['5M', null],
    ['5ms', null],
    ['1w', null],
    ['2h30m', 9_000_000],
    ['1h30m', 5_400_000],
    ['1d12h', 129_600_000],
    ['1h30m15s', 5_415_000],
    ['0h30m', 1_800_000],
    ['0h0m', null],
    ['30m2h', null],
    ['1h1h', null],
    ['1h 30m', null],
    ['1e3s', null],
    ['1234567890s', null],
  ])('parseDuration(%j) = %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each<[number, string]>([
    [0, '0s'],
    [45_000, '45s'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [86_400_000, '1d'],
    [90_000_000, '1d1h'],
    [-300_000, '-5m'],
    [1_499, '1s'],
  ])('formatDuration(%j) = %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  const unit = fc.constantFrom<Unit>('s', 'm', 'h', 'd');

  it('property: parseDuration(`${n}${u}`) = n × unit', async () => {
    await fc.assert(
      yieldingProperty(fc.integer({ min: 1, max: 999_999_999 }), unit, (n, u) => {
        expect(parseDuration(`${n}${u}`)).toBe(n * UNITS[u]);
      }),
      opts,
    );
  });

  /** Reads formatDuration's output back: each part is a duration parseDuration accepts. */
  const readBack = (text: string): { total: number; last: number } => {
    const parts = text.match(/\d+[smhd]/g) ?? [];
    expect(parts.join('')).toBe(text);
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(parts.length).toBeLessThanOrEqual(2);
    const values = parts.map((p) => parseDuration(p)!);
    const units = parts.map((p) => UNITS[p.slice(-1) as Unit]);
    for (let i = 1; i < units.length; i++) expect(units[i]!).toBeLessThan(units[i - 1]!);
    return { total: values.reduce((a, b) => a + b, 0), last: units[units.length - 1]! };
  };

  it('property: formatDuration of a parsed duration reads back as the same duration', async () => {
    await fc.assert(
      yieldingProperty(fc.integer({ min: 1, max: 999_999 }), unit, (n, u) => {
        const ms = parseDuration(`${n}${u}`)!;
        const { total, last } = readBack(formatDuration(ms));
        // Two parts at most: exact when that is enough, otherwise cut below the smaller part.
        expect(total).toBeLessThanOrEqual(ms);
        expect(ms - total).toBeLessThan(last);
        const nonZeroUnits = [86_400, 3_600, 60, 1].reduce<[number, number]>(([rest, count], size) => [rest % size, count + (rest >= size ? 1 : 0)], [ms / 1000, 0])[1];
        if (nonZeroUnits <= 2) expect(total).toBe(ms);
      }),
      opts,
    );
  });

  it('property: every duration the tool prints parses back to the same milliseconds (`1h30m to go`)', async () => {
    await fc.assert(
      yieldingProperty(fc.integer({ min: 1, max: 100_000 }), unit, (n, u) => {
        // Printed in two parts at most, the rest cut off; in four parts, exact.
        expect(parseDuration(formatDuration(n * UNITS[u]))).toBeLessThanOrEqual(n * UNITS[u]);
        expect(parseDuration(formatDuration(n * UNITS[u], 4))).toBe(n * UNITS[u]);
      }),
      opts,
    );
  });

  it('property: a compound duration is the sum of its parts, in any combination of units largest first', async () => {
    const part = fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined });
    await fc.assert(
      yieldingProperty(part, part, part, part, (d, h, m, s) => {
        const text = `${d === undefined ? '' : `${d}d`}${h === undefined ? '' : `${h}h`}${m === undefined ? '' : `${m}m`}${s === undefined ? '' : `${s}s`}`;
        const total = (d ?? 0) * UNITS.d + (h ?? 0) * UNITS.h + (m ?? 0) * UNITS.m + (s ?? 0) * UNITS.s;
        expect(parseDuration(text)).toBe(total > 0 ? total : null);
      }),
      opts,
    );
  });

  it.each<[string, string[]]>([
    ['1.5h', ['got "1.5h"', 'did you mean "1h30m"?']],
    ['2.25d', ['got "2.25d"', 'did you mean "2d6h"?']],
    ['0.5s', ['got "0.5s"']],
    ['0m', ['expected a duration longer than zero, got "0m"']],
    ['0h0m', ['expected a duration longer than zero, got "0h0m"']],
    ['5 m', ['got "5 m"', 'did you mean "5m"?']],
    ['2 hours', ['got "2 hours"', '"2h30m"']],
    ['soon', ['got "soon"']],
  ])('durationError(%j) repeats the value and says what would be one', (text, parts) => {
    const message = durationError(text);
    for (const p of parts) expect(message).toContain(p);
    if (!parts.some((p) => p.includes('did you mean'))) expect(message).not.toContain('did you mean');
    // A suggestion offered is itself a duration.
    const suggested = /did you mean "([^"]+)"/.exec(message)?.[1];
    if (suggested !== undefined) expect(parseDuration(suggested)).not.toBeNull();
  });

  it('property: invalid inputs give null, never a throw', async () => {
    await fc.assert(
      yieldingProperty(fc.string(), (text) => {
        const ms = parseDuration(text);
        if (!/^\s*(\d{1,9}d)?(\d{1,9}h)?(\d{1,9}m)?(\d{1,9}s)?\s*$/.test(text)) expect(ms).toBeNull();
        else expect(ms === null || ms > 0).toBe(true);
      }),
      opts,
    );
  });
});
