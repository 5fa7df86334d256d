import type { Config } from '../config/load.js';
import type { Logger } from '../logger.js';
import { defaultFactories, type ProviderFactories } from '../providers/index.js';
import type { Redactor } from '../secrets.js';
import { createStateStore } from '../state/index.js';
import type { StateStore } from '../state/types.js';
import type { RunnerEnvironment } from './event.js';
import type { GitHubSide } from './github.js';
import type { ActionSettings } from './inputs.js';

export interface ActionSide {
  github: GitHubSide | null;
  store: StateStore;
  factories: ProviderFactories;
}

/** The config's edges as the Action has them: GitHub (when there is a token), the state store, the providers. */
export async function connect(settings: ActionSettings, runner: RunnerEnvironment, config: Config, redactor: Redactor, logger: Logger): Promise<ActionSide> {
  // The GitHub client is loaded once the config is known to be valid: a config error is
  // reported without paying for it.
  const { connectGitHub } = await import('./github.js');
  const github = await connectGitHub(settings, runner, config, redactor, logger);
  const stateConfig = config.state ?? { type: 'github' as const };
  const store = createStateStore(stateConfig, config, { cwd: runner.workspace, logger, redactor, github: github?.ledger ?? null });
  const factories = github ? { ...defaultFactories, github: github.providerFactory } : defaultFactories;
  return { github, store, factories };
}

