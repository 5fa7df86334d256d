import type { ProviderConfig } from '../config/schema.js';
import { parseLag } from '../engine/duration.js';
import { PROVIDER_MODULES } from './modules/index.js';
import type { ProviderLimits } from './modules/module.js';

export type { ProviderLimits } from './modules/module.js';
export { parseLag };

/** Each provider type's limits, as its module states them (the docs' lag table is checked against these). */
export const PROVIDER_LIMITS: Record<ProviderConfig['type'], ProviderLimits> = Object.fromEntries(
  Object.entries(PROVIDER_MODULES).map(([type, m]) => [type, m.limits]),
) as Record<ProviderConfig['type'], ProviderLimits>;

/**
 * The lag of a gate (SPEC §8.1): the judged window ends this long before now. Its own `lag`,
 * else its provider's, else the provider type's default (ms).
 */
export function lagOf(gateLagMs: number | null, provider: ProviderConfig): number {
  if (gateLagMs !== null) return gateLagMs;
  const own = 'lag' in provider ? provider.lag : undefined;
  return own !== undefined ? (parseLag(own) ?? 0) : PROVIDER_LIMITS[provider.type].lagMs;
}
