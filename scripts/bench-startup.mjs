// Start-up, paired: this tree's bundled CLI and Action against another build of them (BASE, a
// directory holding that build's bin/ and dist/, e.g. `git archive <commit> bin dist package.json
// | tar -x -C /tmp/base`), bare `node -e 0`, and the job's limit (scripts/bench/limit.mjs), run in
// turn (bare, base, this, limit, bare, base, …) so load on the machine hits all alike. Prints
// per case the medians and the median of the per-round ratios; asserts nothing.
// Usage: BASE=/tmp/base [BENCH_REPEAT=15] node scripts/bench-startup.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = process.env.BASE ?? null;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
const NOW_S = Math.floor(Date.parse('2026-11-22T12:00:00Z') / 1000);
const work = mkdtempSync(join(tmpdir(), 'rollout-gate-bench-startup-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function fixture(gates) {
  const dir = join(work, `g${gates}`);
  mkdirSync(dir, { recursive: true });
  const metrics = {};
  for (let g = 0; g < gates; g++) metrics[`g${g}`] = Array.from({ length: 480 }, (_, i) => [NOW_S - (479 - i) * 30, 100 + ((i * 7 + g) % 50)]);
  const config = {
    version: 1,
    rollout: { name: 'bench', stages: [{ name: 'a', traffic: 1 }, { name: 'b', traffic: 10 }] },
    state: { type: 'file', path: join(dir, 'state.json') },
    providers: { m: { type: 'file', path: join(dir, 'metrics.json') } },
    gates: Array.from({ length: gates }, (_, g) => ({ name: `gate_${g}`, provider: 'm', query: `g${g}`, pass: '< 1500', over: '4h', failAfter: '5m', step: '30s' })),
  };
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

function time(args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (![0, 1, 3, 4].includes(r.status)) process.stderr.write(r.stderr);
  return ms;
}

/** Runs the named commands in turn REPEAT times; medians and the median of per-round ratios to `of`. */
function paired(commands) {
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < REPEAT; i++) for (const [k, c] of Object.entries(commands)) { c.before?.(); times[k].push(time(c.args, c.env)); }
  const ratio = (a, b) => median(times[a].map((t, i) => t / times[b][i]));
  return { med: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])), ratio };
}

const out = [`Paired start-up, ${REPEAT} rounds each (medians; ratios are medians of per-round ratios)${base ? `; base: ${base}` : ''}`];
const has = (dir) => dir && existsSync(join(dir, 'bin/rollout-gate.js'));
for (const gates of [10, 200]) {
  const dir = fixture(gates);
  const cfg = join(dir, 'config.json');
  const clean = () => rmSync(join(dir, 'evidence'), { recursive: true, force: true });
  const evaluate = (tree) => ({ args: [join(tree, 'bin/rollout-gate.js'), 'evaluate', '--config', cfg, '--now', '2026-11-22T12:00:00Z'], before: clean });
  const cmds = { bare: { args: ['-e', '0'] }, ...(has(base) ? { base: evaluate(base) } : {}), now: evaluate(root), limit: { args: [join(root, 'scripts/bench/limit.mjs'), cfg, join(dir, 'limit-out.json')] } };
  const { med, ratio } = paired(cmds);
  out.push(
    `  ${gates} gates, JSON config: bare ${med.bare.toFixed(0)} ms, limit ${med.limit.toFixed(0)} ms, ` +
      `${has(base) ? `base ${med.base.toFixed(0)} ms, ` : ''}now ${med.now.toFixed(0)} ms; ` +
      `now/bare ${ratio('now', 'bare').toFixed(2)}, now/limit ${ratio('now', 'limit').toFixed(2)}` +
      (has(base) ? `; base/bare ${ratio('base', 'bare').toFixed(2)}, base/limit ${ratio('base', 'limit').toFixed(2)}, now/base ${ratio('now', 'base').toFixed(3)}` : ''),
  );
}
{
  const dir = join(work, 'action');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rollout-gate.yml'), 'version: 2\n');
  for (const f of ['output', 'summary']) writeFileSync(join(dir, f), '');
  writeFileSync(join(dir, 'event.json'), '{}');
  const env = {
    ...process.env, INPUT_CONFIG: 'rollout-gate.yml', 'INPUT_GITHUB-TOKEN': 'x', GITHUB_WORKSPACE: dir, GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_EVENT_PATH: join(dir, 'event.json'), GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'acme/chat', RUNNER_TEMP: dir,
  };
  const cmds = { bare: { args: ['-e', '0'] }, ...(has(base) ? { base: { args: [join(base, 'dist/index.js')], env } } : {}), now: { args: [join(root, 'dist/index.js')], env } };
  const { med, ratio } = paired(cmds);
  out.push(
    `  Action start to a config error: bare ${med.bare.toFixed(0)} ms, ${has(base) ? `base ${med.base.toFixed(0)} ms, ` : ''}now ${med.now.toFixed(0)} ms; now/bare ${ratio('now', 'bare').toFixed(2)}` +
      (has(base) ? `; base/bare ${ratio('base', 'bare').toFixed(2)}, now/base ${ratio('now', 'base').toFixed(3)}` : ''),
  );
}
console.log(out.join('\n'));
rmSync(work, { recursive: true, force: true });
