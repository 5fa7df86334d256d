import { backtest, backtestJson, renderBacktest } from '../backtest.js';
import { loadConfig } from '../config/load.js';
import { BACKTEST_EXIT, checkBacktest } from '../commands/index.js';

export interface BacktestCommand {
  configFile: string;
  evidence: string | undefined;
  json: boolean;
  colour: boolean;
  /** Arguments after the command word: backtest takes none. */
  extra: string[];
  /** Options given that belong to other commands. */
  stray: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
}

/** `rollout-gate backtest --evidence DIR`: exit 0 whenever it ran, whatever would change. */
export async function backtestCommand(cmd: BacktestCommand): Promise<number> {
  const evidence = checkBacktest(cmd);
  const config = await loadConfig(cmd.configFile.startsWith('/') ? cmd.configFile : `${cmd.cwd}/${cmd.configFile}`, cmd.env);
  const report = await backtest(config, evidence, cmd.cwd);
  cmd.stdout(cmd.json ? backtestJson(report) : renderBacktest(report, cmd.colour));
  return BACKTEST_EXIT;
}
