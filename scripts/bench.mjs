// `npm run bench`: prints figures, asserts nothing. Everything is measured in this one run so the
// ratios compare like with like on whatever machine runs it.
//  1. CLI `evaluate` wall time for 10 / 200 / 2,000 windowed gates (480 samples each, file
//     provider) against a bare `node -e 0` start, with the CLI's peak RSS.
//  2. Engine-only time per 1,000 gate-windows, at 120 / 480 / 1,920 samples (linear in samples?).
// Needs lib/ (built by `npm ci`, or `npx tsc -p tsconfig.json`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = (p) => pathToFileURL(join(root, 'lib', p)).href;
const NOW_S = Math.floor(Date.parse('2026-11-22T12:00:00Z') / 1000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 7);
const work = mkdtempSync(join(tmpdir(), 'rollout-gate-bench-'));
const rssProbe = join(work, 'rss.cjs');
writeFileSync(rssProbe, "process.on('exit', () => process.stderr.write(`\\nmaxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeCommand(args, env = {}) {
  const times = [];
  let rss = 0;
  let status = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-r', rssProbe, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    rss = Math.max(rss, Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0));
    status = r.status;
  }
  return { ms: median(times), rssMb: rss / 1024, status };
}

function writeFixture(gates, samples) {
  const dir = join(work, `g${gates}`);
  spawnSync('mkdir', ['-p', dir]);
  const metrics = {};
  const lines = [
    'version: 1',
    'rollout:',
    '  name: bench',
    '  stages: [{ name: a, traffic: 1 }, { name: b, traffic: 10 }]',
    `state: { type: file, path: ${join(dir, 'state.json')} }`,
    `providers: { m: { type: file, path: ${join(dir, 'metrics.json')} } }`,
    'gates:',
  ];
  for (let g = 0; g < gates; g++) {
    metrics[`g${g}`] = Array.from({ length: samples }, (_, i) => [NOW_S - (samples - 1 - i) * 30, 100 + ((i * 7 + g) % 50)]);
    lines.push(`  - { name: gate_${g}, provider: m, query: g${g}, pass: "< 1500", over: ${samples * 30}s, failAfter: 5m, step: 30s }`);
  }
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
  writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  return join(dir, 'config.yml');
}

const out = [];
const bare = timeCommand(['-e', '0']);
out.push(`bare node -e 0: ${bare.ms.toFixed(1)} ms (median of ${REPEAT}), peak RSS ${bare.rssMb.toFixed(1)} MB`);
out.push('');
out.push('CLI evaluate (file provider, 480 samples per gate, --no-evidence):');
out.push('  gates   wall ms   × bare node   peak RSS MB   exit');
for (const n of [10, 200, 2000]) {
  const cfg = writeFixture(n, 480);
  const r = timeCommand([join(root, 'bin/rollout-gate.js'), 'evaluate', '--config', cfg, '--now', '2026-11-22T12:00:00Z', '--no-evidence']);
  out.push(`  ${String(n).padStart(5)}   ${r.ms.toFixed(1).padStart(7)}   ${(r.ms / bare.ms).toFixed(2).padStart(11)}   ${r.rssMb.toFixed(1).padStart(11)}   ${r.status}`);
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

console.log(out.join('\n'));
rmSync(work, { recursive: true, force: true });
