import { isAbsolute, join } from 'node:path';
import { calibrate, calibrationJson, DEFAULT_CALIBRATION_DIR, parseExclusions, writeCalibration, type CalibratedGate } from '../calibrate.js';
import { loadConfig } from '../config/load.js';
import type { Logger } from '../logger.js';
import { defaultFactories } from '../providers/index.js';
import { rateText } from '../report/calibration.js';
import { terminalText } from '../report/escape.js';
import { calibrateNumbers, calibrationExit, checkCalibrateArguments, parseNow } from '../commands/index.js';
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

function summary(g: CalibratedGate): string {
  const name = terminalText(g.name);
  if (g.error) return `calibrate ${name}: could not read the history: ${terminalText(g.error)}`;
  const suggested = g.suggestedCondition ? `, suggested ${g.suggestedCondition}` : g.withheld ? `, suggestion withheld (${g.withheld})` : '';
  const excluded = g.excluded ? `, ${g.excluded} excluded` : '';
  const through = g.letThrough.length ? `; it would let through ${g.letThrough.length} window${g.letThrough.length === 1 ? '' : 's'} failing today` : '';
  const alarm = g.falseAlarm;
  const aa = alarm ? `, A/A false alarms ${rateText(alarm.rate)}${alarm.expected !== null ? ` (identical data should fail about ${rateText(alarm.expected)}${alarm.excessive ? '; more than chance' : ''})` : ''}` : '';
  const line = `calibrated ${name}: ${g.chunks} chunk${g.chunks === 1 ? '' : 's'}, ${g.stats.samples} samples, ${g.windows} windows${excluded}, ${g.failing} failing (${rateText(g.failRate)})${aa}${suggested}${through}`;
  return g.warning ? `${line}\nwarning: ${name}: ${terminalText(g.warning)}` : line;
}

/**
 * `rollout-gate calibrate`: writes calibration.md, baseline.md and calibration.json to --out;
 * exit 0, or 1 when a gate's history could not be read (the files still say which and why).
 */
export async function calibrateCommand(cmd: CalibrateCommand): Promise<number> {
  checkCalibrateArguments(cmd.extra);
  const { days, failRate } = calibrateNumbers({ days: cmd.days, failRate: cmd.failRate });
  const exclude = parseExclusions(cmd.exclude ?? []);
  const nowMs = parseNow(cmd.now, Date.now());
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
  return calibrationExit(result);
}
