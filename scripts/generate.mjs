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

/** The inputs and outputs tables of docs/action.md, from action.yml (between the marker comments). */
export async function withActionTables(readme) {
  const { parse } = await import('yaml');
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  const cell = (t) => String(t ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').trim();
  const inputs = ['| Input | Default | Description |', '| --- | --- | --- |'];
  for (const [name, i] of Object.entries(action.inputs)) inputs.push(`| \`${name}\` | ${i.default !== undefined ? `\`${cell(i.default)}\`` : ''} | ${cell(i.description)} |`);
  const outputs = ['| Output | Description |', '| --- | --- |'];
  for (const [name, o] of Object.entries(action.outputs)) outputs.push(`| \`${name}\` | ${cell(o.description)} |`);
  const put = (text, tag, lines) => {
    const start = `<!-- ${tag}:start (generated from action.yml by npm run generate) -->`;
    const end = `<!-- ${tag}:end -->`;
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a < 0 || b < 0) return text;
    return `${text.slice(0, a + start.length)}\n${lines.join('\n')}\n${text.slice(b)}`;
  };
  return put(put(readme, 'inputs', inputs), 'outputs', outputs);
}

export async function schemaText() {
  const { jsonSchema } = await import(join(root, 'lib/config/schema.js'));
  return `${JSON.stringify(jsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(root, 'src/report/default-template.ts'), templateModule());
  // The schema is generated from the compiled zod schema, so it needs lib/ first.
  const actionPage = join(root, 'docs/action.md');
  writeFileSync(actionPage, await withActionTables(readFileSync(actionPage, 'utf8')));
  if (!process.argv.includes('--template-only')) {
    writeFileSync(join(root, 'schema/rollout-gate.schema.json'), await schemaText());
  }
}
