import fc from 'fast-check';
import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { stickyBody, stickyMarker } from '../../src/github/comment.js';
import { decide } from '../../src/engine/decide.js';
import type { GateObservation } from '../../src/engine/gates.js';
import type { RolloutState } from '../../src/engine/model.js';
import { terminalText } from '../../src/report/escape.js';
import { orderGates } from '../../src/report/format.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { emptyContext, type Snapshot } from '../../src/report/snapshot.js';
import { renderStatusPage, renderStatusSection } from '../../src/report/status-page.js';
import { fuzz } from '../fuzz/settings.js';
import { gate, H, M, NOW, NOW_S, plan, seriesOf, state } from '../support/fixtures.js';
import { yieldingProperty } from '../support/property.js';
import { rollbackSnapshot } from '../support/report-fixtures.js';

/**
 * The PR comment as GitHub renders it (GitHub-flavoured Markdown): its tables stay tables, one
 * row per gate with every cell in place, whatever the gate names, values and queries hold.
 */

const lex = (md: string): Token[] => marked.lexer(md, { gfm: true });

function tables(tokens: Token[]): Tokens.Table[] {
  const out: Tokens.Table[] = [];
  marked.walkTokens(tokens, (t) => {
    if (t.type === 'table') out.push(t as Tokens.Table);
  });
  return out;
}

/** What a reader sees in a cell: rendered inline, tags dropped, entities decoded once. */
function seen(cell: Tokens.TableCell): string {
  const html = marked.parseInline(cell.text, { gfm: true }) as string;
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (_, e: string) =>
      e.startsWith('#x') || e.startsWith('#X') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : named[e.toLowerCase()]!,
    )
    .replace(/\u200b/g, '')
    .trim();
}

const plainName = (name: string) => terminalText(name).replace(/\u200b/g, '').trim();

/** Pieces that break naive Markdown: pipes, line breaks, escapes, HTML, code fences, entities. */
const hostile = fc
  .array(
    fc.constantFrom('|', '\\|', '\n', '\r\n', '\t', '\u2028', '\\', '`', '```', '~~~', '<', '>', '&', '&#124;', '&amp;', '*', '_', '[', '](x)', '#', '#1', '@here', '<!--', '-->', '</details>', '<br>', '- ', '1. ', ' ', 'a', 'Z9', 'é', '💥', '{{x}}', '$x'),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const value = fc.oneof(fc.double({ noNaN: false }), fc.boolean(), fc.integer(), fc.constantFrom(0.00049, 0.0005, 1500.2, -0, 1e-300, 1e300));

function snapshotOf(specs: { name: string; query: string; value: number | boolean; windowed: boolean; severity: 'critical' | 'major' | 'minor'; shadow: boolean }[]): Snapshot {
  const gates = specs.map((s) => gate({ name: s.name, query: s.query, pass: '< 1', severity: s.severity, shadow: s.shadow, overMs: s.windowed ? 10 * M : null, stepMs: s.windowed ? 60_000 : null }));
  const observations = new Map<string, GateObservation>(specs.map((s) => [s.name, { samples: s.windowed ? seriesOf(10, 60, (i) => (i % 2 ? s.value : 0.5)) : [[NOW_S, s.value]] }]));
  const decision = decide({ plan: plan(), gates, state: state(), target: null, observations, nowMs: NOW });
  return {
    ...decision, schemaVersion: 1, tool: { name: 'rollout-gate', version: 't' }, rollout: 'chat', command: 'evaluate', at: new Date(NOW).toISOString(),
    actor: null, approvers: [], dryRun: false, stateChanged: false, stateBefore: null, stateAfter: null, config: { file: 'c.yml', sha256: 'abcdef0123456789' }, context: emptyContext, evidencePath: null,
  };
}

function checkComment(s: Snapshot): void {
  const body = stickyBody(renderMarkdown(s), stickyMarker(s.rollout));
  const tokens = lex(body);
  const gateTables = tables(tokens).filter((t) => t.header[0]?.text === 'gate');
  expect(gateTables).toHaveLength(1);
  const table = gateTables[0]!;
  expect(table.header.map((h) => h.text)).toEqual(['gate', 'value', 'trend', 'condition', 'window', 'status'].filter((h) => h !== 'trend' || table.header.length === 6));
  const ordered = orderGates(s.gates);
  expect(table.rows).toHaveLength(ordered.length);
  table.rows.forEach((row, i) => {
    expect(row).toHaveLength(table.header.length);
    expect(seen(row[0]!)).toBe(plainName(ordered[i]!.name));
    expect(seen(row.at(-1)!)).toMatch(/^(✅ pass|❌ fail|❔ no data|➖ n\/a)/);
  });
  // The only HTML comment is the sticky marker: no gate name can hide the rest of the comment.
  const comments = tokens.filter((t) => t.type === 'html' && t.raw.includes('<!--'));
  expect(comments).toHaveLength(1);
  expect(comments[0]!.raw.startsWith(stickyMarker(s.rollout))).toBe(true);
  // Every query is one code block, whole.
  const code = [] as string[];
  marked.walkTokens(tokens, (t) => {
    if (t.type === 'code') code.push((t as Tokens.Code).text.trimEnd());
  });
  const queried = ordered.filter((g) => g.status !== 'skipped' && g.query);
  expect(code).toEqual(queried.map((g) => g.query!.replace(/\r\n?/g, '\n').replace(/<!--/g, '<\u200b!--').trimEnd()));
}

describe('the comment rendered as GitHub-flavoured Markdown', () => {
  it('the golden comment: one gate table, the ROLLBACK gate its first row, every row whole', () => {
    const s = rollbackSnapshot();
    checkComment(s);
    const table = tables(lex(renderMarkdown(s))).find((t) => t.header[0]?.text === 'gate')!;
    expect(seen(table.rows[0]![0]!)).toBe('ack_without_receipt');
    expect(seen(table.rows[0]![1]!)).toBe('worst 1.017 at 2026-11-22 11:25 UTC, broken for 6m (now 0)');
    expect(seen(table.rows[0]![5]!)).toBe('❌ fail → ROLLBACK');
  });

  it('hostile gate names, values and queries never break a row', async () => {
    const spec = fc.record({
      name: hostile,
      query: hostile.filter((q) => q.trim().length > 0),
      value,
      windowed: fc.boolean(),
      severity: fc.constantFrom('critical' as const, 'major' as const, 'minor' as const),
      shadow: fc.boolean(),
    });
    await fc.assert(
      yieldingProperty(fc.array(spec, { minLength: 1, maxLength: 6 }), (specs) => {
        checkComment(snapshotOf(specs));
      }),
      { ...fuzz, numRuns: Math.max(100, Math.floor(fuzz.numRuns / 5)) },
    );
  });

  it('the status page: hostile stages, actors and reasons keep every decision one row', async () => {
    await fc.assert(
      yieldingProperty(fc.array(fc.record({ command: hostile, actor: hostile, to: hostile, evidence: hostile }), { minLength: 1, maxLength: 25 }), hostile, (entries, reason) => {
        const log = entries.map((e, i) => JSON.stringify({ at: new Date(NOW - (entries.length - i) * M).toISOString(), command: e.command, from: 'canary_10', to: e.to, decision: 'HOLD', actor: e.actor, evidence: e.evidence })).join('\n');
        const st = { ...state(), paused: { at: new Date(NOW - H).toISOString(), reason, actor: entries[0]!.actor } } as RolloutState;
        const page = renderStatusPage(new Map([['chat', renderStatusSection({ plan: plan(), state: st, decisionLog: log, nowMs: NOW })]]));
        const all = tables(lex(page));
        const decisions = all.find((t) => t.header[0]?.text === 'time')!;
        expect(decisions.rows).toHaveLength(Math.min(20, entries.length));
        for (const row of decisions.rows) expect(row).toHaveLength(6);
        const facts = all.find((t) => t.rows.some((r) => r[0]?.text === 'Paused'))!;
        for (const row of facts.rows) expect(row).toHaveLength(2);
        expect(facts.rows.map((r) => r[0]!.text)).toEqual(['Stage', 'Since', 'Paused', 'Kill switch', 'Next stage', 'Waits for', 'Last evidence']);
      }),
      { ...fuzz, numRuns: Math.max(50, Math.floor(fuzz.numRuns / 10)) },
    );
  });
});
