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
}

export const USER_AGENT = 'rollout-gate';

// Conflicts (409) and validation failures are answers, not outages: the callers handle them.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];

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
  return getOctokit(
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
}

/** What GitHub said about a failed request, without the request's headers. */
export interface GitHubFailure {
  status: number;
  message: string;
  method: string | null;
  url: string | null;
}

/** Reads an Octokit RequestError (or anything wrapping one in `cause`). */
export function githubFailure(e: unknown): GitHubFailure | null {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
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
        const u = new URL(f.url);
        where = ` (${f.method ?? ''} ${u.pathname})`.replace('( ', '(');
      } catch {
        where = '';
      }
    }
    text = `GitHub answered ${f.status}${f.message ? ` ${f.message}` : ''}${where}`;
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
