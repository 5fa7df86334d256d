// `npm run bench`: prints figures, asserts nothing. Everything is measured in this one run so the
// ratios compare like with like on whatever machine runs it.
//  1. CLI `evaluate` (file provider, evidence written) for 10 / 200 / 2,000 windowed gates of
//     480 samples, with the config as JSON and as YAML, and with every gate on one shared series:
//     wall time and peak RSS, against bare `node -e 0` and against the job's limit: a bare script
//     that reads and parses the same files, picks each gate's series and writes them all to one
//     JSON file (scripts/bench/limit.mjs), and does nothing else.
//  2. Engine-only time per 1,000 gate-windows, at 120 / 480 / 1,920 samples (linear in samples?).
// Needs lib/ (built by `npm ci`, or `npx tsc -p tsconfig.json`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify as toYaml } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = (p) => pathToFileURL(join(root, 'lib', p)).href;
const NOW_S = Math.floor(Date.parse('2026-11-22T12:00:00Z') / 1000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 7);
const work = mkdtempSync(join(tmpdir(), 'rollout-gate-bench-'));
const rssProbe = join(work, 'rss.cjs');
writeFileSync(rssProbe, "process.on('exit', () => process.stderr.write(`\\nmaxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs each command REPEAT times, in turn (a, b, c, a, b, c, …) so drift hits all alike. */
function timeCommands(commands) {
  const res = commands.map(() => ({ times: [], rss: 0, status: 0 }));
  for (let i = 0; i < REPEAT; i++) {
    commands.forEach(({ args, before, env }, k) => {
      before?.();
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['-r', rssProbe, ...args], { encoding: 'utf8', env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
      res[k].times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      res[k].rss = Math.max(res[k].rss, Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0));
      res[k].status = r.status;
      // A verdict (0 PROCEED, 3 HOLD, 4 ROLLBACK) or the status asked for; anything else is shown.
      if (![0, 3, 4, commands[k].expectStatus].includes(r.status)) process.stderr.write(r.stderr);
    });
  }
  return res.map((r) => ({ ms: median(r.times), rssMb: r.rss / 1024, status: r.status }));
}

/** A config of `gates` windowed gates over `samples` samples each, written as JSON and as YAML. */
function writeFixture(gates, samples, shared) {
  const dir = join(work, `g${gates}${shared ? '-shared' : ''}`);
  mkdirSync(dir, { recursive: true });
  const metrics = {};
  for (let g = 0; g < (shared ? 1 : gates); g++) {
    metrics[`g${g}`] = Array.from({ length: samples }, (_, i) => [NOW_S - (samples - 1 - i) * 30, 100 + ((i * 7 + g) % 50)]);
  }
  const config = {
    version: 1,
    rollout: { name: 'bench', stages: [{ name: 'a', traffic: 1 }, { name: 'b', traffic: 10 }] },
    state: { type: 'file', path: join(dir, 'state.json') },
    providers: { m: { type: 'file', path: join(dir, 'metrics.json') } },
    gates: Array.from({ length: gates }, (_, g) => ({
      name: `gate_${g}`, provider: 'm', query: shared ? 'g0' : `g${g}`, pass: '< 1500', over: `${samples * 30}s`, failAfter: '5m', step: '30s',
    })),
  };
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'config.yml'), toYaml(config));
  return dir;
}

const out = [];
const cli = join(root, 'bin/rollout-gate.js');
const limit = join(root, 'scripts/bench/limit.mjs');
const [bare] = timeCommands([{ args: ['-e', '0'] }]);
out.push(`bare node -e 0: ${bare.ms.toFixed(1)} ms (median of ${REPEAT}), peak RSS ${bare.rssMb.toFixed(1)} MB`);
out.push('');
out.push('CLI evaluate (file provider, 480 samples per gate, evidence written) against the limit (read, parse,');
out.push('pick each gate\'s series, write them as JSON). Medians of ' + REPEAT + ' runs, taken in turn with bare node.');
out.push('  gates  config  series    evaluate ms  peak MB   limit ms  peak MB   eval/limit  eval/bare  exit');
for (const n of (process.env.BENCH_GATES ?? "10,200,2000").split(",").map(Number)) {
  for (const shared of [false, true]) {
    if (shared && n === 10) continue;
    const dir = writeFixture(n, 480, shared);
    for (const kind of ['json', 'yml']) {
      const cfg = join(dir, `config.${kind}`);
      const evidence = join(dir, 'evidence');
      const [b, e, l] = timeCommands([
        { args: ['-e', '0'] },
        { args: [cli, 'evaluate', '--config', cfg, '--now', '2026-11-22T12:00:00Z'], before: () => rmSync(evidence, { recursive: true, force: true }) },
        { args: [limit, cfg, join(dir, 'limit-out.json')] },
      ]);
      out.push(
        `  ${String(n).padStart(5)}  ${kind.padEnd(6)}  ${(shared ? 'shared' : 'own').padEnd(6)}  ${e.ms.toFixed(1).padStart(11)}  ${e.rssMb.toFixed(0).padStart(7)}  ${l.ms.toFixed(1).padStart(9)}  ${l.rssMb.toFixed(0).padStart(7)}  ${(e.ms / l.ms).toFixed(2).padStart(10)}  ${(e.ms / b.ms).toFixed(2).padStart(9)}  ${String(e.status).padStart(4)}`,
      );
    }
  }
}
out.push('targets: eval/limit <= 2 at 200 and 2,000 gates; 2,000 gates <= 150 MB peak; 10 gates <= 1.6x bare node');

// 3. The Action's own start: the bundle run as the runner runs it, with an invalid config, timed
//    to the error (nothing but loading, reading inputs and validating the config).
{
  const dir = join(work, 'action-start');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rollout-gate.yml'), 'version: 2\n');
  for (const f of ['output', 'summary']) writeFileSync(join(dir, f), '');
  writeFileSync(join(dir, 'event.json'), '{}');
  const env = {
    ...process.env, INPUT_CONFIG: 'rollout-gate.yml', 'INPUT_GITHUB-TOKEN': 'x', GITHUB_WORKSPACE: dir, GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_EVENT_PATH: join(dir, 'event.json'), GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'acme/chat', RUNNER_TEMP: dir,
  };
  const [b, a] = timeCommands([{ args: ['-e', '0'] }, { args: [join(root, 'dist/index.js')], env, expectStatus: 1 }]);
  out.push('');
  out.push(`The Action's start (node dist/index.js, invalid config, time to the error): ${a.ms.toFixed(1)} ms, bare node ${b.ms.toFixed(1)} ms: ${(a.ms / b.ms).toFixed(2)}x (target <= 1.5x), exit ${a.status}`);
}

const { evaluateGate } = await import(lib('engine/gates.js'));
const { parseCondition } = await import(lib('engine/conditions.js'));
out.push('');
out.push('Engine only (evaluateGate, over + failAfter), per 1,000 gate-windows:');
out.push('  samples   ms per 1,000   ns per sample');
for (const samples of [120, 480, 1920]) {
  const series = Array.from({ length: samples }, (_, i) => [NOW_S - (samples - 1 - i) * 30, 100 + (i % 50)]);
  const gate = {
    index: 0, name: 'g', provider: 'p', providerType: 'file', query: 'q', baseline: null, pass: [parseCondition('< 1500')],
    thresholds: {}, appliesTo: null, severity: 'major', noData: 'hold', minSamples: 1, overMs: samples * 30_000,
    failAfterMs: 300_000, stepMs: 30_000, select: null, reduce: null, staleAfterMs: null, activeForMs: null, approvals: null, checklist: null,
  };
  const obs = { samples: series };
  for (let i = 0; i < 200; i++) evaluateGate(gate, 'b', obs, NOW_S * 1000); // warm up
  const rounds = 5;
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) evaluateGate(gate, 'b', obs, NOW_S * 1000);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const ms = median(times);
  out.push(`  ${String(samples).padStart(7)}   ${ms.toFixed(1).padStart(12)}   ${((ms * 1e6) / (1000 * samples)).toFixed(1).padStart(13)}`);
}

// 4. A comparison gate's statistics: Mann-Whitney with the Hodges-Lehmann interval on
//    2,000 canary × 2,000 baseline samples (4,000,000 pairwise differences, never materialised).
{
  const { mannWhitney } = await import(lib('engine/stats/index.js'));
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = Array.from({ length: 2000 }, () => 100 + 20 * rand());
  const y = Array.from({ length: 2000 }, () => 98 + 20 * rand());
  for (let i = 0; i < 10; i++) mannWhitney(x, y, 0.98); // warm up
  const times = [];
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = 0;
  for (let i = 0; i < 21; i++) {
    const t0 = process.hrtime.bigint();
    mannWhitney(x, y, 0.98);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    peak = Math.max(peak, process.memoryUsage().heapUsed - heapBefore);
  }
  out.push('');
  out.push(`Mann-Whitney + Hodges-Lehmann, 2,000 x 2,000 samples: ${median(times).toFixed(2)} ms (median of 21; target < 50 ms);`);
  out.push(`  heap growth during the calls ${(peak / 1024 / 1024).toFixed(2)} MB (the 4,000,000 differences as doubles would be ${(4e6 * 8 / 1024 / 1024).toFixed(1)} MB)`);
}

console.log(out.join('\n'));
if (process.env.BENCH_KEEP) console.log(`fixtures kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
