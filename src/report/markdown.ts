import type { RampCheck } from '../engine/ramp.js';
import { mermaidChart } from './charts.js';
import { codeBlock, inlineMarkdown as md } from './escape.js';
import { DECISION_ICON, formatTime, headlineOf, proseText, orderGates, rampRuleText, rampSummary, statusBadge, transitionText, trendText, valueText, windowText } from './format.js';
import type { Snapshot } from './snapshot.js';

export { DECISION_ICON, transitionText, trendText, valueText, windowText };

function rampRow(c: RampCheck): string {
  return `| ${rampRuleText(c)} | ${c.ok ? '✅' : '❌'} | ${md(proseText(c.detail))} |`;
}

export interface MarkdownOptions {
  /** Links to show at the bottom. */
  evidenceUrl?: string | null;
  /** Cap on the output length; charts go first, then the gate details, each with a note. */
  maxLength?: number;
  /** `mermaid` adds a line chart per gate with a baseline series (config `report.charts`). */
  charts?: 'sparkline' | 'mermaid';
}

/** A Mermaid line chart per gate with a baseline series (canary and baseline), in a collapsed block. */
export function mermaidSection(s: Pick<Snapshot, 'gates'>): string[] {
  const charts: string[] = [];
  for (const g of orderGates(s.gates)) {
    if (!g.baselineSeries?.length) continue;
    const chart = mermaidChart(g.name, g.series, g.baselineSeries);
    if (chart) charts.push(`**${md(g.name)}**: first line ${g.shadow ? '(shadow) ' : ''}canary, second line baseline`, '', '```mermaid', chart, '```', '');
  }
  if (!charts.length) return [];
  return ['<details><summary>Charts: canary against baseline</summary>', '', ...charts, '</details>', ''];
}

/** The snapshot as GitHub Markdown: job summary, PR comment and check-run summary all use this. */
export function renderMarkdown(s: Snapshot, opts: MarkdownOptions = {}): string {
  const head: string[] = [];
  const forced = s.forced ? ' (forced)' : '';
  const headline = headlineOf(s);
  head.push(`### ${headline.icon} rollout-gate: **${headline.word}**${forced} · ${md(s.rollout)}`);
  head.push('');
  head.push(`**Transition:** ${md(transitionText(s))} · **command:** ${s.command}${s.dryRun ? ' (dry run)' : ''} · **at:** ${formatTime(s.at)}`);
  if (s.forced) head.push(`**Forced** by ${md(s.forced.actor ?? 'unknown')}: ${md(s.forced.reason)}`);
  if (s.approvers.length) head.push(`**Approved by:** ${s.approvers.map(md).join(', ')}`);
  head.push('');
  for (const r of s.reasons.slice(0, 20)) head.push(`- ${md(proseText(r))}`);
  if (s.reasons.length > 20) head.push(`- … and ${s.reasons.length - 20} more`);
  for (const w of s.warnings.slice(0, 20)) head.push(`- ⚠️ ${md(proseText(w))}`);
  head.push('');
  // Ramp checks: a failing one in full (it decides), the passing ones as one line.
  const ramp = rampSummary(s.ramp);
  if (ramp.failing.length) head.push('#### Ramp checks', '', '| check | ok | detail |', '| --- | --- | --- |', ...ramp.failing.map(rampRow), '');
  if (ramp.line) head.push(`_${md(ramp.line)}_`, '');
  const gates = orderGates(s.gates);
  const hasTrends = gates.some((g) => trendText(g) !== '');
  const gateTable = (trends: boolean): string[] => {
    if (!gates.length) return [];
    const rows = ['#### Gates', ''];
    rows.push(trends ? '| gate | value | trend | condition | window | status |' : '| gate | value | condition | window | status |');
    rows.push(trends ? '| --- | --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- | --- |');
    for (const g of gates) {
      const trend = trends ? ` ${trendText(g) || '—'} |` : '';
      rows.push(`| ${md(g.name)} | ${md(valueText(g))} |${trend} ${md(g.condition ?? '—')} | ${md(windowText(g))} | ${statusBadge(g)} |`);
    }
    rows.push('');
    return rows;
  };
  const table = gateTable(hasTrends);
  const charts = opts.charts === 'mermaid' ? mermaidSection(s) : [];
  const details: string[] = [];
  const queried = gates.filter((g) => g.status !== 'skipped');
  if (queried.length) {
    details.push('<details><summary>Queries and reasons</summary>', '');
    for (const g of queried) {
      details.push(`**${md(g.name)}** (${md(g.provider)}, ${g.severity}, ${g.samples} sample${g.samples === 1 ? '' : 's'}): ${md(proseText(g.reason))}`, '');
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

  const max = opts.maxLength;
  const full = [...head, ...table, ...charts, ...details, ...foot].join('\n');
  if (!max || full.length <= max) return full;
  // Over the limit: drop the charts first (they only repeat the series), then the details.
  const noted = (what: string, length: number) =>
    `\n_${what}: the full report is ${length.toLocaleString('en-US')} characters, over the ${max.toLocaleString('en-US')} limit; see snapshot.json in the evidence._\n`;
  const plainTable = gateTable(false);
  const withoutCharts = [...head, ...plainTable, ...details, noted('Charts left out', full.length), ...foot].join('\n');
  if (withoutCharts.length <= max) return withoutCharts;
  const note = noted('Charts and details left out', full.length);
  const withoutDetails = [...head, ...plainTable, note, ...foot].join('\n');
  if (withoutDetails.length <= max) return withoutDetails;
  const budget = max - note.length - foot.join('\n').length - 10;
  const cut = [...head, ...plainTable].join('\n');
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n', budget)))}\n${note}${foot.join('\n')}`;
}
