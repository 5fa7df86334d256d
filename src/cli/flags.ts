import { nearest } from '../config/suggest.js';

/**
 * What to tell the user when `parseArgs` refused the command line: the option named as typed,
 * the nearest valid one when there is one ("did you mean --dry-run?"), never Node's advice
 * about positional arguments starting with a dash.
 */
export function flagError(error: unknown, options: Record<string, { type: string; short?: string }>): string {
  const e = error as NodeJS.ErrnoException;
  const message = String(e?.message ?? error);
  if (e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /Unknown option '([^']+)'/.exec(message)?.[1] ?? '';
    const name = typed.replace(/^-+/, '').replace(/=.*$/, '');
    const long = Object.keys(options);
    const near = typed.startsWith('--') || name.length > 1 ? nearest(name, long) : null;
    return `unknown option ${typed}${near ? `; did you mean --${near}?` : ''} (rollout-gate --help lists the options)`;
  }
  // Keep Node's own first sentence: it names the option ("Option '--config <value>' argument missing").
  return message.split(/\. To specify/)[0]!.replace(/\.$/, '');
}
