import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile, type Config } from '../../src/config/load.js';
import type { ProviderConfig } from '../../src/config/schema.js';
import { decide } from '../../src/engine/decide.js';
import type { Gate, RolloutState } from '../../src/engine/model.js';
import type { Logger } from '../../src/logger.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { emptyContext } from '../../src/report/snapshot.js';
import { runRollout } from '../../src/run.js';
import { Redactor } from '../../src/secrets.js';
import { httpStateStore, type HttpStateConfig } from '../../src/state/http.js';
import { StateConflictError, StateError, type StateWrite } from '../../src/state/types.js';
import { startGatesService, type GatesService } from '../servers/gates-service.js';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/http.yml');
const TOKEN = 'gt-9f8e7d6c5b4a';
const HOUR = 3_600_000;

const logger = (lines: string[]): Logger => ({ debug: (m) => lines.push(m), info: (m) => lines.push(m), warning: (m) => lines.push(m) });

describe('http provider and state against a local gates service', () => {
  let service: GatesService;
  let work: string;

  beforeAll(async () => {
    service = await startGatesService(TOKEN);
    work = await mkdtemp(join(tmpdir(), 'rg-http-'));
  });
  afterAll(async () => {
    await service?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    service.hits.clear();
    service.requests.length = 0;
    service.values.feedbackRatio = 0.86;
    service.values.canaryDiff = 0.04;
    service.values.ackSeries = Array.from({ length: 60 }, () => 0);
    service.state.body = null;
    service.state.etag = null;
    service.state.useEtag = true;
  });

  const example = (token = TOKEN): Config => loadConfigFile(EXAMPLE, { GATES_URL: service.url, GATES_TOKEN: token });
  const started: RolloutState = { rollout: 'chat-v1.1', stage: 'canary_1', enteredAt: new Date(Date.now() - 2 * HOUR).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [] };

  async function evaluate(config: Config, lines: string[] = []) {
    const nowMs = Date.now();
    const { observations, deadlineExceeded } = await collectObservations({
      gates: config.gates,
      providers: config.providers,
      factories: defaultFactories,
      nowMs,
      target: 'canary_10',
      cwd: work,
      logger: logger(lines),
      redactor: new Redactor(config.secrets),
      deadlineAt: nowMs + 30_000,
    });
    return { observations, decision: decide({ plan: config.rollout, gates: config.gates, state: started, target: 'canary_10', observations, nowMs, deadlineExceeded }) };
  }

  /** One gate against one path of the service, through the real registry and collector. */
  async function probe(query: string, opts: { select?: string; provider?: Partial<Extract<ProviderConfig, { type: 'http' }>>; token?: string } = {}) {
    const base = example(opts.token);
    const gate: Gate = { ...base.gates[0]!, name: 'probe', query, select: opts.select ?? 'value', overMs: null, failAfterMs: null, stepMs: null };
    const provider = { ...(base.providers.gates as Extract<ProviderConfig, { type: 'http' }>), ...opts.provider };
    const lines: string[] = [];
    const t0 = Date.now();
    const { observations } = await evaluate({ ...base, gates: [gate], providers: { gates: provider } }, lines);
    return { obs: observations.get('probe')!, elapsedMs: Date.now() - t0, lines };
  }

  it('reads the example gates (dotted path, array index, a series) and PROCEEDs', async () => {
    const { decision } = await evaluate(example());
    expect(decision.decision).toBe('PROCEED');
    const values = Object.fromEntries(decision.gates.map((g) => [g.name, g.value]));
    expect(values).toEqual({ pilot_feedback_ratio: 0.86, canary_p95_diff: 0.04, ack_without_receipt: 0 });
    expect(decision.gates.find((g) => g.name === 'ack_without_receipt')!.samples).toBe(60);
    // The query is appended to the provider URL, the token header sent.
    expect(service.requests.map((r) => r.path).sort()).toEqual(['/v1/canary-diff?service=chat', '/v1/feedback?cohort=friendly_gp', '/v1/series/ack_without_receipt']);
    expect(service.requests.every((r) => r.headers['x-token'] === TOKEN && r.headers.accept === 'application/json')).toBe(true);
  });

  it('ROLLs BACK when the critical series breaks and fails a pilot ratio below its bar', async () => {
    service.values.ackSeries[42] = 1;
    service.values.feedbackRatio = 0.61;
    const { decision } = await evaluate(example());
    expect(decision.decision).toBe('ROLLBACK');
    expect(decision.failedGates.sort()).toEqual(['ack_without_receipt', 'pilot_feedback_ratio']);
  });

  it('a null value is no data, and noData: fail makes it count', async () => {
    service.values.feedbackRatio = null;
    const { decision } = await evaluate(example());
    const gate = decision.gates.find((g) => g.name === 'pilot_feedback_ratio')!;
    expect(gate.status).toBe('no_data');
    expect(gate.reason).toMatch(/the value at "data.positive_ratio" is null \(noData: fail\)/);
    expect(decision.decision).toBe('HOLD');
  });

  it('without the token: HTTP 401 once (4xx is never retried), and the echoed token is scrubbed', async () => {
    const wrong = 'wrong-token-123';
    const { obs } = await probe('/v1/feedback?cohort=friendly_gp', { select: 'data.positive_ratio', token: wrong });
    expect(obs.error).toMatch(/^http provider "gates" GET http:\/\/127\.0\.0\.1:\d+\/v1\/feedback: HTTP 401 \(check the provider's headers or the credentials in its url\): \{"error":"invalid token \\"\*\*\*\\"; expected a valid X-Token"\}$/);
    expect(obs.error).not.toContain(wrong);
    expect(service.hits.get('/v1/feedback')).toBe(1);
  });

  it('a 500 is retried, then reported with the status and the first 200 characters, secrets scrubbed', async () => {
    const { obs, lines } = await probe('/always-500', { provider: { retries: 2 } });
    expect(service.hits.get('/always-500')).toBe(3);
    expect(obs.error).toMatch(/HTTP 500: upstream exploded while using token \*\*\*; x+… after 3 attempts$/);
    const body = obs.error!.split(': ').slice(2).join(': ').replace(/ after 3 attempts$/, '');
    expect(body.length).toBeLessThanOrEqual(201);
    expect(JSON.stringify({ obs, lines })).not.toContain(TOKEN);
  });

  it('a 503 that recovers is retried into a value', async () => {
    const { obs } = await probe('/500-once');
    expect(obs.error ?? null).toBeNull();
    expect(obs.samples[0]![1]).toBe(7);
    expect(service.hits.get('/500-once')).toBe(2);
  });

  it('a 429 waits for Retry-After before trying again', async () => {
    const t0 = Date.now();
    const { obs } = await probe('/429-once');
    expect(obs.samples[0]![1]).toBe(3);
    const retried = service.requests.filter((r) => r.path === '/429-once');
    expect(retried).toHaveLength(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('a 404 is an error at once, not a retry', async () => {
    const { obs } = await probe('/not-found');
    expect(obs.error).toMatch(/HTTP 404: \{"error":"no such gate"\}/);
    expect(service.hits.get('/not-found')).toBe(1);
  });

  it('an HTML page with 200 is not JSON: no data with the start of the body', async () => {
    const { obs } = await probe('/html');
    expect(obs.error).toMatch(/HTTP 200 answer is not JSON \(text\/html\): <html><body><h1>Sign in<\/h1><p>Your session expired.<\/p><\/body><\/html>$/);
  });

  it('a service that hangs past the timeout is no data within the timeout', async () => {
    const { obs, elapsedMs } = await probe('/slow', { provider: { timeout: '1s' } });
    expect(obs.error).toMatch(/timed out after 1s|cancelled/);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('an answer larger than 10 MB is cut off, not buffered', async () => {
    const { obs } = await probe('/huge', { select: '' });
    expect(obs.error).toMatch(/the answer is larger than 10 MB/);
  });

  it('POST sends the gate, target and window as JSON', async () => {
    const { obs } = await probe('/v1/post-echo', { select: 'received.target', provider: { method: 'POST' } });
    // "canary_10" is no number: the error shows the provider read the echoed request body.
    expect(obs.error).toMatch(/the value at "received.target" is string "canary_10", not a number or boolean/);
    const sent = JSON.parse(service.requests.find((r) => r.path === '/v1/post-echo')!.body);
    expect(sent).toMatchObject({ gate: 'probe', role: 'value', target: 'canary_10', range: null });
  });

  describe('http state store', () => {
    const storeOf = (config: Config = example(), extra: Partial<HttpStateConfig> = {}) =>
      httpStateStore({ ...(config.state as HttpStateConfig), evidenceDir: join(work, 'evidence'), ...extra }, { rollout: 'chat-v1.1', cwd: work, redactor: new Redactor(config.secrets), logger: logger([]) });
    const change = (state: RolloutState | null, expectedVersion: string | null, run: string): StateWrite => ({
      expectedVersion,
      state,
      evidence: [{ path: `evidence/chat-v1.1/${run}/snapshot.json`, content: `{"run":"${run}"}\n` }],
      decisionLog: { path: 'decision-log/chat-v1.1.jsonl', line: JSON.stringify({ run }) },
      message: run,
    });
    const moved = (s: RolloutState, stage: string): RolloutState => ({ ...s, stage, enteredAt: new Date().toISOString() });

    it('404 is a rollout that has not started; the first write is a create (If-None-Match: *)', async () => {
      const store = storeOf();
      expect(await store.read()).toEqual({ state: null, version: null, lastDecision: null });
      const result = await store.write(change({ ...started, stage: 'canary_1' }, null, 'create'));
      const put = service.requests.find((r) => r.method === 'PUT')!;
      expect(put.headers['if-none-match']).toBe('*');
      expect(put.headers['content-type']).toBe('application/json');
      expect(JSON.parse(service.state.body!).stage).toBe('canary_1');
      expect(result.version).toBe(`etag:${service.state.etag}`);
      expect(await readFile(join(result.evidencePath, 'snapshot.json'), 'utf8')).toBe('{"run":"create"}\n');
    });

    it('promotes with If-Match, and a document changed by someone else is a conflict (412), not an overwrite', async () => {
      service.setState(started);
      const store = storeOf();
      const read = await store.read();
      expect(read.state?.stage).toBe('canary_1');
      const first = await store.write(change(moved(read.state!, 'canary_10'), read.version, 'promote'));
      expect(service.requests.find((r) => r.method === 'PUT')!.headers['if-match']).toBe(read.version!.slice('etag:'.length));
      expect(JSON.parse(service.state.body!).stage).toBe('canary_10');
      // A second run that read before the promote must not win.
      await expect(store.write(change(moved(read.state!, 'canary_10'), read.version, 'late'))).rejects.toBeInstanceOf(StateConflictError);
      expect(JSON.parse(service.state.body!).stage).toBe('canary_10');
      expect((await store.read()).version).toBe(first.version);
    });

    it('without ETags, compares the document before writing', async () => {
      service.state.useEtag = false;
      service.setState(started);
      const store = storeOf();
      const read = await store.read();
      service.setState({ ...started, killSwitch: true });
      await expect(store.write(change(moved(read.state!, 'canary_10'), read.version, 'no-etag'))).rejects.toBeInstanceOf(StateConflictError);
      expect(JSON.parse(service.state.body!).killSwitch).toBe(true);
    });

    it('a pause round-trips: PUT as part of the document, read back as the state', async () => {
      service.setState(started);
      const store = storeOf();
      const read = await store.read();
      const pause = { at: '2026-11-30T10:00:00.000Z', reason: 'holiday traffic', actor: 'erin' };
      await store.write(change({ ...read.state!, paused: pause }, read.version, 'pause'));
      expect(JSON.parse(service.state.body!).paused).toEqual(pause);
      expect((await store.read()).state?.paused).toEqual(pause);
    });

    it('a service that drops the pause it was sent makes the pause fail, not vanish', async () => {
      service.setState(started);
      const store = storeOf();
      const read = await store.read();
      service.state.dropFields = ['paused'];
      try {
        await expect(store.write(change({ ...read.state!, paused: { at: '2026-11-30T10:00:00.000Z', reason: 'r', actor: null } }, read.version, 'pause-dropped'))).rejects.toThrow(/its GET returns no "paused": the pause was not kept/);
      } finally {
        service.state.dropFields = [];
      }
    });

    it('a write that keeps a pause it read (a rollback while paused) is not checked again: it lands and says so', async () => {
      service.setState({ ...started, stage: 'canary_10', paused: { at: '2026-11-30T10:00:00.000Z', reason: 'r', actor: null } });
      const store = storeOf();
      const read = await store.read();
      service.state.dropFields = ['paused'];
      try {
        const result = await store.write(change({ ...read.state!, stage: 'canary_1' }, read.version, 'rollback-while-paused'));
        expect(result.version).not.toBeNull();
        expect(JSON.parse(service.state.body!).stage).toBe('canary_1');
      } finally {
        service.state.dropFields = [];
      }
    });

    it('a wrong token is a clear StateError without the token', async () => {
      service.setState(started);
      const wrong = 'not-the-token-42';
      const store = storeOf(example(wrong));
      const e = await store.read().then(() => null, (err: Error) => err);
      expect(e).toBeInstanceOf(StateError);
      expect(e!.message).toMatch(/GET: HTTP 401/);
      expect(e!.message).not.toContain(wrong);
    });

    it('a whole promote run with the example config moves the stage behind the API', async () => {
      service.setState(started);
      const config = example();
      const result = await runRollout({
        config, command: 'promote', target: null, nowMs: Date.now(), store: storeOf(config), factories: defaultFactories, cwd: work,
        logger: logger([]), redactor: new Redactor(config.secrets), context: emptyContext, actor: 'alice', runKey: 'e2e',
      });
      expect(result.snapshot.decision).toBe('PROCEED');
      expect(result.writeError).toBeNull();
      const doc = JSON.parse(service.state.body!);
      expect(doc).toMatchObject({ stage: 'canary_10', history: [{ from: 'canary_1', to: 'canary_10', actor: 'alice' }] });
    });
  });
});
