import { z } from 'zod';
import { duration, lag, obj, pgSsl, postgresUrl } from '../../config/fields.js';
import { lazy, urlPasswordForms, type ProviderModule } from './module.js';

const schema = obj({
  type: z.literal('postgres'),
  url: postgresUrl,
  ssl: pgSsl.optional(),
  timeout: duration.optional(),
  connections: z.number().int().min(1).max(32).optional().describe('Connections the provider opens at most (default 4).'),
  lag,
});

/** `type: postgres`: SQL, read only: one row now, or (ts, value) rows over the window. */
export const postgresModule = {
  type: 'postgres',
  schema,
  gateFields: ['select', 'compare'],
  secrets: (c) => urlPasswordForms(c.url),
  limits: {
    resolution: 'spacing',
    lagMs: 0,
    lagReason: 'the table holds what it holds: rows are judged as written; set lag when the writer batches',
    partialBucket: false,
    pointsPerQuery: 100_000,
  },
  create: lazy(async () => (await import('../postgres.js')).postgresProvider),
} satisfies ProviderModule<typeof schema>;
