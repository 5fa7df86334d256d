import { z } from 'zod';
import { duration, httpUrl, lag, obj, retries } from '../../config/fields.js';
import { lazy, urlPasswordForms, type ProviderModule } from './module.js';

export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'uk1.datadoghq.com',
  'ddog-gov.com',
  'us2.ddog-gov.com',
] as const;

const schema = obj({
  type: z.literal('datadog'),
  site: z.enum(DATADOG_SITES).optional().describe('The Datadog site of the organisation (default datadoghq.com).'),
  url: httpUrl.optional().describe('The API root instead of https://api.<site> (a proxy, a stand-in).'),
  apiKey: z.string().min(1).describe('Sent as DD-API-KEY.'),
  appKey: z.string().min(1).describe('Sent as DD-APPLICATION-KEY (needs the timeseries_query scope).'),
  timeout: duration.optional(),
  retries: retries.optional(),
  lag,
});

/** `type: datadog`: the v2 timeseries API: metrics queries and formulas, rolled up to Datadog's own interval. */
export const datadogModule = {
  type: 'datadog',
  schema,
  gateFields: ['reduce', 'staleAfter', 'compare'],
  secrets: (c) => [c.apiKey, c.appKey, ...urlPasswordForms(c.url)],
  limits: {
    resolution: 'spacing',
    lagMs: 60_000,
    lagReason: 'points arrive up to about a minute after they are measured; the newest rollup bucket is partial (and is left out)',
    partialBucket: true,
    pointsPerQuery: 1_500,
  },
  create: lazy(async () => (await import('../datadog.js')).datadogProvider),
} satisfies ProviderModule<typeof schema>;
