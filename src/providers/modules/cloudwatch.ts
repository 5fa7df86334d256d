import { z } from 'zod';
import { duration, httpUrl, lag, obj, retries } from '../../config/fields.js';
import { lazy, type ProviderModule } from './module.js';

const schema = obj({
  type: z.literal('cloudwatch'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region like "eu-central-1"'),
  endpoint: httpUrl.optional().describe('The CloudWatch endpoint instead of the region\'s (a VPC endpoint, LocalStack).'),
  timeout: duration.optional(),
  retries: retries.optional(),
  lag,
});

/** `type: cloudwatch`: GetMetricData: metric math, Metrics Insights or a MetricStat, at Period 60 unless the gate's step asks for less. */
export const cloudwatchModule = {
  type: 'cloudwatch',
  schema,
  gateFields: ['reduce', 'staleAfter', 'compare'],
  secrets: (_c) => [],
  limits: {
    resolution: 'period',
    lagMs: 120_000,
    lagReason: 'a standard metric has one point a minute, published a minute or two after its period ends; a period still running is left out',
    partialBucket: true,
    pointsPerQuery: 100_800,
  },
  create: lazy(async () => (await import('../cloudwatch.js')).cloudwatchProvider),
} satisfies ProviderModule<typeof schema>;
