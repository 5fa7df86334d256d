import { isAbsolute, join } from 'node:path';
import { calibrate, calibrationJson, DEFAULT_CALIBRATION_DIR, parseExclusions, writeCalibration, type CalibratedGate } from '../calibrate.js';
import { loadConfig } from '../config/load.js';
import type { Logger } from '../logger.js';
import { defaultFactories } from '../providers/index.js';
import { rateText } from '../report/calibration.js';
import { terminalText } from '../report/escape.js';
import { UsageError } from '../run.js';
import type { Redactor } from '../secrets.js';

export interface CalibrateCommand {
  configFile: string;
  days: string | undefined;
  gates: string[];
  failRate: string | undefined;
  /** `--exclude FROM..TO`, repeatable: known incidents left out. */
  exclude?: string[];
  out: string | undefined;
  now: string | undefined;
  json: boolean;
  /** Arguments after the command word: calibrate takes none. */
  extra: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** stderr is a terminal: one progress line per gate, redrawn; else a summary line per gate. */
  stderrTTY: boolean;
  logger: Logger;
  redactor: Redactor;
  fetch?: typeof fetch;
}

function number(flag: string, raw: string | undefined, fallback: number, ok: (n: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`${flag}: "${raw}" is not ${expected}`);
  return n;
}

function summary(g: CalibratedGate): string {
  const name = terminalText(g.name);
  if (g.error) return `calibrate ${name}: could not read the history: ${terminalText(g.error)}`;
  const suggested = g.suggestedCondition ? `, suggested ${g.suggestedCondition}` : g.withheld ? `, suggestion withheld (${g.withheld})` : '';
  const excluded = g.excluded ? `, ${g.excluded} excluded` : '';
  const through = g.letThrough.length ? `; it would let through ${g.letThrough.length} window${g.letThrough.length === 1 ? '' : 's'} failing today` : '';
  const line = `calibrated ${name}: ${g.chunks} chunk${g.chunks === 1 ? '' : 's'}, ${g.stats.samples} samples, ${g.windows} windows${excluded}, ${g.failing} failing (${rateText(g.failRate)})${suggested}${through}`;
  return g.warning ? `${line}\nwarning: ${name}: ${terminalText(g.warning)}` : line;
}

/**
 * `rollout-gate calibrate`: writes calibration.md, baseline.md and calibration.json to --out;
 * exit 0, or 1 when a gate's history could not be read (the files still say which and why).
 */
export async function calibrateCommand(cmd: CalibrateCommand): Promise<number> {
  if (cmd.extra.length > 0) throw new UsageError(`unexpected argument "${cmd.extra[0]}" (calibrate takes options only)`);
  const days = number('--days', cmd.days, 14, (n) => n > 0 && n <= 3650, 'a number of days above 0 (e.g. 14)');
  const failRate = number('--fail-rate', cmd.failRate, 0.01, (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1 (e.g. 0.01 for 1% of windows)');
  const exclude = parseExclusions(cmd.exclude ?? []);
  let nowMs = Date.now();
  if (cmd.now !== undefined) {
    nowMs = Date.parse(cmd.now);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(cmd.now) || Number.isNaN(nowMs)) throw new UsageError(`--now: "${cmd.now}" is not an ISO-8601 instant (e.g. 2026-11-22T10:00:00Z)`);
  }
  const config = await loadConfig(isAbsolute(cmd.configFile) ? cmd.configFile : join(cmd.cwd, cmd.configFile), cmd.env);
  for (const s of config.secrets) cmd.redactor.add(s);
  const shown = { ...config, file: cmd.configFile };
  const live = new Map<string, string>();
  const draw = () => cmd.stderr(`\r\x1b[2K${[...live.values()].join('  ')}`);
  const result = await calibrate({
    config: shown,
    gateNames: cmd.gates,
    days,
    failRate,
    exclude,
    nowMs,
    factories: defaultFactories,
    cwd: cmd.cwd,
    logger: cmd.logger,
    redactor: cmd.redactor,
    fetch: cmd.fetch,
    onProgress: cmd.stderrTTY
      ? (gate, done, total) => {
          live.set(gate, `calibrating ${terminalText(gate)}: ${done}/${total} chunks`);
          draw();
        }
      : undefined,
    onGate: (g) => {
      if (cmd.stderrTTY) {
        live.delete(g.name);
        cmd.stderr(`\r\x1b[2K${cmd.redactor.redact(summary(g))}\n`);
        if (live.size) draw();
      } else {
        cmd.stderr(`${cmd.redactor.redact(summary(g))}\n`);
      }
    },
  });
  const outDir = cmd.out ?? DEFAULT_CALIBRATION_DIR;
  const written = await writeCalibration(isAbsolute(outDir) ? outDir : join(cmd.cwd, outDir), result, shown);
  if (cmd.json) cmd.stdout(calibrationJson(result));
  else cmd.stdout(`wrote ${written.map((p) => terminalText(p)).join(', ')}\n`);
  return result.gates.some((g) => g.error) ? 1 : 0;
}
