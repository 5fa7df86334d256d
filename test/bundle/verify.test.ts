import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decisionLogShard } from '../../src/ledger/layout.js';
import { writeEvidence } from '../../src/state/evidence-dir.js';
import { runAction } from '../support/runner.js';

/** The bundled Action's `command: verify` on a checkout of the ledger under the workspace. */

async function workspaceWithLedger(): Promise<string> {
  const workspace = mkdtempSync(join(tmpdir(), 'rollout-gate-verify-action-'));
  const ledger = join(workspace, 'rollout-ledger');
  for (let i = 0; i < 3; i++) {
    const at = Date.parse('2026-11-22T10:00:00Z') + i * 300_000;
    await writeEvidence(ledger, {
      evidence: [{ path: `evidence/chat/run-${i}/go-no-go.md`, content: `# Go/No-Go ${i}\n` }],
      decisionLog: { path: decisionLogShard('chat', at), line: JSON.stringify({ at: new Date(at).toISOString(), command: 'evaluate', decision: 'HOLD' }) },
    });
  }
  return workspace;
}

describe('Action command: verify', () => {
  it('passes on an intact ledger and fails naming the first broken link once an evidence file changed', async () => {
    const workspace = await workspaceWithLedger();
    const ok = await runAction({ inputs: { command: 'verify' }, workspace });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('decision-log/chat: intact: 3 chained line(s), 3 evidence file(s) checked');
    expect(ok.summary).toContain('rollout-gate verify');

    appendFileSync(join(workspace, 'rollout-ledger/evidence/chat/run-1/go-no-go.md'), 'edited\n');
    const broken = await runAction({ inputs: { command: 'verify', 'ledger-path': 'rollout-ledger' }, workspace });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('::error::first broken link (changed-evidence): decision-log/chat/2026-11-22.jsonl:2: evidence file evidence/chat/run-1/go-no-go.md changed');
  });
});
