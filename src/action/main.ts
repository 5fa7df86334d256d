import * as workflow from './workflow-commands.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import type { Logger } from '../logger.js';
import { defaultFactories } from '../providers/index.js';
import { inlineMarkdown, logLine } from '../report/escape.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { judgesGates, snapshotJson, type Snapshot } from '../report/snapshot.js';
import { runRollout, UsageError } from '../run.js';
import { Redactor } from '../secrets.js';
import { createStateStore } from '../state/index.js';
import { Outputs } from './constants.js';
import { readRunnerEnvironment } from './event.js';
import { InputError, readSettings, type ActionSettings } from './inputs.js';
import type { GitHubSide } from './github.js';

const GITHUB_BODY_LIMIT = 65_536;

const runnerLogger: Logger = {
  debug: (m) => workflow.debug(m),
  // workflow.info writes the text as it is: a line of data must not become a workflow command.
  info: (m) => workflow.info(logLine(m)),
  warning: (m) => workflow.warning(m),
};

/** Whether the decision fails the step under `fail-on`. */
export function failsStep(decision: Snapshot['decision'], failOn: ActionSettings['failOn']): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'rollback') return decision === 'ROLLBACK';
  return decision !== 'PROCEED';
}

/** The Action: inputs → one run of the engine → outputs, summary, comment, check run. */
export async function run(): Promise<void> {
  // Every secret we learn is masked in the runner's log at once.
  const redactor = new Redactor([], (value) => workflow.setSecret(value));
  try {
    const settings = readSettings((name) => workflow.getInput(name));
    redactor.add(settings.token);
    const runner = readRunnerEnvironment(process.env);
    const configPath = isAbsolute(settings.config) ? settings.config : join(runner.workspace, settings.config);
    const loaded = await loadConfig(configPath);
    const config = { ...loaded, file: settings.config, deadlineMs: settings.timeoutMs ?? loaded.deadlineMs };
    for (const s of config.secrets) redactor.add(s);

    // The GitHub client is loaded once the config is known to be valid: a config error is
    // reported without paying for it.
    const { connectGitHub } = await import('./github.js');
    const github: GitHubSide | null = await connectGitHub(settings, runner, config, redactor, runnerLogger);
    const stateConfig = config.state ?? { type: 'github' as const };
    const store = createStateStore(stateConfig, config, {
      cwd: runner.workspace,
      logger: runnerLogger,
      redactor,
      github: github?.ledger ?? null,
    });
    const factories = github ? { ...defaultFactories, github: github.providerFactory } : defaultFactories;
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
    const result = await runRollout({
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
    const snap = result.snapshot;

    const reportDir = join(runner.tempDir, 'rollout-gate', config.rollout.name);
    mkdirSync(reportDir, { recursive: true });
    const reportJson = join(reportDir, 'snapshot.json');
    writeFileSync(reportJson, snapshotJson(snap));
    writeFileSync(join(reportDir, 'go-no-go.md'), result.goNoGo);

    const warnings: string[] = [];
    if (result.writeError) {
      const refused = github?.isWriteRefusal(result.writeError) ?? false;
      const what = `could not write the ${snap.stateAfter ? 'new state and ' : ''}evidence to ${store.description}: ${result.writeError.message}`;
      if (refused || !snap.stateAfter) {
        warnings.push(what);
        workflow.warning(what);
      } else {
        throw new Error(`${what}. The decision was ${snap.decision}, but the state was NOT changed.`);
      }
    }

    let commentUrl: string | null = null;
    const evidenceUrl = github && result.write?.commit ? github.commitUrl(result.write.commit) : null;
    if (github && !settings.dryRun) {
      const reported = await github.report(snap, {
        comment: settings.comment,
        body: (max) => renderMarkdown(snap, { evidenceUrl, maxLength: max - 200, charts: config.charts }),
        summary: (max) => renderMarkdown(snap, { evidenceUrl, maxLength: max, charts: config.charts }),
      });
      commentUrl = reported.commentUrl;
      for (const w of reported.warnings) {
        warnings.push(w);
        workflow.warning(w);
      }
    }

    workflow.setOutput(Outputs.Decision, snap.decision);
    workflow.setOutput(Outputs.CurrentStage, snap.transition.from ?? '');
    workflow.setOutput(Outputs.TargetStage, snap.transition.to ?? '');
    workflow.setOutput(Outputs.FailedGates, snap.failedGates.join(','));
    workflow.setOutput(Outputs.ReportJson, reportJson);
    workflow.setOutput(Outputs.EvidencePath, snap.evidencePath ?? '');
    workflow.setOutput(Outputs.EvidenceCommit, result.write?.commit ?? '');
    workflow.setOutput(Outputs.CommentUrl, commentUrl ?? '');
    workflow.setOutput(Outputs.Approvers, snap.approvers.join(','));
    // Where the rollout is after the run, for a next step that applies it (flags, weights).
    const now = snap.stateChanged && snap.stateAfter ? snap.stateAfter : snap.stateBefore;
    const stage = config.rollout.stages.find((s) => s.name === (now?.stage ?? null)) ?? null;
    workflow.setOutput(Outputs.Traffic, String(stage?.traffic ?? 0));
    workflow.setOutput(Outputs.Flags, JSON.stringify(stage?.flags ?? {}));

    let summary = renderMarkdown(snap, { evidenceUrl, maxLength: GITHUB_BODY_LIMIT * 4, charts: config.charts });
    if (warnings.length) summary += `\n\n${warnings.map((w) => `> ⚠️ ${inlineMarkdown(redactor.redact(w))}`).join('\n')}\n`;
    workflow.appendSummary(redactor.redact(summary));

    // The same table the CLI prints, in the step's log: what decides first.
    workflow.info(logLine(redactor.redact(renderTerminal(snap, false)).trimEnd()));
    const line = `${config.rollout.name}: ${snap.decision}${snap.forced ? ' (forced)' : ''} for ${snap.transition.from ?? '(not started)'} → ${snap.transition.to ?? '(none)'}`;
    for (const o of result.notifications) if (!o.ok) workflow.warning(`notification to ${o.target} failed: ${o.error}`);
    if (result.applyError) {
      // The traffic change did not happen (promote: nor the state change); the step fails whatever fail-on says.
      workflow.setFailed(`${line}: ${result.applyError.message}${snap.command === 'promote' ? '; the state was not changed' : `; the ${snap.command === 'resume' ? 'resume' : 'rollback'} stands`}`);
    } else if (failsStep(snap.decision, settings.failOn) && judgesGates(snap.command)) {
      workflow.setFailed(`${line}: ${snap.reasons.slice(0, 5).join('; ')}`);
    } else {
      workflow.info(logLine(line));
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof InputError || e instanceof UsageError) workflow.setFailed(redactor.redact(e.message));
    else workflow.setFailed(redactor.redact(e instanceof Error ? e.message : String(e)));
  }
}
