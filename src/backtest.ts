import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Config } from './config/load.js';
import { rejudgeSnapshot, type GateChange } from './engine/backtest.js';
import type { DecisionKind } from './engine/model.js';
import { terminalText as t } from './report/escape.js';
import { judgesGates, parseSnapshot, type Snapshot } from './report/snapshot.js';
import { statusText } from './report/terminal.js';
import { UsageError } from './commands/errors.js';

/** One re-judged snapshot: what was decided then, what the current config decides from the same data. */
export interface BacktestEntry {
  path: string;
  at: string;
  recorded: DecisionKind;
  now: DecisionKind;
  changed: GateChange[];
}

export interface BacktestReport {
  /** The evidence directory, as given. */
  dir: string;
  rollout: string;
  snapshots: BacktestEntry[];
  /** Snapshots found but not re-judged: operator actions (rollback, resume) and other rollouts. */
  skipped: { path: string; at: string | null; reason: string }[];
  /** Files named snapshot.json that could not be read as one. */
  errors: { path: string; error: string }[];
}

/** Every `snapshot.json` under `dir`, in path order (evidence directories start with their UTC stamp). */
export async function findSnapshots(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (at: string): Promise<void> => {
    const entries = await readdir(at, { withFileTypes: true });
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') await walk(join(at, e.name));
      } else if (e.name === 'snapshot.json' && (e.isFile() || e.isSymbolicLink())) {
        found.push(join(at, e.name));
      }
    }
  };
  await walk(dir);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Fields parseSnapshot does not check that a re-judgement needs; older snapshots lack baselineSeries. */
function readyToJudge(snap: Snapshot, where: string): Snapshot {
  const bad = (what: string) => new Error(`${where}: not a rollout-gate snapshot (${what})`);
  if (typeof snap.at !== 'string' || Number.isNaN(Date.parse(snap.at))) throw bad('no valid "at" instant');
  if (!snap.transition || typeof snap.transition !== 'object') throw bad('no transition');
  if (snap.stateBefore !== null && typeof snap.stateBefore !== 'object') throw bad('stateBefore is not a state');
  if (!Array.isArray(snap.reasons)) throw bad('no reasons');
  const gates = snap.gates.map((g, i) => {
    if (!g || typeof g !== 'object' || typeof g.name !== 'string') throw bad(`gates[${i}] is not a gate result`);
    return { ...g, series: Array.isArray(g.series) ? g.series : [], baselineSeries: Array.isArray(g.baselineSeries) ? g.baselineSeries : [], warnings: Array.isArray(g.warnings) ? g.warnings : [] };
  });
  return { ...snap, stateBefore: snap.stateBefore ?? null, forced: snap.forced ?? null, gates };
}

/**
 * Re-judges every evaluate/promote snapshot under `dir` with the config's current plan and gates,
 * from the series each snapshot stored: nothing is queried. A file that is not a snapshot is an
 * error entry and the others are still judged.
 */
export async function backtest(config: Pick<Config, 'rollout' | 'gates'>, dir: string, cwd = process.cwd()): Promise<BacktestReport> {
  const root = resolve(cwd, dir);
  let info;
  try {
    info = await stat(root);
  } catch (e) {
    throw new UsageError(`--evidence: ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`}`);
  }
  if (!info.isDirectory()) throw new UsageError(`--evidence: ${dir} is not a directory`);
  const files = await findSnapshots(root);
  if (files.length === 0) throw new UsageError(`--evidence: no snapshot.json found under ${dir}`);

  const report: BacktestReport = { dir, rollout: config.rollout.name, snapshots: [], skipped: [], errors: [] };
  for (const file of files) {
    // Named as the user would: under the directory they gave.
    const path = join(dir, relative(root, file));
    try {
      const snap = readyToJudge(parseSnapshot(await readFile(file, 'utf8'), path), path);
      if (snap.rollout !== config.rollout.name) {
        report.skipped.push({ path, at: snap.at, reason: `rollout ${snap.rollout}, not ${config.rollout.name}` });
      } else if (!judgesGates(snap.command)) {
        report.skipped.push({ path, at: snap.at, reason: `${snap.command}: an operator action, not a verdict on gates` });
      } else {
        const r = rejudgeSnapshot(snap, config.rollout, config.gates);
        report.snapshots.push({ path, at: snap.at, recorded: r.recorded, now: r.now, changed: r.changed });
      }
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      report.errors.push({ path, error: message.startsWith(path) ? message.slice(path.length).replace(/^:\s*/, '') : message });
    }
  }
  return report;
}

const ORDER: DecisionKind[] = ['PROCEED', 'HOLD', 'ROLLBACK'];

/** "12 snapshots re-judged, 2 decisions would change: 1 PROCEED→HOLD, 1 HOLD→PROCEED". */
export function backtestSummary(r: BacktestReport): string {
  const n = r.snapshots.length;
  const flips = new Map<string, number>();
  for (const from of ORDER) for (const to of ORDER) if (from !== to) flips.set(`${from}→${to}`, 0);
  let changed = 0;
  for (const s of r.snapshots) {
    if (s.recorded === s.now) continue;
    changed++;
    const key = `${s.recorded}→${s.now}`;
    flips.set(key, (flips.get(key) ?? 0) + 1);
  }
  const detail = [...flips].filter(([, k]) => k > 0).map(([key, k]) => `${k} ${key}`).join(', ');
  const extra = [
    r.skipped.length ? `${r.skipped.length} skipped` : '',
    r.errors.length ? `${r.errors.length} unreadable` : '',
  ].filter(Boolean);
  return `${n} snapshot${n === 1 ? '' : 's'} re-judged, ${changed} decision${changed === 1 ? '' : 's'} would change${detail ? `: ${detail}` : ''}${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

/** The report as a terminal table: one row per snapshot, its changed gates beneath it. */
export function renderBacktest(r: BacktestReport, colour: boolean): string {
  const c = (name: keyof typeof CODES, text: string) => (colour ? `\u001b[${CODES[name]}m${text}\u001b[0m` : text);
  const lines = [`${c('bold', 'rollout-gate backtest')} ${t(r.rollout)}: snapshots under ${t(r.dir)} re-judged with the current config`, ''];
  if (r.snapshots.length) {
    const atWidth = Math.max(2, ...r.snapshots.map((s) => s.at.length));
    lines.push(`  ${c('dim', `${'at'.padEnd(atWidth)}  ${'recorded'.padEnd(8)}  ${'now'.padEnd(8)}  snapshot`)}`);
    for (const s of r.snapshots) {
      const now = s.recorded === s.now ? s.now.padEnd(8) : c(s.now === 'PROCEED' ? 'green' : s.now === 'HOLD' ? 'yellow' : 'red', s.now.padEnd(8));
      lines.push(`  ${t(s.at).padEnd(atWidth)}  ${s.recorded.padEnd(8)}  ${now}  ${t(s.path)}`);
      for (const g of s.changed) {
        const was = g.was === null ? 'absent' : statusText({ status: g.was, effect: g.wasEffect!, shadow: g.shadow });
        const now = g.now === null ? 'removed' : statusText({ status: g.now, effect: g.nowEffect!, shadow: g.shadow });
        lines.push(`  ${' '.repeat(atWidth)}    ${t(g.gate)}: ${was} → ${c('bold', now)}: ${t(g.reason)}`);
      }
    }
  }
  if (r.skipped.length) {
    lines.push('', c('bold', 'Skipped'));
    for (const s of r.skipped) lines.push(`  ${t(s.path)}: ${t(s.reason)}`);
  }
  if (r.errors.length) {
    lines.push('', c('bold', 'Not judged'));
    for (const e of r.errors) lines.push(`  ${c('red', 'error')} ${t(e.path)}: ${t(e.error)}`);
  }
  lines.push('', backtestSummary(r));
  return `${lines.join('\n')}\n`;
}

/** `--json`: `{ snapshots: [{ path, at, recorded, now, changed: [{ gate, was, now, reason }] }], skipped, errors, summary }`. */
export function backtestJson(r: BacktestReport): string {
  return `${JSON.stringify(
    {
      snapshots: r.snapshots.map((s) => ({
        path: s.path,
        at: s.at,
        recorded: s.recorded,
        now: s.now,
        changed: s.changed.map((g) => ({ gate: g.gate, was: g.was, now: g.now, reason: g.reason })),
      })),
      skipped: r.skipped,
      errors: r.errors,
      summary: backtestSummary(r),
    },
    null,
    2,
  )}\n`;
}
