import { setMaxListeners } from 'node:events';
import type { ProviderConfig } from '../config/schema.js';
import type { GateObservation } from '../engine/gates.js';
import { effectiveStepMs, type Gate, type Sample } from '../engine/model.js';
import { formatDuration, parseDuration } from '../engine/duration.js';
import type { Logger } from '../logger.js';
import type { Redactor } from '../secrets.js';
import { PROVIDER_MODULES } from './modules/index.js';
import { ProviderError, QueryError, type Provider, type ProviderAnswer, type ProviderContext, type ProviderFactory } from './types.js';

export type ProviderFactories = Partial<Record<ProviderConfig['type'], ProviderFactory<never>>>;

/**
 * The providers every run can build, from their modules (the Action adds `github`). Each loads
 * its code on first use: a run neither parses nor starts a provider it does not use.
 */
export const defaultFactories: ProviderFactories = Object.fromEntries(
  Object.entries(PROVIDER_MODULES).flatMap(([type, m]) => (m.create ? [[type, m.create]] : [])),
);

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 8;

export interface CollectOptions {
  gates: readonly Gate[];
  providers: Record<string, ProviderConfig>;
  factories: ProviderFactories;
  nowMs: number;
  target: string | null;
  cwd: string;
  logger: Logger;
  redactor: Redactor;
  fetch?: typeof fetch;
  defaultTimeoutMs?: number | null;
  concurrency?: number | null;
  /** Wall-clock instant (ms) after which unanswered gates are given up. */
  deadlineAt?: number | null;
  /** The environment credential chains read (cloudwatch); default process.env. */
  env?: Record<string, string | undefined>;
}

export interface Collection {
  observations: Map<string, GateObservation>;
  deadlineExceeded: boolean;
}

function timeoutOf(config: ProviderConfig, fallback: number): number {
  const t = 'timeout' in config && config.timeout ? parseDuration(config.timeout) : null;
  return t ?? fallback;
}

/**
 * Moves an earlier window's samples forward by `offsetMs`, onto the current window: the engine
 * then judges both sides over one window, and a report charts them on one time axis.
 */
export function shiftSamples(samples: readonly Sample[], offsetMs: number): Sample[] {
  const offsetS = offsetMs / 1000;
  const out: Sample[] = new Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    out[i] = [s[0] + offsetS, s[1]];
  }
  return out;
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * Queries every gate's provider, concurrently but bounded, each query under its provider's
 * timeout and all of them under the run's deadline. A failing provider becomes "no data" for
 * its gates, with the error text; nothing here throws for a provider's sake.
 */
export async function collectObservations(opts: CollectOptions): Promise<Collection> {
  const observations = new Map<string, GateObservation>();
  const instances = new Map<string, Promise<Provider | ProviderError>>();
  const fallbackTimeout = opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  // Every query in flight listens for the deadline (a gate and its baseline are two); more than
  // ten is normal here, not the leak Node's warning is about.
  setMaxListeners(0, deadline.signal);
  let deadlineExceeded = false;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let onDeadline: Promise<never> | null = null;
  if (opts.deadlineAt != null) {
    onDeadline = new Promise<never>((_, reject) => {
      deadlineTimer = setTimeout(() => {
        deadlineExceeded = true;
        deadline.abort();
        reject(new ProviderError('deadline exceeded before the provider answered'));
      }, Math.max(0, opts.deadlineAt! - Date.now()));
    });
    onDeadline.catch(() => {});
  }

  const build = async (name: string): Promise<Provider | ProviderError> => {
    const config = opts.providers[name];
    const factory = config ? opts.factories[config.type] : undefined;
    if (!config) return new ProviderError(`provider "${name}" is not defined`);
    if (!factory) {
      return new ProviderError(
        config.type === 'github'
          ? 'the github provider needs the GitHub Action (a token and GITHUB_REPOSITORY); it is not available here'
          : `provider type "${config.type}" is not available in this build`,
      );
    }
    const ctx: ProviderContext = {
      name,
      cwd: opts.cwd,
      logger: opts.logger,
      redactor: opts.redactor,
      fetch: opts.fetch ?? globalThis.fetch,
      defaultTimeoutMs: fallbackTimeout,
      ...(opts.env ? { env: opts.env } : {}),
    };
    try {
      return await (factory as ProviderFactory)(config, ctx);
    } catch (e) {
      return new ProviderError(`provider "${name}" could not start: ${(e as Error).message}`);
    }
  };
  // One instance per provider, shared by its gates.
  const providerFor = (name: string): Promise<Provider | ProviderError> => {
    let p = instances.get(name);
    if (!p) {
      p = build(name);
      instances.set(name, p);
    }
    return p;
  };

  /** Asks one query; `offsetMs` > 0 asks it over the window that much earlier (a `baselineOffset`). */
  const ask = async (gate: Gate, provider: Provider, query: string, role: 'value' | 'baseline', offsetMs = 0): Promise<ProviderAnswer> => {
    const config = opts.providers[gate.provider]!;
    const timeoutMs = timeoutOf(config, fallbackTimeout);
    // One controller per query, aborted by its timeout or the run's deadline. (Not AbortSignal.any:
    // on Node 20 every combined signal stays attached to the long-lived deadline signal.)
    const controller = new AbortController();
    const signal = controller.signal;
    const onDeadlineAbort = () => controller.abort(deadline.signal.reason);
    if (deadline.signal.aborted) onDeadlineAbort();
    else deadline.signal.addEventListener('abort', onDeadlineAbort, { once: true });
    const stepMs = effectiveStepMs(gate);
    // The window ends `lag` before now (SPEC §8.1): the store's newest data is incomplete until then.
    const atMs = opts.nowMs - offsetMs - (gate.lagMs ?? 0);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new ProviderError(`timed out after ${formatDuration(timeoutMs)}`));
      }, timeoutMs);
    });
    try {
      const racers: Promise<ProviderAnswer>[] = [
        provider.query({
          gate,
          query,
          role,
          nowMs: atMs,
          range: gate.overMs === null ? null : { startMs: atMs - gate.overMs, endMs: atMs, stepMs: stepMs! },
          target: opts.target,
          signal,
        }),
        timeout,
      ];
      if (onDeadline) racers.push(onDeadline);
      const answer = await Promise.race(racers);
      return offsetMs === 0 ? answer : { ...answer, samples: shiftSamples(answer.samples, offsetMs) };
    } finally {
      clearTimeout(timer);
      deadline.signal.removeEventListener('abort', onDeadlineAbort);
    }
  };

  const work = async (gate: Gate) => {
    const started = Date.now();
    const provider = await providerFor(gate.provider);
    if (provider instanceof ProviderError) {
      observations.set(gate.name, { samples: [], error: provider.message, elapsedMs: 0 });
      return;
    }
    if (deadlineExceeded) {
      observations.set(gate.name, { samples: [], error: 'deadline exceeded before the gate was queried', elapsedMs: 0 });
      return;
    }
    try {
      // `baselineOffset`: the baseline is the gate's own query over the same window, earlier.
      const baselineQuery = gate.baselineOffsetMs !== null ? gate.query : gate.baseline;
      const [value, baseline] = await Promise.all([
        ask(gate, provider, gate.query ?? '', 'value'),
        baselineQuery ? ask(gate, provider, baselineQuery, 'baseline', gate.baselineOffsetMs ?? 0) : Promise.resolve(null),
      ]);
      const warnings = [...(value.warnings ?? []), ...(baseline?.warnings ?? []).map((w) => `baseline: ${w}`)];
      observations.set(gate.name, {
        samples: value.samples,
        baseline: baseline ? baseline.samples : null,
        noDataReason: value.noDataReason ?? (baseline?.noDataReason ? `baseline: ${baseline.noDataReason}` : null),
        ...(value.resolutionMs ? { resolutionMs: value.resolutionMs } : {}),
        warnings: warnings.map((w) => opts.redactor.redact(w)),
        detail: value.detail ? opts.redactor.redactDeep(value.detail) : undefined,
        elapsedMs: Date.now() - started,
      });
    } catch (e) {
      const message = e instanceof ProviderError ? e.message : `provider failed: ${(e as Error)?.message ?? String(e)}`;
      const text = opts.redactor.redact(message);
      opts.logger.debug(`gate ${gate.name}: ${text}`);
      observations.set(gate.name, { samples: [], error: text, ...(e instanceof QueryError ? { queryError: true } : {}), elapsedMs: Date.now() - started });
    }
  };

  try {
    await pool(opts.gates, opts.concurrency ?? DEFAULT_CONCURRENCY, work);
  } finally {
    clearTimeout(deadlineTimer);
    await Promise.all(
      [...instances.values()].map(async (pending) => {
        const p = await pending;
        if (p instanceof ProviderError || !p.close) return;
        try {
          await p.close();
        } catch (e) {
          opts.logger.debug(opts.redactor.redact(`closing a provider failed: ${(e as Error).message}`));
        }
      }),
    );
  }
  return { observations, deadlineExceeded };
}
