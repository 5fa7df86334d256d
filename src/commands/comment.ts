import type { CommandRequest } from './request.js';

/**
 * `/rollout …` on the first line of a pull request comment (SPEC §8.3). Pure: text in, a
 * command (or why the command line is wrong) out; never throws, never runs anything. A comment
 * whose first line is not a `/rollout` command is not a command at all: null.
 */
export type CommentCommand =
  | { kind: 'help' }
  | { kind: 'status'; request: CommandRequest }
  | { kind: 'run'; request: CommandRequest }
  /** The first line is `/rollout …` but not a command it knows: reply with why, run nothing. */
  | { kind: 'invalid'; message: string };

export const COMMENT_PREFIX = '/rollout';

/** The table `/rollout help` replies with, as in the docs. */
export const COMMENT_HELP = [
  '| comment | does |',
  '| --- | --- |',
  '| `/rollout status` | evaluate, write nothing, reply with the gate table |',
  '| `/rollout promote [to STAGE] [--force --reason "…"]` | promote (force needs `rollout.forceAllowed`) |',
  '| `/rollout rollback [--reason "…"] [--kill-switch]` | roll back |',
  '| `/rollout pause <reason…>` / `/rollout resume [reason…]` | pause / resume |',
  '| `/rollout help` | reply with this table |',
].join('\n');

/** Words of an argument list; `"…"` (or “…”) keeps spaces. Null when a quote is left open. */
export function splitWords(text: string): string[] | null {
  const words: string[] = [];
  // Sticky: each word starts where the last ended, so an unclosed quote matches nothing.
  const re = /\s*(?:"([^"]*)"|“([^”]*)”|([^\s"“”]+))/y;
  const rest = text.trimEnd();
  while (re.lastIndex < rest.length) {
    const m = re.exec(rest);
    if (!m) return null;
    words.push(m[1] ?? m[2] ?? m[3]!);
  }
  return words;
}

const request = (command: CommandRequest['command'], fields: Partial<CommandRequest> = {}): CommandRequest => ({
  command,
  target: null,
  force: false,
  reason: null,
  killSwitch: false,
  ...fields,
});

function options(words: string[], allowed: { force?: boolean; killSwitch?: boolean; to?: boolean }): { target: string | null; force: boolean; killSwitch: boolean; reason: string | null } | string {
  const out = { target: null as string | null, force: false, killSwitch: false, reason: null as string | null };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--force' && allowed.force) out.force = true;
    else if (w === '--kill-switch' && allowed.killSwitch) out.killSwitch = true;
    else if (w === '--reason' || w.startsWith('--reason=')) {
      const value = w === '--reason' ? words[++i] : w.slice('--reason='.length);
      if (value === undefined) return '--reason needs a text, e.g. --reason "error budget waived by SRE"';
      if (out.reason !== null) return '--reason is given twice';
      out.reason = value;
    } else if (w === 'to' && allowed.to) {
      const stage = words[++i];
      if (stage === undefined || stage.startsWith('--')) return '`to` needs a stage, e.g. /rollout promote to canary_50';
      if (out.target !== null) return 'the target stage is given twice';
      out.target = stage;
    } else return `unexpected "${w}"`;
  }
  return out;
}

/** The command on the comment's first line, or null when the comment is not a command. */
export function parseComment(body: unknown): CommentCommand | null {
  if (typeof body !== 'string') return null;
  const first = body.split(/\r\n|\n|\r/, 1)[0]!;
  // Exactly at the start: an indented line is a code block in Markdown, `>` a quote.
  if (!first.startsWith(COMMENT_PREFIX)) return null;
  const after = first.slice(COMMENT_PREFIX.length);
  if (after !== '' && !/^[ \t]/.test(after)) return null;
  const line = after.trim();
  const space = line.search(/\s/);
  const verb = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space).trim();
  const invalid = (message: string): CommentCommand => ({ kind: 'invalid', message: `${message}; see /rollout help` });
  switch (verb) {
    case '':
    case 'help':
      return rest ? invalid(`help takes no arguments`) : { kind: 'help' };
    case 'status':
      return rest ? invalid('status takes no arguments') : { kind: 'status', request: request('evaluate') };
    // Free text: everything after the word is the reason, as written.
    case 'pause':
      return { kind: 'run', request: request('pause', { reason: rest || null }) };
    case 'resume':
      return { kind: 'run', request: request('resume', { reason: rest || null }) };
    case 'promote':
    case 'rollback': {
      const words = splitWords(rest);
      if (words === null) return invalid('a quote is not closed');
      const o = options(words, verb === 'promote' ? { force: true, to: true } : { killSwitch: true });
      if (typeof o === 'string') return invalid(`${verb}: ${o}`);
      return { kind: 'run', request: request(verb, o) };
    }
    default:
      return invalid(`unknown command "${verb}"; expected status, promote, rollback, pause, resume or help`);
  }
}
