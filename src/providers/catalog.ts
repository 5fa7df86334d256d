import type { ProviderConfig } from '../config/schema.js';
import { parseDuration } from '../engine/duration.js';
import { PROVIDER_MODULES } from './modules/index.js';
import type { ProviderLimits } from './modules/module.js';

/**
 * The lag of a gate (SPEC §8.1): the judged window ends this long before now. Each provider
 * module states its type's default and why (src/providers/modules/); the docs' per-provider
 * table is checked against them.
 */
export type { ProviderLimits } from './modules/module.js';

/** Each provider type's limits, as its module states them. */
export const PROVIDER_LIMITS: Record<ProviderConfig['type'], ProviderLimits> = Object.fromEntries(
  Object.entries(PROVIDER_MODULES).map(([type, m]) => [type, m.limits]),
) as Record<ProviderConfig['type'], ProviderLimits>;

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
