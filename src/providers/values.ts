import type { Sample } from '../engine/model.js';
import { ProviderError } from './types.js';

/** Reads a dotted path (`data.items.0.value`) from a JSON-like document; undefined when absent. */
export function selectPath(doc: unknown, path: string): unknown {
  if (path === '' || path === '.') return doc;
  let node = doc;
  for (const seg of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(seg)) return undefined;
      node = node[Number(seg)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(node, seg)) return undefined;
      node = (node as Record<string, unknown>)[seg];
    }
  }
  return node;
}

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const SPECIAL: Record<string, number> = { NaN: NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };

/** A scalar as a gate value: a number, a numeric string, a boolean; "NaN"/"±Inf" stay non-finite. */
export function toValue(v: unknown, where: string): number | boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    if (NUMERIC.test(v)) return Number(v);
    if (v in SPECIAL) return SPECIAL[v]!;
    if (v === 'true' || v === 'false') return v === 'true';
  }
  throw new ProviderError(`${where} is ${describe(v)}, not a number or boolean`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return `${typeof v} ${s.length > 60 ? `${s.slice(0, 60)}…` : s}`;
}

/**
 * Unix seconds past this (the year 5138) are milliseconds read as seconds: a series stamped in
 * milliseconds would sit 1,000 times too far in the future and silently fall outside every window.
 */
const MAX_UNIX_SECONDS = 1e11;

function seconds(n: number, where: string): number {
  if (Math.abs(n) >= MAX_UNIX_SECONDS) {
    throw new ProviderError(`${where} is ${n}, which looks like milliseconds: timestamps must be unix seconds (divide by 1000) or ISO-8601`);
  }
  return n;
}

/** A timestamp as unix seconds: a number of seconds, or a date (or date string). Milliseconds are refused. */
export function toUnixSeconds(v: unknown, where: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return seconds(v, where);
  if (typeof v === 'bigint') return seconds(Number(v), where);
  if (typeof v === 'string' && NUMERIC.test(v)) return seconds(Number(v), where);
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime() / 1000;
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v) / 1000;
  throw new ProviderError(`${where} is ${describe(v)}, not a timestamp (unix seconds or ISO-8601)`);
}

/**
 * A document value as samples: a scalar is one sample at `now`; a list of `[unixSeconds, value]`
 * pairs is a series. Anything else is an error naming `where`.
 */
export function toSamples(v: unknown, nowMs: number, where: string): Sample[] {
  if (v === undefined) throw new ProviderError(`${where} does not exist`);
  if (Array.isArray(v)) {
    // The common case, every pair `[number, number]`, is used as it is: large series are not copied.
    let plain = true;
    for (let i = 0; i < v.length && plain; i++) {
      const pair: unknown = v[i];
      plain = Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && Number.isFinite(pair[0]) && Math.abs(pair[0]) < MAX_UNIX_SECONDS && typeof pair[1] === 'number';
    }
    if (plain) return v as Sample[];
    return v.map((pair, i) => {
      // The common case, `[number, number]`, is used as it is: large series are not copied.
      if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && Number.isFinite(pair[0]) && Math.abs(pair[0]) < MAX_UNIX_SECONDS && typeof pair[1] === 'number') {
        return pair as unknown as Sample;
      }
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new ProviderError(`${where}[${i}] is not a [unixSeconds, value] pair`);
      }
      return [toUnixSeconds(pair[0], `${where}[${i}][0]`), toValue(pair[1], `${where}[${i}][1]`)] as const;
    });
  }
  return [[nowMs / 1000, toValue(v, where)]];
}
