import type { Config } from '../config/load.js';
import type { StateConfig } from '../config/schema.js';
import { publishCheckRun } from '../github/check-run.js';
import { identityOfToken, stickyMarker, upsertStickyComment } from '../github/comment.js';
import { createOctokit, describeGitHubError, githubFailure, writeRefusal, type GitHubClient } from '../github/octokit.js';
import type { Logger } from '../logger.js';
import { githubProviderFactory } from '../providers/github.js';
import type { ProviderFactory } from '../providers/types.js';
import { judgesGates, type Snapshot } from '../report/snapshot.js';
import type { Redactor } from '../secrets.js';
import { githubLedgerStore } from '../state/ledger.js';
import type { StateStore } from '../state/types.js';
import type { RunnerEnvironment } from './event.js';
import type { ActionSettings } from './inputs.js';

/** Everything the Action does with GitHub, behind one seam. */
export interface GitHubSide {
  ledger: (config: Extract<StateConfig, { type: 'github' }>) => StateStore;
  providerFactory: ProviderFactory<never>;
  isTeamMember: (actor: string, team: string) => Promise<boolean | null>;
  isWriteRefusal: (e: unknown) => boolean;
  commitUrl: (sha: string) => string;
  report: (
    snap: Snapshot,
    render: { comment: boolean; body: (max: number) => string; summary: (max: number) => string },
  ) => Promise<{ commentUrl: string | null; warnings: string[] }>;
  /** With `deployments:` in the config: a stage change as GitHub deployments; a warning when it could not be recorded, else null. */
  recordDeployment: (snap: Snapshot, logUrl: string | null) => Promise<string | null>;
  /** The client, for the pull request comment commands. */
  octokit: GitHubClient;
  owner: string;
  repo: string;
}

const BODY_LIMIT = 65_536;

export function checkRunName(rollout: string): string {
  return `rollout-gate / ${rollout}`;
}

export function checkRunTitle(s: Snapshot): string {
  const move = `${s.transition.from ?? '(not started)'} → ${s.transition.to ?? '(none)'}`;
  const forced = s.forced ? ` (forced by ${s.forced.actor ?? 'unknown'})` : '';
  return `${s.decision}${forced}: ${move}`;
}

/** Whether a write failed only because the token may not write (fork PRs, read-only tokens). */
function refusedWrite(e: unknown): boolean {
  return writeRefusal(e) !== null || writeRefusal((e as { cause?: unknown })?.cause) !== null || /resource not accessible by/i.test(String((e as Error)?.message ?? ''));
}

/**
 * On workflow_run, GitHub leaves `pull_requests` empty when the PR comes from a fork: find it by
 * its head (`fork-owner:branch`) and check the head commit still matches.
 */
export async function findWorkflowRunPull(octokit: GitHubClient, runner: RunnerEnvironment): Promise<RunnerEnvironment['pullRequest']> {
  const head = runner.workflowRunHead;
  if (!head || !runner.owner || !runner.repo) return null;
  const { data } = await octokit.rest.pulls.list({ owner: runner.owner, repo: runner.repo, state: 'open', head: `${head.owner}:${head.branch}`, per_page: 10 });
  const pr = data.find((p) => p.head.sha === head.sha);
  return pr ? { number: pr.number, headSha: pr.head.sha, author: pr.user?.login ?? null, fork: true } : null;
}

/** Builds the GitHub side from the settings, or null when there is no token or repository. */
export async function connectGitHub(
  settings: ActionSettings,
  runner: RunnerEnvironment,
  config: Config,
  redactor: Redactor,
  logger: Logger,
  fetchImpl?: typeof fetch,
): Promise<GitHubSide | null> {
  if (!settings.token || !runner.owner || !runner.repo) return null;
  const owner = runner.owner;
  const repo = runner.repo;
  const octokit: GitHubClient = createOctokit({ token: settings.token, baseUrl: runner.apiUrl, redactor, logger, fetch: fetchImpl });
  const server = runner.context.runUrl ? new URL(runner.context.runUrl).origin : 'https://github.com';
  let pr = runner.pullRequest;
  if (!pr && runner.workflowRunHead) {
    try {
      pr = await findWorkflowRunPull(octokit, runner);
      if (pr) {
        runner.pullRequest = pr;
        runner.context.pullRequest = pr.number;
      }
    } catch (e) {
      logger.warning(`could not find the pull request of the triggering run: ${describeGitHubError(e, redactor)}`);
    }
  }

  return {
    octokit,
    owner,
    repo,
    async recordDeployment(snap, logUrl) {
      const before = snap.stateBefore?.stage ?? null;
      const after = snap.stateAfter;
      if (!config.deployments || !snap.stateChanged || !after || after.stage === before) return null;
      const ref = pr?.headSha ?? runner.context.commitSha;
      if (!ref) return 'could not record the deployment: no commit to name (no pull request head and no GITHUB_SHA)';
      try {
        const { recordStageChange } = await import('../github/deployments.js');
        await recordStageChange(
          { octokit, owner, repo, environment: config.deployments.environment, url: config.deployments.url, ref, rollout: config.rollout.name, redactor },
          {
            from: before,
            to: after.stage,
            traffic: config.rollout.stages.find((st) => st.name === after.stage)?.traffic ?? 0,
            kind: snap.command === 'promote' ? 'promotion' : 'rollback',
            // A watch rolls back because its gates failed; a rollback command is an operator's choice.
            forcedByGates: snap.command === 'watch',
            logUrl: logUrl ?? runner.context.runUrl,
            actor: snap.actor,
          },
        );
        return null;
      } catch (e) {
        return `${refusedWrite(e) ? 'the token may not record deployments (it needs deployments: write)' : 'could not record the deployment'}: ${redactor.redact(describeGitHubError(e, redactor))}`;
      }
    },
    ledger: (state) =>
      githubLedgerStore({
        octokit,
        owner,
        repo,
        branch: state.branch ?? 'rollout-ledger',
        path: state.path ?? `state/${config.rollout.name}.json`,
        rollout: config.rollout.name,
        logger,
        redactor,
      }),
    providerFactory: githubProviderFactory({
      octokit,
      owner,
      repo,
      // The body is read from the API: a rerun replays the old event payload, ticked boxes included or not.
      pullRequest: pr ? { number: pr.number, headSha: pr.headSha, author: pr.author ?? '' } : null,
    }) as ProviderFactory<never>,
    async isTeamMember(actor, team) {
      const [org, slug] = team.split('/');
      if (!org || !slug) return null;
      try {
        const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100 });
        return members.some((m) => m.login.toLowerCase() === actor.toLowerCase());
      } catch (e) {
        if (githubFailure(e)?.status === 404) return false;
        logger.warning(`could not read the members of @${team}: ${describeGitHubError(e, redactor)}`);
        return null;
      }
    },
    isWriteRefusal: refusedWrite,
    commitUrl: (sha) => `${server}/${owner}/${repo}/commit/${sha}`,
    async report(snap, render) {
      const warnings: string[] = [];
      let commentUrl: string | null = null;
      const failed = (what: string, e: unknown): string =>
        `${refusedWrite(e) ? `the token may not ${what} (read-only token, e.g. a fork pull request)` : `could not ${what}`}: ${redactor.redact(describeGitHubError(e, redactor))}`;
      const headSha = pr?.headSha ?? runner.context.commitSha;
      // A watch guards a stage on a schedule: a check run on whatever commit is the branch's head
      // would mark that commit with the rollout's health every few minutes. The run's own status
      // and its job summary carry the verdict.
      // The check run and the sticky comment go out together: neither waits for the other.
      const checkRun = async (): Promise<string | null> => {
        if (!headSha || snap.command === 'watch') return null;
        try {
          await publishCheckRun({
            octokit,
            owner,
            repo,
            name: checkRunName(config.rollout.name),
            headSha,
            conclusion: !judgesGates(snap.command) ? 'neutral' : snap.decision === 'PROCEED' ? 'success' : 'failure',
            title: checkRunTitle(snap),
            summary: render.summary(BODY_LIMIT - 1),
            detailsUrl: runner.context.runUrl,
            redactor,
          });
          return null;
        } catch (e) {
          return failed('create the check run', e);
        }
      };
      const comment = async (): Promise<string | null> => {
        if (!render.comment || !pr) return null;
        try {
          const r = await upsertStickyComment({
            octokit,
            owner,
            repo,
            issueNumber: pr.number,
            marker: stickyMarker(config.rollout.name),
            body: render.body(BODY_LIMIT),
            logger,
            redactor,
            identity: identityOfToken(settings.token),
          });
          commentUrl = r.url;
          return null;
        } catch (e) {
          return failed('comment on the pull request', e);
        }
      };
      for (const w of await Promise.all([checkRun(), comment()])) if (w) warnings.push(w);
      return { commentUrl, warnings };
    },
  };
}
