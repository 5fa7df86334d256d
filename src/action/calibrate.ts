import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { calibrate, calibrationFiles, writeCalibration } from '../calibrate.js';
import { calibrationExit } from '../commands/calibrate.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../logger.js';
import type { ProviderFactories } from '../providers/index.js';
import { inlineMarkdown } from '../report/escape.js';
import type { Redactor } from '../secrets.js';
import type { StateStore, WriteResult } from '../state/types.js';
import { Outputs } from './constants.js';
import type { ActionSettings } from './inputs.js';
import * as workflow from './workflow-commands.js';

export interface CalibrationRun {
  settings: ActionSettings;
  config: Config;
  store: StateStore;
  factories: ProviderFactories;
  workspace: string;
  tempDir: string;
  logger: Logger;
  redactor: Redactor;
  /** Whether a failed write is only the token's lack of permission (a warning, not a failure). */
  isWriteRefusal: (e: Error) => boolean;
  commitUrl: (sha: string) => string | null;
  nowMs?: number;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * `command: calibrate`: the CLI's calibration of the windowed gates (inputs calibrate-days,
 * calibrate-gates, calibrate-fail-rate, calibrate-exclude), its
 * two reports in the job summary, and with `evidence: commit` the three files committed under
 * `calibration/<ROLLOUT>/<UTC stamp>/` through the state store, changing no state.
 */
export async function runCalibration(run: CalibrationRun): Promise<void> {
  const { config, settings, redactor } = run;
  const nowMs = run.nowMs ?? Date.now();
  const result = await calibrate({
    config,
    gateNames: settings.calibration.gates,
    days: settings.calibration.days,
    failRate: settings.calibration.failRate,
    exclude: settings.calibration.exclude,
    nowMs,
    factories: run.factories,
    cwd: run.workspace,
    logger: run.logger,
    redactor,
    onGate: (g) => run.logger.info(g.error ? `calibrate ${g.name}: could not read the history: ${g.error}` : `calibrated ${g.name}: ${g.windows} windows, ${g.failing} failing${g.suggestedCondition ? `, suggested ${g.suggestedCondition}` : g.withheld ? `, suggestion withheld (${g.withheld})` : ''}${g.warning ? `; warning: ${g.warning}` : ''}`),
  });
  const dir = join(run.tempDir, 'rollout-gate', config.rollout.name, 'calibration');
  mkdirSync(dir, { recursive: true });
  await writeCalibration(dir, result, config);
  const files = calibrationFiles(result, config);

  const warnings: string[] = [];
  let write: WriteResult | null = null;
  if (settings.evidence === 'commit' && !settings.dryRun) {
    const base = `calibration/${config.rollout.name}/${stamp(nowMs)}`;
    try {
      const { version } = await run.store.read();
      write = await run.store.write({
        expectedVersion: version,
        state: null,
        evidence: files.map((f) => ({ path: `${base}/${f.name}`, content: redactor.redact(f.content) })),
        // Its own log: the decision log stays a log of decisions.
        decisionLog: { path: `calibration-log/${config.rollout.name}.jsonl`, line: JSON.stringify({ at: result.at, rollout: result.rollout, days: result.days, gates: result.gates.length, evidencePath: base }) },
        message: `rollout-gate: calibration of ${config.rollout.name} (${result.gates.length} gate${result.gates.length === 1 ? '' : 's'}, ${result.days} days)`,
      });
    } catch (e) {
      const err = e as Error;
      const what = `could not write the calibration to ${run.store.description}: ${redactor.redact(err.message)}`;
      if (!run.isWriteRefusal(err)) throw new Error(what);
      warnings.push(what);
      workflow.warning(what);
    }
  }

  workflow.setOutput(Outputs.ReportJson, join(dir, 'calibration.json'));
  workflow.setOutput(Outputs.EvidencePath, write?.evidencePath ?? '');
  workflow.setOutput(Outputs.EvidenceCommit, write?.commit ?? '');
  const link = write?.commit ? run.commitUrl(write.commit) : null;
  let summary = files
    .filter((f) => f.name.endsWith('.md'))
    .map((f) => f.content)
    .join('\n');
  if (write) summary += `\nCommitted to ${inlineMarkdown(write.evidencePath)}${link ? ` ([${write.commit!.slice(0, 7)}](${link}))` : ''}.\n`;
  if (warnings.length) summary += `\n${warnings.map((w) => `> ⚠️ ${inlineMarkdown(w)}`).join('\n')}\n`;
  workflow.appendSummary(redactor.redact(summary));

  const unread = result.gates.filter((g) => g.error);
  if (calibrationExit(result) !== 0) workflow.setFailed(redactor.redact(`calibrate: could not read the history of ${unread.map((g) => `${g.name} (${g.error})`).join('; ')}`));
  else workflow.info(`${config.rollout.name}: calibrated ${result.gates.length} gate${result.gates.length === 1 ? '' : 's'} over ${result.days} days`);
}
