import { beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/demo.js';
import { ACTION_SCHEMA_ID, WORKFLOW_SCHEMA_ID, loadSchemaStoreSchemas, type JsonSchema } from './schemastore.js';

/**
 * action.yml and every workflow this repository ships or documents, checked against SchemaStore's
 * schemas for GitHub actions and workflows: the .github/workflows files, the workflow files under
 * examples/, and the workflow blocks in README.md and docs/*.md (```yaml blocks with `on:` and `jobs:`).
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// SchemaStore's action schema lists the JavaScript runtimes GitHub supported when it was written:
// node12, node16, node20. GitHub's runners run `using: node24` actions (Node 20 is being retired:
// https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/),
// and this Action declares node24. Exactly that enum is extended in memory; nothing else is.
const KNOWN_JS_RUNTIMES = ['node12', 'node16', 'node20'];

let action: JsonSchema;
let validateAction: ValidateFunction;
let validateWorkflow: ValidateFunction;

function usingEnum(schema: JsonSchema): string[] {
  const definitions = schema.definitions as Record<string, { properties: { using: { enum: string[] } } }>;
  return definitions['runs-javascript']!.properties.using.enum;
}

beforeAll(async () => {
  const schemas = await loadSchemaStoreSchemas();
  action = schemas.action;
  const patched = structuredClone(schemas.action);
  usingEnum(patched).push('node24');
  // strictTypes and strictTuples judge how a schema is written (SchemaStore's `if` blocks name
  // properties without `type: object`; one `items` tuple has no length): they do not change what
  // validates, and every validation error still fails the test.
  const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false });
  addFormats(ajv);
  validateAction = ajv.compile(patched);
  validateWorkflow = ajv.compile(schemas.workflow);
});

const yamlOf = async (file: string) => parseYaml(await readFile(join(ROOT, file), 'utf8')) as unknown;
const errorsOf = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
const isWorkflow = (doc: unknown): boolean => typeof doc === 'object' && doc !== null && 'on' in doc && 'jobs' in doc;

async function filesUnder(dir: string, ext: RegExp): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** The ```yaml blocks of README.md and every docs/*.md that are whole workflows, named by page and `name:` line. */
async function documentedWorkflows(): Promise<{ page: string; name: string; text: string }[]> {
  const pages = ['README.md', ...(await filesUnder('docs', /\.md$/))];
  const blocks: { page: string; name: string; text: string }[] = [];
  for (const page of pages) {
    const markdown = await readFile(join(ROOT, page), 'utf8');
    for (const m of markdown.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
      const text = m[1]!;
      if (/^on:/m.test(text) && /^jobs:/m.test(text)) blocks.push({ page, name: /^name:\s*(.+)$/m.exec(text)?.[1] ?? '(unnamed)', text });
    }
  }
  return blocks;
}

describe('the schemas', () => {
  it('are SchemaStore\'s action and workflow schemas (draft-07)', () => {
    expect(action.$id).toBe(ACTION_SCHEMA_ID);
    expect(action.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(validateWorkflow.schema).toMatchObject({ $id: WORKFLOW_SCHEMA_ID });
  });

  it('the action schema predates node24, so only its runs.using enum is extended', () => {
    // When a newer schema lists node24 itself, this fails: drop the in-memory patch then.
    expect(usingEnum(action)).toEqual(KNOWN_JS_RUNTIMES);
    expect(validateAction({ name: 'x', description: 'y', runs: { using: 'node24', main: 'dist/index.js' } })).toBe(true);
    expect(validateAction({ name: 'x', description: 'y', runs: { using: 'node25', main: 'dist/index.js' } })).toBe(false);
  });

  it('reject what GitHub would reject: a misspelt key, a job without runs-on', () => {
    expect(validateAction({ name: 'x', description: 'y', input: {}, runs: { using: 'node24', main: 'dist/index.js' } })).toBe(false);
    expect(validateWorkflow({ on: 'push', jobs: { a: { steps: [{ run: 'true' }] } } })).toBe(false);
    expect(validateWorkflow({ on: 'push', jobs: { a: { 'runs-on': 'ubuntu-latest', steps: [{ runs: 'true' }] } } })).toBe(false);
    expect(validateWorkflow({ on: 'push', permissions: { contents: 'admin' }, jobs: { a: { 'runs-on': 'ubuntu-latest', steps: [{ run: 'true' }] } } })).toBe(false);
  });
});

describe('action.yml', () => {
  it('is valid action metadata', async () => {
    const doc = await yamlOf('action.yml');
    expect(validateAction(doc), errorsOf(validateAction).join('\n')).toBe(true);
    expect(doc).toMatchObject({ runs: { using: 'node24', main: 'dist/index.js' } });
  });
});

describe('workflows', () => {
  it('every file in .github/workflows is a valid workflow', async () => {
    const files = await filesUnder('.github/workflows', /\.ya?ml$/);
    expect(files).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/check-dist.yml', '.github/workflows/release.yml']));
    for (const file of files) {
      expect(validateWorkflow(await yamlOf(file)), `${file}:\n${errorsOf(validateWorkflow).join('\n')}`).toBe(true);
    }
  });

  it('every workflow under examples/ is valid (configs there are not workflows and are skipped)', async () => {
    const workflows: string[] = [];
    for (const file of await filesUnder('examples', /\.ya?ml$/)) {
      const doc = await yamlOf(file);
      if (!isWorkflow(doc)) continue;
      workflows.push(file);
      expect(validateWorkflow(doc), `${file}:\n${errorsOf(validateWorkflow).join('\n')}`).toBe(true);
    }
    expect(workflows).toContain('examples/runbooks/canary-rollout-plan/workflow.yml');
  });

  it('every workflow in README.md and docs/*.md is valid', async () => {
    const blocks = await documentedWorkflows();
    expect(blocks.filter((b) => b.page === 'README.md').map((b) => b.name)).toEqual(expect.arrayContaining(['rollout gate']));
    expect(blocks.filter((b) => b.page === 'docs/action.md').map((b) => b.name)).toEqual(expect.arrayContaining(['rollout gate', 'promote', 'rollback', 'rollout gate comment']));
    expect(blocks.filter((b) => b.page === 'docs/governance.md').map((b) => b.name)).toEqual(expect.arrayContaining(['rollout gate']));
    for (const { page, name, text } of blocks) {
      expect(validateWorkflow(parseYaml(text)), `${page} workflow "${name}":\n${errorsOf(validateWorkflow).join('\n')}`).toBe(true);
    }
  });
});
