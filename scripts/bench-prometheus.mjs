// Prometheus provider benchmark: prints figures, asserts nothing.
//
//   npx tsc -p tsconfig.json && node scripts/bench-prometheus.mjs
//
// Needs lib/ (compiled from src/) and the `prometheus` and `promtool` binaries
// (scripts/ensure-servers.sh installs them). Starts a real Prometheus on a free port of
// 127.0.0.1, backfilled with 3 hours of histogram series, then for 10 / 100 / 500 range-query
// gates (60m window, 30s step, histogram_quantile over rate):
//  1. gates per second through collectObservations (parsing, retries, result checks included),
//     against the same queries issued by a bare fetch loop in the same process, with the same
//     8 requests in flight (and, for reference, all at once);
//  2. the whole CLI (`rollout-gate evaluate --dry-run`: start-up, config, queries, decision,
//     report) against a bare script in its own process issuing the same queries in parallel.
// BENCH_REPEAT (default 5) sets the repetitions; medians are printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startPrometheus } from './bench/prometheus-server.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = (p) => pathToFileURL(join(root, 'lib', p)).href;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const CONCURRENCY = 8;
const SERVICES = 20;
const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const bin of ['prometheus', 'promtool']) {
  if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) {
    console.error(`bench-prometheus: ${bin} is not installed (run scripts/ensure-servers.sh)`);
    process.exit(1);
  }
}

const { collectObservations, defaultFactories } = await import(lib('providers/index.js'));
const { parseConfig } = await import(lib('config/load.js'));
const { Redactor } = await import(lib('secrets.js'));
const { silentLogger } = await import(lib('logger.js'));

const work = mkdtempSync(join(tmpdir(), 'rollout-gate-bench-prom-'));
const endS = Math.floor(Date.now() / 1000 / 300) * 300 - 300;

// 3 hours of 15s samples of a latency histogram per service, ending a few minutes before now.
const om = ['# TYPE bench_duration_seconds histogram'];
for (let s = 0; s < SERVICES; s++) {
  for (let t = endS - 3 * 3600, i = 0; t <= endS; t += 15, i++) {
    BUCKETS.forEach((le, b) => om.push(`bench_duration_seconds_bucket{service="s${s}",le="${le}"} ${Math.round(((b + 1) / BUCKETS.length) * 100 + s) * i} ${t}`));
    om.push(`bench_duration_seconds_count{service="s${s}"} ${(100 + s) * i} ${t}`);
    om.push(`bench_duration_seconds_sum{service="s${s}"} ${(30 + s) * i} ${t}`);
  }
}
om.push('# EOF');
writeFileSync(join(work, 'data.om'), `${om.join('\n')}\n`);
const backfill = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'data.om'), join(work, 'tsdb')], { encoding: 'utf8' });
if (backfill.status !== 0) throw new Error(`promtool: ${backfill.stderr}`);

const { url, stop: cleanup } = await startPrometheus(work);

const queryOf = (g) => `histogram_quantile(${(0.5 + (g % 49) / 100).toFixed(2)}, sum by (le) (rate(bench_duration_seconds_bucket{service="s${g % SERVICES}"}[5m])))`;
const configText = (n) => [
  'version: 1',
  'rollout:',
  '  name: bench',
  '  stages: [{ name: a, traffic: 1 }, { name: b, traffic: 10 }]',
  `providers: { prom: { type: prometheus, url: "${url}" } }`,
  'gates:',
  ...Array.from({ length: n }, (_, g) => `  - { name: gate_${g}, provider: prom, query: '${queryOf(g)}', pass: "< 10", over: 60m, step: 30s }`),
  '',
].join('\n');

const bareScript = `
const [url, n, endS, limit] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const SERVICES = ${SERVICES};
const queryOf = ${queryOf.toString()};
let next = 0;
const one = async (g) => {
  const p = new URLSearchParams({ query: queryOf(g), start: String(endS - 3600), end: String(endS), step: '30' });
  const body = await (await fetch(url + '/api/v1/query_range?' + p)).json();
  if (body.status !== 'success' || body.data.result.length !== 1) throw new Error(JSON.stringify(body).slice(0, 200));
};
const lane = async () => { while (next < n) await one(next++); };
await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
`;
const bareFile = join(work, 'bare.mjs');
writeFileSync(bareFile, bareScript);

/** The same range queries with plain fetch, `limit` in flight. */
async function bare(n, limit) {
  let next = 0;
  const one = async (g) => {
    const p = new URLSearchParams({ query: queryOf(g), start: String(endS - 3600), end: String(endS), step: '30' });
    const body = await (await fetch(`${url}/api/v1/query_range?${p}`)).json();
    if (body.status !== 'success' || body.data.result.length !== 1) throw new Error(JSON.stringify(body).slice(0, 200));
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await one(next++);
  }));
}

async function timed(fn) {
  const times = [];
  await fn(); // warm-up: connections, JIT, Prometheus' caches
  for (let r = 0; r < REPEAT; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

const out = { push: (line) => console.log(line) };
[
  `Prometheus ${url}: ${SERVICES * (BUCKETS.length + 2)} series, 3h of 15s samples; each gate a 60m range query at 30s (121 points)`,
  '',
  `In process: collectObservations vs bare fetch (${CONCURRENCY} in flight; median of ${REPEAT})`,
  '  gates   gates/s   ms total   bare ms (8)   ratio   bare ms (all at once)',
].forEach((line) => out.push(line));
for (const n of [10, 100, 500]) {
  const config = parseConfig(configText(n), 'bench.yml', {});
  let failed = 0;
  const ours = await timed(async () => {
    const { observations } = await collectObservations({
      gates: config.gates,
      providers: config.providers,
      factories: defaultFactories,
      nowMs: endS * 1000,
      target: 'b',
      cwd: root,
      logger: silentLogger,
      redactor: new Redactor(),
      concurrency: CONCURRENCY,
    });
    failed = [...observations.values()].filter((o) => o.error || o.noDataReason).length;
  });
  if (failed) out.push(`  (${failed} of ${n} gates had no data: the figures below are not meaningful)`);
  const bare8 = await timed(() => bare(n, CONCURRENCY));
  const bareAll = await timed(() => bare(n, n));
  out.push(`  ${String(n).padStart(5)}   ${((n / ours) * 1000).toFixed(0).padStart(7)}   ${ours.toFixed(1).padStart(8)}   ${bare8.toFixed(1).padStart(11)}   ${(ours / bare8).toFixed(2).padStart(5)}   ${bareAll.toFixed(1).padStart(21)}`);
}

function timeProcess(args) {
  const times = [];
  let status = null;
  let stderr = '';
  for (let r = 0; r < REPEAT; r++) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], cwd: work });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    status = res.status;
    stderr = res.stderr;
  }
  return { ms: median(times), status, stderr };
}

out.push('');
out.push('Whole CLI (`evaluate --dry-run`, its own process) vs a bare fetch script in its own process, same queries in parallel');
out.push('  gates   CLI ms   gates/s   bare script ms   ratio   CLI exit');
const now = new Date(endS * 1000).toISOString();
for (const n of [10, 100, 500]) {
  const cfg = join(work, `cli-${n}.yml`);
  writeFileSync(cfg, configText(n));
  const cli = timeProcess([join(root, 'bin/rollout-gate.js'), 'evaluate', '--config', cfg, '--now', now, '--dry-run', '--no-evidence', '--state-file', join(work, `state-${n}.json`)]);
  const script = timeProcess([bareFile, url, String(n), String(endS), String(CONCURRENCY)]);
  // Exit 3 (HOLD) is expected: the rollout has not spent any time in stage a.
  const ok = cli.status === 0 || cli.status === 3 || cli.status === 4;
  out.push(`  ${String(n).padStart(5)}   ${cli.ms.toFixed(0).padStart(6)}   ${((n / cli.ms) * 1000).toFixed(0).padStart(7)}   ${script.ms.toFixed(0).padStart(14)}   ${(cli.ms / script.ms).toFixed(2).padStart(5)}   ${cli.status}${ok ? '' : ` (${cli.stderr.trim().split('\n').slice(-1)[0]})`}`);
}

cleanup();
process.exit(0);
