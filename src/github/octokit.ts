import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import type { Logger } from '../logger.js';
import type { Redactor } from '../secrets.js';

/** The client every GitHub edge takes: REST methods, pagination and retries. */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface OctokitOptions {
  token: string;
  /** GITHUB_API_URL: github.com, a GHES host or a local stand-in. */
  baseUrl: string;
  /** Injected transport (tests, proxies); the default honours the runner's proxy settings. */
  fetch?: typeof fetch;
  /** Retries of 5xx and network failures; 0 disables them. */
  retries?: number;
  /** Base of the quadratic back-off between retries, in ms (GitHub's default pacing is 1000). */
  retryAfterBaseMs?: number;
  /** The token is registered here so no message can carry it. */
  redactor?: Redactor;
  /** Octokit's own notices (deprecations) go here instead of the console. */
  logger?: Logger;
  /** Each call, its 5xx retries included, is abandoned after this long (default 60 s): a hung API never hangs the run. */
  requestTimeoutMs?: number;
  /** Rate-limit answers (403/429 with retry-after or "secondary rate limit") are tried again this often (default 2). */
  rateLimitRetries?: number;
  /** A rate-limit wait longer than this is not waited for (default 60 s): the call fails instead. */
  maxRateLimitWaitMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const USER_AGENT = 'rollout-gate';

// Conflicts (409) and validation failures are answers, not outages: the callers handle them.
// 429 (and rate-limited 403s) are retried below, after the wait GitHub asks for.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const formatSeconds = (ms: number) => `${Math.round(ms / 100) / 10}s`;
const DEFAULT_RATE_LIMIT_RETRIES = 2;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * How long GitHub asks us to wait before trying again, or null when the answer is not a rate
 * limit. Secondary rate limits come as 403 or 429 with `retry-after` or a message saying so;
 * an exhausted primary limit as `x-ratelimit-remaining: 0` with `x-ratelimit-reset`.
 */
export function rateLimitWaitMs(e: unknown, nowMs = Date.now()): number | null {
  const err = e as { status?: unknown; message?: unknown; response?: { headers?: Record<string, string | undefined>; data?: unknown } };
  if (err?.status !== 403 && err?.status !== 429) return null;
  const headers = err.response?.headers ?? {};
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && /^\d+$/.test(String(retryAfter).trim())) return Number(retryAfter) * 1000;
  if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset'] && /^\d+$/.test(headers['x-ratelimit-reset'])) {
    return Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - nowMs) + 1000;
  }
  const data = err.response?.data as { message?: unknown } | undefined;
  const text = `${typeof data?.message === 'string' ? data.message : ''} ${typeof err.message === 'string' ? err.message : ''}`;
  // GitHub's guidance without a header: wait at least a minute.
  if (/secondary rate limit|abuse detection/i.test(text)) return 60_000;
  return err.status === 429 ? 60_000 : null;
}

/** The errors of a GraphQL answer (HTTP 200 with `errors`), or null. */
function graphqlErrors(data: unknown): { type?: unknown; message?: unknown }[] | null {
  const errors = (data as { errors?: unknown } | null | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? (errors as { type?: unknown; message?: unknown }[]) : null;
}

/**
 * The wait a GraphQL answer asks for when GitHub refused the query with RATE_LIMITED (or RATE_LIMIT), which it
 * answers as HTTP 200 with `errors` (the REST limits come as 403/429 and are handled above).
 */
export function graphqlRateLimitWaitMs(response: { headers?: Record<string, unknown>; data?: unknown }, nowMs = Date.now()): number | null {
  if (!graphqlErrors(response.data)?.some((e) => e.type === 'RATE_LIMITED' || e.type === 'RATE_LIMIT')) return null;
  const headers = (response.headers ?? {}) as Record<string, string | undefined>;
  return rateLimitWaitMs({ status: 429, message: '', response: { headers, data: {} } }, nowMs);
}

function octokitLog(logger: Logger, redactor?: Redactor) {
  const clean = (m: string) => (redactor ? redactor.redact(m) : m);
  return {
    debug: (m: string) => logger.debug(clean(m)),
    info: (m: string) => logger.debug(clean(m)),
    warn: (m: string) => logger.warning(clean(m)),
    error: (m: string) => logger.warning(clean(m)),
  };
}

export function createOctokit(opts: OctokitOptions): GitHubClient {
  opts.redactor?.add(opts.token);
  const octokit = getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      userAgent: USER_AGENT,
      ...(opts.logger ? { log: octokitLog(opts.logger, opts.redactor) } : {}),
      // Only override `request` when a transport is injected: the default carries the proxy agent.
      ...(opts.fetch ? { request: { fetch: opts.fetch } } : {}),
      retry: {
        retries: opts.retries ?? 3,
        retryAfterBaseValue: opts.retryAfterBaseMs ?? 1000,
        doNotRetry: DO_NOT_RETRY,
      },
    },
    retry,
  );
  const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const rateLimitRetries = opts.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const maxWait = opts.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  // A caller's signal (a gate's timeout, the run's deadline) also ends the wait.
  const sleep =
    opts.sleep ??
    ((ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', stop);
          resolve();
        }, ms);
        const stop = () => {
          clearTimeout(timer);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', stop, { once: true });
      }));
  octokit.hook.wrap('request', async (request, options) => {
    // Hooks share one options object (inner hooks ignore arguments): set the signal on it.
    const own = options.request?.signal;
    for (let attempt = 0; ; attempt++) {
      const signal = own ?? AbortSignal.timeout(timeoutMs);
      options.request = { ...options.request, signal };
      try {
        const response = await request(options);
        const limited = graphqlRateLimitWaitMs(response);
        if (limited === null || attempt >= rateLimitRetries || limited > maxWait) return response;
        opts.logger?.warning(`GitHub rate limit on ${options.method} ${String(options.url)}: waiting ${Math.ceil(limited / 1000)}s before trying again (${attempt + 1} of ${rateLimitRetries})`);
        await sleep(limited, own);
        continue;
      } catch (e) {
        if (signal.aborted && !own) {
          throw new Error(`GitHub did not answer ${options.method} ${String(options.url)} within ${formatSeconds(timeoutMs)}`);
        }
        const wait = rateLimitWaitMs(e);
        if (wait === null || attempt >= rateLimitRetries || wait > maxWait) throw e;
        opts.logger?.warning(`GitHub rate limit on ${options.method} ${String(options.url)}: waiting ${Math.ceil(wait / 1000)}s before trying again (${attempt + 1} of ${rateLimitRetries})`);
        await sleep(wait, own);
      }
    }
  });
  return octokit;
}

/** What GitHub said about a failed request, without the request's headers. */
export interface GitHubFailure {
  /** The HTTP status; for a GraphQL error, the one its type stands for (NOT_FOUND 404, FORBIDDEN 403, RATE_LIMITED 429). */
  status: number;
  message: string;
  method: string | null;
  url: string | null;
  /** GitHub's error type when a GraphQL query was answered with `errors` (NOT_FOUND, FORBIDDEN, …). */
  graphqlType?: string;
}

// RATE_LIMIT: the spelling GitHub has also been seen to answer with.
const GRAPHQL_STATUS: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403, RATE_LIMITED: 429, RATE_LIMIT: 429, UNPROCESSABLE: 422, INTERNAL: 500 };

/** An Octokit GraphqlResponseError: the query was answered, with errors instead of (some) data. */
function graphqlFailure(e: unknown): GitHubFailure | null {
  const err = e as { name?: unknown; errors?: unknown; request?: { url?: unknown } };
  if (err?.name !== 'GraphqlResponseError') return null;
  const errors = graphqlErrors(err) ?? [];
  const first = errors[0] ?? {};
  // Schema errors come without a type.
  const type = typeof first.type === 'string' ? first.type : 'ERROR';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return {
    status: GRAPHQL_STATUS[type] ?? 400,
    message: `${typeof first.message === 'string' ? first.message : ''}${more}`,
    method: 'POST',
    url: typeof err.request?.url === 'string' ? err.request.url : '/graphql',
    graphqlType: type,
  };
}

/** Reads an Octokit RequestError (or anything wrapping one in `cause`). */
export function githubFailure(e: unknown): GitHubFailure | null {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const gql = graphqlFailure(cur);
    if (gql) return gql;
    const err = cur as { status?: unknown; message?: unknown; response?: { data?: unknown }; request?: { method?: unknown; url?: unknown } };
    if (typeof err.status !== 'number') continue;
    const data = err.response?.data;
    const apiMessage =
      data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
        ? (data as { message: string }).message
        : typeof err.message === 'string'
          ? err.message.split(' - ')[0]!
          : '';
    return {
      status: err.status,
      message: apiMessage,
      method: typeof err.request?.method === 'string' ? err.request.method : null,
      url: typeof err.request?.url === 'string' ? err.request.url : null,
    };
  }
  return null;
}

/** One line for logs and reports: `GitHub answered 422 Update is not a fast forward (PATCH /repos/…)`. */
export function describeGitHubError(e: unknown, redactor?: Redactor): string {
  const f = githubFailure(e);
  let text: string;
  if (f) {
    let where = '';
    if (f.url) {
      try {
        const u = new URL(f.url, 'http://relative.invalid');
        where = ` (${f.method ?? ''} ${u.pathname})`.replace('( ', '(');
      } catch {
        where = '';
      }
    }
    text = `GitHub answered ${f.graphqlType ?? f.status}${f.message ? ` ${f.message}` : ''}${where}`;
    // The one fix for a 401 is on the caller's side: say which token.
    if (f.status === 401) text += ': the token was rejected (expired, revoked or mistyped); check the github-token input';
  } else {
    text = `GitHub could not be reached: ${(e as Error)?.message ?? String(e)}`;
  }
  return redactor ? redactor.redact(text) : text;
}

export interface WriteRefusal {
  status: number;
  /** GitHub's words, e.g. "Resource not accessible by integration". */
  message: string;
}

/**
 * A write the token may not make: a read-only GITHUB_TOKEN (fork pull requests, restricted
 * `permissions:`) or a fine-grained token without the scope. Callers report it as a warning;
 * the verdict stands.
 */
export function writeRefusal(e: unknown): WriteRefusal | null {
  const f = githubFailure(e);
  if (!f || f.status !== 403) return null;
  if (!/resource not accessible by (integration|personal access token)/i.test(f.message)) return null;
  return { status: f.status, message: f.message };
}

/** A failed GitHub call, described for people; the RequestError stays in `cause` for classifiers. */
export class GitHubError extends Error {
  constructor(doing: string, cause: unknown, redactor?: Redactor) {
    super(`${doing}: ${describeGitHubError(cause, redactor)}`);
    this.name = 'GitHubError';
    Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
  }
}
