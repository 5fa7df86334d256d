import type { Logger } from '../logger.js';
import { credentialHint, HttpRequestError, httpRequest, snippet, withCredentials } from '../transport/http-request.js';
import type { Redactor } from '../secrets.js';
import type { ApplyTarget } from './event.js';
import { displayTarget } from './target.js';

export { APPLY_TIMEOUT_MS } from './event.js';
export const APPLY_MAX_ATTEMPTS = 3;

/** What `apply` is sent: the stage the rollout moves to (SPEC §7.4). */
export interface ApplyBody {
  rollout: string;
  /** null: rolled back below the first stage. */
  stage: string | null;
  traffic: number;
  flags: Record<string, unknown> | null;
  killSwitch: boolean;
  reason: string;
}

export interface ApplyOptions {
  fetch?: typeof fetch;
  redactor: Redactor;
  logger: Logger;
  /** Attempts on 429, 5xx and network errors (default 3). */
  maxAttempts?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** The traffic change was not applied. The message names the method and the redacted URL, never a secret. */
export class ApplyError extends Error {
  constructor(
    message: string,
    /** Host and path as shown: `flags.internal/rollouts/chat`. */
    readonly target: string,
    /** The last HTTP status, or null when no answer came. */
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}

/**
 * Calls `apply` with the stage the rollout moves to: JSON body, the configured headers, 429/5xx
 * and network errors tried again (the body is the desired state, so a repeat is harmless), all
 * attempts within `apply.timeout`. A 2xx is success; anything else throws ApplyError.
 */
export async function applyStage(apply: ApplyTarget, body: ApplyBody, opts: ApplyOptions): Promise<{ status: number; attempts: number }> {
  const { redactor } = opts;
  const shown = displayTarget('apply', apply.url, redactor);
  const what = `apply: ${apply.method} ${shown}`;
  const req = withCredentials(apply.url, { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'rollout-gate', ...apply.headers }, redactor);
  const signal = AbortSignal.timeout(apply.timeoutMs);
  let res;
  try {
    res = await httpRequest({
      method: apply.method,
      url: req.url,
      headers: req.headers,
      body: JSON.stringify(redactor.redactDeep(body)),
      signal,
      retries: Math.max(0, (opts.maxAttempts ?? APPLY_MAX_ATTEMPTS) - 1),
      maxRetryAfterMs: apply.timeoutMs,
      maxBytes: 256 * 1024,
      fetch: opts.fetch ?? fetch,
      sleep: opts.sleep,
      random: opts.random,
      onAttempt: (a) => opts.logger.debug(redactor.redact(`${what}: attempt ${a.attempt}: ${a.status !== null ? `HTTP ${a.status}` : a.error} (${a.elapsedMs} ms)`)),
    });
  } catch (e) {
    if (!(e instanceof HttpRequestError)) throw e;
    const why = e.kind === 'cancelled' ? `no success within ${apply.timeoutMs} ms` : e.message;
    throw new ApplyError(redactor.redact(`${what} failed: ${why} (${e.attempts} attempt${e.attempts === 1 ? '' : 's'})`), shown, null, e.attempts);
  }
  if (res.status >= 200 && res.status < 300) {
    opts.logger.debug(`${what}: HTTP ${res.status}`);
    return { status: res.status, attempts: res.attempts };
  }
  const answer = snippet(res.text);
  const message = `${what} answered HTTP ${res.status}${credentialHint(res.status, 'apply.headers')}${answer ? `: ${answer}` : ''}${res.attempts > 1 ? ` (after ${res.attempts} attempts)` : ''}`;
  throw new ApplyError(redactor.redact(message), shown, res.status, res.attempts);
}
