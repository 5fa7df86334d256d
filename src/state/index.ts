import type { Config } from '../config/load.js';
import type { StateConfig } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { Redactor } from '../secrets.js';
import { fileStateStore } from './file.js';
import { httpStateStore } from './http.js';
import { postgresStateStore } from './postgres.js';
import { StateError, type StateStore } from './types.js';

export interface StoreEnvironment {
  cwd: string;
  logger: Logger;
  redactor: Redactor;
  fetch?: typeof fetch;
  /** Builds the GitHub ledger store; only the Action (or a CLI with a token) has one. */
  github?: ((config: Extract<StateConfig, { type: 'github' }>) => StateStore) | null;
}

/** The state a CLI run uses when the config names none. */
export function defaultFileState(config: Config): StateConfig {
  return { type: 'file', path: `.rollout/${config.rollout.name}.json` };
}

export function createStateStore(state: StateConfig, config: Config, env: StoreEnvironment): StateStore {
  switch (state.type) {
    case 'file':
      return fileStateStore(state.path, { cwd: env.cwd, rollout: config.rollout.name });
    case 'github':
      if (!env.github) {
        throw new StateError(`${config.file}: state.type is github, which needs the GitHub Action (or GITHUB_TOKEN and GITHUB_REPOSITORY); use --state-file for a local state`);
      }
      return env.github(state);
    case 'postgres':
      return postgresStateStore(state, { rollout: config.rollout.name, cwd: env.cwd, redactor: env.redactor, logger: env.logger });
    case 'http':
      return httpStateStore(state, { rollout: config.rollout.name, cwd: env.cwd, redactor: env.redactor, logger: env.logger, fetch: env.fetch });
    default:
      throw new StateError(`${config.file}: state.type ${(state as StateConfig).type} is not available in this build`);
  }
}
