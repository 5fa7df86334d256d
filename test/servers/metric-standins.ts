import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * Local stand-ins for Datadog (v2 timeseries), CloudWatch (GetMetricData, AWS JSON 1.0) and New
 * Relic (NerdGraph NRQL), answering in each API's documented shapes from one table of series, and
 * a proxy that injects faults in front of any server (the real Prometheus included).
 */

/** A series of the shared table: labels and a value at each instant (unix seconds); null = no data. */
export interface TableSeries {
  labels: Record<string, string>;
  value: (tS: number) => number | null;
}

/** A deterministic pseudo-normal draw per (seed, minute): the same instant gives the same value. */
function noise(seed: number, tS: number): number {
  let x = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(Math.floor(tS / 60), 0x85ebca6b)) >>> 0;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    sum += x / 2 ** 32;
  }
  return sum - 6;
}

/** The scenarios every provider's contract reads: the same numbers whatever the API. */
export function scenarioTable(nowS: number): Record<string, TableSeries[]> {
  return {
    error_ratio: [{ labels: {}, value: () => 0.005 }],
    cpu: [
      { labels: { instance: 'a' }, value: () => 0.2 },
      { labels: { instance: 'b' }, value: () => 0.5 },
      { labels: { instance: 'c' }, value: () => 0.9 },
    ],
    latency_stable: [{ labels: {}, value: (t) => 100 + 10 * noise(1, t) }],
    latency_close: [{ labels: {}, value: (t) => 102 + 10 * noise(2, t) }],
    latency_slow: [{ labels: {}, value: (t) => 150 + 10 * noise(3, t) }],
    all_null: [{ labels: {}, value: () => null }],
    // No data for ten minutes, 30 minutes before now; 1 everywhere else.
    gap: [{ labels: {}, value: (t) => (t >= nowS - 1800 && t < nowS - 1200 ? null : 1) }],
  };
}

export interface Standin {
  url: string;
  /** Every request's path, headers and parsed JSON body. */
  requests: { path: string; headers: IncomingMessage['headers']; body: unknown }[];
  stop(): Promise<void>;
}

type Handler = (req: IncomingMessage, body: unknown, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<Standin> {
  const requests: Standin['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: kept as text.
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A bucket [t, t + length) that reaches past `nowS` holds only the part that has passed. */
function filled(v: number | null, t: number, length: number, nowS: number | undefined): number | null {
  if (v === null || nowS === undefined || t + length <= nowS) return v;
  return v * Math.max(0, Math.min(1, (nowS - t) / length));
}

/** The series a query names: `table[name]`, with a/b division for formulas over two names. */
function seriesFor(table: Record<string, TableSeries[]>, name: string | undefined): TableSeries[] {
  return name === undefined ? [] : (table[name] ?? []);
}

// --- Datadog ---------------------------------------------------------------------------------

/**
 * `POST /api/v2/query/timeseries`. `queries` maps a metrics query to a table entry; a formula is a
 * query name or `x / y`. Wrong keys → 403 {"errors": ["Forbidden"]}, as Datadog answers.
 */
export function startDatadogStandin(opts: {
  table: Record<string, TableSeries[]>;
  queries: Record<string, string>;
  apiKey: string;
  appKey: string;
  /** Datadog's own rollup: the interval is never finer than this (ms), whatever was asked. */
  rollupMs?: number;
  /**
   * The stand-in's clock (unix seconds): a bucket reaching past it is still filling and reads
   * the part of its interval that has passed (a count or throughput reads low), as Datadog's does.
   */
  fillingAtS?: number;
}): Promise<Standin> {
  return serve((req, body, res) => {
    if (req.method !== 'POST' || req.url !== '/api/v2/query/timeseries') return json(res, 404, { errors: ['Not found'] });
    if (req.headers['dd-api-key'] !== opts.apiKey || req.headers['dd-application-key'] !== opts.appKey) return json(res, 403, { errors: ['Forbidden'] });
    const attrs = (body as { data?: { type?: string; attributes?: Record<string, unknown> } })?.data?.attributes;
    const { from, to, interval, queries, formulas } = (attrs ?? {}) as { from: number; to: number; interval: number; queries: { name: string; query: string; data_source: string }[]; formulas: { formula: string }[] };
    if (typeof from !== 'number' || typeof to !== 'number' || !(from < to) || !Array.isArray(queries)) return json(res, 400, { errors: ['Invalid request: from, to and queries are required'] });
    const step = Math.max(typeof interval === 'number' && interval > 0 ? interval : 60_000, opts.rollupMs ?? 0);
    const times: number[] = [];
    for (let t = Math.ceil(from / step) * step; t <= to; t += step) times.push(t);
    const named = new Map(queries.map((q) => [q.name, seriesFor(opts.table, opts.queries[q.query])]));
    const formula = formulas?.[0]?.formula ?? queries[0]?.name ?? '';
    const div = /^\s*(\w+)\s*\/\s*(\w+)\s*$/.exec(formula);
    let out: TableSeries[];
    if (div) {
      const [a, b] = [named.get(div[1]!)?.[0], named.get(div[2]!)?.[0]];
      out = a && b ? [{ labels: {}, value: (t) => { const x = a.value(t); const y = b.value(t); return x === null || y === null || y === 0 ? null : x / y; } }] : [];
    } else {
      out = named.get(formula.trim()) ?? [];
    }
    json(res, 200, {
      data: {
        id: '0',
        type: 'timeseries_response',
        attributes: {
          series: out.map((s) => ({ group_tags: Object.entries(s.labels).map(([k, v]) => `${k}:${v}`), query_index: 0, unit: null })),
          times: out.length ? times : [],
          values: out.map((s) => times.map((t) => filled(s.value(t / 1000), t / 1000, step / 1000, opts.fillingAtS))),
        },
      },
    });
  });
}

// --- CloudWatch ------------------------------------------------------------------------------

interface CwQuery {
  Id: string;
  Expression?: string;
  Period?: number;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string };
}

/**
 * GetMetricData in the AWS JSON 1.0 protocol (`X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`).
 * `queries` maps an Expression, or a MetricStat's `Namespace/MetricName`, to a table entry.
 * Datapoints are stamped at their period's start and paged `pageSize` at a time with NextToken.
 */
export function startCloudWatchStandin(opts: {
  table: Record<string, TableSeries[]>;
  queries: Record<string, string>;
  accessKeyId: string;
  pageSize?: number;
  /** The stand-in's clock: the period running at it is returned too, reading low (its Sum so far). */
  fillingAtS?: number;
}): Promise<Standin> {
  const pageSize = opts.pageSize ?? 40;
  return serve((req, body, res) => {
    const target = req.headers['x-amz-target'];
    const error = (status: number, type: string, message: string) =>
      json(res, status, { __type: `com.amazonaws.cloudwatch#${type}`, message }, { 'x-amzn-query-error': `${type.replace(/Exception$/, '')};Sender` });
    if (req.method !== 'POST' || target !== 'GraniteServiceVersion20100801.GetMetricData') return error(400, 'InvalidAction', `unknown action ${String(target)}`);
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${opts.accessKeyId}/`)) return error(403, 'AccessDeniedException', 'The security token included in the request is invalid.');
    const input = body as { MetricDataQueries: CwQuery[]; StartTime: number; EndTime: number; NextToken?: string };
    if (!Array.isArray(input?.MetricDataQueries) || typeof input.StartTime !== 'number' || typeof input.EndTime !== 'number') {
      return error(400, 'InvalidParameterValueException', 'MetricDataQueries, StartTime and EndTime are required');
    }
    if (input.StartTime >= input.EndTime) return error(400, 'InvalidParameterValueException', 'The parameter StartTime must be less than the parameter EndTime.');
    // Every datapoint of every query, in order; a page is a slice of it.
    const all: { id: string; label: string; t: number; v: number }[] = [];
    for (const q of input.MetricDataQueries) {
      const key = q.Expression ?? `${q.MetricStat?.Metric.Namespace}/${q.MetricStat?.Metric.MetricName}`;
      const period = q.MetricStat?.Period ?? q.Period ?? 60;
      for (const s of seriesFor(opts.table, opts.queries[key])) {
        const label = Object.values(s.labels).join(' ') || q.Id;
        const last = opts.fillingAtS !== undefined ? (t: number) => t < input.EndTime : (t: number) => t + period <= input.EndTime;
        for (let t = Math.ceil(input.StartTime / period) * period; last(t); t += period) {
          const v = filled(s.value(t), t, period, opts.fillingAtS);
          if (v !== null) all.push({ id: q.Id, label, t, v });
        }
        if (!all.some((p) => p.label === label && p.id === q.Id)) all.push({ id: q.Id, label, t: NaN, v: NaN });
      }
    }
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const page = all.slice(offset, offset + pageSize);
    const more = offset + pageSize < all.length;
    const results = new Map<string, { Id: string; Label: string; Timestamps: number[]; Values: number[]; StatusCode: string }>();
    for (const p of page) {
      const key = `${p.id}\u0000${p.label}`;
      let r = results.get(key);
      if (!r) results.set(key, (r = { Id: p.id, Label: p.label, Timestamps: [], Values: [], StatusCode: more ? 'PartialData' : 'Complete' }));
      if (!Number.isNaN(p.t)) {
        r.Timestamps.push(p.t);
        r.Values.push(p.v);
      }
    }
    json(res, 200, { MetricDataResults: [...results.values()], Messages: [], ...(more ? { NextToken: String(offset + pageSize) } : {}) }, { 'content-type': 'application/x-amz-json-1.0' });
  });
}

/** AssumeRoleWithWebIdentity (the query protocol, XML): the web identity half of the AWS chain. */
export function startStsStandin(opts: { token: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }): Promise<Standin> {
  return serve((req, body, res) => {
    const params = new URLSearchParams(typeof body === 'string' ? body : '');
    if (params.get('Action') !== 'AssumeRoleWithWebIdentity' || params.get('WebIdentityToken') !== opts.token) {
      res.writeHead(400, { 'content-type': 'text/xml' });
      return res.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>');
    }
    const c = opts.credentials;
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(`<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:acme/chat:ref:refs/heads/main</SubjectFromWebIdentityToken>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/gate/rollout-gate</Arn><AssumedRoleId>AROA:rollout-gate</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${c.secretAccessKey}</SecretAccessKey>
      <SessionToken>${c.sessionToken}</SessionToken>
      <Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration>
    </Credentials>
    <Audience>sts.amazonaws.com</Audience>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`);
  });
}

// --- New Relic -------------------------------------------------------------------------------

/**
 * NerdGraph at `/graphql`: `actor { account(id) { nrql(query) { results } } }`. `queries` maps the
 * NRQL (without the SINCE/UNTIL/TIMESERIES the provider appends) to a table entry and the result
 * column. Unknown NRQL is refused as NerdGraph does: HTTP 200 with `errors`.
 */
export function startNewRelicStandin(opts: {
  table: Record<string, TableSeries[]>;
  /** `key`: the column holds an object, as percentile() answers ({ "95": 0.4 }). */
  queries: Record<string, { entry: string; column: string; key?: string }>;
  apiKey: string;
  accountId: number;
  /** The stand-in's clock: a bucket reaching past it ends after it and reads the part that has passed. */
  fillingAtS?: number;
}): Promise<Standin> {
  return serve((req, body, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql') return json(res, 404, { errors: [{ message: 'not found' }] });
    if (req.headers['api-key'] !== opts.apiKey) return json(res, 401, { errors: [{ message: 'Invalid API key', extensions: { errorClass: 'UNAUTHORIZED' } }] });
    const { query, variables } = (body ?? {}) as { query?: string; variables?: { accountId?: number; nrql?: string } };
    if (!query || !/actor\s*\{\s*account\(id:\s*\$accountId\)\s*\{\s*nrql\(query:\s*\$nrql\)\s*\{\s*results/.test(query)) {
      return json(res, 200, { errors: [{ message: 'Cannot query field', extensions: { errorClass: 'INVALID_QUERY' } }], data: null });
    }
    if (variables?.accountId !== opts.accountId) {
      return json(res, 200, { errors: [{ message: 'Access denied to account', path: ['actor', 'account'], extensions: { errorClass: 'FORBIDDEN' } }], data: { actor: { account: null } } });
    }
    const m = /^(.*?) SINCE (\d+) UNTIL (\d+)(?: TIMESERIES (\d+) seconds)?$/.exec(variables.nrql ?? '');
    const known = m ? opts.queries[m[1]!] : undefined;
    if (!m || !known) {
      return json(res, 200, {
        errors: [{ message: `NRQL Syntax Error: Error at line 1 position 1, unexpected '${variables.nrql}'`, path: ['actor', 'account', 'nrql'], extensions: { errorClass: 'INVALID_INPUT' } }],
        data: { actor: { account: { nrql: null } } },
      });
    }
    const [since, until] = [Number(m[2]) / 1000, Number(m[3]) / 1000];
    const bucket = m[4] ? Number(m[4]) : null;
    const series = seriesFor(opts.table, known.entry);
    const facet = (s: TableSeries) => (Object.keys(s.labels).length ? { facet: Object.values(s.labels).join(', '), ...s.labels } : {});
    const cell = (v: number | null) => ({ [known.column]: known.key === undefined ? v : { [known.key]: v } });
    const results: Record<string, unknown>[] = [];
    if (bucket === null) {
      for (const s of series) results.push({ ...facet(s), ...cell(s.value(until)) });
    } else {
      for (const s of series) {
        for (let b = since; b < until; b += bucket) {
          const filling = opts.fillingAtS !== undefined && b + bucket > opts.fillingAtS;
          const end = filling ? b + bucket : Math.min(b + bucket, until);
          results.push({ beginTimeSeconds: b, endTimeSeconds: end, ...facet(s), ...cell(filled(s.value(b), b, bucket, opts.fillingAtS)) });
        }
      }
    }
    json(res, 200, { data: { actor: { account: { nrql: { results } } } } });
  });
}

// --- Faults in front of any server ------------------------------------------------------------

export type ProxyFault = 'pass' | 'hang' | { status: number; body?: string; headers?: Record<string, string> };

export interface FaultProxy {
  url: string;
  /** Requests seen (path, arrival time). */
  seen: { path: string; at: number }[];
  /** Faults for the next requests in order; after them, requests pass through. */
  script(faults: ProxyFault[]): void;
  stop(): Promise<void>;
}

/** Forwards to `target` unchanged unless the script says to fail, hang or answer otherwise. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let faults: ProxyFault[] = [];
  const seen: FaultProxy['seen'] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', at: Date.now() });
    const fault = faults.shift() ?? 'pass';
    if (fault === 'hang') {
      req.resume();
      return;
    }
    if (fault !== 'pass') {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.headers ?? {}) });
      return res.end(fault.body ?? '{"errors":["unavailable"]}');
    }
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: `${upstream.pathname.replace(/\/$/, '')}${req.url}`, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    script(next) {
      faults = [...next];
      seen.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
