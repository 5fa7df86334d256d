import { z } from 'zod';
import { lag, obj, serverEndpoint } from '../../config/fields.js';
import { lazy, urlPasswordForms, type ProviderModule } from './module.js';

const schema = obj({
  type: z.literal('prometheus'),
  ...serverEndpoint,
  concurrency: z.number().int().min(1).max(256).optional(),
  lag,
});

/** `type: prometheus`: PromQL over the HTTP API: instant queries, and range queries at the gate's step. */
export const prometheusModule = {
  type: 'prometheus',
  schema,
  gateFields: ['reduce', 'staleAfter', 'compare'],
  secrets: (c) => [...(c.basicAuth ? [c.basicAuth.password] : []), ...urlPasswordForms(c.url)],
  limits: {
    resolution: 'step',
    lagMs: 0,
    lagReason: 'a range query evaluates at each step up to now from what was scraped; nothing is still filling',
    partialBucket: false,
    pointsPerQuery: 11_000,
  },
  create: lazy(async () => (await import('../prometheus.js')).prometheusProvider),
} satisfies ProviderModule<typeof schema>;
