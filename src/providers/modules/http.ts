import { z } from 'zod';
import { duration, headers, httpUrl, lag, obj, retries } from '../../config/fields.js';
import { lazy, urlPasswordForms, type ProviderModule } from './module.js';

const schema = obj({
  type: z.literal('http'),
  url: httpUrl,
  headers: headers.optional(),
  method: z.enum(['GET', 'POST']).optional(),
  timeout: duration.optional(),
  retries: retries.optional(),
  lag,
});

/** `type: http`: a JSON answer: a value, or a [[unixSeconds, value], …] series at `select`. */
export const httpModule = {
  type: 'http',
  schema,
  gateFields: ['select', 'compare'],
  secrets: (c) => urlPasswordForms(c.url),
  limits: {
    resolution: 'spacing',
    lagMs: 0,
    lagReason: 'the service answers with what it has; set lag when its newest value is a partial aggregate',
    partialBucket: false,
    pointsPerQuery: null,
  },
  create: lazy(async () => (await import('../http.js')).httpProvider),
} satisfies ProviderModule<typeof schema>;
