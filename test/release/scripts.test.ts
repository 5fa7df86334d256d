import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/demo.js';

/**
 * The release scripts, run as the workflow runs them: `node scripts/release/<script> ARGS` in a
 * working directory, judged by exit code, stdout and stderr.
 */

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runScript(script: string, args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'scripts/release', script), ...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollout-gate-release-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A package directory with the given versions in package.json, package-lock.json and TOOL_VERSION. */
async function packageDir(versions: { pkg: string; lock?: string; lockRoot?: string; tool?: string | null }) {
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'rollout-gate', version: versions.pkg }));
  if (versions.lock !== undefined) {
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'rollout-gate', version: versions.lock, lockfileVersion: 3, packages: { '': { version: versions.lockRoot ?? versions.lock } } }));
  }
  if (versions.tool !== undefined && versions.tool !== null) {
    await mkdir(join(dir, 'src/report'), { recursive: true });
    await writeFile(join(dir, 'src/report/snapshot.ts'), `export const TOOL_VERSION = '${versions.tool}';\n`);
  }
}

describe('check-version.mjs TAG', () => {
  it('passes for this repository: the tag v + package.json version, matching the lock file and TOOL_VERSION', async () => {
    const run = await runScript('check-version.mjs', [`v${pkg.version}`]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`v${pkg.version} matches package.json version ${pkg.version}\n`);
  });

  it('refuses a tag that names another version, saying how to fix it', async () => {
    await packageDir({ pkg: '1.2.3', lock: '1.2.3', tool: '1.2.3' });
    const run = await runScript('check-version.mjs', ['v1.2.4'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('check-version: tag v1.2.4 does not match package.json version "1.2.3": set "version": "1.2.4" in package.json (npm version 1.2.4 --no-git-tag-version), commit, and tag that commit\n');
  });

  it.each(['1.2.3', 'v1.2', 'v1.2.3-rc.1', 'v1.2.3+build.5', 'v01.2.3', 'V1.2.3', 'refs/tags/v1.2.3', 'v1'])('refuses "%s": not a vX.Y.Z release tag', async (tag) => {
    await packageDir({ pkg: '1.2.3' });
    const run = await runScript('check-version.mjs', [tag], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`"${tag}" is not a release tag: expected v<major>.<minor>.<patch>`);
  });

  it('refuses a lock file or a TOOL_VERSION left at the old version', async () => {
    await packageDir({ pkg: '1.3.0', lock: '1.3.0', lockRoot: '1.2.0' });
    const lock = await runScript('check-version.mjs', ['v1.3.0'], dir);
    expect(lock.code).toBe(1);
    expect(lock.stderr).toContain('package-lock.json packages[""].version is "1.2.0", package.json says "1.3.0"');

    await packageDir({ pkg: '1.3.0', lock: '1.3.0', tool: '1.2.0' });
    const tool = await runScript('check-version.mjs', ['v1.3.0'], dir);
    expect(tool.code).toBe(1);
    expect(tool.stderr).toContain('src/report/snapshot.ts: TOOL_VERSION is "1.2.0", package.json says "1.3.0"');
  });

  it('needs a tag and a package.json', async () => {
    const usage = await runScript('check-version.mjs', [], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('check-version: usage: check-version.mjs TAG (e.g. v1.2.3)\n');
    const missing = await runScript('check-version.mjs', ['v1.0.0'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('check-version: cannot read package.json: ENOENT\n');
  });
});

const CHANGELOG = `# Changelog

All notable changes to this project are documented in this file.

## [Unreleased]

### Added

- Something not released yet.

## [1.1.0] - 2026-12-10

### Added

- Comparison gates.

### Fixed

- A window edge case.

## [1.0.1] - 2026-12-01

### Security

## [1.0.0] - 2026-11-30

### Added

- The engine.
  Continued on a second line.

## [0.9.0]

- Undated.

[Unreleased]: https://github.com/rollout-gate/rollout-gate/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/rollout-gate/rollout-gate/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/rollout-gate/rollout-gate/releases/tag/v1.0.0
`;

describe('changelog-notes.mjs VERSION', () => {
  it('prints one version\'s section, without its heading, the next section or the link definitions', async () => {
    await writeFile(join(dir, 'CHANGELOG.md'), CHANGELOG);
    const middle = await runScript('changelog-notes.mjs', ['1.1.0'], dir);
    expect(middle.code).toBe(0);
    expect(middle.stdout).toBe('### Added\n\n- Comparison gates.\n\n### Fixed\n\n- A window edge case.\n');
    // The tag works as the argument too; the last dated section stops at the next heading.
    const last = await runScript('changelog-notes.mjs', ['v1.0.0'], dir);
    expect(last.code).toBe(0);
    expect(last.stdout).toBe('### Added\n\n- The engine.\n  Continued on a second line.\n');
  });

  it('fails when the version has no section, a section without entries, or no date', async () => {
    await writeFile(join(dir, 'CHANGELOG.md'), CHANGELOG);
    const missing = await runScript('changelog-notes.mjs', ['1.2.0'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('changelog-notes: CHANGELOG.md has no section for 1.2.0: add "## [1.2.0] - YYYY-MM-DD" (move the entries from [Unreleased] under it)\n');

    const empty = await runScript('changelog-notes.mjs', ['1.0.1'], dir);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe('changelog-notes: CHANGELOG.md: the section for 1.0.1 (line 21) has no entries\n');

    const undated = await runScript('changelog-notes.mjs', ['0.9.0'], dir);
    expect(undated.code).toBe(1);
    expect(undated.stderr).toBe('changelog-notes: CHANGELOG.md line 32: "## [0.9.0]" needs the release date: "## [0.9.0] - YYYY-MM-DD"\n');
  });

  it('takes only a release version, and needs a CHANGELOG.md', async () => {
    await writeFile(join(dir, 'CHANGELOG.md'), CHANGELOG);
    for (const arg of ['Unreleased', '1.1', '1.1.0.0', '1.x.0']) {
      const run = await runScript('changelog-notes.mjs', [arg], dir);
      expect(run.code, arg).toBe(1);
      expect(run.stderr).toContain(`"${arg}" is not a release version`);
    }
    expect((await runScript('changelog-notes.mjs', [], dir)).code).toBe(2);
    await rm(join(dir, 'CHANGELOG.md'));
    expect((await runScript('changelog-notes.mjs', ['1.0.0'], dir)).stderr).toBe('changelog-notes: cannot read CHANGELOG.md: ENOENT\n');
  });

  it('finds this repository\'s notes for the version in package.json', async () => {
    const run = await runScript('changelog-notes.mjs', [pkg.version]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^### Added$/m);
    expect(run.stdout).not.toMatch(/^## /m);
    expect(run.stdout).not.toMatch(/^\[[^\]]+\]: /m);
  });
});

describe('major-minor-tags.mjs TAG [EXISTING...]', () => {
  it.each([
    ['v1.2.3', [], 'v1\nv1.2\n'],
    ['v0.1.0', [], 'v0\nv0.1\n'],
    ['v10.20.30', ['v9.99.99', 'v10.20.29'], 'v10\nv10.20\n'],
    // The moving tags themselves and other tags are not releases: they never hold a line back.
    ['v1.2.3', ['v1', 'v1.2', 'v1.2.2', 'latest', 'v2.0.0-rc.1'], 'v1\nv1.2\n'],
  ])('%s with %j prints the tags to move', async (tag, existing, out) => {
    const run = await runScript('major-minor-tags.mjs', [tag, ...existing]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(out);
    expect(run.stderr).toBe('');
  });

  it('a backport moves only the tags no newer release holds', async () => {
    const backport = await runScript('major-minor-tags.mjs', ['v1.1.5', 'v1.1.4', 'v1.2.0', 'v2.0.0']);
    expect(backport.code).toBe(0);
    expect(backport.stdout).toBe('v1.1\n');
    expect(backport.stderr).toBe('major-minor-tags: v1 stays: v1.2.0 is newer than v1.1.5\n');

    const stale = await runScript('major-minor-tags.mjs', ['v1.2.3', 'v1.2.4']);
    expect(stale.code).toBe(0);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toContain('v1.2 stays: v1.2.4 is newer than v1.2.3');
  });

  it('refuses what is not a release tag', async () => {
    const run = await runScript('major-minor-tags.mjs', ['v1.2']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('major-minor-tags: "v1.2" is not a release tag: expected v<major>.<minor>.<patch>, e.g. v1.2.3\n');
    expect((await runScript('major-minor-tags.mjs', [])).code).toBe(2);
  });
});

describe('is-latest.mjs TAG [EXISTING...]', () => {
  it.each([
    ['v1.2.3', [], 'true'],
    ['v1.2.3', ['v1.2.2', 'v0.9.0', 'v1', 'v1.2'], 'true'],
    ['v1.1.5', ['v1.2.0'], 'false'],
    ['v1.9.9', ['v2.0.0'], 'false'],
  ])('%s among %j: %s', async (tag, existing, out) => {
    const run = await runScript('is-latest.mjs', [tag, ...existing]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${out}\n`);
  });

  it('refuses what is not a release tag', async () => {
    expect((await runScript('is-latest.mjs', ['main'])).code).toBe(1);
  });
});
