import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/demo.js';
import type { RunningServer } from '../servers/common.js';
import { startPrometheus } from '../servers/prometheus.js';

/** The runbook configs under examples/runbooks/, and what the end-to-end tests share. */

export const RUNBOOKS = ['gray-release', 'chat-canary', 'canary-rollout-plan', 'canary-execution', 'ga-soft-launch'] as const;
export type Runbook = (typeof RUNBOOKS)[number];
export const runbookDir = (name: Runbook) => join(ROOT, 'examples/runbooks', name);
export const runbookConfig = (name: Runbook) => join(runbookDir(name), 'rollout-gate.yml');

/** The parts of snapshot.json (the CLI's --json output) the tests read. */
export interface Snapshot {
  decision: 'PROCEED' | 'HOLD' | 'ROLLBACK';
  transition: { from: string | null; to: string | null };
  failedGates: string[];
  reasons: string[];
  ramp: { rule: string; ok: boolean; detail: string }[];
  gates: { name: string; status: string; value: unknown; min: number | null; max: number | null; baselineValue: number | null; reason: string; condition: string | null }[];
  stateAfter: { stage: string; killSwitch: boolean } | null;
  evidencePath: string | null;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The snapshot, when the command ran with --json and printed one. */
  snapshot: Snapshot | null;
}

/** `node bin/rollout-gate.js ARGS` in `cwd` with only the given environment (and PATH/HOME). */
export function cli(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/rollout-gate.js'), ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, NO_COLOR: '1', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const snapshot = args.includes('--json') && stdout.startsWith('{') ? (JSON.parse(stdout) as Snapshot) : null;
      resolve({ code, stdout, stderr, snapshot });
    });
  });
}

/** Why a run did what it did, for assertion messages. */
export const explain = (run: CliRun) =>
  run.snapshot
    ? `${run.snapshot.decision}: ${run.snapshot.reasons.join('; ')}\n${run.snapshot.gates.map((g) => `  ${g.name} ${g.status}: ${g.reason}`).join('\n')}\n${run.stderr}`
    : `exit ${run.code}\n${run.stdout}\n${run.stderr}`;

export const rampCheck = (s: Snapshot, rule: string) => s.ramp.find((r) => r.rule === rule);

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `rollout-gate-runbook-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A state document as the file store keeps it: in `stage` since `enteredAtMs`. */
export function stateDoc(rollout: string, stage: string, enteredAtMs: number, extra: Record<string, unknown> = {}) {
  return { rollout, stage, enteredAt: new Date(enteredAtMs).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [], ...extra };
}

export async function writeState(file: string, doc: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
}

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * The newest scrape instant of a fixture history, a step before now: evaluating at or shortly
 * after it finds fresh data, so runs that cannot replay (the Action) see it as current.
 */
export function fixtureEnd(scrapeS = 15, nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / scrapeS) * scrapeS - scrapeS;
}

/** One series of a fixture history. `value` is a gauge's value, or a counter's increase per scrape, at time t (seconds). */
interface Series {
  family: string;
  type: 'counter' | 'gauge' | 'histogram';
  name: string;
  labels: Record<string, string>;
  cumulative: boolean;
  value: (t: number) => number;
}

/** A counter named `<family>_total`, growing by `perScrape(t)` at each scrape. */
export function counter(name: string, labels: Record<string, string>, perScrape: (t: number) => number): Series {
  if (!name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
  return { family: name.slice(0, -'_total'.length), type: 'counter', name, labels, cumulative: true, value: perScrape };
}

export function gauge(name: string, labels: Record<string, string>, value: (t: number) => number): Series {
  return { family: name, type: 'gauge', name, labels, cumulative: false, value };
}

/**
 * A histogram whose `perScrape` observations at time t fall into buckets with the cumulative
 * shares `shares(t)` (one per bound of `les`, the last being +Inf and 1).
 */
export function histogram(family: string, labels: Record<string, string>, les: readonly string[], shares: (t: number) => readonly number[], perScrape: number): Series[] {
  const buckets = les.map((le, b): Series => ({
    family, type: 'histogram', name: `${family}_bucket`, labels: { ...labels, le }, cumulative: true,
    value: (t) => Math.round(shares(t)[b]! * perScrape),
  }));
  return [
    ...buckets,
    { family, type: 'histogram', name: `${family}_count`, labels, cumulative: true, value: () => perScrape },
    { family, type: 'histogram', name: `${family}_sum`, labels, cumulative: true, value: () => perScrape * 0.3 },
  ];
}

/** OpenMetrics text of the series from `startS` to `endS` every `scrapeS` seconds, for promtool's backfill. */
export function openMetrics(series: Series[], opts: { startS: number; endS: number; scrapeS: number }): string {
  const lines: string[] = [];
  for (const family of [...new Set(series.map((s) => s.family))]) {
    const members = series.filter((s) => s.family === family);
    lines.push(`# TYPE ${family} ${members[0]!.type}`);
    for (const s of members) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',');
      const head = labels ? `${s.name}{${labels}}` : s.name;
      let total = 0;
      for (let t = opts.startS; t <= opts.endS; t += opts.scrapeS) {
        total = s.cumulative ? total + s.value(t) : s.value(t);
        lines.push(`${head} ${total} ${t}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Backfills the history into a fresh Prometheus on 127.0.0.1 (promtool), and starts it. */
export function prometheusWith(series: Series[], opts: { startS: number; endS: number; scrapeS: number }): Promise<RunningServer> {
  const text = openMetrics(series, opts);
  return startPrometheus({ endMs: opts.endS * 1000, openMetrics: text, exposition: '', seriesCount: series.length, sampleCount: 0 });
}
