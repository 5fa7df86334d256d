import { percent } from '../engine/compare.js';
import type { Value } from '../engine/conditions.js';
import { formatDuration } from '../engine/duration.js';
import type { GateResult } from '../engine/gates.js';
import type { RampCheck } from '../engine/ramp.js';
import { gateSparklines } from './charts.js';
import type { Snapshot } from './snapshot.js';

/**
 * How every report says a value, a time and the order of the gates. Renderers (PR comment, job
 * summary, check run, terminal, Go/No-Go, status page) decide layout only and call this module.
 */

/** Significant digits a number is shown with, unless a threshold next to it needs more. */
export const DIGITS = 4;

/**
 * A number with at most `digits` significant digits, never dropping integer digits
 * (1234567.8 → 1234568, 0.00199601 → 0.001996, 1.01702 → 1.017).
 */
export function formatNumber(v: number, digits = DIGITS): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const intDigits = Math.abs(v) >= 1 ? Math.floor(Math.log10(Math.abs(v))) + 1 : 0;
  const text = String(Number(v.toPrecision(Math.min(21, Math.max(digits, intDigits)))));
  return text === '-0' ? '0' : text;
}

export function formatValue(v: Value, digits = DIGITS): string {
  return typeof v === 'boolean' ? String(v) : formatNumber(v, digits);
}

/**
 * The significant digits that keep `value` visibly apart from every threshold it differs from
 * (0.00049 against 0.0005, 1500.2 against 1500), at least DIGITS and at most 17.
 */
export function digitsAgainst(value: number, thresholds: readonly number[]): number {
  let digits = DIGITS;
  for (const t of thresholds) {
    if (!Number.isFinite(t) || !Number.isFinite(value) || t === value) continue;
    while (digits < 17 && formatNumber(value, digits) === formatNumber(t, digits)) digits++;
    // Rounding must not carry a value to the other side of the threshold's printed form.
    while (digits < 17 && Math.sign(Number(formatNumber(value, digits)) - t) !== Math.sign(value - t) && Number(formatNumber(value, digits)) !== t) digits++;
  }
  return digits;
}

/** A value shown next to its thresholds: as short as possible, never equal to one it differs from. */
export function formatAgainst(v: Value, thresholds: readonly number[]): string {
  if (typeof v === 'boolean') return String(v);
  return formatNumber(v, digitsAgainst(v, thresholds));
}

/** The absolute numbers in a condition's text ("< 0.01 and > 0" → [0.01, 0]); relative ones (+10%) are not numbers. */
export function conditionThresholds(condition: string | null): number[] {
  if (!condition) return [];
  const out: number[] = [];
  for (const m of condition.matchAll(/(?:<=|>=|==|!=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?![\d.%eE])/g)) out.push(Number(m[1]));
  return out;
}

/** A gate's thresholds: the condition's numbers and the resolved one its worst sample broke. */
function thresholdsOf(g: Pick<GateResult, 'condition' | 'worst'>): number[] {
  const t = conditionThresholds(g.condition);
  const broken = g.worst?.threshold;
  if (typeof broken === 'number') t.push(broken);
  return t;
}

/** `2026-11-30 15:36 UTC`; text that is not a time is returned as it is. */
export function formatTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return '—';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(at);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

export { formatDuration };

/** A span of time for people: to the minute once it is 10 minutes or longer (3h1s reads as 3h). */
export function formatSpan(ms: number): string {
  return formatDuration(Math.abs(ms) >= 600_000 ? Math.round(ms / 60_000) * 60_000 : ms);
}

const ISO_INSTANT = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z\b/g;

/**
 * Engine text (a reason, a ramp check's detail) as the reports show it: instants it names read
 * like every other time of the report (`2026-11-30 15:36 UTC`); snapshot.json keeps the text as is.
 */
export function proseText(text: string): string {
  return text.replace(ISO_INSTANT, '$1 $2 UTC');
}

/** The groups gates are shown in, what decides first. */
export type GateGroup = 'rollback' | 'hold' | 'no_data' | 'warning' | 'shadow' | 'pass' | 'skipped';
export const GATE_GROUPS: readonly GateGroup[] = ['rollback', 'hold', 'no_data', 'warning', 'shadow', 'pass', 'skipped'];

export function gateGroup(g: Pick<GateResult, 'status' | 'effect' | 'shadow'>): GateGroup {
  if (g.status === 'skipped') return 'skipped';
  if (g.shadow) return 'shadow';
  if (g.effect === 'rollback') return 'rollback';
  if (g.status === 'no_data') return 'no_data';
  if (g.effect === 'hold') return 'hold';
  if (g.effect === 'warning') return 'warning';
  return 'pass';
}

/** ROLLBACK, HOLD, no data, warnings, shadow, pass (then not applicable); config order within a group. */
export function orderGates<G extends Pick<GateResult, 'status' | 'effect' | 'shadow'>>(gates: readonly G[]): G[] {
  const rank = (g: G) => GATE_GROUPS.indexOf(gateGroup(g));
  return gates.map((g, i) => ({ g, i, r: rank(g) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.g);
}

export function transitionText(s: Pick<Snapshot, 'transition'>): string {
  const t = s.transition;
  const from = t.from === null ? '(not started)' : `${t.from} (${t.fromTraffic}%)`;
  const to = t.to === null ? '(none)' : `${t.to}${t.toTraffic !== null ? ` (${t.toTraffic}%)` : ''}`;
  return `${from} → ${to}`;
}

/**
 * A gate's value as the reader needs it: for a failing windowed gate the worst value that broke
 * the rule, when and for how long (then the newest); else the newest with the window's range.
 */
export function valueText(g: GateResult): string {
  if (g.stats) {
    const { meanX, meanY } = g.stats;
    return `mean ${formatNumber(meanX)} vs ${formatNumber(meanY)}${meanY !== 0 ? ` (${percent((meanX - meanY) / Math.abs(meanY))})` : ''}`;
  }
  if (g.value === null) return '—';
  const thresholds = thresholdsOf(g);
  const show = (v: Value) => formatAgainst(v, thresholds);
  const baseline = g.baselineValue !== null ? ` (baseline ${formatNumber(g.baselineValue)})` : '';
  if (g.status === 'fail' && g.window && g.worst) {
    const w = g.worst;
    const run = w.runMs > 0 ? `, broken for ${formatSpan(w.runMs)}` : '';
    return `worst ${show(w.value)} at ${formatTime(w.at)}${run} (now ${show(g.value)})${baseline}`;
  }
  let v = show(g.value);
  if (g.window && g.min !== null && g.max !== null) {
    const lo = formatAgainst(g.min, thresholds);
    const hi = formatAgainst(g.max, thresholds);
    if (lo !== hi) v += ` (min ${lo}, max ${hi})`;
  }
  return v + baseline;
}

/** A windowed gate's series as a sparkline, and its baseline's on the same scale: "▁▂▅█ vs ▁▁▂▂". */
export function trendText(g: GateResult): string {
  if (!g.window) return '';
  const lines = gateSparklines(g.series, g.baselineSeries ?? []);
  if (!lines) return '';
  return lines.baseline ? `${lines.series} vs ${lines.baseline}` : lines.series;
}

/**
 * A windowed gate's window as judged: its length, failAfter, the series' own resolution (the
 * spacing the judgment used, not the step asked for) and, when a lag moved it, where it ended.
 */
export function windowText(g: Pick<GateResult, 'window'>): string {
  if (!g.window) return 'instant';
  const w = g.window;
  const ends = w.lag && w.to ? ` to ${formatTime(w.to)} (lag ${w.lag})` : '';
  const every = w.resolution ? `, every ${w.resolution}` : '';
  return `${w.over}${ends}${w.failAfter ? `, failAfter ${w.failAfter}` : ''}${every}`;
}

/** A watch's gate with too few samples since the stage was entered: skipped, and why. */
const warming = (g: { status: GateResult['status']; reason?: string }) => g.status === 'skipped' && g.reason?.startsWith('warming up') === true;

export function statusWord(status: GateResult['status'], reason?: string): string {
  if (warming({ status, reason })) return 'warming up';
  return status === 'no_data' ? 'no data' : status === 'query_error' ? 'query error' : status === 'skipped' ? 'n/a' : status;
}

/** A gate's status and what it does to the decision: "fail → HOLD", "no data (warning)", "pass (shadow)". */
export function statusText(g: Pick<GateResult, 'status' | 'effect' | 'shadow'> & { reason?: string }): string {
  const base = statusWord(g.status, g.reason);
  if (g.shadow) return `${base} (shadow)`;
  if (g.effect === 'rollback') return `${base} → ROLLBACK`;
  if (g.effect === 'hold') return `${base} → HOLD`;
  if (g.effect === 'warning') return `${base} (warning)`;
  return base;
}

export const DECISION_ICON = { PROCEED: '✅', HOLD: '⏸️', ROLLBACK: '🛑' } as const;

/**
 * The headline word of a run: the verdict for a command that judges gates; for pause and resume,
 * what the operator did (their recorded decision is HOLD, which is not news to show as a verdict).
 */
export function headlineOf(s: Pick<Snapshot, 'command' | 'decision'>): { word: string; icon: string; tone: 'good' | 'wait' | 'bad' } {
  if (s.command === 'pause') return { word: 'PAUSED', icon: '⏸️', tone: 'wait' };
  if (s.command === 'resume') return { word: 'RESUMED', icon: '▶️', tone: 'good' };
  return { word: s.decision, icon: DECISION_ICON[s.decision], tone: s.decision === 'PROCEED' ? 'good' : s.decision === 'HOLD' ? 'wait' : 'bad' };
}
const STATUS_ICON: Record<GateResult['status'], string> = { pass: '✅ pass', fail: '❌ fail', no_data: '❔ no data', query_error: '⚠️ query error', skipped: '➖ n/a' };

/** The status with an icon, for Markdown: "❌ fail → ROLLBACK", "✅ pass (shadow: does not decide)". */
export function statusBadge(g: Pick<GateResult, 'status' | 'effect' | 'shadow'> & { reason?: string }): string {
  const icon = warming(g) ? '⏳ warming up' : STATUS_ICON[g.status];
  if (g.shadow) return `${icon} (shadow: does not decide)`;
  const effect = g.effect === 'rollback' ? ' → ROLLBACK' : g.effect === 'hold' ? ' → HOLD' : g.effect === 'warning' ? ' (warning)' : '';
  return `${icon}${effect}`;
}

export function rampRuleText(c: Pick<RampCheck, 'rule'>): string {
  return c.rule.replace(/_/g, ' ');
}

/** Ramp checks as the reports show them: failing ones in full, passing ones as one line. */
export function rampSummary(ramp: readonly RampCheck[]): { failing: RampCheck[]; passing: RampCheck[]; line: string } {
  const failing = ramp.filter((c) => !c.ok);
  const passing = ramp.filter((c) => c.ok);
  const n = passing.length;
  const line = n === 0 ? '' : `ramp: ${failing.length ? `${n} other` : n} check${n === 1 ? '' : 's'} pass${n === 1 ? 'es' : ''} (${passing.map(rampRuleText).join(', ')})`;
  return { failing, passing, line };
}
