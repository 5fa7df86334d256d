import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { httpRequest, HttpRequestError, withCredentials, type HttpRequest } from '../transport/http-request.js';
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
/** Prometheus and Alertmanager answer within a gate's timeout or not at all: wait at most this long. */
const RETRY_AFTER_CAP_MS = 10_000;

/**
 * A JSON API of one provider (Prometheus, Alertmanager): base URL, auth headers, optional private
 * CA, debug logging with secrets redacted. Requests, retries and the size limit are httpRequest's.
 */
export class HttpApi {
  readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly retries: number;
  private readonly tls: { ca?: Buffer; rejectUnauthorized: boolean } | null;
  private agent: { close(): Promise<void> } | null = null;
  private fetchFn: Promise<typeof fetch> | null = null;

  constructor(
    private readonly kind: string,
    config: HttpApiConfig,
    private readonly ctx: ProviderContext,
  ) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (config.basicAuth) {
      const { username, password } = config.basicAuth;
      ctx.redactor.add(password);
      const token = Buffer.from(`${username}:${password}`).toString('base64');
      ctx.redactor.add(token);
      headers.Authorization = `Basic ${token}`;
    }
    // fetch refuses URLs with credentials: withCredentials moves them into a basic auth header.
    const target = withCredentials(config.url, { ...headers, ...(config.headers ?? {}) }, ctx.redactor);
    const base = new URL(target.url);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    this.headers = target.headers;
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
      this.tls = { ...(ca ? { ca } : {}), rejectUnauthorized: !config.insecureSkipVerify };
    } else {
      this.tls = null;
    }
  }

  /** What every message about this provider starts with. */
  get label(): string {
    return `${this.kind} "${this.ctx.name}"`;
  }

  redact(text: string): string {
    return this.ctx.redactor.redact(text);
  }

  /** The fetch to use: undici with its own TLS agent only when caFile/insecureSkipVerify ask for it (importing undici costs start-up time). */
  private fetcher(): Promise<typeof fetch> {
    this.fetchFn ??= (async () => {
      if (!this.tls) return this.ctx.fetch;
      const { Agent, fetch: undiciFetch } = await import('undici');
      const agent = new Agent({ connect: this.tls });
      this.agent = agent;
      return ((input: string, init?: RequestInit) =>
        undiciFetch(input, { ...(init as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch;
    })();
    return this.fetchFn;
  }

  /**
   * Sends one request (GET with a query string, or POST form-encoded when `form` is set) and
   * returns the final answer after retries. Throws ProviderError for network failures and
   * oversized answers; any status (retryable ones after the retries) is returned to the caller,
   * which knows the API's error format.
   */
  async request(
    path: string,
    params: URLSearchParams,
    signal: AbortSignal,
    opts: { form?: boolean; json?: unknown; what: string; retryAfterOf?: HttpRequest['retryAfterOf']; maxRetryAfterMs?: number },
  ): Promise<ApiResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const headers = { ...this.headers };
    let body: string | undefined;
    let method = 'GET';
    if (opts.json !== undefined) {
      // JSON APIs (Datadog, NerdGraph): the parameters stay in the URL, the question in the body.
      method = 'POST';
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
      url.search = params.toString();
    } else if (opts.form) {
      method = 'POST';
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = params.toString();
    } else {
      url.search = params.toString();
    }
    const shown = `${method} ${url.pathname}${opts.form && opts.json === undefined ? ' (form)' : ''} ${opts.what}`;
    let res;
    try {
      res = await httpRequest({
        method,
        url: url.toString(),
        headers,
        body,
        signal,
        retries: this.retries,
        maxRetryAfterMs: opts.maxRetryAfterMs ?? RETRY_AFTER_CAP_MS,
        ...(opts.retryAfterOf ? { retryAfterOf: opts.retryAfterOf } : {}),
        fetch: await this.fetcher(),
        onAttempt: ({ attempt, status, error, elapsedMs }) =>
          this.ctx.logger.debug(
            this.redact(`${this.label}: ${shown} → ${status !== null ? `HTTP ${status}` : error} in ${elapsedMs}ms${attempt > 1 || error !== null ? ` (attempt ${attempt})` : ''}`),
          ),
      });
    } catch (e) {
      if (!(e instanceof HttpRequestError)) throw e;
      if (e.kind === 'cancelled') {
        const why = signal.aborted ? String((signal.reason as Error)?.message ?? signal.reason) : e.message;
        throw new ProviderError(this.redact(`${this.label}: request aborted (${why})`));
      }
      if (e.kind === 'too-large') throw new ProviderError(this.redact(`${this.label}: ${e.message} (${url.pathname})`));
      throw new ProviderError(this.redact(`${this.label}: cannot reach ${this.base.origin}: ${e.message}`), true);
    }
    let parsed: unknown;
    try {
      parsed = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text: res.text, attempts: res.attempts };
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }
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
