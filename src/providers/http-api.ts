import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { ProviderError, type ProviderContext } from './types.js';

/** Connection settings shared by the Prometheus and Alertmanager providers. */
export interface HttpApiConfig {
  url: string;
  headers?: Record<string, string> | undefined;
  basicAuth?: { username: string; password: string } | undefined;
  caFile?: string | undefined;
  insecureSkipVerify?: boolean | undefined;
  retries?: number | undefined;
}

export interface ApiResponse {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  text: string;
  /** How many requests it took (1 without retries). */
  attempts: number;
}

export const DEFAULT_RETRIES = 2;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 5_000;
const RETRY_AFTER_CAP_MS = 10_000;
const SENSITIVE_HEADER = /authorization|cookie|token|secret|key|password/i;

/** Retryable answers: the server is overloaded or failing, not telling us the request is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** `Retry-After` as milliseconds (seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Exponential backoff with full jitter: a random wait in [d/2, d], d doubling per attempt. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const d = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(d / 2 + random() * (d / 2));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    if (signal.aborted) return fail(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      done();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      fail(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The text of a network error, including undici's `cause` (ECONNREFUSED, certificate problems). */
function networkMessage(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err?.cause;
  const causeText = cause ? cause.code ?? cause.message : null;
  const base = err?.message ?? String(e);
  return causeText && !base.includes(causeText) ? `${base} (${causeText})` : base;
}

/**
 * A small JSON-over-HTTP client for one provider: base URL, auth headers, optional private CA,
 * bounded retries with backoff for network errors, 429 and 5xx (never other 4xx), debug logging
 * with secrets redacted.
 */
export class HttpApi {
  readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly retries: number;
  private readonly agent: Agent | null;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly kind: string,
    config: HttpApiConfig,
    private readonly ctx: ProviderContext,
  ) {
    const base = new URL(config.url);
    this.headers = { Accept: 'application/json' };
    // fetch refuses URLs with credentials: move them into a basic auth header.
    let basic = config.basicAuth ?? null;
    if (base.username || base.password) {
      basic ??= { username: decodeURIComponent(base.username), password: decodeURIComponent(base.password) };
      base.username = '';
      base.password = '';
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    if (basic) {
      ctx.redactor.add(basic.password);
      const token = Buffer.from(`${basic.username}:${basic.password}`).toString('base64');
      ctx.redactor.add(token);
      this.headers.Authorization = `Basic ${token}`;
    }
    for (const [name, value] of Object.entries(config.headers ?? {})) {
      this.headers[name] = value;
      if (SENSITIVE_HEADER.test(name)) {
        ctx.redactor.add(value);
        // "Bearer xyz": the credential alone must not leak either.
        const credential = /^\S+\s+(\S{3,})$/.exec(value)?.[1];
        if (credential) ctx.redactor.add(credential);
      }
    }
    this.retries = config.retries ?? DEFAULT_RETRIES;
    if (config.caFile !== undefined || config.insecureSkipVerify) {
      let ca: Buffer | undefined;
      if (config.caFile !== undefined) {
        const path = isAbsolute(config.caFile) ? config.caFile : resolve(ctx.cwd, config.caFile);
        try {
          ca = readFileSync(path);
        } catch (e) {
          throw new ProviderError(`caFile ${config.caFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
      }
      this.agent = new Agent({ connect: { ...(ca ? { ca } : {}), rejectUnauthorized: !config.insecureSkipVerify } });
      const agent = this.agent;
      this.fetchFn = ((input: string, init?: RequestInit) =>
        undiciFetch(input, { ...(init as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch;
    } else {
      this.agent = null;
      this.fetchFn = ctx.fetch;
    }
  }

  /** What every message about this provider starts with. */
  get label(): string {
    return `${this.kind} "${this.ctx.name}"`;
  }

  redact(text: string): string {
    return this.ctx.redactor.redact(text);
  }

  /**
   * Sends one request (GET with a query string, or POST form-encoded when `form` is set) and
   * returns the final answer after retries. Throws ProviderError for network failures and
   * retryable statuses once the retries are used up; other statuses are returned to the caller,
   * which knows the API's error format.
   */
  async request(path: string, params: URLSearchParams, signal: AbortSignal, opts: { form?: boolean; what: string }): Promise<ApiResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const init: RequestInit = { method: 'GET', headers: { ...this.headers }, signal };
    if (opts.form) {
      init.method = 'POST';
      (init.headers as Record<string, string>)['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = params.toString();
    } else {
      url.search = params.toString();
    }
    const shown = `${init.method} ${url.pathname}${opts.form ? ' (form)' : ''} ${opts.what}`;
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      let res: Response;
      try {
        res = await this.fetchFn(url.toString(), init);
      } catch (e) {
        if (signal.aborted) throw new ProviderError(`${this.label}: request aborted (${this.redact(String((signal.reason as Error)?.message ?? signal.reason))})`);
        const text = this.redact(networkMessage(e));
        this.ctx.logger.debug(this.redact(`${this.label}: ${shown} → ${text} after ${Date.now() - started}ms (attempt ${attempt + 1})`));
        if (attempt < this.retries) {
          await this.pause(backoffMs(attempt), signal);
          continue;
        }
        throw new ProviderError(`${this.label}: cannot reach ${this.redact(this.base.origin)}: ${text}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`, true);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (e) {
        if (signal.aborted) throw new ProviderError(`${this.label}: request aborted while reading the answer`);
        text = '';
        if (attempt < this.retries) {
          await this.pause(backoffMs(attempt), signal);
          continue;
        }
        throw new ProviderError(`${this.label}: the answer was cut off: ${this.redact(networkMessage(e))}`, true);
      }
      this.ctx.logger.debug(this.redact(`${this.label}: ${shown} → HTTP ${res.status} in ${Date.now() - started}ms${attempt > 0 ? ` (attempt ${attempt + 1})` : ''}`));
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (isRetryableStatus(res.status) && attempt < this.retries) {
        const hinted = retryAfterMs(res.headers.get('retry-after'));
        await this.pause(hinted === null ? backoffMs(attempt) : Math.min(hinted, RETRY_AFTER_CAP_MS), signal);
        continue;
      }
      return { status: res.status, body, text, attempts: attempt + 1 };
    }
  }

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch {
      throw new ProviderError(`${this.label}: request aborted while waiting to retry`);
    }
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }
}

/** A short, redacted excerpt of a non-JSON body for an error message. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** At most `limit` tasks of one provider in flight (its `concurrency` setting). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the limit is never exceeded.
    if (this.active >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
