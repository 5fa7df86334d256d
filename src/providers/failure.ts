import { isRetryableStatus } from '../transport/http-request.js';
import { ProviderError, QueryError } from './types.js';

/** What went wrong when a store answered, or did not: the parts every provider's message has. */
export interface Failure {
  /** The provider and its name: `prometheus "prom"`. */
  label: string;
  /** What failed, in the store's own words: `HTTP 400 from /api/v1/query: bad_data: parse error …`. */
  what: string;
  /** The HTTP status, when there was one: 429 and 5xx are worth retrying. */
  status?: number | null;
  /** Tries it took; more than one is said. */
  attempts?: number;
  /** The store rejected the query itself as invalid: a query error, never retried (SPEC §8.4). */
  query?: boolean;
  /** Removes secret values: every message passes through it, once, here. */
  redact: (text: string) => string;
}

/**
 * The one way a provider turns a failure into an error: label, what failed, how many tries,
 * redacted, retryable on 429 and 5xx, and a QueryError when the store said the query is invalid.
 */
export function providerFailure(f: Failure): ProviderError {
  const tries = f.attempts && f.attempts > 1 ? ` after ${f.attempts} attempts` : '';
  const text = f.redact(`${f.label}: ${f.what}${tries}`);
  if (f.query) return new QueryError(text);
  return new ProviderError(text, f.status != null && isRetryableStatus(f.status));
}
