import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A small internal gates service, as teams run them: JSON gate values behind a token header,
 * with the failure modes a provider meets in real life (a 500, an HTML login page, a slow
 * upstream, rate limiting, an oversized answer) and an ETag'd rollout state document.
 */
export interface GatesService {
  url: string;
  token: string;
  /** Requests per path (without the query string), to see retries. */
  hits: Map<string, number>;
  /** The rollout state document the service holds (null: 404). */
  /** dropFields: top-level fields a PUT loses, as a service that stores only what it knows. */
  state: { body: string | null; etag: string | null; useEtag: boolean; dropFields: string[] };
  /** Requests as the service saw them, for header assertions. */
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  /** Answers to serve for the feedback ratio and the canary diff. */
  values: { feedbackRatio: number | null; canaryDiff: number; ackSeries: number[] };
  /** Replaces the state document (a new ETag), as another writer would. */
  setState(doc: unknown): void;
  close(): Promise<void>;
}

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('hex').slice(0, 12)}"`;

export async function startGatesService(token: string): Promise<GatesService> {
  const hits = new Map<string, number>();
  const requests: GatesService['requests'] = [];
  const state: GatesService['state'] = { body: null, etag: null, useEtag: true, dropFields: [] };
  const values: GatesService['values'] = { feedbackRatio: 0.86, canaryDiff: 0.04, ackSeries: [] };
  const pending = new Set<ServerResponse>();

  const json = (res: ServerResponse, status: number, doc: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(doc));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      requests.push({ method: req.method ?? 'GET', path: `${path}${url.search}`, headers: req.headers, body });
      if (req.headers['x-token'] !== token) {
        // Echoes what it got, as careless services do: the provider must scrub it.
        return json(res, 401, { error: `invalid token "${String(req.headers['x-token'] ?? '')}"; expected a valid X-Token` });
      }
      switch (path) {
        case '/v1/feedback':
          if (url.searchParams.get('cohort') !== 'friendly_gp') return json(res, 404, { error: 'unknown cohort' });
          return json(res, 200, { data: { cohort: 'friendly_gp', positive_ratio: values.feedbackRatio, responses: 212 } });
        case '/v1/canary-diff':
          return json(res, 200, { service: url.searchParams.get('service'), checks: [{ name: 'p95_diff', value: values.canaryDiff }, { name: 'error_diff', value: 0 }] });
        case '/v1/series/ack_without_receipt': {
          const now = Math.floor(Date.now() / 1000);
          const series = values.ackSeries.map((v, i) => [now - (values.ackSeries.length - 1 - i) * 30, v]);
          return json(res, 200, { series });
        }
        case '/v1/post-echo':
          return json(res, 200, { received: body ? JSON.parse(body) : null, method: req.method });
        case '/always-500':
          res.writeHead(500, { 'content-type': 'text/plain' });
          return res.end(`upstream exploded while using token ${token}; ${'x'.repeat(400)}`);
        case '/500-once':
          return n === 1 ? json(res, 503, { error: 'warming up' }) : json(res, 200, { value: 7 });
        case '/429-once':
          return n === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '1' }) : json(res, 200, { value: 3, at: Date.now() });
        case '/not-found':
          return json(res, 404, { error: 'no such gate' });
        case '/html':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<html><body><h1>Sign in</h1><p>Your session expired.</p></body></html>');
        case '/slow':
          pending.add(res);
          setTimeout(() => {
            pending.delete(res);
            if (!res.writableEnded) json(res, 200, { value: 1 });
          }, 5_000).unref();
          return;
        case '/huge': {
          res.writeHead(200, { 'content-type': 'application/json' });
          const chunk = `[${'1,'.repeat(512 * 1024)}`;
          // 11 MB of a JSON array, streamed with no content-length.
          let sent = 0;
          const pump = () => {
            while (sent < 11 * 1024 * 1024) {
              sent += chunk.length;
              if (!res.write(sent === chunk.length ? chunk : chunk.slice(1))) return res.once('drain', pump);
            }
            res.end('1]');
          };
          res.on('error', () => {});
          return pump();
        }
        case '/v1/rollouts/chat-v1.1/state': {
          if (req.method === 'GET') {
            if (state.body === null) return json(res, 404, { error: 'no state yet' });
            res.writeHead(200, { 'content-type': 'application/json', ...(state.useEtag ? { etag: state.etag! } : {}) });
            return res.end(state.body);
          }
          if (req.method === 'PUT') {
            const ifMatch = req.headers['if-match'];
            const ifNoneMatch = req.headers['if-none-match'];
            if (ifMatch !== undefined && ifMatch !== state.etag) return json(res, 412, { error: 'precondition failed' });
            if (ifNoneMatch === '*' && state.body !== null) return json(res, 412, { error: 'already exists' });
            if (state.dropFields.length) {
              const doc = JSON.parse(body) as Record<string, unknown>;
              for (const f of state.dropFields) delete doc[f];
              state.body = JSON.stringify(doc);
            } else state.body = body;
            state.etag = etagOf(state.body);
            res.writeHead(200, state.useEtag ? { etag: state.etag } : {});
            return res.end();
          }
          return json(res, 405, { error: 'method not allowed' });
        }
        default:
          return json(res, 404, { error: `no route ${path}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const service: GatesService = {
    url: `http://127.0.0.1:${port}`,
    token,
    hits,
    state,
    requests,
    values,
    setState(doc: unknown) {
      state.body = JSON.stringify(doc);
      state.etag = etagOf(state.body);
    },
    async close() {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return service;
}
