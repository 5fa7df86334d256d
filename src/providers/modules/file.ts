import { z } from 'zod';
import { lag, obj } from '../../config/fields.js';
import { lazy, type ProviderModule } from './module.js';

const schema = obj({
  type: z.literal('file'),
  path: z.string().min(1),
  lag,
});

/** `type: file`: a JSON or YAML document: a value, or a series, at a dotted path. */
export const fileModule = {
  type: 'file',
  schema,
  gateFields: ['compare'],
  secrets: (_c) => [],
  limits: { resolution: 'spacing', lagMs: 0, lagReason: 'the file holds what it holds', partialBucket: false, pointsPerQuery: null },
  create: lazy(async () => (await import('../file.js')).fileProvider),
} satisfies ProviderModule<typeof schema>;
