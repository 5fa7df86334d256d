import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { ProviderConfig } from '../config/schema.js';
import { formatDuration } from '../engine/duration.js';
import { httpRequest, HttpRequestError } from '../transport/http-request.js';
import { DEFAULT_RETRIES, Limiter } from './http-api.js';
import { interpretPoints, type PointSeries } from './points.js';
import { DEFAULT_STALE_AFTER_MS } from './prometheus.js';
import { ProviderError, type Provider, type ProviderAnswer, type ProviderContext, type ProviderRequest } from './types.js';

type CloudWatchConfig = Extract<ProviderConfig, { type: 'cloudwatch' }>;

/** A gate's MetricStat, as the config loader writes it (canonical JSON). */
export interface MetricStat {
  namespace: string;
  metric: string;
  dimensions?: Record<string, string>;
  stat: string;
  period?: number;
}

const AGGREGATE_HINT = 'aggregate them in the expression (SUM(SEARCH(…)), or a Metrics Insights query without GROUP BY)';
/** Pages of GetMetricData read at most: a gate's window is never this many. */
const MAX_PAGES = 50;

/** A period CloudWatch accepts: 1, 5, 10, 30 or a multiple of 60 seconds, at least `seconds`. */
export function cloudwatchPeriod(seconds: number): number {
  for (const p of [1, 5, 10, 30]) if (seconds <= p) return p;
  return Math.ceil(seconds / 60) * 60;
}

/** The MetricDataQuery for a gate's query text: a MetricStat (JSON from the config) or a metric-math expression. */
export function metricDataQuery(text: string, periodS: number): MetricDataQuery {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let stat: MetricStat;
    try {
      stat = JSON.parse(trimmed) as MetricStat;
    } catch {
      throw new ProviderError('the query starts with "{" but is not a MetricStat ({ namespace, metric, dimensions, stat, period })');
    }
    if (typeof stat.namespace !== 'string' || typeof stat.metric !== 'string' || typeof stat.stat !== 'string') {
      throw new ProviderError('a MetricStat needs namespace, metric and stat');
    }
    return {
      Id: 'q',
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: stat.namespace,
          MetricName: stat.metric,
          Dimensions: Object.entries(stat.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: stat.period ?? periodS,
        Stat: stat.stat,
      },
    };
  }
  return { Id: 'q', Expression: trimmed, Period: periodS, ReturnData: true };
}

/** The period a query reads at: its MetricStat's own, else the gate's step (60 s for an instant gate). */
function periodOf(query: MetricDataQuery): number {
  return query.MetricStat?.Period ?? query.Period ?? 60;
}

/**
 * Results (all pages merged, one per Id and Label) as series, each datapoint at the end of its
 * period: CloudWatch stamps a period's start, a gate judges what was known at the instant. A
 * period still running at `endS` is left out: its Sum or SampleCount is only part of the period.
 */
export function resultsToSeries(results: readonly MetricDataResult[], periodS: number, endS = Infinity): PointSeries[] {
  const out = new Map<string, PointSeries>();
  for (const r of results) {
    if (r.StatusCode === 'Forbidden' || r.StatusCode === 'InternalError') {
      const messages = (r.Messages ?? []).map((m) => `${m.Code ?? ''} ${m.Value ?? ''}`.trim()).join('; ');
      throw new ProviderError(`the query's status is ${r.StatusCode}${messages ? `: ${messages}` : ''}`);
    }
    const key = `${r.Id ?? ''}\u0000${r.Label ?? ''}`;
    let s = out.get(key);
    if (!s) out.set(key, (s = { labels: r.Label ? { label: r.Label } : {}, points: [] }));
    const ts = r.Timestamps ?? [];
    const vs = r.Values ?? [];
    for (let i = 0; i < ts.length; i++) {
      const v = vs[i];
      const at = ts[i]!.getTime() / 1000 + periodS;
      if (at <= endS) s.points.push([at, typeof v === 'number' ? v : null]);
    }
  }
  for (const s of out.values()) s.points.sort((a, b) => a[0] - b[0]);
  return [...out.values()];
}

type Env = Record<string, string | undefined>;

/** A body the SDK built as bytes, as text (read through its buffer: the SDK frowns on string methods on it). */
function bytesText(body: Uint8Array): string {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/** Static credentials from the environment, or null when it holds none. */
function envCredentials(env: Env): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return null;
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/**
 * A request handler for the AWS SDK that sends through our bounded, retried request (injected
 * fetch, size limit, Retry-After capped, the gate's signal): the SDK only builds and signs.
 */
/** A request the SDK sends without an abort signal (the STS call of a web identity) gives up after this. */
const UNSIGNALLED_TIMEOUT_MS = 30_000;

function requestHandler(ctx: ProviderContext, label: string, retries: number) {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: {
      method: string;
      protocol: string;
      hostname: string;
      port?: number;
      path: string;
      query?: Record<string, string | string[] | null>;
      headers: Record<string, string>;
      body?: unknown;
    }, options?: { abortSignal?: AbortSignal }) {
      const url = new URL(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`);
      for (const [k, v] of Object.entries(request.query ?? {})) {
        for (const item of Array.isArray(v) ? v : [v]) if (item !== null) url.searchParams.append(k, item);
      }
      const { host: _host, ...headers } = request.headers;
      const body = request.body === undefined || request.body === null ? undefined : typeof request.body === 'string' ? request.body : bytesText(request.body as Uint8Array);
      try {
        const res = await httpRequest({
          method: request.method,
          url: url.toString(),
          headers,
          body,
          // The SDK's own calls (STS for a web identity) come without a signal: bound them anyway.
          signal: (options?.abortSignal as AbortSignal | undefined) ?? AbortSignal.timeout(UNSIGNALLED_TIMEOUT_MS),
          retries,
          fetch: ctx.fetch,
          maxRetryAfterMs: 10_000,
          onAttempt: ({ attempt, status, error, elapsedMs }) =>
            ctx.logger.debug(ctx.redactor.redact(`${label}: ${request.method} ${url.host}${url.pathname} ${headers['x-amz-target'] ?? ''} → ${status !== null ? `HTTP ${status}` : error} in ${elapsedMs}ms (attempt ${attempt})`)),
        });
        const responseHeaders: Record<string, string> = {};
        res.headers.forEach((v, k) => (responseHeaders[k] = v));
        return { response: { statusCode: res.status, reason: '', headers: responseHeaders, body: new Uint8Array(Buffer.from(res.text)), attempts: res.attempts } };
      } catch (e) {
        if (!(e instanceof HttpRequestError)) throw e;
        if (e.kind === 'cancelled') throw new ProviderError(`request aborted (${e.message})`);
        if (e.kind === 'too-large') throw new ProviderError(e.message);
        throw new ProviderError(`cannot reach ${url.origin}: ${e.message}`, true);
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}

/** What went wrong in a call, in AWS' words (error code and message), with the status. */
function failure(e: unknown): { message: string; status: number | null } {
  if (e instanceof ProviderError) return { message: e.message, status: null };
  const err = e as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode ?? null;
  const name = typeof err.name === 'string' && err.name !== 'Error' ? `${err.name}: ` : '';
  // The SDK's messages may run on with advice about its own fields: the first line says it.
  const message = typeof err.message === 'string' && err.message ? err.message.split('\n')[0]!.trim() : 'no message';
  if (status !== null && status >= 200 && status < 300) return { message: `the answer (HTTP ${status}) is not a CloudWatch response: ${name}${message}`, status };
  return { message: `${status !== null ? `HTTP ${status} ` : ''}${name}${message}`, status };
}

/**
 * `type: cloudwatch`: GetMetricData through the official client (SigV4, the JSON protocol),
 * credentials from the environment, a web identity (GitHub's OIDC role) or the SDK's own chain
 * (profiles, SSO, containers, instance roles). Every page (NextToken) is read.
 */
export function cloudwatchProvider(config: CloudWatchConfig, ctx: ProviderContext): Provider {
  const env: Env = ctx.env ?? process.env;
  const label = `cloudwatch "${ctx.name}"`;
  const handler = requestHandler(ctx, label, config.retries ?? DEFAULT_RETRIES);
  const fixed = envCredentials(env);
  let credentials: CloudWatchClientCredentials | undefined;
  if (fixed) {
    ctx.redactor.add(fixed.secretAccessKey);
    ctx.redactor.add(fixed.sessionToken);
    credentials = async () => fixed;
  } else if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    // What aws-actions/configure-aws-credentials leaves behind for an OIDC role (and EKS for IRSA).
    const tokenFile = isAbsolute(env.AWS_WEB_IDENTITY_TOKEN_FILE) ? env.AWS_WEB_IDENTITY_TOKEN_FILE : resolve(ctx.cwd, env.AWS_WEB_IDENTITY_TOKEN_FILE);
    const roleArn = env.AWS_ROLE_ARN;
    let assumed: Promise<Awaited<ReturnType<NonNullable<CloudWatchClientCredentials>>>> | null = null;
    credentials = () =>
      (assumed ??= (async () => {
        let token: string;
        try {
          token = readFileSync(tokenFile, 'utf8').trim();
        } catch (e) {
          throw new ProviderError(`AWS_WEB_IDENTITY_TOKEN_FILE ${tokenFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        ctx.redactor.add(token);
        const { fromWebToken } = await import('@aws-sdk/credential-provider-web-identity');
        const stsEndpoint = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
        const creds = await fromWebToken({
          roleArn,
          webIdentityToken: token,
          roleSessionName: env.AWS_ROLE_SESSION_NAME ?? 'rollout-gate',
          clientConfig: { region: config.region, requestHandler: handler, maxAttempts: 1, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) } as never,
        })();
        ctx.redactor.add(creds.secretAccessKey);
        ctx.redactor.add(creds.sessionToken);
        return creds;
      })()).catch((e) => {
        assumed = null;
        throw e;
      });
  }
  const client = new CloudWatchClient({
    region: config.region,
    maxAttempts: 1,
    requestHandler: handler as never,
    ...(config.endpoint ? { endpoint: config.endpoint } : env.AWS_ENDPOINT_URL_CLOUDWATCH ? { endpoint: env.AWS_ENDPOINT_URL_CLOUDWATCH } : {}),
    ...(credentials ? { credentials } : {}),
  });
  const limiter = new Limiter(4);

  const run = async (req: ProviderRequest): Promise<ProviderAnswer> => {
    // A standard-resolution metric has one point a minute: ask for Period 60 unless the gate's own
    // `step` asks for less (a high-resolution metric), or a long window's step for more.
    const stepS = req.range
      ? cloudwatchPeriod(req.gate.stepMs !== null ? req.range.stepMs / 1000 : Math.max(60, req.range.stepMs / 1000))
      : 60;
    let query: MetricDataQuery;
    try {
      query = metricDataQuery(req.query, stepS);
    } catch (e) {
      throw new ProviderError(ctx.redactor.redact(`${label}: ${(e as Error).message}`));
    }
    const periodS = periodOf(query);
    const lookbackMs = Math.max(req.gate.staleAfterMs ?? DEFAULT_STALE_AFTER_MS, 3 * periodS * 1000);
    // Datapoints are stamped at their period's end below: the window starts a period earlier.
    const [startMs, endMs] = req.range ? [req.range.startMs - periodS * 1000, req.range.endMs] : [req.nowMs - lookbackMs, req.nowMs];
    const results: MetricDataResult[] = [];
    const messages: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    try {
      do {
        const out = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: [query],
            StartTime: new Date(startMs),
            EndTime: new Date(endMs),
            ScanBy: 'TimestampAscending',
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
          { abortSignal: req.signal as never },
        );
        results.push(...(out.MetricDataResults ?? []));
        for (const m of out.Messages ?? []) messages.push(`${m.Code ?? ''} ${m.Value ?? ''}`.trim());
        nextToken = out.NextToken;
        pages++;
      } while (nextToken && pages < MAX_PAGES);
    } catch (e) {
      if (req.signal.aborted) throw new ProviderError(ctx.redactor.redact(`${label}: request aborted (${String((req.signal.reason as Error)?.message ?? 'timeout or deadline')})`));
      const f = failure(e);
      const hint = f.status === 401 || f.status === 403 ? ' (check the AWS credentials and the role\'s cloudwatch:GetMetricData permission)' : '';
      const retryable = e instanceof ProviderError ? e.retryable : f.status === 429 || (f.status ?? 0) >= 500;
      throw new ProviderError(ctx.redactor.redact(`${label}: GetMetricData ${req.range ? `over ${formatDuration(endMs - startMs)} ` : ''}failed: ${f.message}${hint}`), retryable);
    }
    if (nextToken) throw new ProviderError(`${label}: more than ${MAX_PAGES} pages of datapoints; narrow the query or set a larger step`);
    let answer: ProviderAnswer;
    try {
      answer = interpretPoints(resultsToSeries(results, periodS, endMs / 1000), req, AGGREGATE_HINT);
    } catch (e) {
      if (e instanceof ProviderError) throw new ProviderError(ctx.redactor.redact(`${label}: ${e.message}`));
      throw e;
    }
    if (answer.noDataReason) answer.noDataReason = ctx.redactor.redact(answer.noDataReason);
    const warnings = messages.map((m) => ctx.redactor.redact(`${label}: ${m}`));
    return { ...answer, resolutionMs: periodS * 1000, ...(warnings.length ? { warnings } : {}), detail: { ...(answer.detail ?? {}), period: formatDuration(periodS * 1000) } };
  };

  return {
    query: (req) => limiter.run(() => run(req)),
    close: async () => client.destroy(),
  };
}

type CloudWatchClientCredentials = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;
