import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { jsonSchema } from '../../src/config/schema.js';
import { DEFAULT_GO_NO_GO_TEMPLATE } from '../../src/report/default-template.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { templateModule } from '../../scripts/generate.mjs';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const committedSchema = () => JSON.parse(readFileSync(root('schema/rollout-gate.schema.json'), 'utf8')) as Record<string, unknown>;

describe('generated files are up to date', () => {
  it('schema/rollout-gate.schema.json equals the schema generated from the zod schema', () => {
    expect(committedSchema(), 'schema/rollout-gate.schema.json is stale: run `npm run generate`').toEqual(jsonSchema());
  });

  it('src/report/default-template.ts equals the module generated from templates/go-no-go.md', () => {
    const committed = readFileSync(root('src/report/default-template.ts'), 'utf8');
    expect(committed, 'src/report/default-template.ts is stale: run `npm run generate`').toBe(templateModule());
    expect(DEFAULT_GO_NO_GO_TEMPLATE).toBe(readFileSync(root('templates/go-no-go.md'), 'utf8'));
  });
});

describe('the published JSON Schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)(ajv);
  const validate = ajv.compile(committedSchema());
  const example = () => parseYaml(readFileSync(root('examples/chat-rollout.yml'), 'utf8')) as Record<string, unknown>;

  it('accepts examples/chat-rollout.yml', () => {
    expect(validate(example()), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects an unknown key at the top level, naming it', () => {
    expect(validate({ ...example(), gatez: [] })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'gatez' } }),
    );
  });

  it('rejects an unknown key inside a gate and a provider of an unknown type', () => {
    const cfg = example();
    const gates = cfg.gates as Record<string, unknown>[];
    expect(validate({ ...cfg, gates: [{ ...gates[0], pas: '< 1' }] })).toBe(false);
    expect(validate({ ...cfg, providers: { m: { type: 'influx', path: 'x' } } })).toBe(false);
  });

  it('accepts a ${VAR} where the substituted value is checked (URLs, patterns), and still checks a literal', () => {
    const cfg = example();
    const withEnv = { ...cfg, providers: { prom: { type: 'prometheus', url: '${PROMETHEUS_URL}' }, db: { type: 'postgres', url: '${DATABASE_URL}' } } };
    expect(validate(withEnv), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...cfg, providers: { prom: { type: 'prometheus', url: 'not a url' } } })).toBe(false);
    expect(validate({ ...cfg, providers: { db: { type: 'postgres', url: 'mysql://x' } } })).toBe(false);
  });

  it('requires version 1 and a rollout', () => {
    const { rollout: _rollout, ...noRollout } = example();
    expect(validate(noRollout)).toBe(false);
    expect(validate({ ...example(), version: 2 })).toBe(false);
  });
});
