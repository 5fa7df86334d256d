import type { DecisionKind } from '../engine/model.js';

/** What a notification says: built by the run from its snapshot, rendered once per destination. */
export interface NotifyEvent {
  rollout: string;
  command: string;
  decision: DecisionKind;
  from: string | null;
  to: string | null;
  /** ISO instant of the decision. */
  at: string;
  stateChanged: boolean;
  change: StateChange | null;
  /** Names of the gates that failed. */
  failedGates: string[];
  failures: GateFailure[];
  reasons: string[];
  warnings: string[];
  /** A URL when known, else a path. */
  evidence: string | null;
  runUrl: string | null;
}

export type StateChange = 'promoted' | 'rolled-back' | 'paused' | 'resumed' | 'kill-switch';

export interface GateFailure {
  name: string;
  severity: string;
  value: string;
  condition: string;
  reason: string;
}

export type NotifyType = 'slack' | 'teams' | 'webhook';
/** A decision, or `state-change` for any change of the rollout's state. */
export type NotifyOn = DecisionKind | 'state-change';

/** `apply.timeout` when the config gives none: all attempts together. */
export const APPLY_TIMEOUT_MS = 10_000;

export const DEFAULT_NOTIFY_ON: readonly NotifyOn[] = ['ROLLBACK', 'state-change'];

/** One `notify:` entry, normalised. */
export interface NotifyTarget {
  type: NotifyType;
  url: string;
  on: NotifyOn[];
  /** webhook only: the HMAC-SHA256 key of the signature header. */
  secret: string | null;
}

/** The `apply:` entry, normalised: the call that moves the traffic. */
export interface ApplyTarget {
  url: string;
  method: 'PUT' | 'POST' | 'PATCH';
  headers: Record<string, string>;
  /** All attempts together. */
  timeoutMs: number;
}

/** Whether a target asked to hear about this event (its `on` list). */
export function shouldNotify(target: Pick<NotifyTarget, 'on'>, event: Pick<NotifyEvent, 'decision' | 'change'>): boolean {
  return target.on.includes(event.decision) || (event.change !== null && target.on.includes('state-change'));
}

/** "canary_10 → canary_1", "— → canary_1", or the stage alone when it did not move. */
export function transitionText(event: Pick<NotifyEvent, 'from' | 'to'>): string {
  if (event.from === event.to) return event.to ?? 'not started';
  return `${event.from ?? 'not started'} → ${event.to ?? 'not started'}`;
}

const CHANGE_TEXT: Record<StateChange, string> = {
  promoted: 'promoted',
  'rolled-back': 'rolled back',
  paused: 'paused',
  resumed: 'resumed',
  'kill-switch': 'kill switch engaged',
};

export function changeText(change: StateChange | null): string {
  return change === null ? 'no state change' : CHANGE_TEXT[change];
}

/** A one-line summary: the fallback text of chat messages. */
export function summaryLine(event: NotifyEvent): string {
  const failed = event.failedGates.length;
  const gates = failed > 0 ? ` (${failed} gate${failed === 1 ? '' : 's'} failed)` : '';
  return `${event.decision} ${event.rollout}: ${transitionText(event)}, ${changeText(event.change)}${gates}`;
}

/** An http(s) URL that a chat client can link to; a path or anything else is shown as text. */
export function isLink(value: string | null): value is string {
  if (value === null) return false;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * At most `max` UTF-16 units (so at most `max` characters however a receiver counts them), with
 * an ellipsis when cut; never splits a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const point of text) {
    if (out.length + point.length > max - 1) break;
    out += point;
  }
  return `${out}…`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Every text of the event as well-formed Unicode: a lone surrogate (a character cut in half upstream) becomes U+FFFD. */
export function wellFormedEvent(event: NotifyEvent): NotifyEvent {
  const fix = (s: string) => s.replace(LONE_SURROGATE, '\uFFFD');
  const opt = (s: string | null) => (s === null ? null : fix(s));
  return {
    ...event,
    rollout: fix(event.rollout),
    command: fix(event.command),
    from: opt(event.from),
    to: opt(event.to),
    at: fix(event.at),
    failedGates: event.failedGates.map(fix),
    failures: event.failures.map((f) => ({ name: fix(f.name), severity: fix(f.severity), value: fix(f.value), condition: fix(f.condition), reason: fix(f.reason) })),
    reasons: event.reasons.map(fix),
    warnings: event.warnings.map(fix),
    evidence: opt(event.evidence),
    runUrl: opt(event.runUrl),
  };
}
