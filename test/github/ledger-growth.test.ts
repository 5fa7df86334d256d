import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { defaultFactories } from '../../src/providers/index.js';
import { emptyContext } from '../../src/report/snapshot.js';
import { runRollout } from '../../src/run.js';
import { Redactor } from '../../src/secrets.js';
import { githubLedgerStore } from '../../src/state/ledger.js';
import { ACTIONS_TOKEN, clientFor, startStandin, type GitHubStandin } from './standin.js';

/**
 * Bounded growth: 30 healthy `*\/5` watches on the GitHub ledger, each commit rebuilt in a real
 * git repository and packed (`git gc`): outside the checkpoints a run adds at most 1 KB.
 */

const M = 60_000;
const work = mkdtempSync(join(tmpdir(), 'rollout-gate-growth-'));
writeFileSync(join(work, 'metrics.json'), JSON.stringify({ errors: 0.002, latency: 180, saturation: 0.4 }));
const config = parseConfig(`version: 1
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
`, 'rollout-gate.yml', {});

let standin: GitHubStandin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  expect(standin.violations).toEqual([]);
  await standin.stop();
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', GIT_CONFIG_NOSYSTEM: '1', HOME: work } });
const packed = (repo: string) => readdirSync(join(repo, '.git/objects/pack')).filter((f) => f.endsWith('.pack')).reduce((n, f) => n + statSync(join(repo, '.git/objects/pack', f)).size, 0);

describe('[growth] what a watch adds to the packed ledger', () => {
  it('30 healthy watches: full evidence at the first run and T+15/T+30/T+60 only; at most 1 KB per run outside them', async () => {
    // One UTC day: the first run of a day opens a new shard, which adds a little more once a day.
    const entered = Date.parse('2026-11-22T08:00:00Z');
    const repo = standin.repo('acme', 'growth');
    standin.commitFiles(repo, 'rollout-ledger', {
      'state/chat.json': JSON.stringify({ rollout: 'chat', stage: 'canary_10', enteredAt: new Date(entered).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [] }),
    });
    const local = mkdtempSync(join(tmpdir(), 'rollout-gate-growth-git-'));
    git(local, 'init', '-q');
    const rebuild = (message: string) => {
      for (const [p, content] of standin.files(repo, 'rollout-ledger')) {
        mkdirSync(dirname(join(local, p)), { recursive: true });
        writeFileSync(join(local, p), content);
      }
      git(local, 'add', '-A');
      git(local, 'commit', '-q', '--allow-empty', '-m', message);
      git(local, 'gc', '-q', '--prune=now');
      return packed(local);
    };
    let size = rebuild('seed');
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const runs: { minute: number; full: boolean; added: number }[] = [];
    for (let minute = 5; minute <= 150; minute += 5) {
      const store = githubLedgerStore({ octokit, owner: 'acme', repo: 'growth', rollout: 'chat' });
      const r = await runRollout({
        config, command: 'watch', target: null, nowMs: entered + minute * M, store, factories: defaultFactories, cwd: work, logger: silentLogger,
        redactor: new Redactor([]), context: emptyContext, actor: 'github-actions[bot]', runKey: `${minute}`,
      });
      expect(r.writeError).toBeNull();
      expect(r.snapshot.decision).toBe('PROCEED');
      const now = rebuild(`watch T+${minute}m`);
      runs.push({ minute, full: r.snapshot.evidencePath !== null, added: now - size });
      size = now;
    }
    // eslint-disable-next-line no-console
    console.log(`[growth] bytes added to the pack per run: ${runs.map((r) => `T+${r.minute}m ${r.added}${r.full ? ' (full evidence)' : ''}`).join(', ')}`);
    expect(runs.filter((r) => r.full).map((r) => r.minute)).toEqual([5, 15, 30, 60]);
    const routine = runs.filter((r) => !r.full);
    expect(routine).toHaveLength(26);
    for (const r of routine) expect(r.added, `T+${r.minute}m`).toBeLessThanOrEqual(1024);
    // Every run left its line with each gate's value.
    const shards = [...standin.files(repo, 'rollout-ledger').entries()].filter(([p]) => p.startsWith('decision-log/chat/'));
    const lines = shards.flatMap(([, t]) => t.trim().split('\n')).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(30);
    for (const l of lines) expect(Object.keys(l.gates)).toEqual(['error_ratio', 'latency_p95_ms', 'saturation']);
  });
});
