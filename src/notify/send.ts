import type { Logger } from '../logger.js';
import { HttpRequestError, httpRequest, isRetryableStatus, parseRetryAfter, snippet, withCredentials } from '../transport/http-request.js';
import type { Redactor } from '../secrets.js';
import { shouldNotify, type NotifyEvent, type NotifyTarget, type NotifyType } from './event.js';
import { slackMessage } from './slack.js';
import { displayTarget } from './target.js';
import { teamsMessage } from './teams.js';
import { SIGNATURE_HEADER, signature, webhookBody } from './webhook.js';

export const NOTIFY_BOUND_MS = 10_000;
export const NOTIFY_MAX_ATTEMPTS = 3;
/** A receiver's answer is read only to quote it in an error. */
const MAX_ANSWER_BYTES = 256 * 1024;

export interface NotifyOptions {
  fetch?: typeof fetch;
  redactor: Redactor;
  logger: Logger;
  /** All attempts of one notification together (default 10 s). */
  boundMs?: number;
  /** Attempts on 429, 5xx and network errors (default 3). */
  maxAttempts?: number;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** What became of one notification: a failed one is a warning in the report, nothing more. */
export interface NotifyOutcome {
  type: NotifyType;
  /** Host and path with the credentials as ***: `hooks.slack.com/services/***`. */
  target: string;
  ok: boolean;
  attempts: number;
  error: string | null;
}

/** The request body of a destination, before redaction. */
export function renderPayload(type: NotifyType, event: NotifyEvent): unknown {
  if (type === 'slack') return slackMessage(event);
  if (type === 'teams') return teamsMessage(event);
  return webhookBody(event);
}

/**
 * Sends the event to every target whose `on` matches, concurrently. Never throws and never
 * takes longer than about the bound: a notification can't change the decision or the exit code.
 */
export async function notifyAll(targets: readonly NotifyTarget[], event: NotifyEvent, opts: NotifyOptions): Promise<NotifyOutcome[]> {
  const chosen = targets.filter((t) => shouldNotify(t, event));
  return Promise.all(chosen.map((t) => notifyOne(t, event, opts)));
}

async function notifyOne(target: NotifyTarget, event: NotifyEvent, opts: NotifyOptions): Promise<NotifyOutcome> {
  const bound = opts.boundMs ?? NOTIFY_BOUND_MS;
  let label = '***';
  let attempts = 0;
  const fail = (error: string): NotifyOutcome => ({ type: target.type, target: label, ok: false, attempts, error: opts.redactor.redact(error) });
  let guard: NodeJS.Timeout | undefined;
  try {
    label = displayTarget(target.type, target.url, opts.redactor);
    const body = JSON.stringify(opts.redactor.redactDeep(renderPayload(target.type, event)));
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'rollout-gate' };
    if (target.type === 'webhook' && target.secret) headers[SIGNATURE_HEADER] = signature(body, target.secret);
    const req = withCredentials(target.url, headers, opts.redactor);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('bound')), bound);
    // A fetch that ignored its signal must still not hold the run: the outcome is settled here.
    const late = new Promise<'late'>((resolve) => (guard = setTimeout(() => resolve('late'), bound + 1_000)));
    const exchange = httpRequest({
      method: 'POST',
      url: req.url,
      headers: req.headers,
      body,
      signal: controller.signal,
      retries: Math.max(0, (opts.maxAttempts ?? NOTIFY_MAX_ATTEMPTS) - 1),
      maxRetryAfterMs: bound,
      maxBytes: MAX_ANSWER_BYTES,
      fetch: opts.fetch ?? fetch,
      sleep: opts.sleep,
      random: opts.random,
      onAttempt: (a) => {
        attempts = a.attempt;
        opts.logger.debug(opts.redactor.redact(`notify ${target.type} ${label}: attempt ${a.attempt}: ${a.status !== null ? `HTTP ${a.status}` : a.error} (${a.elapsedMs} ms)`));
      },
    }).finally(() => clearTimeout(timer));
    exchange.catch(() => {}); // Settled below, or abandoned after the guard: never unhandled.
    const res = await Promise.race([exchange, late]);
    if (res === 'late') return fail(`no answer within ${seconds(bound)}`);
    attempts = res.attempts;
    if (res.status >= 200 && res.status < 300) return { type: target.type, target: label, ok: true, attempts, error: null };
    const retryAfter = res.headers.get('retry-after');
    const wait = parseRetryAfter(retryAfter, Date.now());
    const asked = isRetryableStatus(res.status) && wait !== null && wait > bound ? ` (asked to retry after ${retryAfter}, beyond the ${seconds(bound)} bound)` : '';
    const answer = snippet(res.text);
    return fail(`HTTP ${res.status}${asked}${answer ? `: ${answer}` : ''}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`);
  } catch (e) {
    if (e instanceof HttpRequestError) {
      attempts = e.attempts;
      if (e.kind === 'cancelled') return fail(`no success within ${seconds(bound)} (${attempts} attempt${attempts === 1 ? '' : 's'})`);
      return fail(e.message);
    }
    return fail(`could not send: ${(e as Error)?.message ?? String(e)}`);
  } finally {
    clearTimeout(guard);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The report warning of a failed notification: `notify slack hooks.slack.com/services/***: HTTP 500 (after 3 attempts)`. */
export function notifyWarning(outcome: NotifyOutcome): string {
  return `notify ${outcome.type} ${outcome.target}: ${outcome.error ?? 'failed'}`;
}
