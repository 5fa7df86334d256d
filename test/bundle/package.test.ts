import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/report/snapshot.js';
import { DEMO_CONFIG, demoDir, ROOT } from '../support/demo.js';

// What `npm publish` would ship, unpacked and run: the CLI and the library must work from the
// tarball alone (its dependencies linked in), not only from this checkout.
let work: string;
let pkg: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rollout-gate-pack-'));
  // --ignore-scripts: lib/ is built already (npm ci runs prepare); packing must not rebuild it.
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  execFileSync('tar', ['-xzf', join(work, filename), '-C', work]);
  pkg = join(work, 'package');
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds everything its bin and exports point at', () => {
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      exports: Record<string, { types?: string; import?: string } | string>;
    };
    const paths = [
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((e) => (typeof e === 'string' ? [e] : [e.types, e.import].filter((p): p is string => !!p))),
    ];
    for (const p of paths) expect(existsSync(join(pkg, p)), p).toBe(true);
    // The bin loads the bundled CLI.
    const bin = readFileSync(join(pkg, manifest.bin['rollout-gate']!), 'utf8');
    const target = /import '([^']+)'/.exec(bin)?.[1];
    expect(target).toBeTruthy();
    expect(existsSync(join(pkg, 'bin', target!)), target).toBe(true);
  });

  it('its CLI runs: --version, and an evaluate of the demo exits 0 with PROCEED', () => {
    const bin = join(pkg, 'bin/rollout-gate.js');
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(TOOL_VERSION);
    const d = demoDir(Date.now(), 'healthy');
    try {
      const r = spawnSync(process.execPath, [bin, 'evaluate', '--config', DEMO_CONFIG, '--no-evidence'], {
        encoding: 'utf8',
        cwd: d.dir,
        env: { PATH: process.env.PATH ?? '', ROLLOUT_DEMO_DIR: d.dir },
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('rollout-gate chat-v1.1: PROCEED');
    } finally {
      d.cleanup();
    }
  });

  it('its library entry point loads and decides', () => {
    const script = `
      const lib = await import(${JSON.stringify(join(pkg, 'lib/index.js'))});
      const config = lib.loadConfigFile(${JSON.stringify(DEMO_CONFIG)}, { ROLLOUT_DEMO_DIR: '/nowhere' });
      const d = lib.decide({ plan: config.rollout, gates: [], state: { rollout: 'chat-v1.1', stage: 'canary_10', enteredAt: '2026-11-22T00:00:00.000Z', killSwitch: true, lastRollbackAt: null, paused: null, history: [] }, target: null, observations: new Map(), nowMs: Date.parse('2026-11-22T12:00:00Z') });
      process.stdout.write(JSON.stringify({ decision: d.decision, to: d.transition.to, exports: ['runRollout', 'createStateStore', 'renderMarkdown', 'Redactor'].filter((n) => typeof lib[n] !== 'function') }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: work });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ decision: 'ROLLBACK', to: 'canary_50', exports: [] });
  });
});
