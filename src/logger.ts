/** Where progress goes: the Action routes it to the runner's log, the CLI to stderr. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {} };

export function stderrLogger(verbose: boolean): Logger {
  return {
    debug: (m) => { if (verbose) process.stderr.write(`debug: ${m}\n`); },
    info: (m) => process.stderr.write(`${m}\n`),
    warning: (m) => process.stderr.write(`warning: ${m}\n`),
  };
}
