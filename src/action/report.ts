import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verdictFails } from '../commands/outcome.js';
import type { RunResult } from '../commands/types.js';
import type { Config } from '../config/load.js';
import { inlineMarkdown, logLine } from '../report/escape.js';
import { renderMarkdown } from '../report/markdown.js';
import { snapshotJson } from '../report/snapshot.js';
import { renderTerminal } from '../report/terminal.js';
import type { Redactor } from '../secrets.js';
import type { StateStore } from '../state/types.js';
import { Outputs } from './constants.js';
import type { RunnerEnvironment } from './event.js';
import type { GitHubSide } from './github.js';
import type { ActionSettings } from './inputs.js';
import * as workflow from './workflow-commands.js';

const GITHUB_BODY_LIMIT = 65_536;

export interface Reported {
  commentUrl: string | null;
  evidenceUrl: string | null;
  /** The one line that says how the run ended; `failed` when the step fails. */
  line: string;
  failed: boolean;
}

/**
 * A run's result as the Action shows it: snapshot files, check run and sticky comment, outputs,
 * job summary, the log table, and the step's status. Shared by every command the Action runs.
 */
export async function reportRun(opts: {
  settings: ActionSettings;
  config: Config;
  runner: RunnerEnvironment;
  github: GitHubSide | null;
  store: StateStore;
  result: RunResult;
  redactor: Redactor;
}): Promise<Reported> {
  const { settings, config, runner, github, store, result, redactor } = opts;
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
    const deployment = await github.recordDeployment(snap, evidenceUrl);
    if (deployment) {
      warnings.push(deployment);
      workflow.warning(deployment);
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
    const text = `${line}: ${result.applyError.message}${snap.command === 'promote' ? '; the state was not changed' : `; the ${snap.command === 'resume' ? 'resume' : 'rollback'} stands`}`;
    workflow.setFailed(text);
    return { commentUrl, evidenceUrl, line: text, failed: true };
  }
  if (verdictFails(snap.command, snap.decision, settings.failOn)) {
    const text = `${line}: ${snap.reasons.slice(0, 5).join('; ')}`;
    workflow.setFailed(text);
    return { commentUrl, evidenceUrl, line: text, failed: true };
  }
  workflow.info(logLine(line));
  return { commentUrl, evidenceUrl, line, failed: false };
}
