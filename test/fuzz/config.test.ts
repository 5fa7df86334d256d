import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig, type Config } from '../../src/config/load.js';
import { fuzz, STACK } from './settings.js';
import { yieldingProperty } from '../support/property.js';

const ENV = { PROM_URL: 'http://127.0.0.1:9090', TOKEN: 'tok-123456' };

/** A valid config with something in every section, the seed every mutation starts from. */
const VALID = {
  version: 1,
  rollout: {
    name: 'chat-v2',
    stages: [
      { name: 'canary_1', traffic: 1, minDuration: '30m' },
      { name: 'canary_10', traffic: 10, minDuration: '2h' },
      { name: 'full', traffic: 100 },
    ],
    ramp: { maxStepFactor: 10, cooldownAfterRollback: '24h', allowSkip: false },
    windows: [{ days: ['mon', 'tue'], start: '09:00', end: '16:00', tz: 'Europe/Berlin' }],
    freezes: [{ from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00Z', reason: 'holidays' }],
    forceAllowed: ['alice', '@acme/sre'],
  },
  state: { type: 'file', path: '.rollout/state.json' },
  providers: {
    prom: { type: 'prometheus', url: '${PROM_URL}', headers: { Authorization: 'Bearer ${TOKEN}' }, timeout: '10s' },
    api: { type: 'http', url: 'https://gates.internal' },
    snap: { type: 'file', path: 'metrics.json' },
  },
  defaults: { noData: 'hold', severity: 'major' },
  deadline: '5m',
  gates: [
    { name: 'error_rate', provider: 'prom', query: 'sum(rate(x[5m]))', pass: '< 0.01', thresholds: { canary_10: '< 0.05' }, over: '1h', failAfter: '5m', step: '30s' },
    { name: 'p75_vs_stable', provider: 'prom', query: 'a', baseline: 'b', pass: ['<= +10%', '< 2'], reduce: 'max' },
    { name: 'feedback', provider: 'api', query: '/v1/feedback', select: 'data.ratio', pass: '>= 0.8', noData: 'fail', minSamples: 1, appliesTo: ['full'] },
    { name: 'sre_approval', provider: 'github', approvals: { min: 1, from: ['alice'] } },
    { name: 'checklist', provider: 'github', checklist: ['Rollback verified'] },
    { name: 'p95_vs_stable', provider: 'prom', query: 'a', baseline: 'b', over: '30m', compare: { test: 'mann-whitney', direction: 'either', confidence: 0.95, allowedChange: '10%' }, shadow: true },
    { name: 'p95_vs_last_week', provider: 'prom', query: 'a', baselineOffset: '7d', over: '30m', compare: { test: 'sigma', sigma: 3 }, minSamples: 20 },
  ],
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every container in the document with one of its keys: where a mutation can land. */
function slots(doc: Json, out: [Json[] | Record<string, Json>, string | number][] = []) {
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      out.push([doc, i]);
      slots(v, out);
    });
  } else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      out.push([doc, k]);
      slots(v, out);
    }
  }
  return out;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'add-key', 'duplicate', 'retype'),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('', ' ', '0s', '-1m', '1.5h', '< NaN', '<= +10%', '== true', '${PROM_URL}', '${NOPE}', '${', '$$', 'canary_1', 'full', '__proto__', 'constructor', 1e308, -0, 101, 0.5, 'sigma', 'mann-whitney', 'decrease', '5%', '7d', 1, 0),
  ),
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'pass', 'over', 'failAfter', 'thresholds', 'canary_1', 'baseline', 'type', 'compare', 'baselineOffset', 'shadow', 'sigma', 'confidence', 'allowedChange')),
});

interface Mutation {
  at: number;
  op: 'replace' | 'delete' | 'add-key' | 'duplicate' | 'retype';
  value: unknown;
  key: string;
}

function mutate(seed: Json, muts: Mutation[]): Json {
  const doc = structuredClone(seed);
  for (const m of muts) {
    const all = slots(doc);
    if (all.length === 0) break;
    const [container, key] = all[m.at % all.length]!;
    const c = container as Record<string | number, Json>;
    switch (m.op) {
      case 'replace':
        c[key] = m.value as Json;
        break;
      case 'delete':
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete c[key];
        break;
      case 'add-key':
        if (c[key] && typeof c[key] === 'object' && !Array.isArray(c[key])) Object.defineProperty(c[key], m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        else c[key] = { [m.key]: m.value as Json };
        break;
      case 'duplicate':
        if (Array.isArray(container)) container.push(structuredClone(container[key as number]!));
        else c[key] = [structuredClone(c[key]!)];
        break;
      case 'retype': {
        const v = c[key];
        c[key] = typeof v === 'string' ? (Number(v) || v.length) : typeof v === 'number' ? String(v) : Array.isArray(v) ? (v[0] ?? null) : v === null ? [] : typeof v === 'object' ? Object.values(v) : !v;
        break;
      }
    }
  }
  return doc;
}

/** The loader's contract: a Config, or a ConfigError whose every issue has a path and a message. */
function loads(text: string, file: string): 'config' | 'error' {
  let config: Config;
  try {
    config = parseConfig(text, file, ENV);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.file).toBe(file);
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      expect(typeof issue.path).toBe('string');
      expect(typeof issue.message).toBe('string');
      expect(issue.message.trim()).not.toBe('');
    }
    expect(e.message).not.toMatch(STACK);
    return 'error';
  }
  // Whatever was accepted is usable: names unique, every gate's provider known.
  const names = config.gates.map((g) => g.name);
  expect(new Set(names).size).toBe(names.length);
  for (const g of config.gates) expect(Object.hasOwn(config.providers, g.provider), g.provider).toBe(true);
  // An accepted compare gate has what its test needs, and nothing its test would ignore.
  for (const g of config.gates) {
    if (g.baselineOffsetMs !== null) expect(g.compare).not.toBeNull();
    if (!g.compare) continue;
    expect(g.overMs).not.toBeNull();
    expect(g.pass).toBeNull();
    expect(g.failAfterMs).toBeNull();
    expect((g.baseline === null) !== (g.baselineOffsetMs === null)).toBe(true);
    expect(['prometheus', 'postgres', 'http', 'file']).toContain(g.providerType);
    if (g.compare.test === 'sigma') {
      expect(g.compare).toMatchObject({ confidence: null, allowedChange: null });
      expect(g.compare.sigma).toBeGreaterThan(0);
    } else {
      expect(g.compare.sigma).toBeNull();
      expect(g.compare.confidence).toBeGreaterThan(0);
      expect(g.compare.confidence).toBeLessThan(1);
      expect(g.compare.allowedChange).toBeGreaterThanOrEqual(0);
    }
  }
  expect(config.rollout.stages.length).toBeGreaterThan(0);
  return 'config';
}

const YAMLISH = [
  'version: 1\n', 'rollout:\n', '  name: chat\n', '  stages:\n', '    - { name: a, traffic: 1 }\n', 'gates:\n', '  - name: g\n',
  '    pass: "< 1"\n', 'providers: {}\n', '{', '}', '[', ']', ', ', ': ', '- ', '? ', '&a ', '*a ', '<<: *a\n', '!!str ', '!!binary ',
  '!!map ', '"', "'", '\\', '\t', '\n', '  ', '#', '%YAML 1.2\n', '---\n', '...\n', '${TOKEN}', '${', '$$', '|\n', '>-\n',
  'null', '~', 'true', 'no', '0x1F', '1e400', '.nan', '-.inf', '2026-11-22', 'é', '\u0000', '\uFEFF', '😀',
];

describe('[fuzz] config loader', () => {
  it('[fuzz] YAML-ish text: a Config or a ConfigError naming path and message, never another exception', async () => {
    const text = fc.oneof(
      fc.array(fc.constantFrom(...YAMLISH), { maxLength: 40 }).map((parts) => parts.join('')),
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
    );
    await fc.assert(yieldingProperty(text, fc.constantFrom('c.yml', 'c.json'), (t, f) => void loads(t, f)), fuzz);
  });

  it('[fuzz] a valid config mutated (values replaced, keys removed or added, lists duplicated, types changed), as YAML and JSON', async () => {
    expect(loads(JSON.stringify(VALID), 'valid.json')).toBe('config');
    let accepted = 0;
    await fc.assert(
      // One in ten as YAML: the YAML layer itself is fuzzed above, and writing YAML is slow.
      yieldingProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat(9).map((n) => n > 0), (muts, asJson) => {
        const doc = mutate(VALID as unknown as Json, muts);
        const outcome = asJson ? loads(JSON.stringify(doc), 'c.json') : loads(stringify(doc), 'c.yml');
        if (outcome === 'config') accepted++;
      }),
      fuzz,
    );
    // The mutations must reach both outcomes, or the property tests half the contract.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(fuzz.numRuns);
  });
});
