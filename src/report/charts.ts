import type { Sample } from '../engine/model.js';

/** Charts of a gate's series for the reports: text sparklines everywhere, Mermaid where GitHub renders it. */

const BARS = '▁▂▃▄▅▆▇█';

const numeric = (v: Sample[1]): number => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/**
 * The series cut into `width` consecutive slices (or fewer, one per sample), each slice its
 * mean: the shape of the whole window at a fixed size whatever its length.
 */
export function buckets(series: readonly Sample[], width: number): number[] {
  const n = series.length;
  const k = Math.min(width, n);
  const out: number[] = [];
  for (let b = 0; b < k; b++) {
    const from = Math.floor((b * n) / k);
    const to = Math.floor(((b + 1) * n) / k);
    let sum = 0;
    for (let i = from; i < to; i++) sum += numeric(series[i]![1]);
    out.push(sum / (to - from));
  }
  return out;
}

/**
 * A sparkline of values on the scale [lo, hi] (default: their own range), so two lines drawn on
 * one scale compare by eye. A flat series (to 6 significant digits) is a row of the lowest bar.
 */
export function sparkline(values: readonly number[], lo = Math.min(...values), hi = Math.max(...values)): string {
  if (values.length === 0) return '';
  const span = hi - lo;
  // A spread below the reports' 6 significant digits is float noise (0.005 as 0.00499999…), not a shape.
  const flat = !(span > 1e-6 * Math.max(Math.abs(lo), Math.abs(hi))) || !Number.isFinite(span);
  let line = '';
  for (const v of values) {
    const level = flat ? 0 : Math.round(((v - lo) / span) * (BARS.length - 1));
    line += BARS[Math.max(0, Math.min(BARS.length - 1, level))];
  }
  return line;
}

/** Width of a sparkline in the reports: enough for a shape, small enough for a table cell. */
export const SPARK_WIDTH = 24;

const drawn = new WeakMap<readonly Sample[], string>();

/** One sparkline, or two on a shared scale for a gate with a baseline series. */
export function gateSparklines(series: readonly Sample[], baseline: readonly Sample[] = []): { series: string; baseline: string | null } | null {
  if (series.length < 2) return null;
  // Every report draws the same lines, and gates reading one series share its list.
  if (baseline.length < 2) {
    let line = drawn.get(series);
    if (line === undefined) drawn.set(series, (line = sparkline(buckets(series, SPARK_WIDTH))));
    return { series: line, baseline: null };
  }
  const a = buckets(series, SPARK_WIDTH);
  const b = baseline.length >= 2 ? buckets(baseline, SPARK_WIDTH) : null;
  const all = b ? [...a, ...b] : a;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return { series: sparkline(a, lo, hi), baseline: b ? sparkline(b, lo, hi) : null };
}

/** Points of a Mermaid line: enough to see a shift, few enough to keep the comment small. */
const MERMAID_POINTS = 40;

const label = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(11, 16);

/** A finite number as Mermaid reads it (no exponent, a few significant digits). */
function mermaidNumber(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const s = String(Number(v.toPrecision(6)));
  return /e/i.test(s) ? v.toFixed(12).replace(/\.?0+$/, '') : s;
}

/**
 * A Mermaid `xychart-beta` line chart of a gate (and its baseline, as a second line on the same
 * axes). The title is the gate name, which config validation limits to [a-z0-9._-]; anything else
 * is dropped so a title cannot end the quoted string.
 */
export function mermaidChart(title: string, series: readonly Sample[], baseline: readonly Sample[] = []): string | null {
  if (series.length < 2) return null;
  const points = Math.min(MERMAID_POINTS, series.length);
  const a = buckets(series, points);
  const b = baseline.length >= 2 ? buckets(baseline, a.length) : null;
  const xs = a.map((_, i) => label(series[Math.floor((i * series.length) / a.length)]![0]));
  const all = b ? [...a, ...b] : a;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = hi > lo ? (hi - lo) * 0.05 : Math.abs(hi) * 0.05 || 1;
  const lines = [
    'xychart-beta',
    `  title "${title.replace(/[^A-Za-z0-9._ -]/g, '')}"`,
    `  x-axis [${xs.map((x) => `"${x}"`).join(', ')}]`,
    `  y-axis ${mermaidNumber(lo - pad)} --> ${mermaidNumber(hi + pad)}`,
    `  line [${a.map(mermaidNumber).join(', ')}]`,
  ];
  if (b) lines.push(`  line [${b.map(mermaidNumber).join(', ')}]`);
  return lines.join('\n');
}
