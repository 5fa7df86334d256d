// GitHub-side benchmark: prints figures, asserts nothing.
//
//   npx vite-node scripts/bench-github.ts      (part of `npm run bench`)
//
// Runs the bundled Action (`node dist/index.js`, as the runner does) on a pull_request event
// against the local GitHub stand-in, with the demo's file gates and the state on the ledger
// branch: the first run (no sticky comment yet) and BENCH_REPEAT reruns (default 7). Prints the
// GitHub API calls of each kind of run and the wall time of the whole step (process start to
// exit), against a bare `node -e 0` in the same session.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS_TOKEN, startStandin } from '../test/github/standin.js';
import { demoDir } from '../test/support/demo.js';
import { pullRequestEvent } from '../test/support/events.js';
import { runAction } from '../test/support/runner.js';

const root = join(import.meta.dirname, '..');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const HEAD = '1'.repeat(40);

const standin = await startStandin();
const demo = demoDir(Date.now(), 'healthy');
try {
  const repo = standin.repo('acme', 'chat');
  writeFileSync(
    join(demo.dir, 'rollout-gate.yml'),
    readFileSync(join(root, 'examples/chat-rollout.yml'), 'utf8').replace(/state:\n  type: file\n  path: .*\n/, 'state:\n  type: github\n'),
  );
  standin.addPull(repo, { number: 7, author: 'dana', headSha: HEAD, body: 'Release chat v1.1' });
  standin.commitFiles(repo, 'rollout-ledger', { 'state/chat-v1.1.json': readFileSync(join(demo.dir, 'state.json'), 'utf8') }, 'seed');

  const once = async (runId: number) => {
    const before = standin.requests.length;
    const t0 = performance.now();
    const r = await runAction({
      inputs: { config: 'rollout-gate.yml', 'github-token': ACTIONS_TOKEN },
      env: {
        ROLLOUT_DEMO_DIR: demo.dir,
        GITHUB_API_URL: standin.url,
        GITHUB_REPOSITORY: 'acme/chat',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_SHA: '2'.repeat(40),
        GITHUB_RUN_ID: String(runId),
      },
      event: pullRequestEvent({ owner: 'acme', repo: 'chat', number: 7, headSha: HEAD, author: 'dana', body: 'Release chat v1.1', fork: null }),
      workspace: demo.dir,
    });
    const ms = performance.now() - t0;
    if (r.code !== 0) throw new Error(`the Action failed:\n${r.stdout}\n${r.stderr}`);
    return { ms, calls: standin.requests.slice(before).map((q) => q.operation ?? `${q.method} ${q.path}`) };
  };

  const bare: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t0);
  }
  const first = await once(1);
  const reruns: { ms: number; calls: string[] }[] = [];
  for (let i = 0; i < REPEAT; i++) reruns.push(await once(2 + i));

  const lines = [
    `GitHub stand-in ${standin.url}: the bundled Action, evaluate on a pull request, 6 file gates, state on the ledger branch`,
    `(every request checked against GitHub's OpenAPI description: ${standin.violations.length} violations)`,
    '',
    '  run                   API calls   wall ms (process start to exit)',
    `  first (no comment)    ${String(first.calls.length).padStart(9)}   ${first.ms.toFixed(0).padStart(7)}`,
    `  rerun (median of ${REPEAT})  ${String(reruns[0]!.calls.length).padStart(9)}   ${median(reruns.map((r) => r.ms)).toFixed(0).padStart(7)}`,
    `  bare node -e 0        ${'—'.padStart(9)}   ${median(bare).toFixed(0).padStart(7)}`,
    '',
    `  rerun calls: ${reruns[0]!.calls.join(', ')}`,
  ];
  console.log(lines.join('\n'));
} finally {
  demo.cleanup();
  await standin.stop();
}
