import { createHash } from 'node:crypto';
import type { StateConfig } from '../config/schema.js';
import { parseDuration } from '../engine/duration.js';
import type { Logger } from '../logger.js';
import { credentialHint, displayUrl, httpRequest, HttpRequestError, snippet, withCredentials, type HttpResponse } from '../transport/http-request.js';
import type { Redactor } from '../secrets.js';
import type { RolloutState } from '../engine/model.js';
import { parseStateDocument, serializeState } from './document.js';
import { lastLoggedDecision, resolveEvidenceDir, writeEvidence } from './evidence-dir.js';
import { decisionLogShard } from '../ledger/layout.js';
import { StateConflictError, StateError, type StateRead, type StateStore, type StateWrite, type WriteResult } from './types.js';

export type HttpStateConfig = Extract<StateConfig, { type: 'http' }>;

export interface HttpStateOptions {
  rollout: string;
  cwd: string;
  redactor: Redactor;
  logger: Logger;
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;

const hash = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

/**
 * Rollout state behind an HTTP API: GET returns the state document (404: not started yet);
 * promote and rollback PUT the new document to the same URL, with `If-Match` when the GET
 * carried an ETag (412 means another run changed it first). Without an ETag the store re-reads
 * and compares before the PUT. Evidence and the decision log go to a local directory.
 */
export function httpStateStore(config: HttpStateConfig, opts: HttpStateOptions): StateStore {
  const timeoutMs = (config.timeout ? parseDuration(config.timeout) : null) ?? DEFAULT_TIMEOUT_MS;
  const evidenceRoot = resolveEvidenceDir(config.evidenceDir, opts.cwd);
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const where = `http state ${displayUrl(config.url)}`;
  const target = withCredentials(config.url, config.headers ?? {}, opts.redactor);

  async function send(method: 'GET' | 'PUT', extra: Record<string, string>, body?: string): Promise<HttpResponse> {
    try {
      return await httpRequest({
        method,
        url: target.url,
        headers: { accept: 'application/json', ...target.headers, ...extra },
        body,
        attemptTimeoutMs: timeoutMs,
        // A PUT that timed out may have landed: retrying it blindly could apply it twice.
        retries: method === 'GET' ? config.retries ?? DEFAULT_RETRIES : 0,
        fetch: fetchFn,
      });
    } catch (e) {
      if (e instanceof HttpRequestError) throw new StateError(opts.redactor.redact(`${where}: ${method}: ${e.message}`));
      throw e;
    }
  }

  const statusError = (method: string, res: HttpResponse) =>
    new StateError(opts.redactor.redact(`${where}: ${method}: HTTP ${res.status}${credentialHint(res.status, "the state's headers or the credentials in its url")}: ${snippet(res.text) || '(empty body)'}`));

  async function get(): Promise<StateRead & { etag: string | null }> {
    const res = await send('GET', {});
    if (res.status === 404) return { state: null, version: null, etag: null };
    if (res.status < 200 || res.status > 299) throw statusError('GET', res);
    let doc: unknown;
    try {
      doc = JSON.parse(res.text);
    } catch {
      throw new StateError(opts.redactor.redact(`${where}: GET: the answer is not JSON: ${snippet(res.text) || '(empty body)'}`));
    }
    const etag = res.headers.get('etag');
    return { state: parseStateDocument(doc, where, opts.rollout), version: etag ? `etag:${etag}` : hash(res.text), etag };
  }

  /** The state of the last read, to tell a write that pauses from one that keeps a pause. */
  let lastRead: RolloutState | null = null;
  return {
    description: where,
    async read(): Promise<StateRead> {
      const { state, version } = await get();
      lastRead = state;
      // The decision log is local (evidenceDir): what a watch compares with to keep full evidence or not.
      return { state, version, lastDecision: await lastLoggedDecision(evidenceRoot, decisionLogShard(opts.rollout, Date.now())).catch(() => undefined) };
    },
    async write(change: StateWrite): Promise<WriteResult> {
      let version: string | null = null;
      if (change.state) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (change.expectedVersion?.startsWith('etag:')) headers['if-match'] = change.expectedVersion.slice('etag:'.length);
        else if (change.expectedVersion === null) headers['if-none-match'] = '*';
        else {
          // No ETag to make the PUT conditional: compare what is there now, then write.
          const current = await get();
          if (current.version !== change.expectedVersion) throw new StateConflictError(`${where} changed since this run read it`);
        }
        const text = serializeState(change.state);
        const res = await send('PUT', headers, text);
        if (res.status === 412 || res.status === 409) {
          throw new StateConflictError(`${where} changed since this run read it (HTTP ${res.status})`);
        }
        if (res.status < 200 || res.status > 299) throw statusError('PUT', res);
        const etag = res.headers.get('etag');
        version = etag ? `etag:${etag}` : hash(text);
        if (change.state.paused && !lastRead?.paused) {
          // A service that stores only the fields it knows would drop the pause without a word.
          // (Only a write that pauses checks: its PUT changed nothing else, so failing it is true.)
          const kept = await get();
          if (!kept.state?.paused) {
            throw new StateError(`${where}: the service accepted the PUT but its GET returns no "paused": the pause was not kept (the state service must store the whole document)`);
          }
          version = kept.version;
        }
      }
      const evidencePath = await writeEvidence(evidenceRoot, change);
      return { evidencePath, commit: null, version };
    },
  };
}
