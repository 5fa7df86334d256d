/** docs/cli.md's library API section is generated from the types of src/index.ts: it must be current. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/demo.js';

const run = promisify(execFile);

describe('docs/cli.md: the library API', () => {
  it('documents every export of src/index.ts, with the signatures the types declare (scripts/api-docs.mjs --check)', async () => {
    // A child process: building the type checker takes seconds of CPU, which must not block this worker.
    const r = await run(process.execPath, [join(ROOT, 'scripts/api-docs.mjs'), '--check'], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in r ? r.stderr : '', 'node scripts/api-docs.mjs regenerates it').toBe('');
    const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    const index = readFileSync(join(ROOT, 'src/index.ts'), 'utf8');
    const exported = [...index.matchAll(/export \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().replace(/^type /, '')).filter(Boolean));
    expect(exported.length).toBeGreaterThan(50);
    for (const name of exported) expect(doc, name).toContain(`#### \`${name}\``);
    expect(doc).toContain('function loadConfig(file: string, env?: NodeJS.ProcessEnv, options?: SubstituteOptions): Promise<Config>');
  }, 180_000);
});
