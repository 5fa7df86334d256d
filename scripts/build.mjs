// The one build: compile the library (lib/), regenerate derived files, bundle the Action (dist/).
// Pinned tools: typescript and @vercel/ncc versions are exact in package.json.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'lib'), { recursive: true, force: true });
run(process.execPath, [join(root, 'scripts/generate.mjs'), '--template-only']);
run(bin('tsc'), ['-p', 'tsconfig.json']);
run(process.execPath, [join(root, 'scripts/generate.mjs')]);
rmSync(join(root, 'dist'), { recursive: true, force: true });
// Minified: the runner compiles the whole entry chunk at every step's start.
run(bin('ncc'), ['build', 'lib/action/index.js', '-o', 'dist', '--license', 'licenses.txt', '--minify', '--quiet']);
// The CLI is bundled too: start-up time is most of a CLI run.
run(bin('ncc'), ['build', 'lib/cli/bin.js', '-o', 'dist/cli', '--minify', '--quiet']);
