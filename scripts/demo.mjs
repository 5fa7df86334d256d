// `npm run demo`: the chat-service example against generated metrics, twice: a healthy canary
// (PROCEED to canary_50) and a P0 invariant breach (ROLLBACK). Nothing outside a temp dir is written.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemo } from './demo-data.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin/rollout-gate.js');
const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-demo-'));
const names = { 0: 'PROCEED', 3: 'HOLD', 4: 'ROLLBACK' };
try {
  for (const [title, scenario] of [['a healthy canary at 10%', 'healthy'], ['a P0 invariant breach 10 minutes ago', 'breach']]) {
    writeDemo(dir, Date.now(), scenario);
    console.log(`\n=== ${title} ===\n`);
    const r = spawnSync(process.execPath, [cli, 'evaluate', '--config', join(root, 'examples/chat-rollout.yml'), '--actor', 'demo'], {
      stdio: 'inherit',
      env: { ...process.env, ROLLOUT_DEMO_DIR: dir, FORCE_COLOR: process.stdout.isTTY ? '1' : '' },
      cwd: root,
    });
    console.log(`exit code ${r.status} (${names[r.status] ?? 'error'})`);
  }
  console.log(`\nEvidence of both runs (snapshot.json, go-no-go.md, decision log) was written under ${dir}; removed now.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
