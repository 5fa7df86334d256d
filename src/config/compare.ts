import type { CompareSpec } from '../engine/model.js';
import type { ConfigIssue } from './errors.js';
import type { CompareConfig, GateConfig } from './schema.js';

/** The config side of comparison gates (SPEC §7.1): their cross-field rules and their normalised form. */

const COMPARE_TAKES_NO = 'not used by a compare gate: its test decides (compare.direction, confidence, allowedChange, sigma)';

/** The rules of a `compare` gate (SPEC §7.1): a window, exactly one baseline, no conditions, options of its test only. */
export function compareIssues(g: GateConfig, at: (key: string) => string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // On a file that failed the schema, `compare` may hold anything.
  const c = (g.compare !== null && typeof g.compare === 'object' ? g.compare : {}) as Partial<CompareConfig>;
  if (g.over === undefined) issues.push({ path: at('over'), message: 'required by compare: both sides are read over this window (e.g. 30m)' });
  if (g.baseline === undefined && g.baselineOffset === undefined) {
    issues.push({ path: at('baseline'), message: 'required by compare: a query for the baseline, or baselineOffset (the gate\'s own query, earlier)' });
  }
  if (g.baseline !== undefined && g.baselineOffset !== undefined) {
    issues.push({ path: at('baselineOffset'), message: 'a compare gate takes either baseline or baselineOffset, not both' });
  }
  for (const key of ['pass', 'thresholds', 'failAfter'] as const) {
    if (g[key] !== undefined) issues.push({ path: at(key), message: COMPARE_TAKES_NO });
  }
  const test = c.test ?? 'mann-whitney';
  const only = (key: 'confidence' | 'allowedChange' | 'sigma', forTest: string, instead: string) =>
    issues.push({ path: at(`compare.${key}`), message: `only for test: ${forTest}; the ${test} test ${instead}` });
  if (test === 'sigma') {
    if (c.confidence !== undefined) only('confidence', 'mann-whitney', 'uses compare.sigma');
    if (c.allowedChange !== undefined) only('allowedChange', 'mann-whitney', 'uses compare.sigma');
  } else if (c.sigma !== undefined) {
    only('sigma', 'sigma', 'uses compare.confidence and compare.allowedChange');
  }
  return issues;
}

/** A compare block with its defaults: mann-whitney, increase, 98%, 0% allowed; sigma 3. */
export function compareSpec(c: CompareConfig): CompareSpec {
  const test = c.test ?? 'mann-whitney';
  const mw = test === 'mann-whitney';
  return {
    test,
    direction: c.direction ?? 'increase',
    confidence: mw ? c.confidence ?? 0.98 : null,
    // "10%" → 0.1: one division, so "10%" is exactly the double nearest 0.1.
    allowedChange: mw ? Number((c.allowedChange ?? '0%').replace(/^\+/, '').slice(0, -1)) / 100 : null,
    sigma: mw ? null : c.sigma ?? 3,
  };
}
