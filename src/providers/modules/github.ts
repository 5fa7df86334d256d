import { z } from 'zod';
import { obj } from '../../config/fields.js';
import { type ProviderModule } from './module.js';

const schema = obj({ type: z.literal('github') });

/** `type: github`: reviews, checklists and searches of the pull request; built by the Action, which has the token. */
export const githubModule = {
  type: 'github',
  schema,
  gateFields: ['approvals', 'checklist'],
  secrets: (_c) => [],
  limits: { resolution: 'instant', lagMs: 0, lagReason: 'reviews and checks are read as they are now', partialBucket: false, pointsPerQuery: null },
  create: null,
} satisfies ProviderModule<typeof schema>;
