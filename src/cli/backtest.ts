import { backtest, backtestJson, renderBacktest } from '../backtest.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../run.js';

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
  if (cmd.extra.length > 0) throw new UsageError(`unexpected argument "${cmd.extra[0]}" (backtest reads the snapshots under --evidence DIR)`);
  if (cmd.stray.length > 0) throw new UsageError(`${cmd.stray.map((s) => `--${s}`).join(', ')} ${cmd.stray.length === 1 ? 'does' : 'do'} not go with backtest`);
  if (!cmd.evidence) throw new UsageError('backtest needs --evidence DIR (a directory holding snapshot.json files, such as a checkout of the ledger branch)');
  const config = await loadConfig(cmd.configFile.startsWith('/') ? cmd.configFile : `${cmd.cwd}/${cmd.configFile}`, cmd.env);
  const report = await backtest(config, cmd.evidence, cmd.cwd);
  cmd.stdout(cmd.json ? backtestJson(report) : renderBacktest(report, cmd.colour));
  return 0;
}
