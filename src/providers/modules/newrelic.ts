import { z } from 'zod';
import { duration, httpUrl, lag, obj, retries } from '../../config/fields.js';
import { lazy, urlPasswordForms, type ProviderModule } from './module.js';

const schema = obj({
  type: z.literal('newrelic'),
  accountId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'expected a numeric account id')]),
  apiKey: z.string().min(1).describe('A User key, sent as API-Key.'),
  region: z.enum(['US', 'EU']).optional().describe('The data centre of the account (default US).'),
  url: httpUrl.optional().describe('The NerdGraph endpoint instead of the region\'s (a proxy, a stand-in).'),
  timeout: duration.optional(),
  retries: retries.optional(),
  lag,
});

/** `type: newrelic`: NRQL through NerdGraph: an aggregate now, or TIMESERIES buckets at the gate's step. */
export const newrelicModule = {
  type: 'newrelic',
  schema,
  gateFields: ['select', 'reduce', 'staleAfter', 'compare'],
  secrets: (c) => [c.apiKey, ...urlPasswordForms(c.url)],
  limits: {
    resolution: 'period',
    lagMs: 60_000,
    lagReason: 'events are queryable within about a minute; a TIMESERIES bucket reaching past the window\'s end is left out',
    partialBucket: true,
    pointsPerQuery: 366,
  },
  create: lazy(async () => (await import('../newrelic.js')).newrelicProvider),
} satisfies ProviderModule<typeof schema>;
