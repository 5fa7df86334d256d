import { fmt } from '../engine/windows.js';
import { terminalText as t } from './escape.js';
import { formatTime, headlineOf, orderGates, proseText, rampSummary, statusText, transitionText, trendText, valueText, windowText } from './format.js';
import type { Snapshot } from './snapshot.js';

export { statusText };

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
type Colour = keyof typeof CODES;

/** The snapshot as a terminal table; colour only when asked (a TTY). */
export function renderTerminal(s: Snapshot, colour: boolean): string {
  const c = (name: Colour, text: string) => (colour ? `\u001b[${CODES[name]}m${text}\u001b[0m` : text);
  const headline = headlineOf(s);
  const decisionColour: Colour = headline.tone === 'good' ? 'green' : headline.tone === 'wait' ? 'yellow' : 'red';
  const lines: string[] = [];
  lines.push(`${c('bold', 'rollout-gate')} ${t(s.rollout)}: ${c(decisionColour, c('bold', headline.word))}${s.forced ? c('yellow', ' (forced)') : ''}${s.dryRun ? c('dim', ' (dry run)') : ''}`);
  lines.push(`  ${t(transitionText(s))}   at ${formatTime(s.at)}   command ${s.command}`);
  for (const r of s.reasons) lines.push(`  ${c(decisionColour, '•')} ${t(proseText(r))}`);
  for (const w of s.warnings) lines.push(`  ${c('yellow', '!')} ${t(proseText(w))}`);
  const ramp = rampSummary(s.ramp);
  if (ramp.failing.length) {
    lines.push('', c('bold', 'Ramp checks'));
    for (const r of ramp.failing) lines.push(`  ${c('red', 'FAIL')}  ${r.rule.padEnd(14)} ${t(proseText(r.detail))}`);
  }
  if (ramp.line) lines.push(...(ramp.failing.length ? [] : ['']), c('dim', ramp.line));
  const gates = orderGates(s.gates);
  if (gates.length) {
    lines.push('', c('bold', 'Gates'));
    const rows = gates.map((g) => [t(g.name), t(valueText(g)), trendText(g) || '—', t(g.condition ?? '—'), t(windowText(g)), statusText(g)]);
    const header = ['gate', 'value', 'trend', 'condition', 'window', 'status'];
    // Two sparklines side by side ("▁▂▅█ vs ▁▁▂▂") are never cut.
    const widths = header.map((h, i) => Math.min(h === 'trend' ? 60 : h === 'value' ? 72 : 48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
    const cell = (t: string, i: number) => (t.length > widths[i]! ? `${t.slice(0, widths[i]! - 1)}…` : t.padEnd(widths[i]!));
    lines.push(`  ${c('dim', header.map(cell).join('  '))}`);
    gates.forEach((g, idx) => {
      const row = rows[idx]!;
      const status = row[5]!;
      const col: Colour = g.status === 'pass' ? 'green' : g.status === 'skipped' ? 'dim' : g.effect === 'warning' ? 'yellow' : 'red';
      lines.push(`  ${row.slice(0, 5).map(cell).join('  ')}  ${c(col, status)}`);
    });
    // Failures and missing data explain themselves; a comparison always does (its sentence is the result).
    const explained = gates.filter((g) => g.status === 'fail' || g.status === 'no_data' || g.status === 'query_error' || (g.stats && g.status !== 'skipped'));
    if (explained.length) {
      lines.push('');
      for (const g of explained) lines.push(`  ${t(g.name)}: ${t(proseText(g.reason))}`);
    }
  }
  if (s.evidencePath) lines.push('', `evidence: ${t(s.evidencePath)}`);
  return `${lines.join('\n')}\n`;
}

export { fmt };
