import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * SchemaStore's JSON schemas for GitHub action metadata and workflow files, as shipped by the
 * pinned devDependency @action-validator/core (its validator is compiled to WebAssembly with both
 * schema files embedded verbatim from its SchemaStore submodule). SchemaStore publishes them
 * under the Apache-2.0 licence at https://json.schemastore.org/github-action.json and
 * https://json.schemastore.org/github-workflow.json; reading them from the package keeps the
 * version pinned by package-lock.json and needs no network.
 */
export const ACTION_SCHEMA_ID = 'https://json.schemastore.org/github-action.json';
export const WORKFLOW_SCHEMA_ID = 'https://json.schemastore.org/github-workflow.json';

export type JsonSchema = Record<string, unknown>;

/** The JSON object that starts at the `{` before `at`, found by matching braces outside strings. */
function objectAround(text: string, at: number): string {
  const start = text.lastIndexOf('{', at);
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced braces in the embedded schema');
}

export async function loadSchemaStoreSchemas(): Promise<{ action: JsonSchema; workflow: JsonSchema; source: string }> {
  const require = createRequire(import.meta.url);
  const source = require.resolve('@action-validator/core/action_validator_bg.wasm');
  // latin1 maps bytes 1:1 to code units, so offsets found in the text are byte offsets.
  const binary = (await readFile(source)).toString('latin1');
  const extract = (id: string): JsonSchema => {
    const at = binary.indexOf(`"$id": "${id}"`);
    if (at < 0) throw new Error(`${source} does not embed ${id}`);
    const json = Buffer.from(objectAround(binary, at), 'latin1').toString('utf8');
    return JSON.parse(json) as JsonSchema;
  };
  return { action: extract(ACTION_SCHEMA_ID), workflow: extract(WORKFLOW_SCHEMA_ID), source };
}
