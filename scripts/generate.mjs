// Writes the files derived from the sources: the JSON Schema of the config (from the zod schema)
// and the default Go/No-Go template as a module (so the bundled Action carries it).
// Usage: node scripts/generate.mjs        (tests fail when the committed files are stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function templateModule() {
  const text = readFileSync(join(root, 'templates/go-no-go.md'), 'utf8');
  return `// Generated from templates/go-no-go.md by scripts/generate.mjs; do not edit.\nexport const DEFAULT_GO_NO_GO_TEMPLATE = ${JSON.stringify(text)};\n`;
}

export async function schemaText() {
  const { jsonSchema } = await import(join(root, 'lib/config/schema.js'));
  return `${JSON.stringify(jsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(root, 'src/report/default-template.ts'), templateModule());
  // The schema is generated from the compiled zod schema, so it needs lib/ first.
  if (!process.argv.includes('--template-only')) {
    writeFileSync(join(root, 'schema/rollout-gate.schema.json'), await schemaText());
  }
}
