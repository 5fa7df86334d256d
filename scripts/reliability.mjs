#!/usr/bin/env node
// The reliability figures in the README: runs the whole test suite once (vitest, JSON reporter)
// and counts the tests by their leading tag: [corpus], [fuzz], [fault], [race], [injection],
// [secret]. Prints passed/total per kind and exits non-zero if any counted test failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Usage: reliability.mjs                 run the suite, print the table
//        reliability.mjs --write         … and put the table into the README
//        reliability.mjs --report F --check
//                                        count an existing vitest JSON report (npm test writes one
//                                        under CI) and fail if the README's table differs from it
const args = process.argv.slice(2);
const reportArg = args.includes('--report') ? args[args.indexOf('--report') + 1] : null;
const mode = args.includes('--check') ? 'check' : args.includes('--write') ? 'write' : 'print';

const root = join(import.meta.dirname, '..');
// The figures are CI's: 10,000 inputs per fuzz target unless FUZZ_RUNS says otherwise.
const fuzzRuns = Number(process.env.FUZZ_RUNS ?? 10_000);
const env = { ...process.env, FUZZ_RUNS: String(fuzzRuns) };

let report;
let seconds = null;
if (reportArg) {
  report = JSON.parse(readFileSync(reportArg, 'utf8'));
} else {
  const servers = spawnSync('bash', [join(root, 'scripts/ensure-servers.sh')], { cwd: root, stdio: 'inherit' });
  if (servers.status !== 0) console.error('reliability: the integration servers are missing; their tests will be skipped or fail');
  const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-reliability-'));
  const out = join(dir, 'vitest.json');
  const started = Date.now();
  // Vitest's own output goes to stderr so that stdout is the table alone.
  const run = spawnSync('npx', ['vitest', 'run', 'test/', '--reporter=json', `--outputFile=${out}`], {
    cwd: root,
    env,
    stdio: ['ignore', 2, 2],
  });
  seconds = Math.round((Date.now() - started) / 1000);
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch (e) {
    console.error(`reliability: vitest wrote no report (exit ${run.status}): ${e.message}`);
    process.exit(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const KINDS = [
  ['corpus', 'bad-input corpus cases'],
  ['fuzz', 'fuzz targets'],
  ['fault', 'faults survived'],
  ['race', 'races run'],
  ['injection', 'injection cases'],
  ['secret', 'secret checks'],
];
const counts = Object.fromEntries(KINDS.map(([tag]) => [tag, { passed: 0, failed: 0, skipped: 0, failures: [] }]));
let all = 0;
let allFailed = 0;
for (const file of report.testResults ?? []) {
  for (const t of file.assertionResults ?? []) {
    all++;
    if (t.status === 'failed') allFailed++;
    const tag = /^\[([a-z]+)\]/.exec(t.title ?? '')?.[1];
    const c = tag && counts[tag];
    if (!c) continue;
    if (t.status === 'passed') c.passed++;
    else if (t.status === 'failed') {
      c.failed++;
      c.failures.push(`${file.name.replace(`${root}/`, '')}: ${t.fullName}`);
    } else c.skipped++;
  }
}

const corpusDir = join(root, 'test/corpus');
const ORDER = ['config', 'state', 'prometheus', 'http', 'postgres'];
const groups = readdirSync(corpusDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => [d.name, readdirSync(join(corpusDir, d.name)).length])
  .sort(([a], [b]) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
const corpusFiles = groups.reduce((n, [, k]) => n + k, 0);
const fmt = (n) => n.toLocaleString('en-US');

const detail = {
  corpus: `${corpusFiles} files (${groups.map(([g, n]) => `${g} ${n}`).join(', ')}) + a generated 50 MB body`,
  fuzz: `${fmt(fuzzRuns)} inputs each, ${fmt(fuzzRuns * (counts.fuzz.passed + counts.fuzz.failed))} per run`,
};
const rows = KINDS.map(([tag, label]) => {
  const c = counts[tag];
  const total = c.passed + c.failed + c.skipped;
  const skipped = c.skipped ? ` (${c.skipped} skipped)` : '';
  return [label, `${c.passed}/${total}${skipped}`, detail[tag] ?? ''];
});
const header = ['what', 'passed/total', 'detail'];
const widths = [0, 1].map((i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
const line = (r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd();

const table = [`rollout-gate reliability: FUZZ_RUNS=${fuzzRuns}, whole suite of ${fmt(all)} tests`, '', line(header), ...rows.map(line)].join('\n');
console.log(table);
if (seconds !== null) console.log(`\n(${seconds} s)`);

const README = join(root, 'README.md');
const BLOCK = /(<!-- reliability:start -->\n```\n)([\s\S]*?)(\n```\n<!-- reliability:end -->)/;
const readme = readFileSync(README, 'utf8');
if (!BLOCK.test(readme)) {
  console.error('reliability: README.md has no <!-- reliability:start --> … <!-- reliability:end --> block');
  process.exit(1);
}
if (mode === 'write') writeFileSync(README, readme.replace(BLOCK, (_, a, __, b) => `${a}${table}${b}`));
if (mode === 'check' && BLOCK.exec(readme)[2] !== table) {
  console.error('reliability: the README\'s figures differ from this run; run `npm run reliability -- --write` and commit README.md');
  console.error(`README.md has:\n${BLOCK.exec(readme)[2]}\nthis run counted:\n${table}`);
  process.exit(1);
}

const countedFailed = KINDS.reduce((n, [tag]) => n + counts[tag].failed, 0);
if (allFailed > countedFailed) {
  console.log('');
  console.log(`note: ${allFailed - countedFailed} other test${allFailed - countedFailed === 1 ? '' : 's'} failed (not counted here; see the vitest output above)`);
}
const failures = KINDS.flatMap(([tag]) => counts[tag].failures);
if (failures.length > 0) {
  console.log('');
  console.log('failed:');
  for (const f of failures) console.log(`  ${f}`);
  process.exit(1);
}
