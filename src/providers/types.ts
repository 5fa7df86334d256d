import type { Gate, Sample } from '../engine/model.js';
import type { ProviderConfig } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { Redactor } from '../secrets.js';

/** One question to a provider: a gate's query (or its baseline query) at `now`, or over a range. */
export interface ProviderRequest {
  gate: Gate;
  /** The query text to run: the gate's `query` or its `baseline`. */
  query: string;
  role: 'value' | 'baseline';
  /** The instant the gate reads at: now − the gate's lag (and − baselineOffset for that query). */
  nowMs: number;
  /** Set for gates with `over`: [end − over, end] at the gate's step, where end = now − the gate's lag. */
  range: { startMs: number; endMs: number; stepMs: number } | null;
  /** The stage being promoted to. */
  target: string | null;
  /** Aborted on the provider's timeout or the run's deadline. */
  signal: AbortSignal;
}

/** A provider's answer: samples, or a reason there is no usable value. */
export interface ProviderAnswer {
  samples: Sample[];
  noDataReason?: string | null;
  warnings?: string[];
  detail?: Record<string, unknown>;
  /** The resolution the store reports for the series (a CloudWatch period, a bucket's length), when it says. */
  resolutionMs?: number | null;
}

/** Thrown for failures a user should read as-is (HTTP status, server message); never a stack. */
export class ProviderError extends Error {
  constructor(message: string, readonly retryable = false) {
    super(message);
    this.name = 'ProviderError';
  }
}

/**
 * The store rejected the query itself as invalid (a PromQL parse error, NRQL syntax, an SQL
 * error, HTTP 400/404): a **query error**, reported apart from "no data". Never retried; the
 * gate still fails closed.
 */
export class QueryError extends ProviderError {
  readonly kind = 'query' as const;
  constructor(message: string) {
    super(message, false);
    this.name = 'QueryError';
  }
}

export interface Provider {
  query(request: ProviderRequest): Promise<ProviderAnswer>;
  /** Releases connections at the end of the run. */
  close?(): Promise<void>;
}

export interface ProviderContext {
  name: string;
  cwd: string;
  logger: Logger;
  redactor: Redactor;
  fetch: typeof fetch;
  /** The default per-query timeout when the provider sets none. */
  defaultTimeoutMs: number;
  /** Where credential chains read from (AWS_*): the process' environment unless a caller passes its own. */
  env?: Record<string, string | undefined>;
}

/** Builds a provider; may load its client library lazily (so a run loads only what it uses). */
export type ProviderFactory<T extends ProviderConfig = ProviderConfig> = (config: T, ctx: ProviderContext) => Provider | Promise<Provider>;

/** A factory whose module is imported on first use: keeps `pg` and friends off the start-up path. */
export function lazyFactory<T extends ProviderConfig>(load: () => Promise<ProviderFactory<T>>): ProviderFactory<T> {
  return async (config, ctx) => (await load())(config, ctx);
}
