import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/engine/duration.js';
import { PROVIDER_LIMITS } from '../../src/providers/catalog.js';

/** The per-provider lag defaults the docs state are the ones the code applies. */
const docs = (name: string) => readFileSync(join(import.meta.dirname, '../../docs', name), 'utf8');
const lagText = (ms: number) => (ms === 0 ? '0s' : formatDuration(ms));

describe('docs: resolution, coverage and lag', () => {
  it.each(['configuration.md', 'reliability.md'])('%s states every provider\'s default lag as the code has it', (file) => {
    const all = docs(file);
    const text = all.slice(all.indexOf('Resolution, coverage and lag'));
    for (const type of ['prometheus', 'datadog', 'cloudwatch', 'newrelic', 'postgres', 'http', 'file'] as const) {
      const row = text.split('\n').find((l) => new RegExp(`^\\| \`${type}\`[ ,|]`).test(l) || new RegExp(`^\\| [^|]*\`${type}\``).test(l) && l.includes('spacing'));
      expect(row, `${file}: a table row for ${type}`).toBeDefined();
      expect(row!.split('|').map((c) => c.trim())).toContain(lagText(PROVIDER_LIMITS[type].lagMs));
    }
  });
});
