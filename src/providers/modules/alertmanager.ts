import { z } from 'zod';
import { obj, serverEndpoint } from '../../config/fields.js';
import { lazy, urlPasswordForms, type ProviderModule } from './module.js';

const schema = obj({
  type: z.literal('alertmanager'),
  ...serverEndpoint,
});

/** `type: alertmanager`: the v2 alert list: how many alerts match, now. */
export const alertmanagerModule = {
  type: 'alertmanager',
  schema,
  gateFields: ['activeFor'],
  secrets: (c) => [...(c.basicAuth ? [c.basicAuth.password] : []), ...urlPasswordForms(c.url)],
  limits: { resolution: 'instant', lagMs: 0, lagReason: 'firing alerts are read as they are now', partialBucket: false, pointsPerQuery: null },
  create: lazy(async () => (await import('../alertmanager.js')).alertmanagerProvider),
} satisfies ProviderModule<typeof schema>;
