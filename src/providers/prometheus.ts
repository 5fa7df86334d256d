import type { ProviderConfig } from '../config/schema.js';
import { formatDuration } from '../engine/duration.js';
import type { Gate, Sample } from '../engine/model.js';
import { HttpApi, Limiter, type ApiResponse } from './http-api.js';
import { credentialHint, snippet } from './http-request.js';
import { ProviderError, QueryError, type Provider, type ProviderAnswer, type ProviderContext, type ProviderRequest } from './types.js';
import { toValue } from './values.js';

type PrometheusConfig = Extract<ProviderConfig, { type: 'prometheus' }>;
export type Reduce = NonNullable<Gate['reduce']>;

export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;
/** Longer query strings go in a form-encoded POST body, which every Prometheus-compatible API accepts. */
const MAX_GET_URL = 4_000;
const MAX_LISTED_SERIES = 10;
/** Prometheus refuses a range query of more than 11,000 points per series: longer reads go in chunks. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** One series of a result: its labels and its samples in time order. */
export interface Series {
  labels: Record<string, string>;
  samples: Sample[];
}

export interface QueryResult {
  resultType: 'vector' | 'matrix' | 'scalar';
  series: Series[];
}

/** A series' labels the way PromQL prints them: `name{a="x", b="y"}`. */
export function labelsText(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return pairs.length === 0 && name ? name : `${name}{${pairs.join(', ')}}`;
}

function pair(raw: unknown, where: string): Sample {
  if (!Array.isArray(raw) || raw.length !== 2 || typeof raw[0] !== 'number') {
    throw new ProviderError(`${where} is not a [unixSeconds, "value"] pair`);
  }
  const v = toValue(raw[1], where);
  return [raw[0], typeof v === 'boolean' ? (v ? 1 : 0) : v];
}

/** Reads the `data` of a successful query answer (Prometheus HTTP API result types). */
export function parseQueryResult(data: unknown): QueryResult {
  if (!data || typeof data !== 'object') throw new ProviderError('the answer has no "data" object');
  const { resultType, result } = data as { resultType?: unknown; result?: unknown };
  switch (resultType) {
    case 'scalar':
      return { resultType, series: [{ labels: {}, samples: [pair(result, 'the scalar result')] }] };
    case 'vector':
    case 'matrix': {
      if (!Array.isArray(result)) throw new ProviderError(`the ${resultType} result is not a list`);
      const series = result.map((item: unknown, i): Series => {
        const s = (item ?? {}) as { metric?: Record<string, string>; value?: unknown; values?: unknown; histogram?: unknown; histograms?: unknown };
        const labels = s.metric && typeof s.metric === 'object' ? s.metric : {};
        if (s.histogram !== undefined || (s.histograms !== undefined && s.values === undefined)) {
          throw new ProviderError(`series ${labelsText(labels)} is a native histogram; turn it into a number in PromQL (histogram_quantile, histogram_count, …)`);
        }
        if (resultType === 'vector') return { labels, samples: [pair(s.value, `result[${i}].value`)] };
        if (!Array.isArray(s.values)) throw new ProviderError(`result[${i}].values is not a list`);
        return { labels, samples: s.values.map((v, j) => pair(v, `result[${i}].values[${j}]`)) };
      });
      return { resultType, series };
    }
    case 'string':
      throw new ProviderError('the query returned a string; a gate needs a number');
    default:
      throw new ProviderError(`unknown resultType ${JSON.stringify(resultType)}`);
  }
}

/**
 * Several series as one, per timestamp. max/min skip NaN like PromQL's max()/min(); sum/avg
 * keep it (the sample then counts as NaN, which the engine ignores).
 */
export function reduceSeries(series: readonly Series[], how: Reduce): Sample[] {
  const byTs = new Map<number, number[]>();
  for (const s of series) {
    for (const [ts, v] of s.samples) {
      const list = byTs.get(ts);
      const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      if (list) list.push(n);
      else byTs.set(ts, [n]);
    }
  }
  const out: Sample[] = [];
  for (const ts of [...byTs.keys()].sort((a, b) => a - b)) {
    const values = byTs.get(ts)!;
    const finite = values.filter((v) => !Number.isNaN(v));
    let r: number;
    switch (how) {
      case 'max':
        r = finite.length ? Math.max(...finite) : NaN;
        break;
      case 'min':
        r = finite.length ? Math.min(...finite) : NaN;
        break;
      case 'sum':
        r = values.reduce((a, b) => a + b, 0);
        break;
      case 'avg':
        r = values.reduce((a, b) => a + b, 0) / values.length;
        break;
    }
    out.push([ts, r]);
  }
  return out;
}

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

/**
 * From a parsed result to the gate's samples, or the reason there is no usable value: an empty
 * result, only NaN/±Inf, or the newest sample older than `staleAfter`. More than one series is
 * an error naming them unless the gate sets `reduce`.
 */
export function interpretResult(
  result: QueryResult,
  gate: Pick<Gate, 'reduce' | 'staleAfterMs'>,
  nowMs: number,
  aggregateHint = 'aggregate them in PromQL (sum, max, …)',
): ProviderAnswer {
  const listed = result.series.slice(0, MAX_LISTED_SERIES).map((s) => labelsText(s.labels));
  const more = result.series.length > MAX_LISTED_SERIES ? ` and ${result.series.length - MAX_LISTED_SERIES} more` : '';
  const detail: Record<string, unknown> = { resultType: result.resultType, seriesCount: result.series.length, series: listed };
  const nonEmpty = result.series.filter((s) => s.samples.length > 0);
  if (nonEmpty.length === 0) {
    return { samples: [], noDataReason: `empty result: the query matched no series${result.resultType === 'matrix' ? ' in the window' : ''}`, detail };
  }
  let samples: Sample[];
  if (nonEmpty.length > 1) {
    if (!gate.reduce) {
      throw new ProviderError(
        `the query returned ${nonEmpty.length} series, a gate needs one: ${aggregateHint} or set reduce: max|min|avg|sum on the gate. Series: ${listed.join(', ')}${more}`,
      );
    }
    samples = reduceSeries(nonEmpty, gate.reduce);
    detail.reduce = gate.reduce;
  } else {
    samples = [...nonEmpty[0]!.samples].sort((a, b) => a[0] - b[0]);
  }
  const finite = samples.filter(([, v]) => typeof v !== 'number' || Number.isFinite(v));
  if (finite.length === 0) {
    const kinds = [...new Set(samples.map(([, v]) => String(v).replace('Infinity', 'Inf')))].join('/');
    return {
      samples,
      noDataReason: samples.length === 1 ? `the value is ${kinds}` : `every sample is ${kinds}`,
      detail,
    };
  }
  const staleAfterMs = gate.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const newest = samples.at(-1)![0];
  if (nowMs - newest * 1000 > staleAfterMs) {
    return {
      samples,
      noDataReason: `stale: the newest sample is from ${iso(newest)}, ${formatDuration(nowMs - newest * 1000)} before now (staleAfter ${formatDuration(staleAfterMs)})`,
      detail,
    };
  }
  return { samples, detail };
}

const seconds = (ms: number) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '');

interface Envelope {
  status?: unknown;
  data?: unknown;
  errorType?: unknown;
  error?: unknown;
  warnings?: unknown;
  infos?: unknown;
}

/** The answer's failure in Prometheus' own words, or null when it succeeded. */
function failureOf(res: ApiResponse, path: string): string | null {
  const env = (res.body && typeof res.body === 'object' ? res.body : null) as Envelope | null;
  if (env && env.status === 'error') {
    const type = typeof env.errorType === 'string' && env.errorType ? `${env.errorType}: ` : '';
    return `${type}${typeof env.error === 'string' ? env.error : 'unknown error'} (HTTP ${res.status})${credentialHint(res.status)}`;
  }
  if (res.status >= 200 && res.status < 300 && env && env.status === 'success') return null;
  const hint = res.status === 404 ? ' (is the url the Prometheus API root?)' : credentialHint(res.status);
  const body = res.text ? `: ${snippet(res.text)}` : '';
  return res.status >= 200 && res.status < 300
    ? `the answer from ${path} is not a Prometheus API response${body}`
    : `HTTP ${res.status} from ${path}${hint}${body}`;
}

/**
 * `type: prometheus`: PromQL against the HTTP API of Prometheus or a compatible store (Mimir,
 * Thanos, Cortex, VictoriaMetrics). Instant query at `now` without `over`; range query over the
 * window at the gate's step with it.
 */
export function prometheusProvider(config: PrometheusConfig, ctx: ProviderContext): Provider {
  const api = new HttpApi('prometheus', config, ctx);
  const limiter = config.concurrency ? new Limiter(config.concurrency) : null;

  const run = async (req: ProviderRequest): Promise<ProviderAnswer> => {
    const params = new URLSearchParams({ query: req.query });
    let path: string;
    if (req.range) {
      path = 'api/v1/query_range';
      params.set('start', seconds(req.range.startMs));
      params.set('end', seconds(req.range.endMs));
      params.set('step', seconds(req.range.stepMs));
    } else {
      path = 'api/v1/query';
      params.set('time', seconds(req.nowMs));
    }
    const form = api.base.toString().length + path.length + params.toString().length + 1 > MAX_GET_URL;
    const what = `gate "${req.gate.name}"${req.role === 'baseline' ? ' (baseline)' : ''}: ${req.query}${
      req.range ? ` over ${formatDuration(req.range.endMs - req.range.startMs)} step ${formatDuration(req.range.stepMs)}` : ''
    }`;
    const res = await api.request(path, params, req.signal, { form, what });
    const failure = failureOf(res, `/${path}`);
    if (failure !== null) {
      const tries = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
      // The server refused the PromQL itself (a parse error, a bad range): a query error.
      if (res.status === 400 && (res.body as Envelope | undefined)?.errorType === 'bad_data') throw new QueryError(api.redact(`${api.label}: ${failure}`));
      throw new ProviderError(api.redact(`${api.label}: ${failure}${tries}`), res.status === 429 || res.status >= 500);
    }
    const env = res.body as Envelope;
    const warnings = [
      ...(Array.isArray(env.warnings) ? env.warnings : []).map((w) => `${api.label}: ${String(w)}`),
      ...(Array.isArray(env.infos) ? env.infos : []).map((w) => `${api.label} (info): ${String(w)}`),
    ].map((w) => api.redact(w));
    let answer: ProviderAnswer;
    try {
      answer = interpretResult(parseQueryResult(env.data), req.gate, req.nowMs);
    } catch (e) {
      if (e instanceof ProviderError) throw new ProviderError(api.redact(`${api.label}: ${e.message}`));
      throw e;
    }
    if (answer.noDataReason) answer.noDataReason = api.redact(answer.noDataReason);
    return warnings.length ? { ...answer, warnings: [...(answer.warnings ?? []), ...warnings] } : answer;
  };

  return {
    query: (req) => (limiter ? limiter.run(() => run(req)) : run(req)),
    close: () => api.close(),
  };
}
