import type { Config } from '../config/load.js';
import type { StateConfig } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { ProviderFactory } from '../providers/types.js';
import type { Snapshot } from '../report/snapshot.js';
import type { Redactor } from '../secrets.js';
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
}

export function connectGitHub(
  _settings: ActionSettings,
  _runner: RunnerEnvironment,
  _config: Config,
  _redactor: Redactor,
  _logger: Logger,
): GitHubSide | null {
  return null;
}
