import type { Config } from '../config/load.js';
import { formatDuration } from '../engine/duration.js';
import { effectiveStepMs, type Gate } from '../engine/model.js';
import { fmt } from '../engine/windows.js';
import type { Calibration, CalibratedGate } from '../calibrate.js';
import { sparkline } from './charts.js';
import { inlineMarkdown as md } from './escape.js';

/** calibration.md and baseline.md: the result of `calibrate` as tables, one row per gate. */

const num = (v: number | null): string => (v === null ? '—' : fmt(v));

/** A fail rate as a percentage of 2 significant digits: 0.89%, 12%, 0%. */
export function rateText(rate: number | null): string {
  if (rate === null) return '—';
  return `${Number((rate * 100).toPrecision(2))}%`;
}

function windowText(gate: Gate | undefined): string {
  if (!gate?.overMs) return '—';
  return `${formatDuration(gate.overMs)}${gate.failAfterMs !== null ? ` (failAfter ${formatDuration(gate.failAfterMs)})` : ''}`;
}

const chartText = (g: CalibratedGate): string => (g.chart.length >= 2 ? sparkline(g.chart) : '—');

function heading(title: string, c: Calibration): string[] {
  return [
    `# ${title}: ${md(c.rollout)}`,
    '',
    `The last ${c.days} day${c.days === 1 ? '' : 's'} up to ${c.at}, cut into consecutive windows of each gate's \`over\`, each judged as a decision would judge it.`,
    '',
  ];
}

function notes(c: Calibration): string[] {
  const lines = c.gates.filter((g) => g.error || g.note || g.noData || g.warning || g.excluded).map((g) => {
    const parts = [
      g.error ? `could not read the history: ${g.error}` : null,
      g.warning ? `⚠️ ${g.warning}` : null,
      g.note,
      g.noData ? `${g.noData} window${g.noData === 1 ? '' : 's'} without data (not counted)` : null,
      g.excluded ? `${g.excluded} window${g.excluded === 1 ? '' : 's'} excluded (overlapping ${c.exclude.map((r) => `${r.from}..${r.to}`).join(', ')})` : null,
    ];
    return `- **${md(g.name)}**: ${md(parts.filter(Boolean).join('; '))}`;
  });
  return lines.length ? ['', ...lines] : [];
}

/** Per gate, the past windows that fail today and would pass the suggestion (or the withheld one). */
const LET_THROUGH_SHOWN = 20;
function letThroughSection(c: Calibration): string[] {
  const gates = c.gates.filter((g) => g.letThrough.length > 0);
  if (!gates.length) return [];
  const lines = ['', '## Windows the suggestion would let through', '', 'Past windows that fail the gate\'s condition today and would pass the suggested one: check that none was an incident.', ''];
  for (const g of gates) {
    const which = g.withheld ? `withheld ${g.withheld}` : g.suggestedCondition ?? '';
    lines.push(`**${md(g.name)}** (${md(which)}): ${g.letThrough.length} window${g.letThrough.length === 1 ? '' : 's'}`, '');
    for (const w of g.letThrough.slice(0, LET_THROUGH_SHOWN)) lines.push(`- ${w.from} to ${w.to}: worst ${md(num(w.worst))}`);
    if (g.letThrough.length > LET_THROUGH_SHOWN) lines.push(`- … and ${g.letThrough.length - LET_THROUGH_SHOWN} more (calibration.json lists them all)`);
    lines.push('');
  }
  lines.pop();
  return lines;
}

export function renderCalibrationMarkdown(c: Calibration, config: Config): string {
  const byName = new Map(config.gates.map((g) => [g.name, g]));
  const lines = heading('Threshold calibration', c);
  lines.push(`Suggested: the tightest threshold (2 significant digits) that at most ${rateText(c.targetFailRate)} of the windows would have failed.`, '');
  lines.push('| gate | condition | window | windows | failing | fail rate | suggested | history |', '|---|---|---|---:|---:|---:|---|---|');
  for (const g of c.gates) {
    const suggested = g.withheld ? `withheld (${g.withheld}) ⚠️` : g.warning && g.suggestedCondition ? `${g.suggestedCondition} ⚠️` : g.suggestedCondition ?? '—';
    lines.push(
      `| ${md(g.name)} | ${md(g.condition ?? '—')} | ${md(windowText(byName.get(g.name)))} | ${g.windows} | ${g.failing} | ${rateText(g.failRate)} | ${md(suggested)} | ${chartText(g)} |`,
    );
  }
  lines.push(...notes(c));
  lines.push(...letThroughSection(c));
  return `${lines.join('\n')}\n`;
}

export function renderBaselineMarkdown(c: Calibration, config: Config): string {
  const byName = new Map(config.gates.map((g) => [g.name, g]));
  const lines = heading('Baseline', c);
  lines.push('The samples of each gate over the whole history (a compare gate: its baseline\'s).', '');
  lines.push('| gate | step | samples | mean | std | p50 | p90 | p99 | max | history |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const g of c.gates) {
    const gate = byName.get(g.name);
    const step = gate?.overMs ? formatDuration(effectiveStepMs(gate)!) : '—';
    const s = g.stats;
    lines.push(
      `| ${md(g.name)} | ${step} | ${s.samples} | ${md(num(s.mean))} | ${md(num(s.std))} | ${md(num(s.p50))} | ${md(num(s.p90))} | ${md(num(s.p99))} | ${md(num(s.max))} | ${chartText(g)} |`,
    );
  }
  lines.push(...notes(c));
  return `${lines.join('\n')}\n`;
}
