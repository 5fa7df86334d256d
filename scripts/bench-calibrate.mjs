// Calibration benchmark: prints figures, asserts nothing.
//
//   npx tsc -p tsconfig.json && node scripts/bench-calibrate.mjs
//
// Needs lib/ (compiled from src/) and the `prometheus` and `promtool` binaries
// (scripts/ensure-servers.sh installs them). Backfills a real Prometheus on a free port of
// 127.0.0.1 with 30 days of one gauge per gate at 30 s, then runs the whole CLI,
// `rollout-gate calibrate --days 30`, over 20 gates (60m windows, 30 s steps: 86,400 points per
// gate, read in 8 range queries each; the gates share 4 series) and prints its wall time and peak RSS against the
// targets (20 s, 200 MB). BENCH_REPEAT (default 3) sets the repetitions; medians are printed.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startPrometheus } from './bench/prometheus-server.mjs';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const GATES = 20;
// Gates share a few series (each asks its own expression of one), which keeps promtool's backfill short.
const SERIES = 4;
const DAYS = 30;
const STEP_S = 30;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const bin of ['prometheus', 'promtool']) {
  if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) {
    console.error(`bench-calibrate: ${bin} is not installed (run scripts/ensure-servers.sh)`);
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'rollout-gate-bench-calibrate-'));
const endS = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const startS = endS - DAYS * 86_400 - 3600;

// 30 days (and an hour before) of a few gauges every 30 s: a daily wave plus, now and
// then, a spike of a few minutes, so windows fail and the suggestion search has work to do.
const t0 = Date.now();
const om = createWriteStream(join(work, 'data.om'));
const write = (s) => (om.write(s) ? null : new Promise((r) => om.once('drain', r)));
await write('# TYPE bench_ratio gauge\n');
for (let g = 0; g < SERIES; g++) {
  const lines = [];
  for (let t = startS, i = 0; t <= endS; t += STEP_S, i++) {
    const wave = 0.002 + 0.001 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400);
    const spike = (Math.floor(t / 3600) * 7919 + g * 104_729) % 97 === 0 && t % 3600 < 300 ? 0.01 + g / 1000 : 0;
    lines.push(`bench_ratio{gate="g${g}"} ${(wave + spike + ((i * 31 + g) % 17) / 100_000).toFixed(6)} ${t}`);
    if (lines.length >= 20_000) await write(`${lines.splice(0).join('\n')}\n`);
  }
  if (lines.length) await write(`${lines.join('\n')}\n`);
}
await write('# EOF\n');
await new Promise((r) => om.end(r));
const backfill = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'data.om'), join(work, 'tsdb')], { encoding: 'utf8' });
if (backfill.status !== 0) throw new Error(`promtool: ${backfill.stderr}`);
rmSync(join(work, 'data.om'));
const backfillS = (Date.now() - t0) / 1000;

const { url, stop: cleanup } = await startPrometheus(work, { extraArgs: ['--storage.tsdb.retention.time=100y'] });

writeFileSync(
  join(work, 'rollout-gate.yml'),
  [
    'version: 1',
    'rollout:',
    '  name: bench',
    '  stages: [{ name: a, traffic: 1 }, { name: b, traffic: 10 }]',
    `providers: { prom: { type: prometheus, url: "${url}", timeout: 60s } }`,
    'gates:',
    ...Array.from({ length: GATES }, (_, g) =>
      `  - { name: gate_${g}, provider: prom, query: 'max(bench_ratio{gate="g${g % SERIES}"}) + ${g / 10_000}', pass: "< 0.01", over: 60m, step: ${STEP_S}s${g % 2 ? ', failAfter: 5m' : ''} }`,
    ),
    '',
  ].join('\n'),
);
const rssProbe = join(work, 'rss.cjs');
writeFileSync(rssProbe, "process.on('exit', () => process.stderr.write(`\\nmaxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");

const times = [];
let rss = 0;
let summary = '';
for (let i = 0; i < REPEAT; i++) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', rssProbe, join(root, 'lib/cli/bin.js'), 'calibrate', '--config', 'rollout-gate.yml', '--days', String(DAYS), '--now', new Date(endS * 1000).toISOString(), '--out', join(work, 'out')], {
    cwd: work,
    encoding: 'utf8',
  });
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  rss = Math.max(rss, Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0));
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`calibrate exited with ${r.status}`);
  }
  summary = r.stderr.split('\n').find((l) => l.startsWith('calibrated gate_0:')) ?? '';
}

const seconds = median(times) / 1000;
const mb = rss / 1024;
console.log(`calibrate: ${GATES} gates × ${DAYS} days at ${STEP_S} s (${(DAYS * 86_400) / STEP_S} points per gate) against Prometheus (backfilled in ${backfillS.toFixed(1)} s)`);
console.log(`  ${summary}`);
console.log(`  wall time ${seconds.toFixed(2)} s (median of ${REPEAT}; target < 20 s: ${seconds < 20 ? 'met' : 'MISSED'})`);
console.log(`  peak RSS  ${mb.toFixed(0)} MB (target < 200 MB: ${mb < 200 ? 'met' : 'MISSED'})`);
cleanup();
