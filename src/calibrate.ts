import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config/load.js';
import { calibrateGate, chunkRange, needsBaseline, parseExclusion, windowCount, type ExcludedRange, type GateCalibration } from './engine/calibrate.js';
import { formatDuration } from './engine/duration.js';
import { effectiveStepMs, type Gate, type Sample } from './engine/model.js';
import type { Logger } from './logger.js';
import { collectObservations, DEFAULT_CONCURRENCY, type ProviderFactories } from './providers/index.js';
import { MAX_POINTS_PER_SERIES } from './providers/prometheus.js';
import { buckets } from './report/charts.js';
import { renderBaselineMarkdown, renderCalibrationMarkdown } from './report/calibration.js';
import { UsageError } from './commands/errors.js';
import type { Redactor } from './secrets.js';

/**
 * `calibrate` (SPEC §7.3), the edge: reads each windowed gate's history through its own provider,
 * in range queries no longer than a server answers, and hands it to the engine's calibration.
 */

export const DEFAULT_CALIBRATION_DIR = '.rollout/calibration';
/** Points of the history chart kept per gate (a sparkline is drawn from these). */
const CHART_POINTS = 48;
/** Gates calibrated at once (see calibrate()). */
const CALIBRATION_LANES = 1;

export interface CalibrateOptions {
  config: Config;
  /** Gates to calibrate by name; empty: every gate with `over`. */
  gateNames: readonly string[];
  days: number;
  /** The fail rate a suggested threshold may reach (0.01 = 1% of windows). */
  failRate: number;
  /** Time ranges left out (known incidents): windows overlapping them are not judged. */
  exclude?: readonly ExcludedRange[];
  nowMs: number;
  factories: ProviderFactories;
  cwd: string;
  logger: Logger;
  redactor: Redactor;
  fetch?: typeof fetch;
  /** Called after every chunk a gate has read (done of total). */
  onProgress?: (gate: string, done: number, total: number) => void;
  /** Called once a gate is calibrated (or failed). */
  onGate?: (result: CalibratedGate) => void;
}

export interface CalibratedGate extends GateCalibration {
  /** Bucket means of the whole history, oldest first, for the reports' sparkline. */
  chart: number[];
  /** Range queries it took. */
  chunks: number;
}

export interface Calibration {
  rollout: string;
  at: string;
  days: number;
  targetFailRate: number;
  /** The excluded ranges, as ISO instants. */
  exclude: { from: string; to: string }[];
  gates: CalibratedGate[];
}

const isoOf = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** `--exclude FROM..TO`, repeatable: each range parsed, or a usage error naming the flag and the value. */
export function parseExclusions(values: readonly string[], flag = '--exclude'): ExcludedRange[] {
  return values.map((raw) => {
    const r = parseExclusion(raw);
    if (typeof r === 'string') throw new UsageError(`${flag}: ${r}`);
    return r;
  });
}

/** The gates to calibrate: the named ones (each must exist and have `over`), else every windowed gate. */
export function selectGates(config: Config, names: readonly string[]): Gate[] {
  const windowed = config.gates.filter((g) => g.overMs !== null);
  if (names.length === 0) {
    if (windowed.length === 0) throw new UsageError(`${config.file}: no gate has \`over\`; calibrate needs a gate judged over a window`);
    return windowed;
  }
  const out: Gate[] = [];
  for (const name of names) {
    const g = config.gates.find((x) => x.name === name);
    if (!g) throw new UsageError(`gate "${name}": no such gate in ${config.file}; the gates with \`over\` are: ${windowed.map((x) => x.name).join(', ') || '(none)'}`);
    if (g.overMs === null) throw new UsageError(`gate "${name}": gates[${g.index}] has no \`over\`; calibrate judges windows of a gate's \`over\``);
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

/**
 * The gate one chunk is read with: the same provider and query, over the chunk's span at the
 * gate's step. A compare gate reads the baseline's own series (its A/A history); a relative
 * gate keeps its baseline, every other gate drops it.
 */
function chunkGate(gate: Gate, spanMs: number, stepMs: number): Gate {
  const base = { ...gate, overMs: spanMs, stepMs, failAfterMs: null, compare: null, appliesTo: null };
  if (gate.compare) {
    return gate.baseline !== null ? { ...base, query: gate.baseline, baseline: null, baselineOffsetMs: null } : { ...base, baseline: null, baselineOffsetMs: null };
  }
  return needsBaseline(gate) ? base : { ...base, baseline: null, baselineOffsetMs: null };
}

/** Appends `more` to `into`, skipping non-increasing timestamps (a point a server repeats at a chunk edge). */
function append(into: Sample[], more: readonly Sample[]): void {
  let last = into.length ? into[into.length - 1]![0] : -Infinity;
  for (let i = 0; i < more.length; i++) {
    const s = more[i]!;
    if (s[0] > last) {
      into.push(s);
      last = s[0];
    }
  }
}

export interface GateHistory {
  series: Sample[];
  baseline: Sample[] | null;
  chunks: number;
  error: string | null;
}

/**
 * Reads a gate's history (start, end] at its step, in chunks of at most MAX_POINTS_PER_SERIES
 * points, one after the other, each through collectObservations (the provider's timeout,
 * retries and redaction as in a decision). Stops at the first error.
 */
export async function readHistory(gate: Gate, startMs: number, endMs: number, opts: CalibrateOptions): Promise<GateHistory> {
  const stepMs = effectiveStepMs(gate)!;
  const chunks = chunkRange(startMs + stepMs, endMs, stepMs, MAX_POINTS_PER_SERIES);
  const series: Sample[] = [];
  const withBaseline = gate.compare === null && needsBaseline(gate);
  const baseline: Sample[] | null = withBaseline ? [] : null;
  let done = 0;
  for (const chunk of chunks) {
    const g = chunkGate(gate, chunk.endMs - chunk.startMs, stepMs);
    const { observations } = await collectObservations({
      gates: [g],
      providers: opts.config.providers,
      factories: opts.factories,
      nowMs: chunk.endMs,
      target: null,
      cwd: opts.cwd,
      logger: opts.logger,
      redactor: opts.redactor,
      fetch: opts.fetch,
      defaultTimeoutMs: opts.config.defaults.timeoutMs,
      concurrency: 1,
    });
    const obs = observations.get(gate.name);
    if (!obs || obs.error) {
      const when = chunks.length > 1 ? ` (range ${done + 1} of ${chunks.length}, ${new Date(chunk.startMs).toISOString()} to ${new Date(chunk.endMs).toISOString()})` : '';
      return { series, baseline, chunks: done, error: `${obs?.error ?? 'the provider was not queried'}${when}` };
    }
    // An empty or stale chunk is history with nothing in it, not an error.
    append(series, obs.samples);
    if (baseline && obs.baseline) append(baseline, obs.baseline);
    done++;
    opts.onProgress?.(gate.name, done, chunks.length);
  }
  return { series, baseline, chunks: done, error: null };
}

function failed(gate: Gate, error: string, chunks: number): CalibratedGate {
  const empty = calibrateGate(gate, [], null, 0, 0, 0);
  return { ...empty, note: null, falseAlarm: null, error, chart: [], chunks };
}

/** Calibrates the selected gates one after the other, each gate's chunks in order. */
export async function calibrate(opts: CalibrateOptions): Promise<Calibration> {
  const gates = selectGates(opts.config, opts.gateNames);
  const spanMs = opts.days * 86_400_000;
  const results: CalibratedGate[] = new Array(gates.length);
  let next = 0;
  const lane = async () => {
    while (next < gates.length) {
      const k = next++;
      const gate = gates[k]!;
      const startMs = opts.nowMs - windowCount(spanMs, gate.overMs!) * gate.overMs!;
      let result: CalibratedGate;
      if (startMs === opts.nowMs) {
        result = failed(gate, `the history of ${opts.days} day${opts.days === 1 ? '' : 's'} is shorter than one window (over ${formatDuration(gate.overMs!)})`, 0);
      } else {
        const h = await readHistory(gate, startMs, opts.nowMs, opts);
        if (h.error) result = failed(gate, h.error, h.chunks);
        else {
          const c = calibrateGate(gate, h.series, h.baseline, opts.nowMs, opts.nowMs - startMs, opts.failRate, opts.exclude ?? []);
          result = { ...c, chart: buckets(h.series.filter(([, v]) => typeof v !== 'number' || Number.isFinite(v)), CHART_POINTS), chunks: h.chunks };
        }
      }
      results[k] = result;
      opts.onGate?.(result);
    }
  };
  // Judging the windows is CPU work in this one thread: a second lane saves a few seconds on 20
  // gates of 30 days but holds a second history (~20 MB at 86,400 points) and doubles the garbage.
  const lanes = Math.min(gates.length, opts.config.defaults.concurrency ?? DEFAULT_CONCURRENCY, CALIBRATION_LANES);
  await Promise.all(Array.from({ length: lanes }, lane));
  return {
    rollout: opts.config.rollout.name,
    at: new Date(opts.nowMs).toISOString().replace('.000Z', 'Z'),
    days: opts.days,
    targetFailRate: opts.failRate,
    exclude: (opts.exclude ?? []).map((r) => ({ from: isoOf(r.fromMs), to: isoOf(r.toMs) })),
    gates: results,
  };
}

/** calibration.json: `{ gates: [{ name, condition, windows, failing, failRate, suggested, stats }] }` and the run's facts. */
export function calibrationJson(c: Calibration): string {
  const doc = {
    rollout: c.rollout,
    at: c.at,
    days: c.days,
    targetFailRate: c.targetFailRate,
    exclude: c.exclude,
    gates: c.gates.map((g) => ({
      name: g.name,
      condition: g.condition,
      windows: g.windows,
      failing: g.failing,
      failRate: g.failRate,
      suggested: g.suggested,
      suggestedCondition: g.suggestedCondition,
      noData: g.noData,
      falseAlarm: g.falseAlarm,
      note: g.note,
      error: g.error,
      excluded: g.excluded,
      withheld: g.withheld,
      warning: g.warning,
      letThrough: g.letThrough,
      stats: g.stats,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The three files of a calibration, by name. */
export function calibrationFiles(c: Calibration, config: Config): { name: string; content: string }[] {
  return [
    { name: 'calibration.md', content: renderCalibrationMarkdown(c, config) },
    { name: 'baseline.md', content: renderBaselineMarkdown(c, config) },
    { name: 'calibration.json', content: calibrationJson(c) },
  ];
}

/** Writes calibration.md, baseline.md and calibration.json into `dir` (created if missing); returns their paths. */
export async function writeCalibration(dir: string, c: Calibration, config: Config): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const f of calibrationFiles(c, config)) {
    const p = join(dir, f.name);
    await writeFile(p, f.content);
    paths.push(p);
  }
  return paths;
}
