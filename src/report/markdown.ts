import type { GateResult } from '../engine/gates.js';
import type { RampCheck } from '../engine/ramp.js';
import { fmt } from '../engine/windows.js';
import { codeBlock, inlineMarkdown as md } from './escape.js';
import type { Snapshot } from './snapshot.js';

export const DECISION_ICON = { PROCEED: '✅', HOLD: '⏸️', ROLLBACK: '🛑' } as const;
const STATUS_ICON: Record<GateResult['status'], string> = { pass: '✅ pass', fail: '❌ fail', no_data: '❔ no data', skipped: '➖ n/a' };

export function transitionText(s: Pick<Snapshot, 'transition'>): string {
  const t = s.transition;
  const from = t.from === null ? '(not started)' : `${t.from} (${t.fromTraffic}%)`;
  const to = t.to === null ? '(none)' : `${t.to}${t.toTraffic !== null ? ` (${t.toTraffic}%)` : ''}`;
  return `${from} → ${to}`;
}

export function valueText(g: GateResult): string {
  if (g.value === null) return '—';
  let v = fmt(g.value);
  if (g.window && g.min !== null && g.max !== null && g.min !== g.max) v += ` (min ${fmt(g.min)}, max ${fmt(g.max)})`;
  if (g.baselineValue !== null) v += ` (baseline ${fmt(g.baselineValue)})`;
  return v;
}

export function windowText(g: GateResult): string {
  if (!g.window) return 'instant';
  return `${g.window.over}${g.window.failAfter ? `, failAfter ${g.window.failAfter}` : ''}`;
}

function gateStatus(g: GateResult): string {
  const effect = g.effect === 'rollback' ? ' → ROLLBACK' : g.effect === 'hold' ? ' → HOLD' : g.effect === 'warning' ? ' (warning)' : '';
  return `${STATUS_ICON[g.status]}${effect}`;
}

function rampRow(c: RampCheck): string {
  return `| ${c.rule.replace(/_/g, ' ')} | ${c.ok ? '✅' : '❌'} | ${md(c.detail)} |`;
}

export interface MarkdownOptions {
  /** Links to show at the bottom. */
  evidenceUrl?: string | null;
  /** Cap on the output length; the gate details are cut first, with a note. */
  maxLength?: number;
}

/** The snapshot as GitHub Markdown: job summary, PR comment and check-run summary all use this. */
export function renderMarkdown(s: Snapshot, opts: MarkdownOptions = {}): string {
  const head: string[] = [];
  const forced = s.forced ? ' (forced)' : '';
  head.push(`### ${DECISION_ICON[s.decision]} rollout-gate: **${s.decision}**${forced} · ${md(s.rollout)}`);
  head.push('');
  head.push(`**Transition:** ${md(transitionText(s))} · **command:** ${s.command}${s.dryRun ? ' (dry run)' : ''} · **at:** ${s.at}`);
  if (s.forced) head.push(`**Forced** by ${md(s.forced.actor ?? 'unknown')}: ${md(s.forced.reason)}`);
  if (s.approvers.length) head.push(`**Approved by:** ${s.approvers.map(md).join(', ')}`);
  head.push('');
  for (const r of s.reasons.slice(0, 20)) head.push(`- ${md(r)}`);
  if (s.reasons.length > 20) head.push(`- … and ${s.reasons.length - 20} more`);
  for (const w of s.warnings.slice(0, 20)) head.push(`- ⚠️ ${md(w)}`);
  head.push('');
  if (s.ramp.length) {
    head.push('#### Ramp checks', '', '| check | ok | detail |', '| --- | --- | --- |', ...s.ramp.map(rampRow), '');
  }
  const table: string[] = [];
  if (s.gates.length) {
    table.push('#### Gates', '', '| gate | value | condition | window | status |', '| --- | --- | --- | --- | --- |');
    for (const g of s.gates) {
      table.push(`| ${md(g.name)} | ${md(valueText(g))} | ${md(g.condition ?? '—')} | ${md(windowText(g))} | ${gateStatus(g)} |`);
    }
    table.push('');
  }
  const details: string[] = [];
  const queried = s.gates.filter((g) => g.status !== 'skipped');
  if (queried.length) {
    details.push('<details><summary>Queries and reasons</summary>', '');
    for (const g of queried) {
      details.push(`**${md(g.name)}** (${md(g.provider)}, ${g.severity}, ${g.samples} sample${g.samples === 1 ? '' : 's'}): ${md(g.reason)}`, '');
      if (g.query) details.push(codeBlock(g.query), '');
      if (g.baselineQuery) details.push('baseline:', '', codeBlock(g.baselineQuery), '');
    }
    details.push('</details>', '');
  }
  const foot: string[] = [];
  const links: string[] = [];
  if (opts.evidenceUrl) links.push(`[evidence](${opts.evidenceUrl})`);
  else if (s.evidencePath) links.push(`evidence: \`${s.evidencePath.replace(/`/g, '')}\``);
  if (s.context.runUrl) links.push(`[run](${s.context.runUrl})`);
  links.push(`config \`${s.config.sha256.slice(0, 12)}\``);
  foot.push(links.join(' · '));

  const full = [...head, ...table, ...details, ...foot].join('\n');
  const max = opts.maxLength;
  if (!max || full.length <= max) return full;
  const note = `\n_Details cut: the full snapshot is ${full.length.toLocaleString('en-US')} characters, over the ${max.toLocaleString('en-US')} limit; see snapshot.json in the evidence._\n`;
  const withoutDetails = [...head, ...table, note, ...foot].join('\n');
  if (withoutDetails.length <= max) return withoutDetails;
  const budget = max - note.length - foot.join('\n').length - 10;
  const cut = [...head, ...table].join('\n');
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n', budget)))}\n${note}${foot.join('\n')}`;
}
