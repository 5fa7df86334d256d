import * as workflow from './workflow-commands.js';
import { isAbsolute, join } from 'node:path';
import { runCommand, UsageError } from '../commands/index.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import type { Logger } from '../logger.js';
import { logLine } from '../report/escape.js';
import { Redactor } from '../secrets.js';
import { connect } from './connect.js';
import { readRunnerEnvironment } from './event.js';
import { InputError, readSettings } from './inputs.js';
import { reportRun } from './report.js';

export const runnerLogger: Logger = {
  debug: (m) => workflow.debug(m),
  // workflow.info writes the text as it is: a line of data must not become a workflow command.
  info: (m) => workflow.info(logLine(m)),
  warning: (m) => workflow.warning(m),
};

/** The Action: inputs → one command → outputs, summary, comment, check run. */
export async function run(): Promise<void> {
  // Every secret we learn is masked in the runner's log at once.
  const redactor = new Redactor([], (value) => workflow.setSecret(value));
  try {
    const runner = readRunnerEnvironment(process.env);
    const settings = readSettings((name) => workflow.getInput(name), runner.context.eventName ?? '');
    redactor.add(settings.token);
    if (settings.command === 'comment') {
      // A pull request comment: parsed first, so a comment that is no command costs nothing.
      const { runCommentCommand } = await import('./comment.js');
      await runCommentCommand({ settings, runner, redactor, logger: runnerLogger });
      return;
    }
    if (settings.command === 'verify') {
      const { verifyLedger } = await import('../ledger/verify-dir.js');
      const report = verifyLedger(isAbsolute(settings.ledgerPath) ? settings.ledgerPath : join(runner.workspace, settings.ledgerPath));
      workflow.info(logLine(report.text.trimEnd()));
      workflow.appendSummary(`## rollout-gate verify\n\n\`\`\`\n${report.text}\`\`\`\n`);
      if (!report.ok) workflow.setFailed(report.text.split('\n').find((l) => l.includes('first broken link'))?.trim() ?? 'the ledger chain is broken');
      return;
    }
    const configPath = isAbsolute(settings.config) ? settings.config : join(runner.workspace, settings.config);
    const loaded = await loadConfig(configPath);
    const config = { ...loaded, file: settings.config, deadlineMs: settings.timeoutMs ?? loaded.deadlineMs };
    for (const s of config.secrets) redactor.add(s);
    const { github, store, factories } = await connect(settings, runner, config, redactor, runnerLogger);
    if (settings.command === 'calibrate') {
      const { runCalibration } = await import('./calibrate.js');
      await runCalibration({
        settings,
        config,
        store,
        factories,
        workspace: runner.workspace,
        tempDir: runner.tempDir,
        logger: runnerLogger,
        redactor,
        isWriteRefusal: (e) => github?.isWriteRefusal(e) ?? false,
        commitUrl: (sha) => github?.commitUrl(sha) ?? null,
      });
      await store.close?.();
      return;
    }
    const result = await runCommand({
      config,
      command: settings.command,
      target: settings.targetStage,
      nowMs: Date.now(),
      store,
      factories,
      cwd: runner.workspace,
      logger: runnerLogger,
      redactor,
      context: runner.context,
      actor: runner.actor,
      force: settings.force,
      reason: settings.reason,
      killSwitch: settings.killSwitch,
      dryRun: settings.dryRun,
      writeEvidence: settings.evidence === 'commit',
      runKey: runner.runKey,
      isTeamMember: github?.isTeamMember,
      evidenceUrl: (write) => (github && write.commit ? github.commitUrl(write.commit) : null),
    });
    await store.close?.();
    await reportRun({ settings, config, runner, github, store, result, redactor });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof InputError || e instanceof UsageError) workflow.setFailed(redactor.redact(e.message));
    else workflow.setFailed(redactor.redact(e instanceof Error ? e.message : String(e)));
  }
}
