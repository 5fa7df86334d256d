import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitSummary } from '../../src/github/check-run.js';
import { stickyBody, stickyMarker } from '../../src/github/comment.js';
import type { RolloutState } from '../../src/engine/model.js';
import { DEFAULT_GO_NO_GO_TEMPLATE } from '../../src/report/default-template.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderStatusPage, renderStatusSection } from '../../src/report/status-page.js';
import { renderGoNoGo } from '../../src/report/template.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { H, M, NOW, plan } from '../support/fixtures.js';
import { holdSnapshot, rollbackSnapshot } from '../support/report-fixtures.js';

/**
 * Every report rendered from fixed snapshots and compared with the reviewed files in
 * test/golden/. A change of format shows as a diff of those files in review. To rewrite them on
 * purpose: UPDATE_GOLDEN=1 npx vitest run test/unit/report-golden.test.ts (never under CI).
 */

const GOLDEN = join(import.meta.dirname, '../golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1' && !process.env.CI;

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (UPDATE) writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing: render it with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const EVIDENCE_URL = 'https://github.com/acme/chat/commit/e3541ba5d81df00893455d777bdf310cd99c7f01';

describe('golden reports', () => {
  const rollback = rollbackSnapshot();
  const hold = holdSnapshot();

  it('the fixture decides as the issue describes: ROLLBACK by the last gate of the config', () => {
    expect(rollback.decision).toBe('ROLLBACK');
    expect(rollback.gates.at(-1)!.name).toBe('ack_without_receipt');
    expect(rollback.gates.at(-1)!.value).toBe(0);
    expect(rollback.gates.at(-1)!.worst).toMatchObject({ value: 1.01702, threshold: 0 });
    expect(hold.decision).toBe('HOLD');
    expect(hold.ramp.filter((r) => !r.ok).map((r) => r.rule)).toEqual(['min_duration']);
  });

  it('PR comment (sticky, as posted)', () => {
    golden('comment-rollback.md', stickyBody(renderMarkdown(rollback, { evidenceUrl: EVIDENCE_URL }), stickyMarker(rollback.rollout)));
    golden('comment-hold.md', stickyBody(renderMarkdown(hold, { evidenceUrl: EVIDENCE_URL }), stickyMarker(hold.rollout)));
  });

  it('job summary with Mermaid charts', () => {
    golden('summary-rollback.md', renderMarkdown(rollback, { evidenceUrl: EVIDENCE_URL, charts: 'mermaid' }));
  });

  it('check run summary', () => {
    golden('check-run-rollback.md', fitSummary(renderMarkdown(rollback, { evidenceUrl: EVIDENCE_URL })));
  });

  it('terminal table', () => {
    golden('terminal-rollback.txt', renderTerminal(rollback, false));
    golden('terminal-hold.txt', renderTerminal(hold, false));
  });

  it('Go/No-Go document', () => {
    golden('go-no-go-rollback.md', renderGoNoGo(DEFAULT_GO_NO_GO_TEMPLATE, rollback));
    golden('go-no-go-hold.md', renderGoNoGo(DEFAULT_GO_NO_GO_TEMPLATE, hold));
  });

  it('ledger status page: two rollouts, one paused, one rolled back with the kill switch', () => {
    const p = plan({ name: 'chat-v1.1', ramp: { maxStepFactor: 5, cooldownAfterRollbackMs: 24 * H, allowSkip: false } });
    const at = (ms: number) => new Date(ms).toISOString();
    const chat = {
      ...rollback.stateBefore!,
      paused: { at: at(NOW - 20 * M), reason: 'waiting for the | pager | rotation\nto change', actor: 'dana' },
    } as RolloutState;
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ at: at(NOW - (30 - i) * 10 * M), rollout: 'chat-v1.1', command: i % 7 === 3 ? 'watch' : 'evaluate', from: 'canary_10', to: 'canary_50', decision: i % 5 === 0 ? 'HOLD' : 'PROCEED', forced: false, actor: i % 2 ? 'dana' : null, evidence: `evidence/chat-v1.1/run-${i}` }),
    );
    const chatSection = renderStatusSection({ plan: p, state: chat, decisionLog: `${lines.join('\n')}\nnot json\n`, nowMs: NOW });
    const search = plan({ name: 'search-v2', ramp: { maxStepFactor: null, cooldownAfterRollbackMs: 12 * H, allowSkip: false } });
    const searchState: RolloutState = {
      rollout: 'search-v2',
      stage: 'canary_1',
      enteredAt: at(NOW - H),
      killSwitch: true,
      lastRollbackAt: at(NOW - H),
      paused: null,
      history: [
        { at: at(NOW - 30 * H), from: null, to: 'canary_1', decision: 'PROCEED', forced: false, actor: 'sam', reason: null, evidence: null },
        { at: at(NOW - 26 * H), from: 'canary_1', to: 'canary_10', decision: 'PROCEED', forced: true, actor: 'sam', reason: 'pilot', evidence: null },
        { at: at(NOW - H), from: 'canary_10', to: 'canary_1', decision: 'ROLLBACK', forced: false, actor: 'sam', reason: 'errors', evidence: 'evidence/search-v2/x' },
      ],
    };
    const searchLog = JSON.stringify({ at: at(NOW - H), command: 'rollback', from: 'canary_10', to: 'canary_1', decision: 'ROLLBACK', actor: 'sam', evidence: 'evidence/search-v2/x' });
    const searchSection = renderStatusSection({ plan: search, state: searchState, decisionLog: searchLog, nowMs: NOW });
    golden('status-page.md', renderStatusPage(new Map([['search-v2', searchSection], ['chat-v1.1', chatSection]])));
  });

  it('docs/reports.md shows the golden comment as the source of its picture', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/reports.md'), 'utf8');
    const m = /<!-- comment-source:start[^\n]*-->\n````markdown\n([\s\S]*)\n````\n<!-- comment-source:end -->/.exec(doc);
    expect(m, 'the comment-source block of docs/reports.md').not.toBeNull();
    expect(m![1]).toBe(readFileSync(join(GOLDEN, 'comment-rollback.md'), 'utf8'));
    expect(existsSync(join(import.meta.dirname, '../../docs/images/comment.png'))).toBe(true);
  });
});
