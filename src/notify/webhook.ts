import { createHmac } from 'node:crypto';
import { wellFormedEvent, type NotifyEvent } from './event.js';

/** The generic webhook's JSON body: exactly these keys (SPEC §7.4). */
export interface WebhookBody {
  rollout: string;
  command: string;
  decision: NotifyEvent['decision'];
  from: string | null;
  to: string | null;
  at: string;
  stateChanged: boolean;
  failedGates: string[];
  reasons: string[];
  evidence: string | null;
  runUrl: string | null;
}

export const SIGNATURE_HEADER = 'X-Rollout-Gate-Signature-256';

export function webhookBody(raw: NotifyEvent): WebhookBody {
  const event = wellFormedEvent(raw);
  return {
    rollout: event.rollout,
    command: event.command,
    decision: event.decision,
    from: event.from,
    to: event.to,
    at: event.at,
    stateChanged: event.stateChanged,
    failedGates: [...event.failedGates],
    reasons: [...event.reasons],
    evidence: event.evidence,
    runUrl: event.runUrl,
  };
}

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as GitHub signs its webhooks. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
