import type { ProviderConfig } from '../config/schema.js';
import { credentialHint, displayUrl, httpRequest, HttpRequestError, joinUrl, snippet, withCredentials } from '../transport/http-request.js';
import { providerFailure } from './failure.js';
import { ProviderError, type Provider, type ProviderAnswer, type ProviderContext } from './types.js';
import { selectPath, toSamples } from './values.js';

type HttpConfig = Extract<ProviderConfig, { type: 'http' }>;

export const DEFAULT_HTTP_RETRIES = 2;

/**
 * Gate values from an HTTP JSON service: the gate's `query` is appended to the provider URL and
 * `select` is a dotted path into the body (array indices allowed). A POST sends the gate, the
 * target stage and the window as JSON. Non-2xx and non-JSON answers are errors with the status
 * and the start of the body; network errors, 429 and 5xx are retried.
 */
export function httpProvider(config: HttpConfig, ctx: ProviderContext): Provider {
  const method = config.method ?? 'GET';
  const target = withCredentials(config.url, config.headers ?? {}, ctx.redactor);
  return {
    async query(req): Promise<ProviderAnswer> {
      const url = joinUrl(target.url, req.query);
      const where = `http provider "${ctx.name}" ${method} ${displayUrl(url)}`;
      const headers: Record<string, string> = { accept: 'application/json', ...target.headers };
      let body: string | undefined;
      if (method === 'POST') {
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
        body = JSON.stringify({
          gate: req.gate.name,
          role: req.role,
          target: req.target,
          now: new Date(req.nowMs).toISOString(),
          range: req.range && { start: new Date(req.range.startMs).toISOString(), end: new Date(req.range.endMs).toISOString(), stepSeconds: req.range.stepMs / 1000 },
        });
      }
      let res;
      try {
        res = await httpRequest({ method, url, headers, body, signal: req.signal, retries: config.retries ?? DEFAULT_HTTP_RETRIES, fetch: ctx.fetch });
      } catch (e) {
        if (e instanceof HttpRequestError) throw new ProviderError(ctx.redactor.redact(`${where}: ${e.message}`));
        throw e;
      }
      if (res.status < 200 || res.status > 299) {
        // 400 and 404: the service says the query (the path it was asked) is not one it answers.
        throw providerFailure({
          label: where,
          what: `HTTP ${res.status}${credentialHint(res.status, "the provider's headers or the credentials in its url")}: ${snippet(res.text) || '(empty body)'}`,
          attempts: res.attempts,
          query: res.status === 400 || res.status === 404,
          redact: (t) => ctx.redactor.redact(t),
        });
      }
      let doc: unknown;
      try {
        doc = JSON.parse(res.text);
      } catch {
        const type = res.headers.get('content-type');
        throw new ProviderError(ctx.redactor.redact(`${where}: HTTP ${res.status} answer is not JSON${type ? ` (${type})` : ''}: ${snippet(res.text) || '(empty body)'}`));
      }
      const path = req.gate.select ?? '';
      const value = selectPath(doc, path);
      const at = path ? `"${path}"` : 'the body';
      if (value === undefined) return { samples: [], noDataReason: `the answer has no value at ${at}` };
      if (value === null) return { samples: [], noDataReason: `the value at ${at} is null` };
      return { samples: toSamples(value, req.nowMs, `the value at ${at}`) };
    },
  };
}
