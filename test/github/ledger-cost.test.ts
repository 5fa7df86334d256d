import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { RolloutState } from '../../src/engine/model.js';
import { silentLogger } from '../../src/logger.js';
import { defaultFactories } from '../../src/providers/index.js';
import { renderStatusPage, renderStatusSection } from '../../src/report/status-page.js';
import { emptyContext } from '../../src/report/snapshot.js';
import { runRollout } from '../../src/run.js';
import { Redactor } from '../../src/secrets.js';
import { githubLedgerStore } from '../../src/state/ledger.js';
import { decisionLogLines } from '../support/decision-log.js';
import { ACTIONS_TOKEN, clientFor, startStandin, type GitHubStandin } from './standin.js';

/**
 * What a run costs through the GitHub API does not grow with the ledger's history: a ledger
 * holding 10,000 earlier decisions in its one-file log (five weeks of a `*\/5` watch), once its
 * first run continued the log in day shards, costs a watch run what a fresh ledger does.
 */

const M = 60_000;
const work = mkdtempSync(join(tmpdir(), 'rollout-gate-cost-'));
writeFileSync(join(work, 'metrics.json'), JSON.stringify({ errors: 0.002, latency: 180, saturation: 0.4 }));
const CONFIG = `version: 1
rollout:
  name: chat
  stages:
    - { name: canary_1, traffic: 1 }
    - { name: canary_10, traffic: 10 }
    - { name: full, traffic: 100 }
providers:
  m: { type: file, path: ${join(work, 'metrics.json')} }
gates:
  - { name: error_ratio, provider: m, query: errors, pass: "< 0.01", severity: critical }
  - { name: latency_p95_ms, provider: m, query: latency, pass: "< 400" }
  - { name: saturation, provider: m, query: saturation, pass: "< 0.8" }
`;
const config = parseConfig(CONFIG, 'rollout-gate.yml', {});

let standin: GitHubStandin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  expect(standin.violations).toEqual([]);
  expect(standin.responseViolations).toEqual([]);
  await standin.stop();
});

const stateAt = (nowMs: number): RolloutState => ({
  rollout: 'chat',
  stage: 'canary_10',
  enteredAt: new Date(nowMs - 40 * 24 * 60 * M).toISOString(),
  killSwitch: false,
  lastRollbackAt: null,
  paused: null,
  history: [],
});

/** A watch line as the earlier version logged it: one file, no chain. */
function oldLine(ms: number, i: number): string {
  return JSON.stringify({
    at: new Date(ms).toISOString(), rollout: 'chat', command: 'watch', from: 'canary_10', to: 'canary_10', decision: 'PROCEED', stateChanged: false, forced: false, forceReason: null,
    actor: 'github-actions[bot]', approvers: [], gates: { error_ratio: { value: 0.002, status: 'pass' }, latency_p95_ms: { value: 180 + (i % 7), status: 'pass' }, saturation: { value: 0.4, status: 'pass' } },
    failedGates: [], window: null, runUrl: `https://github.com/acme/shop/actions/runs/${1000 + i}`, commitSha: 'a'.repeat(40), configSha256: 'c'.repeat(64),
    evidence: `evidence/chat/${new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}-canary_10-to-canary_10-${1000 + i}.1`,
  });
}

async function watch(repoName: string, nowMs: number) {
  const octokit = await clientFor(standin, ACTIONS_TOKEN);
  const store = githubLedgerStore({ octokit, owner: 'acme', repo: repoName, rollout: 'chat' });
  const before = standin.requests.length;
  const r = await runRollout({
    config, command: 'watch', target: null, nowMs, store, factories: defaultFactories, cwd: work, logger: silentLogger, redactor: new Redactor([]),
    context: emptyContext, actor: 'github-actions[bot]', runKey: String(nowMs),
  });
  expect(r.writeError).toBeNull();
  const calls = standin.requests.slice(before);
  return { bytes: calls.reduce((n, q) => n + q.bytesIn + q.bytesOut, 0), calls: calls.length };
}

describe('[cost] a run reads and writes a bounded amount whatever the history', () => {
  it('10,000 earlier decisions in the one-file log: once continued in day shards, a watch run costs within 15% of a fresh ledger at the same point of the day', async () => {
    const now = Date.now();
    const seeded = standin.repo('acme', 'seeded');
    const lines = Array.from({ length: 10_000 }, (_, i) => oldLine(now - (10_000 - i) * 5 * M, i));
    const oldLog = `${lines.join('\n')}\n`;
    const plan = config.rollout;
    const section = renderStatusSection({ plan, state: stateAt(now), decisionLog: oldLog, nowMs: now - 5 * M });
    standin.commitFiles(seeded, 'rollout-ledger', {
      'state/chat.json': JSON.stringify(stateAt(now)),
      'decision-log/chat.jsonl': oldLog,
      'status/chat.md': section,
      'README.md': renderStatusPage(new Map([['chat', section]])),
    });
    const fresh = standin.repo('acme', 'fresh');
    standin.commitFiles(fresh, 'rollout-ledger', { 'state/chat.json': JSON.stringify(stateAt(now)) });

    const migration = await watch('seeded', now);
    // The first 20 runs of a fresh ledger fill its status table; from then on, both ledgers hold
    // the same page and the same day shard, and only the history before today differs.
    const seededRuns = [];
    const freshRuns = [await watch('fresh', now)];
    for (let i = 1; i < 25; i++) {
      seededRuns.push(await watch('seeded', now + i * 1000));
      freshRuns.push(await watch('fresh', now + i * 1000));
    }
    const compared = seededRuns.slice(19).map((r, i) => ({ seeded: r, fresh: freshRuns[i + 20]! }));
    // eslint-disable-next-line no-console
    console.log(`[cost] one-file log ${oldLog.length} B; the run continuing it in day shards ${migration.bytes} B; runs 21-25: ${compared.map((c) => `${c.seeded.bytes} B (fresh ledger ${c.fresh.bytes} B)`).join(', ')}`);
    expect(oldLog.length).toBeGreaterThan(5_000_000);
    for (const c of compared) {
      expect(Math.abs(c.seeded.bytes - c.fresh.bytes) / c.fresh.bytes).toBeLessThanOrEqual(0.15);
      expect(c.seeded.calls).toBe(c.fresh.calls);
    }
    // Every run after the one that continued the log costs a small fraction of the old log.
    for (const r of seededRuns) expect(r.bytes).toBeLessThan(oldLog.length / 20);
    // The one-file log is kept as it was; the chain goes on from its last line.
    const files = standin.files(seeded, 'rollout-ledger');
    expect(files.get('decision-log/chat.jsonl')).toBe(oldLog);
    const log = decisionLogLines(files, 'chat');
    expect(log).toHaveLength(10_025);
    expect(log[10_000]!.prev).toMatch(/^[0-9a-f]{64}$/);
  });
});
