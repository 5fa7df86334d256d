import type { ForceRequest } from '../engine/decide.js';
import type { RunOptions } from './types.js';

/** Whether `login` is listed in `allowed` (logins, `@org/team`); null when a team could not be read and no entry matched. */
export async function listed(
  login: string,
  allowed: readonly string[],
  isTeamMember: ((actor: string, team: string) => Promise<boolean | null>) | undefined,
): Promise<{ ok: true } | { ok: false; unresolved: string[] }> {
  const who = login.toLowerCase();
  if (allowed.some((a) => !a.startsWith('@') && a.toLowerCase() === who)) return { ok: true };
  const unresolved: string[] = [];
  for (const team of allowed.filter((a) => a.startsWith('@'))) {
    const member = isTeamMember ? await isTeamMember(login, team.slice(1)) : null;
    if (member === true) return { ok: true };
    if (member === null) unresolved.push(team);
  }
  return { ok: false, unresolved };
}

/** Null when the actor may override (force a HOLD, release the kill switch); else why not. */
export async function overrideRefusal(opts: Pick<RunOptions, 'config' | 'actor' | 'isTeamMember'>): Promise<string | null> {
  const allowed = opts.config.rollout.forceAllowed;
  if (allowed === null) return null;
  if (!opts.actor) return 'rollout.forceAllowed is set and the actor is unknown (pass --actor)';
  const found = await listed(opts.actor, allowed, opts.isTeamMember);
  if (found.ok) return null;
  const note = found.unresolved.length ? ` (could not read the members of ${found.unresolved.join(', ')})` : '';
  return `${opts.actor} is not in rollout.forceAllowed${note}`;
}

export async function forceRequest(opts: RunOptions): Promise<ForceRequest | null> {
  if (!opts.force) return null;
  const refusal = await overrideRefusal(opts);
  return { reason: opts.reason!.trim(), actor: opts.actor, allowed: refusal === null, refusal };
}
