import type { HistoryEntry, Pause, RolloutState } from '../engine/model.js';
import { StateError } from './types.js';

/** A value as the user wrote it, for a message; String() throws on some JSON ({"toString": 1}). */
const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? typeof v;
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

const isIso = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

/**
 * Validates a state document (from a file, the ledger, a database row or an HTTP body). Every
 * problem is reported with its field; `where` names the source.
 */
export function parseStateDocument(doc: unknown, where: string, rollout: string): RolloutState {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StateError(`${where}: the state must be a JSON object, got ${Array.isArray(doc) ? 'a list' : doc === null ? 'null' : typeof doc}`);
  }
  const d = doc as Record<string, unknown>;
  const problems: string[] = [];
  if (d.rollout !== undefined && d.rollout !== rollout) problems.push(`rollout is ${shown(d.rollout)}, but the config's rollout is "${rollout}"`);
  if (d.stage !== null && d.stage !== undefined && typeof d.stage !== 'string') problems.push('stage must be a stage name or null');
  for (const key of ['enteredAt', 'lastRollbackAt'] as const) {
    if (d[key] !== null && d[key] !== undefined && !isIso(d[key])) problems.push(`${key} must be an ISO-8601 time or null, got ${JSON.stringify(d[key])}`);
  }
  if (d.killSwitch !== undefined && d.killSwitch !== null && typeof d.killSwitch !== 'boolean') problems.push('killSwitch must be true or false');
  if (d.history !== undefined && d.history !== null && !Array.isArray(d.history)) problems.push('history must be a list');
  let paused: Pause | null = null;
  if (d.paused !== undefined && d.paused !== null) {
    const p = d.paused as Record<string, unknown>;
    if (typeof p !== 'object' || Array.isArray(p)) problems.push(`paused must be null or { at, reason, actor }, got ${shown(d.paused)}`);
    else {
      if (!isIso(p.at)) problems.push('paused.at must be an ISO-8601 time');
      if (typeof p.reason !== 'string') problems.push('paused.reason must be a string');
      if (p.actor !== undefined && p.actor !== null && typeof p.actor !== 'string') problems.push('paused.actor must be a string or null');
      paused = { at: String(p.at), reason: String(p.reason ?? ''), actor: typeof p.actor === 'string' ? p.actor : null };
    }
  }
  const history: HistoryEntry[] = [];
  if (Array.isArray(d.history)) {
    d.history.forEach((h, i) => {
      if (!h || typeof h !== 'object' || Array.isArray(h)) {
        problems.push(`history[${i}] must be an object`);
        return;
      }
      const e = h as Record<string, unknown>;
      if (!isIso(e.at)) problems.push(`history[${i}].at must be an ISO-8601 time`);
      history.push({
        at: typeof e.at === 'string' ? e.at : '',
        from: typeof e.from === 'string' ? e.from : null,
        to: typeof e.to === 'string' ? e.to : null,
        decision: typeof e.decision === 'string' ? e.decision : '',
        forced: e.forced === true,
        actor: typeof e.actor === 'string' ? e.actor : null,
        reason: typeof e.reason === 'string' ? e.reason : null,
        evidence: typeof e.evidence === 'string' ? e.evidence : null,
      });
    });
  }
  if (problems.length) throw new StateError(`${where}: ${problems.join('; ')}`);
  return {
    rollout,
    stage: (d.stage as string | null | undefined) ?? null,
    enteredAt: (d.enteredAt as string | null | undefined) ?? null,
    killSwitch: d.killSwitch === true,
    lastRollbackAt: (d.lastRollbackAt as string | null | undefined) ?? null,
    paused,
    history,
  };
}

export function serializeState(state: RolloutState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
