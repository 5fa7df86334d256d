import type { z } from 'zod';
import { lazyFactory, type ProviderFactory } from '../types.js';

/**
 * A gate field that only some providers take; a gate on any other provider that sets it is a
 * config error naming the field and the providers that take it.
 */
export type GateField = 'select' | 'reduce' | 'staleAfter' | 'activeFor' | 'approvals' | 'checklist' | 'compare';

/**
 * Where a windowed gate's resolution r comes from (SPEC §8.1). `step`: the store evaluates at
 * the step asked for (Prometheus). `period`: it reports the period of its points (CloudWatch,
 * New Relic's buckets). `spacing`: the spacing of what came back (Datadog's own rollup, the rows
 * of a table, a file). `instant`: the provider answers with a value now, never a series.
 */
export type ResolutionSource = 'step' | 'period' | 'spacing' | 'instant';

export interface ProviderLimits {
  resolution: ResolutionSource;
  /** The default `lag` (ms): the judged window ends this long before now. */
  lagMs: number;
  /** Why that default, for the docs. */
  lagReason: string;
  /** A hosted store whose newest bucket may reach past now: that bucket is left out, never judged. */
  partialBucket: boolean;
  /** Points one query may return (null: no limit the provider knows of). */
  pointsPerQuery: number | null;
}

/**
 * What a provider is, in one place (STYLE.md "Growing it (round 3)"): its config entry's schema,
 * the provider-only gate fields it takes, the values of its config that are secrets, its limits
 * (points per query, where its resolution comes from, its default lag) and how to build it.
 * A module is light: `create` loads the provider's code on first use, so parsing a config never
 * loads a client it does not use.
 */
export interface ProviderModule<S extends z.ZodObject = z.ZodObject> {
  type: string;
  schema: S;
  gateFields: readonly GateField[];
  /** Values in the provider's own entry that must never be printed (beyond `${VAR}` values). */
  secrets(config: z.infer<S>): string[];
  limits: ProviderLimits;
  /** null: only a front door that brings its own client can build it (github: the Action). */
  create: ProviderFactory<never> | null;
}

/** The password of a URL as written (percent-encoded) and decoded; none without one. */
export function urlPasswordForms(url: string | undefined): string[] {
  if (!url) return [];
  let raw: string;
  try {
    raw = new URL(url).password;
  } catch {
    return [];
  }
  if (!raw) return [];
  try {
    return [raw, decodeURIComponent(raw)];
  } catch {
    return [raw];
  }
}

/** A factory whose code is imported on first use: keeps clients off the start-up path. */
export function lazy(load: () => Promise<unknown>): ProviderFactory<never> {
  return lazyFactory(load as () => Promise<ProviderFactory<never>>) as ProviderFactory<never>;
}
