import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { defaultFactories } from '../../src/providers/index.js';
import { emptyContext } from '../../src/report/snapshot.js';
import { runRollout } from '../../src/run.js';
import { Redactor } from '../../src/secrets.js';
import { fileStateStore } from '../../src/state/file.js';
import { StateConflictError } from '../../src/state/types.js';
import { DEMO_CONFIG, demoDir } from '../support/demo.js';
import { decisionLogLines, decisionLogText } from '../support/decision-log.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function setup() {
  const d = demoDir(NOW);
  cleanup = d.cleanup;
  const config = loadConfigFile(DEMO_CONFIG, { ROLLOUT_DEMO_DIR: d.dir });
  return { dir: d.dir, config };
}

describe('file state store', () => {
  it('refuses a write when the file changed since it was read', async () => {
    const { dir, config } = setup();
    const store = fileStateStore(join(dir, 'state.json'), { cwd: dir, rollout: config.rollout.name });
    const read = await store.read();
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...read.state, stage: 'canary_50' }));
    await expect(
      store.write({ expectedVersion: read.version, state: { ...read.state!, stage: 'canary_50' }, evidence: [], decisionLog: { path: 'decision-log/x.jsonl', line: '{}' }, message: 'm' }),
    ).rejects.toBeInstanceOf(StateConflictError);
  });

  it('[race] file: 8 concurrent promote runs in one process: exactly one transition, every decision-log line kept, no torn file', async () => {
    const { dir, config } = setup();
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        runRollout({
          config,
          command: 'promote',
          target: null,
          nowMs: NOW,
          store: fileStateStore(join(dir, 'state.json'), { cwd: dir, rollout: config.rollout.name }),
          factories: defaultFactories,
          cwd: dir,
          logger: silentLogger,
          redactor: new Redactor(),
          context: emptyContext,
          actor: `runner-${i}`,
          runKey: `run${i}`,
        }),
      ),
    );
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state.stage).toBe('canary_50');
    // One promotion to canary_50; the others re-read, saw canary_50 (entered just now) and held.
    expect(state.history.filter((h: { to: string }) => h.to === 'canary_50')).toHaveLength(1);
    expect(runs.filter((r) => r.snapshot.stateChanged)).toHaveLength(1);
    expect(runs.filter((r) => r.snapshot.decision === 'HOLD')).toHaveLength(7);
    expect(runs.every((r) => r.writeError === null)).toBe(true);
    const log = decisionLogLines(dir, 'chat-v1.1');
    expect(log).toHaveLength(8);
    expect(new Set(log.map((l) => l.actor)).size).toBe(8);
    expect(readdirSync(join(dir, 'evidence/chat-v1.1'))).toHaveLength(8);
  });

  it('secrets from ${VAR} never reach the evidence', async () => {
    const { dir } = setup();
    const cfgFile = join(dir, 'cfg.yml');
    writeFileSync(
      cfgFile,
      [
        'version: 1',
        'rollout: { name: s, stages: [{ name: a, traffic: 1 }, { name: b, traffic: 2 }] }',
        'providers:',
        '  m: { type: file, path: "${DIR}/missing-${TOKEN}.json" }',
        'gates:',
        '  - { name: g, provider: m, query: x, pass: "< 1" }',
      ].join('\n'),
    );
    const config = loadConfigFile(cfgFile, { DIR: dir, TOKEN: 's3cr3t-token-value' });
    const result = await runRollout({
      config,
      command: 'evaluate',
      target: null,
      nowMs: NOW,
      store: fileStateStore(join(dir, 's.json'), { cwd: dir, rollout: 's' }),
      factories: defaultFactories,
      cwd: dir,
      logger: silentLogger,
      redactor: new Redactor(config.secrets),
      context: emptyContext,
      actor: null,
    });
    expect(result.snapshot.gates[0]!.reason).toContain('***');
    const evidence = join(dir, 'evidence/s', readdirSync(join(dir, 'evidence/s'))[0]!);
    for (const f of ['snapshot.json', 'go-no-go.md']) expect(readFileSync(join(evidence, f), 'utf8')).not.toContain('s3cr3t-token-value');
    expect(decisionLogText(dir, 's')).not.toContain('s3cr3t-token-value');
  });
});
