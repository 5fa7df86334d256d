import type { ProviderConfig } from '../config/schema.js';
import { formatDuration } from '../engine/duration.js';
import { providerFailure } from './failure.js';
import { HttpApi, Limiter } from './http-api.js';
import { credentialHint, parseRetryAfter, snippet } from '../transport/http-request.js';
import { interpretPoints, type PointSeries } from './points.js';
import { DEFAULT_STALE_AFTER_MS } from './prometheus.js';
import { ProviderError, type Provider, type ProviderAnswer, type ProviderContext, type ProviderRequest } from './types.js';

type DatadogConfig = Extract<ProviderConfig, { type: 'datadog' }>;

export const TIMESERIES_PATH = 'api/v2/query/timeseries';
/** Instant gates read the last minute-points of this window and take the newest. */
const INSTANT_INTERVAL_MS = 60_000;
/** Datadog's rate-limit waits are honoured up to this long (the gate's timeout and the deadline still end it). */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;
const AGGREGATE_HINT = 'aggregate them in the query (sum:…, max:… without "by {…}")';

/** A gate's query: named metric queries and the formula over them (one query is its own formula). */
export interface DatadogQuery {
  queries: { name: string; query: string }[];
  formula: string;
}

const NAMED = /^([a-z][a-z0-9_]*)\s*=\s*(\S.*)$/;

/**
 * Reads a gate's query. One line is one metrics query (`avg:system.load.1{env:prod}`); several
 * lines name queries (`errors = sum:…`, `hits = sum:…`) and end with the formula (`errors / hits`).
 */
export function parseDatadogQuery(text: string): DatadogQuery {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 1 && !NAMED.test(lines[0]!)) return { queries: [{ name: 'a', query: lines[0]! }], formula: 'a' };
  const queries: DatadogQuery['queries'] = [];
  const formulas: string[] = [];
  for (const line of lines) {
    const m = NAMED.exec(line);
    if (m) {
      if (queries.some((q) => q.name === m[1])) throw new ProviderError(`query "${m[1]}" is named twice`);
      queries.push({ name: m[1]!, query: m[2]! });
    } else formulas.push(line);
  }
  if (queries.length === 0) throw new ProviderError('expected one metrics query, or named queries (name = query) and a formula');
  if (formulas.length > 1) throw new ProviderError(`expected one formula after the named queries, got ${formulas.length}: ${formulas.join(' | ')}`);
  if (formulas.length === 0 && queries.length > 1) throw new ProviderError(`several named queries (${queries.map((q) => q.name).join(', ')}) need a formula line, e.g. ${queries[0]!.name} / ${queries[1]!.name}`);
  return { queries, formula: formulas[0] ?? queries[0]!.name };
}

/** The JSON body of `POST /api/v2/query/timeseries` for a query over [fromMs, toMs] at `intervalMs`. */
export function timeseriesBody(q: DatadogQuery, fromMs: number, toMs: number, intervalMs: number): unknown {
  return {
    data: {
      type: 'timeseries_request',
      attributes: {
        from: Math.round(fromMs),
        to: Math.round(toMs),
        interval: Math.round(intervalMs),
        queries: q.queries.map((x) => ({ data_source: 'metrics', query: x.query, name: x.name })),
        formulas: [{ formula: q.formula }],
      },
    },
  };
}

interface TimeseriesResponse {
  data?: { attributes?: { series?: unknown; times?: unknown; values?: unknown } };
  errors?: unknown;
}

/** The series of a timeseries answer, nulls kept as null; group tags (`env:prod`) become labels. */
export function parseTimeseries(body: unknown): PointSeries[] {
  const attrs = (body as TimeseriesResponse | null)?.data?.attributes;
  if (!attrs || typeof attrs !== 'object') throw new ProviderError('the answer has no data.attributes');
  const times = attrs.times ?? [];
  const values = attrs.values ?? [];
  const series = attrs.series ?? [];
  if (!Array.isArray(times) || !Array.isArray(values) || !Array.isArray(series)) throw new ProviderError('data.attributes.times, values and series must be lists');
  return series.map((s: unknown, i) => {
    const tags = (s as { group_tags?: unknown } | null)?.group_tags;
    const labels: Record<string, string> = {};
    if (Array.isArray(tags)) {
      for (const t of tags) {
        const text = String(t);
        const at = text.indexOf(':');
        if (at < 0) labels[text] = '';
        else labels[text.slice(0, at)] = text.slice(at + 1);
      }
    }
    const row = values[i];
    if (!Array.isArray(row)) throw new ProviderError(`data.attributes.values[${i}] is not a list`);
    const points: [number, number | null][] = [];
    for (let j = 0; j < times.length; j++) {
      const t = times[j];
      const v = row[j];
      if (typeof t !== 'number') throw new ProviderError(`data.attributes.times[${j}] is not a number`);
      if (v !== null && v !== undefined && typeof v !== 'number') throw new ProviderError(`data.attributes.values[${i}][${j}] is not a number or null`);
      points.push([t / 1000, v ?? null]);
    }
    return { labels, points };
  });
}

/** The rollup interval of an answer: the smallest spacing of its time stamps (ms), or null with one. */
export function rollupIntervalMs(series: readonly PointSeries[]): number | null {
  let best = Infinity;
  for (const s of series) {
    for (let i = 1; i < s.points.length; i++) {
      const gap = (s.points[i]![0] - s.points[i - 1]![0]) * 1000;
      if (gap > 0 && gap < best) best = gap;
    }
  }
  return Number.isFinite(best) ? best : null;
}

/**
 * A bucket is stamped at its start and covers [t, t + interval): one that reaches past `toMs`
 * holds only part of its interval (a throughput reads low, a ratio of partial counts jumps) and
 * is never judged.
 */
export function dropFillingBuckets(series: readonly PointSeries[], toMs: number, intervalMs: number): PointSeries[] {
  return series.map((s) => ({ ...s, points: s.points.filter((p) => p[0] * 1000 + intervalMs <= toMs) }));
}

/** Datadog's X-RateLimit-Reset is the seconds until the limit resets (not a date). */
export function rateLimitWaitMs(status: number, headers: Headers, nowMs: number): number | null {
  const reset = headers.get('x-ratelimit-reset');
  if (status === 429 && reset !== null && /^\d+$/.test(reset.trim())) return Number(reset.trim()) * 1000;
  return parseRetryAfter(headers.get('retry-after'), nowMs);
}

function errorsText(body: unknown, text: string): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ');
  if (typeof errors === 'string' && errors) return errors;
  return snippet(text) || 'no body';
}

/** The API root: the `url` override, else the site's API host. */
export function datadogBaseUrl(config: Pick<DatadogConfig, 'site' | 'url'>): string {
  return config.url ?? `https://api.${config.site ?? 'datadoghq.com'}`;
}

/**
 * `type: datadog`: the metrics query language through the v2 timeseries endpoint, for windowed
 * and instant gates alike (instant: the newest point of the last few minutes).
 */
export function datadogProvider(config: DatadogConfig, ctx: ProviderContext): Provider {
  ctx.redactor.add(config.apiKey);
  ctx.redactor.add(config.appKey);
  const api = new HttpApi(
    'datadog',
    { url: datadogBaseUrl(config), headers: { 'DD-API-KEY': config.apiKey, 'DD-APPLICATION-KEY': config.appKey }, retries: config.retries },
    ctx,
  );
  const limiter = new Limiter(4);

  const run = async (req: ProviderRequest): Promise<ProviderAnswer> => {
    let q: DatadogQuery;
    try {
      q = parseDatadogQuery(req.query);
    } catch (e) {
      throw new ProviderError(api.redact(`${api.label}: ${(e as Error).message}`));
    }
    const lookback = req.gate.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    const [from, to, interval] = req.range
      ? [req.range.startMs, req.range.endMs, req.range.stepMs]
      : [req.nowMs - lookback, req.nowMs, Math.min(INSTANT_INTERVAL_MS, lookback)];
    const what = `gate "${req.gate.name}"${req.role === 'baseline' ? ' (baseline)' : ''}: ${q.formula} over ${formatDuration(to - from)} every ${formatDuration(interval)}`;
    const res = await api.request(TIMESERIES_PATH, new URLSearchParams(), req.signal, {
      json: timeseriesBody(q, from, to, interval),
      what,
      retryAfterOf: rateLimitWaitMs,
      maxRetryAfterMs: MAX_RATE_LIMIT_WAIT_MS,
    });
    if (res.status < 200 || res.status >= 300) {
      const hint = res.status === 404 ? ' (is the url the Datadog API root?)' : credentialHint(res.status, 'apiKey and appKey');
      // 400: Datadog could not parse the query or formula.
      throw providerFailure({ label: api.label, what: `HTTP ${res.status} from /${TIMESERIES_PATH}${hint}: ${errorsText(res.body, res.text)}`, status: res.status, attempts: res.attempts, query: res.status === 400, redact: (t) => api.redact(t) });
    }
    const errors = (res.body as TimeseriesResponse | undefined)?.errors;
    if (typeof errors === 'string' && errors.trim() !== '') throw providerFailure({ label: api.label, what: `the query failed: ${errors}`, query: true, redact: (t) => api.redact(t) });
    try {
      const parsed = parseTimeseries(res.body);
      // Datadog rolls up to its own interval (20 s over an hour, 1 m over four): the spacing it
      // returned is the resolution. The bucket holding `to` is still filling: left out.
      const rollupMs = rollupIntervalMs(parsed) ?? interval;
      const complete = req.range ? dropFillingBuckets(parsed, to, rollupMs) : parsed;
      const answer = interpretPoints(complete, req, AGGREGATE_HINT);
      if (answer.noDataReason) answer.noDataReason = api.redact(answer.noDataReason);
      return req.range ? { ...answer, resolutionMs: rollupMs } : answer;
    } catch (e) {
      if (e instanceof ProviderError) throw new ProviderError(api.redact(`${api.label}: ${e.message}${res.body === undefined ? `: ${snippet(res.text)}` : ''}`));
      throw e;
    }
  };

  return { query: (req) => limiter.run(() => run(req)), close: () => api.close() };
}
