import type { Redactor } from '../secrets.js';

/** Larger answers are cut off: a gate or a state document is never megabytes of JSON. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** A Retry-After longer than this is not waited for: the request fails instead. */
export const MAX_RETRY_AFTER_MS = 30_000;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 5_000;

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The caller's cancellation (a gate's timeout, the run's deadline). */
  signal?: AbortSignal;
  /** Per attempt, when no `signal` bounds the request. */
  attemptTimeoutMs?: number | null;
  /** Extra attempts after the first for network errors, 429 and 5xx; never for other 4xx. */
  retries: number;
  maxBytes?: number;
  /** A longer Retry-After is not waited for: the answer is returned as it is. */
  maxRetryAfterMs?: number;
  /** How long a 429/503 asks to wait, when the API says it in its own header (Datadog's X-RateLimit-Reset); default Retry-After. */
  retryAfterOf?: (status: number, headers: Headers, nowMs: number) => number | null;
  fetch: typeof fetch;
  /** Told about every attempt (for debug logs): its HTTP status or its network error. */
  onAttempt?: (attempt: { attempt: number; status: number | null; error: string | null; elapsedMs: number }) => void;
  /** Injected for tests: waits `ms` (or rejects when `signal` aborts). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  attempts: number;
}

/** Why a request got no usable HTTP answer. */
export type HttpFailure = 'network' | 'timeout' | 'cancelled' | 'too-large';

/** A request that got no usable HTTP answer: network failure, timeout, oversized body. */
export class HttpRequestError extends Error {
  constructor(message: string, readonly attempts: number, readonly kind: HttpFailure = 'network') {
    super(message);
    this.name = 'HttpRequestError';
  }
}

/** Retry-After as milliseconds to wait: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return null;
  return Math.max(0, at - nowMs);
}

/** Exponential backoff with jitter: between half and all of min(cap, base·2^attempt). */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** What to check when a server refuses the credentials it was sent; '' for other statuses. */
export function credentialHint(status: number, where = "the provider's headers or basicAuth"): string {
  return status === 401 || status === 403 ? ` (check ${where})` : '';
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const SENSITIVE_HEADER = /authorization|cookie|token|secret|key|password/i;

/**
 * Headers and URL ready for fetch: credentials in the URL (which fetch refuses) move into a
 * basic Authorization header, and every credential-looking header value becomes a secret.
 */
export function withCredentials(url: string, headers: Record<string, string>, redactor: Redactor): { url: string; headers: Record<string, string> } {
  const out = { ...headers };
  let target = url;
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      const user = decodeLenient(u.username);
      const password = decodeLenient(u.password);
      // Both forms: a server or an error may echo either.
      redactor.add(password);
      redactor.add(u.password);
      const token = Buffer.from(`${user}:${password}`).toString('base64');
      redactor.add(token);
      if (!Object.keys(out).some((h) => h.toLowerCase() === 'authorization')) out.authorization = `Basic ${token}`;
      u.username = '';
      u.password = '';
      target = u.toString();
    }
  } catch {
    // The config schema checked the URL; nothing to move.
  }
  for (const [name, value] of Object.entries(out)) {
    if (!SENSITIVE_HEADER.test(name)) continue;
    redactor.add(value);
    // "Bearer xyz": the credential alone must not leak either.
    const credential = /^\S+\s+(\S{3,})$/.exec(value)?.[1];
    if (credential) redactor.add(credential);
  }
  return { url: target, headers: out };
}

/** Percent-decoding that keeps a malformed escape (`%zz`) as written instead of throwing. */
function decodeLenient(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Appends a gate's query to the provider URL without doubling or dropping the slash between them. */
export function joinUrl(base: string, query: string): string {
  if (query === '') return base;
  if (query.startsWith('?') || query.startsWith('&')) {
    return base.includes('?') ? `${base}&${query.slice(1)}` : `${base}?${query.slice(1)}`;
  }
  const slashEnd = base.endsWith('/');
  const slashStart = query.startsWith('/');
  if (slashEnd && slashStart) return base + query.slice(1);
  if (!slashEnd && !slashStart) return `${base}/${query}`;
  return base + query;
}

/** The first `n` characters of a body, on one line, for an error message. */
export function snippet(text: string, n = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n)}…` : flat;
}

/** For messages: scheme, host and path, never the query string (it may carry a token). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split('?')[0]!;
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

class TooLarge extends Error {}

async function readLimited(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkMessage(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err?.cause;
  if (cause?.code) return cause.message ? `${cause.code} (${cause.message})` : cause.code;
  return err?.message ?? String(e);
}

/**
 * One HTTP exchange with retries: network errors, 429 (honouring Retry-After) and 5xx are tried
 * again after a jittered backoff; any other status is returned to the caller as it is. The body
 * is read up to `maxBytes`; beyond that the request is aborted.
 */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const sleep = req.sleep ?? defaultSleep;
  const random = req.random ?? Math.random;
  const maxBytes = req.maxBytes ?? MAX_RESPONSE_BYTES;
  const maxRetryAfter = req.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
  for (let attempt = 0; ; attempt++) {
    const attempts = attempt + 1;
    const last = attempt >= req.retries;
    const controller = new AbortController();
    const signals = [controller.signal];
    if (req.signal) signals.push(req.signal);
    const timer = req.attemptTimeoutMs ? setTimeout(() => controller.abort(new Error('timeout')), req.attemptTimeoutMs) : undefined;
    const signal = AbortSignal.any(signals);
    const started = Date.now();
    let res: Response;
    let text: string;
    try {
      res = await req.fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal, redirect: 'follow' });
      text = await readLimited(res, maxBytes);
    } catch (e) {
      clearTimeout(timer);
      if (e instanceof TooLarge) {
        controller.abort();
        req.onAttempt?.({ attempt: attempts, status: null, error: 'answer too large', elapsedMs: Date.now() - started });
        throw new HttpRequestError(`the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, attempts, 'too-large');
      }
      if (req.signal?.aborted) throw new HttpRequestError('cancelled (timeout or deadline)', attempts, 'cancelled');
      const timedOut = controller.signal.aborted;
      const what = timedOut ? `no answer within ${req.attemptTimeoutMs} ms` : networkMessage(e);
      req.onAttempt?.({ attempt: attempts, status: null, error: what, elapsedMs: Date.now() - started });
      if (last) throw new HttpRequestError(`${what}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`, attempts, timedOut ? 'timeout' : 'network');
      await sleep(backoffMs(attempt, random), req.signal).catch(() => {
        throw new HttpRequestError('cancelled (timeout or deadline)', attempts, 'cancelled');
      });
      continue;
    }
    clearTimeout(timer);
    req.onAttempt?.({ attempt: attempts, status: res.status, error: null, elapsedMs: Date.now() - started });
    if (!last && isRetryableStatus(res.status)) {
      const asked =
        res.status === 429 || res.status === 503
          ? (req.retryAfterOf ?? ((_, h, now) => parseRetryAfter(h.get('retry-after'), now)))(res.status, res.headers, Date.now())
          : null;
      if (asked === null || asked <= maxRetryAfter) {
        await sleep(asked ?? backoffMs(attempt, random), req.signal).catch(() => {
          throw new HttpRequestError(`cancelled (timeout or deadline) while waiting to retry after HTTP ${res.status}`, attempts, 'cancelled');
        });
        continue;
      }
    }
    return { status: res.status, headers: res.headers, text, attempts };
  }
}
