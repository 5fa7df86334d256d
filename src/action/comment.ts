import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listed, overrideRefusal } from '../commands/authority.js';
import { COMMENT_HELP, parseComment, type CommentCommand } from '../commands/comment.js';
import { checkRequest, runCommand, UsageError, type CommandRequest } from '../commands/index.js';
import { verdictFails } from '../commands/outcome.js';
import { parseConfig, type Config } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { collaboratorRole, fileOnBranch, mayWrite, pullRequestHead, react, reply, type Reaction } from '../github/chatops.js';
import { createOctokit, describeGitHubError, type GitHubClient } from '../github/octokit.js';
import type { Logger } from '../logger.js';
import { codeBlock, inlineMarkdown } from '../report/escape.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Snapshot } from '../report/snapshot.js';
import type { Redactor } from '../secrets.js';
import type { RunnerEnvironment } from './event.js';
import type { ActionSettings } from './inputs.js';
import { connect } from './connect.js';
import { reportRun } from './report.js';
import * as workflow from './workflow-commands.js';

/** What rollout-gate reads of GitHub's `issue_comment` payload. */
export interface CommentEvent {
  action: string;
  commentId: number;
  body: string;
  login: string;
  issueNumber: number;
  /** Whether the issue is a pull request (`issue.pull_request` is present). */
  onPullRequest: boolean;
  defaultBranch: string | null;
}

/** The comment of an `issue_comment` payload; null when the payload is not one. */
export function commentEvent(payload: unknown): CommentEvent | null {
  const p = payload as {
    action?: unknown;
    comment?: { id?: unknown; body?: unknown; user?: { login?: unknown } | null };
    issue?: { number?: unknown; pull_request?: unknown };
    repository?: { default_branch?: unknown };
  } | null;
  if (!p || typeof p !== 'object' || !p.comment || !p.issue) return null;
  const { comment, issue } = p;
  if (typeof comment.id !== 'number' || typeof issue.number !== 'number' || typeof comment.user?.login !== 'string') return null;
  return {
    action: typeof p.action === 'string' ? p.action : '',
    commentId: comment.id,
    body: typeof comment.body === 'string' ? comment.body : '',
    login: comment.user.login,
    issueNumber: issue.number,
    onPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
    defaultBranch: typeof p.repository?.default_branch === 'string' ? p.repository.default_branch : null,
  };
}

/**
 * Which command a comment runs, or null when it runs none: only a new comment on a pull request
 * whose first line is `/rollout …`. Edited and deleted comments, comments on issues and any other
 * text are not commands: no reaction, no reply.
 */
export function commandOf(event: CommentEvent | null): { event: CommentEvent; command: CommentCommand } | null {
  if (!event || event.action !== 'created' || !event.onPullRequest) return null;
  const command = parseComment(event.body);
  return command ? { event, command } : null;
}

/** The commenter's words, quoted as data: one escaped line, never Markdown, HTML, a mention or a marker. */
export function quoted(body: string): string {
  const first = body.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const cut = first.length > 300 ? `${first.slice(0, 299)}…` : first;
  return `> ${inlineMarkdown(cut)}`;
}

interface CommentRun {
  settings: ActionSettings;
  runner: RunnerEnvironment;
  redactor: Redactor;
  logger: Logger;
}

function readPayload(): unknown {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** The config and its template as they are on the default branch, never as the pull request has them. */
async function defaultBranchConfig(octokit: GitHubClient, runner: RunnerEnvironment, settings: ActionSettings, branch: string, redactor: Redactor): Promise<Config> {
  const side = { octokit, owner: runner.owner!, repo: runner.repo!, redactor };
  const text = await fileOnBranch(side, settings.config, branch);
  if (text === null) throw new ConfigError(settings.config, [{ path: '', message: `file not found on the default branch (${branch})` }]);
  const loaded = parseConfig(text, settings.config);
  const config: Config = { ...loaded, deadlineMs: settings.timeoutMs ?? loaded.deadlineMs };
  if (config.evidenceTemplate) {
    const template = await fileOnBranch(side, config.evidenceTemplate, branch);
    if (template === null) throw new ConfigError(settings.config, [{ path: 'evidence.template', message: `${config.evidenceTemplate} not found on the default branch (${branch})` }]);
    const dir = join(runner.tempDir, 'rollout-gate', 'default-branch');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'go-no-go-template.md');
    writeFileSync(file, template);
    config.evidenceTemplate = file;
  }
  return config;
}

/** Null when the commenter may run the command; else why not, in words for the reply. */
async function refusal(
  login: string,
  request: CommandRequest,
  config: Config,
  github: { octokit: GitHubClient; owner: string; repo: string; isTeamMember: (actor: string, team: string) => Promise<boolean | null> },
  redactor: Redactor,
): Promise<string | null> {
  if (config.chatopsAllowed) {
    const found = await listed(login, config.chatopsAllowed, github.isTeamMember);
    if (!found.ok) return `${login} is not in chatops.allowed${found.unresolved.length ? ` (could not read the members of ${found.unresolved.join(', ')})` : ''}`;
  } else {
    const role = await collaboratorRole({ ...github, redactor }, login);
    if (!mayWrite(role)) return `${login} has ${role === 'none' ? 'no' : `${role}`} permission on the repository; commands need write or higher (or an entry in chatops.allowed)`;
  }
  if (request.force) {
    // From a comment, forcing needs an explicit list: nobody may force when rollout.forceAllowed is not set.
    if (config.rollout.forceAllowed === null) return 'force from a comment needs rollout.forceAllowed in the config, and it is not set';
    const no = await overrideRefusal({ config, actor: login, isTeamMember: github.isTeamMember });
    if (no) return no;
  }
  return null;
}

/**
 * `command: comment` (the default on `issue_comment`): runs the `/rollout …` command on the first
 * line of a new pull request comment through the same command layer as the CLI and the Action,
 * as the commenter, with the config from the default branch.
 */
export async function runCommentCommand(run: CommentRun): Promise<void> {
  const { settings, runner, redactor, logger } = run;
  const found = commandOf(commentEvent(readPayload()));
  if (!found) {
    logger.info('not a /rollout command on a new pull request comment: nothing to do');
    return;
  }
  const { event, command } = found;
  if (!settings.token || !runner.owner || !runner.repo) throw new UsageError('command comment needs github-token and GITHUB_REPOSITORY');
  const octokit = createOctokit({ token: settings.token, baseUrl: runner.apiUrl, redactor, logger });
  const side = { octokit, owner: runner.owner, repo: runner.repo, redactor };
  const said = quoted(event.body);
  const reactTo = async (content: Reaction) => {
    try {
      await react(side, event.commentId, content);
    } catch (e) {
      workflow.warning(`could not react ${content}: ${describeGitHubError(e, redactor)}`);
    }
  };
  const answer = (text: string) => reply(side, event.issueNumber, redactor.redact(`${said}\n\n${text}`));
  await reactTo('eyes');

  if (command.kind === 'help') {
    await answer(`rollout-gate commands, on the first line of a pull request comment:\n\n${COMMENT_HELP}`);
    await reactTo('rocket');
    return;
  }
  let config: Config | null = null;
  try {
    if (command.kind === 'invalid') throw new UsageError(command.message);
    const request = command.request;
    checkRequest(request);
    const pr = await pullRequestHead(side, event.issueNumber);
    runner.pullRequest = pr;
    runner.context.pullRequest = pr.number;
    runner.context.commitSha = pr.headSha;
    config = await defaultBranchConfig(octokit, runner, settings, event.defaultBranch ?? 'main', redactor);
    for (const s of config.secrets) redactor.add(s);
    const { github, store, factories } = await connect(settings, runner, config, redactor, logger);
    const may = await refusal(event.login, request, config, { ...side, isTeamMember: github!.isTeamMember }, redactor);
    if (may) {
      workflow.warning(`refused: ${may}`);
      await answer(`Refused: ${inlineMarkdown(may)}. Nothing was changed.`);
      await reactTo('-1');
      return;
    }
    const status = command.kind === 'status';
    const result = await runCommand({
      ...request,
      config,
      nowMs: Date.now(),
      store,
      factories,
      cwd: runner.workspace,
      logger,
      redactor,
      context: runner.context,
      // The commenter is the one who decides: the actor in the history and the decision log.
      actor: event.login,
      dryRun: settings.dryRun,
      // status: evaluate and reply, nothing written to the ledger.
      writeEvidence: !status && settings.evidence === 'commit',
      runKey: runner.runKey,
      isTeamMember: github!.isTeamMember,
      evidenceUrl: (write) => (write.commit ? github!.commitUrl(write.commit) : null),
    });
    await store.close?.();
    const reported = await reportRun({ settings, config, runner, github, store, result, redactor });
    const snap = result.snapshot;
    const links = [reported.evidenceUrl ? `[evidence](${reported.evidenceUrl})` : '', reported.commentUrl ? `[report](${reported.commentUrl})` : '', runner.context.runUrl ? `[run](${runner.context.runUrl})` : ''].filter(Boolean).join(' · ');
    const body = status
      ? renderMarkdown(snap, { evidenceUrl: null, maxLength: 60_000, charts: config.charts })
      : `${outcomeLine(snap, event.login)}${links ? `\n\n${links}` : ''}`;
    await answer(body);
    await reactTo(reported.failed || result.applyError || verdictFails(snap.command, snap.decision) ? '-1' : 'rocket');
  } catch (e) {
    const message = redactor.redact(e instanceof Error ? e.message : String(e));
    try {
      await answer(`Could not run this command: ${codeBlock(message)}`);
    } catch (r) {
      workflow.warning(`could not reply: ${describeGitHubError(r, redactor)}`);
    }
    await reactTo('-1');
    throw e;
  }
}

function outcomeLine(s: Snapshot, login: string): string {
  const who = inlineMarkdown(login);
  const move = `${inlineMarkdown(s.transition.from ?? '(not started)')} → ${inlineMarkdown(s.transition.to ?? '(none)')}`;
  const reason = s.reasons[0] ? `: ${inlineMarkdown(s.reasons[0])}` : '';
  const written = s.stateChanged ? '' : ' The state did not change.';
  switch (s.command) {
    case 'promote':
      return `**${s.decision}**${s.forced ? ' (forced)' : ''} ${move}, as ${who}${reason}.${written}`;
    case 'rollback':
      return `Rolled back ${move}, as ${who}.${written}`;
    case 'pause':
      return `Paused at ${inlineMarkdown(s.transition.from ?? '(not started)')}, as ${who}${reason}.${written}`;
    case 'resume':
      return `Resumed at ${inlineMarkdown(s.transition.from ?? '(not started)')}, as ${who}${reason}.${written}`;
    default:
      return `**${s.decision}** ${move}${reason}.`;
  }
}
