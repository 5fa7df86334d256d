import type { ProviderConfig } from '../config/schema.js';
import { parseDuration } from '../engine/duration.js';

/**
 * What each provider type is, in one place: where a series' resolution comes from, how far
 * behind now its judged window ends by default and why, whether its newest bucket can still be
 * filling, and how many points one query may return. The engine judges every series at its own
 * resolution (SPEC §8.1); this table is what the docs' per-provider table is checked against.
 *
 * Light on purpose: the config loader reads it at start-up, so it imports no provider code.
 */
export interface ProviderLimits {
  /**
   * Where `r` comes from. `step`: the store evaluates at the step asked for (Prometheus).
   * `period`: the store reports the period of its points (CloudWatch, New Relic's buckets).
   * `spacing`: the spacing of what came back (Datadog's own rollup, rows of a table, a file).
   */
  resolution: 'step' | 'period' | 'spacing' | 'instant';
  /** The default `lag` (ms): the judged window ends this long before now. */
  lagMs: number;
  /** Why that default, for the docs and `validate`. */
  lagReason: string;
  /** A hosted store whose newest bucket may reach past now: that bucket is left out, never judged. */
  partialBucket: boolean;
  /** Points one query may return (null: no limit the provider knows of). */
  pointsPerQuery: number | null;
}

export const PROVIDER_LIMITS: Record<ProviderConfig['type'], ProviderLimits> = {
  prometheus: {
    resolution: 'step',
    lagMs: 0,
    lagReason: 'a range query evaluates at each step up to now from what was scraped; nothing is still filling',
    partialBucket: false,
    pointsPerQuery: 11_000,
  },
  datadog: {
    resolution: 'spacing',
    lagMs: 60_000,
    lagReason: 'points arrive up to about a minute after they are measured; the newest rollup bucket is partial (and is left out)',
    partialBucket: true,
    pointsPerQuery: 1_500,
  },
  cloudwatch: {
    resolution: 'period',
    lagMs: 120_000,
    lagReason: 'a standard metric has one point a minute, published a minute or two after its period ends; a period still running is left out',
    partialBucket: true,
    pointsPerQuery: 100_800,
  },
  newrelic: {
    resolution: 'period',
    lagMs: 60_000,
    lagReason: 'events are queryable within about a minute; the TIMESERIES bucket still running is left out',
    partialBucket: true,
    pointsPerQuery: 366,
  },
  postgres: {
    resolution: 'spacing',
    lagMs: 0,
    lagReason: 'the table holds what it holds: rows are judged as written; set lag when the writer batches',
    partialBucket: false,
    pointsPerQuery: null,
  },
  http: {
    resolution: 'spacing',
    lagMs: 0,
    lagReason: 'the service answers with what it has; set lag when its newest value is a partial aggregate',
    partialBucket: false,
    pointsPerQuery: null,
  },
  file: {
    resolution: 'spacing',
    lagMs: 0,
    lagReason: 'the file holds what it holds',
    partialBucket: false,
    pointsPerQuery: null,
  },
  alertmanager: { resolution: 'instant', lagMs: 0, lagReason: 'firing alerts are read as they are now', partialBucket: false, pointsPerQuery: null },
  github: { resolution: 'instant', lagMs: 0, lagReason: 'reviews and checks are read as they are now', partialBucket: false, pointsPerQuery: null },
};

/** The lag of a gate: its own `lag`, else its provider's, else the provider type's default (ms). */
export function lagOf(gateLagMs: number | null, provider: ProviderConfig): number {
  if (gateLagMs !== null) return gateLagMs;
  const own = 'lag' in provider ? provider.lag : undefined;
  return own !== undefined ? (parseLag(own) ?? 0) : PROVIDER_LIMITS[provider.type].lagMs;
}

/** A lag: a duration, or "0" / "0s" for none. */
export function parseLag(s: string): number | null {
  return /^\s*0+[smhd]?\s*$/.test(s) ? 0 : parseDuration(s);
}
