import { calendarVerdict } from '../engine/calendar.js';
import type { RolloutPlan, RolloutState } from '../engine/model.js';
import { stageIndex } from '../engine/ramp.js';
import { inlineMarkdown } from './escape.js';
import { formatSpan, formatTime } from './format.js';

/**
 * The ledger's status page: README.md at the ledger branch's root, which GitHub shows on the
 * branch page. One section per rollout (kept as status/<rollout>.md beside it), rewritten in the
 * commit of every decision; its size is bounded whatever the history.
 */

/** Decisions and stage periods a section shows, newest first / last. */
export const STATUS_DECISIONS = 20;
export const STATUS_STAGES = 12;
/** Longest text of one cell (an actor, a reason): the rest is cut with "…". */
const CELL = 80;

export interface StatusInput {
  plan: RolloutPlan;
  /** The state the commit holds (null: not started). */
  state: RolloutState | null;
  /** The decision log as the commit holds it (JSON lines; only the last ones are read), or its new line(s). */
  decisionLog: string;
  /** The decision rows of the page before, newest first: the table is these after the new lines. */
  previousRows?: string[];
  /** The last evidence the page before linked, when the new lines have none. */
  lastEvidence?: string | null;
  nowMs: number;
}

const ROWS_START = '| time | command | from → to | decision | actor | evidence |';

/** The decision rows of a section as it was rendered, newest first: the page a ledger updates. */
export function decisionRows(section: string): string[] {
  const lines = section.split('\n');
  const start = lines.indexOf(ROWS_START);
  if (start < 0) return [];
  const rows: string[] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('| ')) break;
    rows.push(l);
  }
  return rows;
}

/** A decision-log line as far as the page needs it; any other command (watch, pause…) is shown as it is. */
interface LoggedDecision {
  at: string | null;
  command: string;
  from: string | null;
  to: string | null;
  decision: string;
  forced: boolean;
  actor: string | null;
  evidence: string | null;
}

const cell = (text: string | null | undefined, empty = '—'): string => {
  if (text === null || text === undefined || text === '') return empty;
  const t = text.length > CELL ? `${text.slice(0, CELL - 1)}…` : text;
  return inlineMarkdown(t);
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The last `n` parseable lines of a JSON-lines log, oldest first, without splitting the whole log. */
export function lastDecisions(log: string, n = STATUS_DECISIONS): LoggedDecision[] {
  const out: LoggedDecision[] = [];
  let end = log.length;
  while (out.length < n && end > 0) {
    const start = log.lastIndexOf('\n', end - 1);
    const line = log.slice(start + 1, end).trim();
    end = start < 0 ? 0 : start;
    if (!line) continue;
    let d: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
      d = parsed as Record<string, unknown>;
    } catch {
      continue;
    }
    out.push({
      at: str(d.at),
      command: str(d.command) ?? '?',
      from: str(d.from),
      to: str(d.to),
      decision: str(d.decision) ?? '?',
      forced: d.forced === true,
      actor: str(d.actor),
      evidence: str(d.evidencePath) ?? str(d.evidence),
    });
  }
  return out.reverse();
}

/** A relative link to a file of the ledger; a path that is not a plain relative path gets no link. */
export function ledgerLink(label: string, path: string | null): string {
  if (!path) return '—';
  const p = path.replace(/^[^:/]*:(?=[^/])/, ''); // "branch:dir" as a store reports it → "dir"
  const segments = p.split('/');
  if (p.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..')) return cell(p);
  const href = segments.map((s) => encodeURIComponent(s).replace(/[()!'*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
  return `[${inlineMarkdown(label)}](${href})`;
}

/** What the next promotion waits for, each in a few words; empty when only the gates decide. */
function waitsFor(plan: RolloutPlan, state: RolloutState | null, nowMs: number): string[] {
  const out: string[] = [];
  const cur = stageIndex(plan, state?.stage ?? null);
  if (state?.killSwitch) out.push('the kill switch to be released (resume)');
  const paused = state?.paused ?? null;
  if (paused) out.push('the rollout to be resumed (paused)');
  const current = cur >= 0 ? plan.stages[cur]! : null;
  if (current?.minDurationMs && state?.enteredAt) {
    const left = current.minDurationMs - (nowMs - Date.parse(state.enteredAt));
    if (left > 0) out.push(`min duration: ${formatSpan(left)} left (until ${formatTime(Date.parse(state.enteredAt) + current.minDurationMs)})`);
  }
  const cooldown = plan.ramp.cooldownAfterRollbackMs;
  if (cooldown && state?.lastRollbackAt) {
    const ends = Date.parse(state.lastRollbackAt) + cooldown;
    if (ends > nowMs) out.push(`cooldown after the rollback: ends ${formatTime(ends)} (${formatSpan(ends - nowMs)} left)`);
  }
  if (plan.windows.length || plan.freezes.length) {
    const cal = calendarVerdict(plan.windows, plan.freezes, nowMs);
    if (!cal.open) {
      const opens = cal.nextOpenMs === null ? 'no opening in the next 14 days' : `opens ${formatTime(cal.nextOpenMs)}`;
      out.push(cal.freeze ? `the freeze${cal.freeze.reason ? ` "${cal.freeze.reason}"` : ''} to end (${formatTime(cal.freeze.toMs)}); release window ${opens}` : `the release window: ${opens}`);
    }
  }
  return out;
}

interface Period {
  stage: string | null;
  from: string;
  to: string | null;
  how: string;
}

/** The stages the rollout went through, from the state's history: one row per change of stage. */
function stagePeriods(state: RolloutState | null): Period[] {
  const periods: Period[] = [];
  for (const h of state?.history ?? []) {
    const last = periods.at(-1);
    if (last && last.stage === h.to) continue; // a resume, or a decision that kept the stage
    if (last) last.to = h.at;
    const how = h.forced ? 'forced promotion' : h.from !== null && h.to !== null && h.decision === 'PROCEED' ? 'promotion' : h.decision === 'PROCEED' ? 'start' : 'rollback';
    periods.push({ stage: h.to, from: h.at, to: null, how });
  }
  return periods.slice(-STATUS_STAGES);
}

/** This rollout's section of the status page. */
export function renderStatusSection(input: StatusInput): string {
  const { plan, state, nowMs } = input;
  const lines: string[] = [];
  const cur = stageIndex(plan, state?.stage ?? null);
  const current = cur >= 0 ? plan.stages[cur]! : null;
  const next = plan.stages[cur + 1] ?? null;
  const decisions = lastDecisions(input.decisionLog);
  const lastEvidence = [...decisions].reverse().find((d) => d.evidence)?.evidence ?? input.lastEvidence ?? null;
  const rows = [
    ...[...decisions].reverse().map((d) => {
      const move = `${cell(d.from, '(not started)')} → ${cell(d.to, '(none)')}`;
      return `| ${formatTime(d.at)} | ${cell(d.command)} | ${move} | ${cell(d.decision)}${d.forced ? ' (forced)' : ''} | ${cell(d.actor)} | ${ledgerLink('evidence', d.evidence ? `${d.evidence}/go-no-go.md` : null)} |`;
    }),
    ...(input.previousRows ?? []),
  ].slice(0, STATUS_DECISIONS);
  const paused = state?.paused ?? null;

  lines.push(`## ${inlineMarkdown(plan.name)}`, '');
  lines.push(`_As of ${formatTime(nowMs)}._`, '');
  lines.push('| | |', '| --- | --- |');
  const stage = state?.stage ?? null;
  lines.push(`| Stage | ${stage === null ? 'not started' : `**${cell(stage)}**${current ? ` (${current.traffic}% of traffic)` : ' (not a stage of the config)'}`} |`);
  if (state?.enteredAt) lines.push(`| Since | ${formatTime(state.enteredAt)} (${formatSpan(Math.max(0, nowMs - Date.parse(state.enteredAt)))} before this update) |`);
  lines.push(`| Paused | ${paused ? `**paused** since ${formatTime(paused.at)} by ${cell(paused.actor, 'unknown')}: ${cell(paused.reason, 'no reason given')}` : 'no'} |`);
  lines.push(`| Kill switch | ${state?.killSwitch ? '**engaged**: every evaluation is a ROLLBACK until resumed' : 'off'} |`);
  lines.push(`| Next stage | ${next ? `${cell(next.name)} (${next.traffic}%)` : current ? 'none: this is the final stage' : '—'} |`);
  if (next) {
    const waits = waitsFor(plan, state, nowMs);
    lines.push(`| Waits for | ${[...waits.map((w) => inlineMarkdown(w)), `its gates to pass on a promote`].join('; ')} |`);
  }
  lines.push(`| Last evidence | ${ledgerLink(lastEvidence ? (lastEvidence.split('/').at(-1) ?? lastEvidence) : '', lastEvidence ? `${lastEvidence}/go-no-go.md` : null)} |`);
  lines.push('');

  lines.push(`### Last ${rows.length === 1 ? 'decision' : `${rows.length} decisions`}`, '');
  if (!rows.length) lines.push('None yet.', '');
  else lines.push(ROWS_START, '| --- | --- | --- | --- | --- | --- |', ...rows, '');

  const periods = stagePeriods(state);
  lines.push('### Stages', '');
  if (!periods.length) lines.push('No stage entered yet.', '');
  else {
    lines.push('| stage | traffic | entered | left | time in stage | how |', '| --- | --- | --- | --- | --- | --- |');
    for (const p of periods) {
      const traffic = plan.stages.find((s) => s.name === p.stage)?.traffic;
      const end = p.to === null ? nowMs : Date.parse(p.to);
      const span = Number.isFinite(end - Date.parse(p.from)) ? formatSpan(Math.max(0, end - Date.parse(p.from))) : '—';
      lines.push(`| ${cell(p.stage, '(none)')} | ${traffic === undefined ? '—' : `${traffic}%`} | ${formatTime(p.from)} | ${p.to === null ? 'current' : formatTime(p.to)} | ${span}${p.to === null ? ' so far' : ''} | ${p.how} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The page: every rollout's section, in name order. */
export function renderStatusPage(sections: ReadonlyMap<string, string>): string {
  const names = [...sections.keys()].sort();
  const parts = [
    '# Rollout status',
    '',
    '_Written by rollout-gate in the commit of every decision; edits here are overwritten. The state is in `state/`, the evidence in `evidence/`, every decision in `decision-log/`._',
    '',
  ];
  const body = names.map((name) => sections.get(name)!.trimEnd()).join('\n\n---\n\n');
  return `${parts.join('\n')}\n${body || 'No rollout yet.'}\n`;
}
