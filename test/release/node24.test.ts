import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/demo.js';

/**
 * CI runs the bundle and CLI tests on the Node that action.yml declares, as well as on the
 * machine's default: the version is pinned exactly, and its major is the one action.yml names.
 */
const script = readFileSync(join(ROOT, 'scripts/test-node24.sh'), 'utf8');
const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');

describe('the Node 24 run', () => {
  it('pins an exact Node version whose major is the runtime action.yml declares', () => {
    const version = /^NODE24_VERSION=(\d+)\.(\d+)\.(\d+)$/m.exec(script);
    expect(version, 'NODE24_VERSION=X.Y.Z').not.toBeNull();
    const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string } };
    expect(action.runs.using).toBe(`node${version![1]}`);
  });

  it('runs the bundle tests and the CLI tests with that Node, and says so', () => {
    expect(script).toMatch(/files=\(test\/bundle test\/unit\/cli\.test\.ts /);
    expect(script).toContain('"$node24" node_modules/vitest/vitest.mjs run "${files[@]}"');
    expect(script).toMatch(/echo "== Node \$version/);
  });

  it('.ci/run runs it after the whole suite on the default Node (so dist/ is built and the servers are installed)', () => {
    const suite = ci.indexOf('\nnpm test\n');
    const node24 = ci.indexOf('\nbash scripts/test-node24.sh');
    expect(suite).toBeGreaterThan(ci.indexOf('npm run build'));
    expect(node24).toBeGreaterThan(suite);
  });
});
