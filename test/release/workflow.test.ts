import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/demo.js';

/**
 * The release workflow: its shape is checked as data (trigger, permissions, job order, the
 * steps that must run before anything is published), and the steps that need no GitHub are run
 * as the runner runs them (`bash -eo pipefail`) in a scratch git repository with a local bare
 * "origin" and a stand-in `gh` on the PATH.
 */

const exec = promisify(execFile);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { push: { tags: string[]; branches?: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const load = async (file: string) => parseYaml(await readFile(join(ROOT, file), 'utf8')) as Workflow;
const workflow = await load('.github/workflows/release.yml');
const checkDist = await load('.github/workflows/check-dist.yml');

function step(job: string, name: string): Step {
  const found = workflow.jobs[job]!.steps.find((s) => s.name === name);
  if (!found) throw new Error(`job ${job} has no step "${name}"`);
  return found;
}
const stepIndex = (job: string, match: (s: Step) => boolean) => workflow.jobs[job]!.steps.findIndex(match);
const runs = (job: string, text: string) => stepIndex(job, (s) => s.run?.includes(text) === true);

describe('the release workflow, as data', () => {
  it('runs on a pushed vX.Y.Z tag only, one release at a time', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(workflow).toMatchObject({ concurrency: { group: 'release', 'cancel-in-progress': false } });
  });

  it('grants each job only what it writes: the release job contents, the npm job an OIDC token', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.verify!.permissions).toBeUndefined();
    expect(workflow.jobs['github-release']!.permissions).toEqual({ contents: 'write' });
    expect(workflow.jobs.npm!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(workflow.jobs['github-release']!.needs).toBe('verify');
    expect(workflow.jobs.npm!.needs).toBe('github-release');
  });

  it('verify checks the tag, the notes, dist/ and the tests before the package is handed on', () => {
    const job = 'verify';
    expect(workflow.jobs.verify!.env).toEqual({ TAG: '${{ github.ref_name }}' });
    expect(step(job, 'The tag names the version in package.json').run).toBe('node scripts/release/check-version.mjs "$TAG"');
    expect(step(job, 'CHANGELOG.md has the release notes').run).toContain('node scripts/release/changelog-notes.mjs "$TAG" > "$RUNNER_TEMP/release/notes.md"');
    // The dist check: a fresh build, then no difference from the committed files.
    const dist = step(job, 'dist/ is exactly what the sources build to').run!;
    expect(dist).toMatch(/npm run build\n[\s\S]*git diff --exit-code --stat -- dist /);
    expect(runs(job, 'npm ci')).toBeLessThan(runs(job, 'npm run build'));
    expect(runs(job, 'sudo --preserve-env=CI,PATH npm test')).toBeGreaterThan(runs(job, 'npm run build'));
    expect(runs(job, 'npm run typecheck')).toBeGreaterThan(0);
    const upload = stepIndex(job, (s) => s.uses?.startsWith('actions/upload-artifact@') === true);
    for (const before of ['check-version.mjs', 'changelog-notes.mjs', 'git diff --exit-code', 'npm test', 'npm pack']) {
      expect(runs(job, before), before).toBeGreaterThanOrEqual(0);
      expect(runs(job, before), before).toBeLessThan(upload);
    }
  });

  it('the dist check compares the same files as check-dist.yml', () => {
    const paths = (run: string) => /git diff --exit-code --stat -- ([^;\n]+?);? then/.exec(run)?.[1];
    const ours = paths(step('verify', 'dist/ is exactly what the sources build to').run!);
    const theirs = paths(checkDist.jobs['check-dist']!.steps.find((s) => s.run?.includes('git diff'))!.run!);
    expect(ours).toBeDefined();
    expect(ours).toBe(theirs);
  });

  it('creates the release with gh and GITHUB_TOKEN, as a draft first', () => {
    const job = workflow.jobs['github-release']!;
    expect(job.env).toEqual({ TAG: '${{ github.ref_name }}', GH_TOKEN: '${{ github.token }}' });
    const run = step('github-release', 'Create the GitHub release').run!;
    expect(run).toContain('gh release create "$TAG" --draft --verify-tag --title "$TAG"');
    expect(run).toContain('--notes-file "$RUNNER_TEMP/release/notes.md"');
    expect(run).toContain('gh release edit "$TAG" --draft=false');
  });

  it('publishes the packed tarball to npm with provenance, the token from a secret', () => {
    const job = workflow.jobs.npm!;
    expect(job.environment).toBe('npm');
    expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with).toMatchObject({ 'registry-url': 'https://registry.npmjs.org' });
    const publish = step('npm', 'Publish to npm with provenance');
    expect(publish.env).toMatchObject({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
    expect(publish.run).toContain('npm publish "$RUNNER_TEMP/release/rollout-gate-$version.tgz" --provenance --access public');
  });

  it('the tarball name the npm job publishes is the one npm pack writes for this package', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { name: string; repository?: { url: string }; publishConfig?: Record<string, unknown> };
    expect(pkg.name).toBe('rollout-gate');
    // npm refuses a provenance statement whose repository differs from package.json's.
    expect(pkg.repository?.url).toBe('git+https://github.com/rollout-gate/rollout-gate.git');
    expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
  });
});

/** A scratch repository with a bare origin, and the release scripts beside it as in a checkout. */
class Sandbox {
  readonly origin: string;
  readonly work: string;
  readonly temp: string;
  constructor(readonly root: string) {
    this.origin = join(root, 'origin.git');
    this.work = join(root, 'work');
    this.temp = join(root, 'runner-temp');
  }

  static async create(): Promise<Sandbox> {
    const box = new Sandbox(await mkdtemp(join(tmpdir(), 'rollout-gate-release-wf-')));
    await exec('git', ['init', '--quiet', '--bare', '--initial-branch=main', box.origin]);
    await exec('git', ['clone', '--quiet', box.origin, box.work]);
    await cp(join(ROOT, 'scripts/release'), join(box.work, 'scripts/release'), { recursive: true });
    await mkdir(join(box.temp, 'release'), { recursive: true });
    return box;
  }

  git(...args: string[]): Promise<string> {
    return exec('git', ['-c', 'user.name=Release Tester', '-c', 'user.email=release@example.com', ...args], { cwd: this.work }).then((r) => r.stdout.trim());
  }

  async commit(message: string): Promise<string> {
    await this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** What origin's tag points at (the commit, through an annotated tag), or null. */
  async originTag(tag: string): Promise<string | null> {
    const { stdout } = await exec('git', ['--git-dir', this.origin, 'rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]).catch(() => ({ stdout: '' }));
    return stdout.trim() || null;
  }

  async originTagObject(tag: string): Promise<string> {
    return (await exec('git', ['--git-dir', this.origin, 'rev-parse', `refs/tags/${tag}`])).stdout.trim();
  }

  /** Runs a step's script with bash -eo pipefail, as GitHub's runner does, in the checkout. */
  async runStep(s: Step, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run!], {
        cwd: this.work,
        env: { PATH: process.env.PATH, HOME: this.root, RUNNER_TEMP: this.temp, GIT_CONFIG_NOSYSTEM: '1', ...env },
        encoding: 'utf8',
      }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
    });
  }

  remove(): Promise<void> {
    return rm(this.root, { recursive: true, force: true });
  }
}

let box: Sandbox;
/** Each test of the steps below gets a fresh sandbox. */
function withSandbox() {
  beforeEach(async () => {
    box = await Sandbox.create();
  });
  afterEach(async () => {
    await box.remove();
  });
}

describe('Move the vX and vX.Y tags', () => {
  withSandbox();
  const move = step('github-release', 'Move the vX and vX.Y tags');

  it('force-pushes v1 and v1.2 to the release commit and leaves every vX.Y.Z tag alone', async () => {
    const first = await box.commit('1.2.2');
    await box.git('tag', '-a', 'v1.2.2', '-m', 'v1.2.2');
    await box.git('tag', 'v1.2', first);
    await box.git('tag', 'v1', first);
    const release = await box.commit('1.2.3');
    await box.git('tag', '-a', 'v1.2.3', '-m', 'v1.2.3');
    await box.git('push', '--quiet', 'origin', 'main', '--tags');
    const before = { 'v1.2.2': await box.originTagObject('v1.2.2'), 'v1.2.3': await box.originTagObject('v1.2.3') };
    // A stray local change to a release tag must not reach origin: only the moving tags are pushed.
    await box.git('tag', '--force', 'v1.2.2', release);

    const run = await box.runStep(move, { TAG: 'v1.2.3' });
    expect(run.code, run.stderr).toBe(0);
    expect(await box.originTag('v1')).toBe(release);
    expect(await box.originTag('v1.2')).toBe(release);
    // The release tags are the same objects as before: not re-pushed, not moved.
    expect(await box.originTagObject('v1.2.2')).toBe(before['v1.2.2']);
    expect(await box.originTagObject('v1.2.3')).toBe(before['v1.2.3']);
    expect(await box.originTag('v1.2.2')).toBe(first);
  });

  it('creates v0 and v0.1 on the first release', async () => {
    const release = await box.commit('0.1.0');
    await box.git('tag', '-a', 'v0.1.0', '-m', 'v0.1.0');
    await box.git('push', '--quiet', 'origin', 'main', '--tags');
    const run = await box.runStep(move, { TAG: 'v0.1.0' });
    expect(run.code, run.stderr).toBe(0);
    expect(await box.originTag('v0')).toBe(release);
    expect(await box.originTag('v0.1')).toBe(release);
  });

  it('a backport moves its minor tag but leaves the major tag on the newer release', async () => {
    const old = await box.commit('1.1.4');
    await box.git('tag', '-a', 'v1.1.4', '-m', 'v1.1.4');
    await box.git('tag', 'v1.1', old);
    const newer = await box.commit('1.2.0');
    await box.git('tag', '-a', 'v1.2.0', '-m', 'v1.2.0');
    await box.git('tag', 'v1', newer);
    await box.git('checkout', '--quiet', '-b', 'release/v1.1', old);
    const backport = await box.commit('1.1.5');
    await box.git('tag', '-a', 'v1.1.5', '-m', 'v1.1.5');
    await box.git('push', '--quiet', 'origin', 'main', 'release/v1.1', '--tags');

    const run = await box.runStep(move, { TAG: 'v1.1.5' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('v1 stays: v1.2.0 is newer than v1.1.5');
    expect(await box.originTag('v1.1')).toBe(backport);
    expect(await box.originTag('v1')).toBe(newer);
  });
});

describe('The tagged commit is on main or a release branch', () => {
  withSandbox();
  const check = step('verify', 'The tagged commit is on main or a release branch');

  it('passes for a commit on main and refuses one only on a feature branch', async () => {
    await box.commit('base');
    await box.git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0');
    await box.git('checkout', '--quiet', '-b', 'feature/x');
    await box.commit('unreviewed');
    await box.git('tag', '-a', 'v1.0.1', '-m', 'v1.0.1');
    await box.git('push', '--quiet', 'origin', 'main', 'feature/x', '--tags');
    await box.git('fetch', '--quiet', 'origin');

    expect((await box.runStep(check, { TAG: 'v1.0.0' })).code).toBe(0);
    const refused = await box.runStep(check, { TAG: 'v1.0.1' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^::error::v1\.0\.1 points at [0-9a-f]{40}, which is on neither main nor a release\/\* branch$/m);
  });
});

describe('Create the GitHub release', () => {
  withSandbox();
  const create = step('github-release', 'Create the GitHub release');

  /** A stand-in for the few `gh release` calls the step makes: it keeps one release in a JSON file and logs every call. */
  async function fakeGh(): Promise<{ env: Record<string, string>; calls: () => Promise<string[]>; release: () => Promise<Record<string, unknown> | null> }> {
    const bin = join(box.root, 'bin');
    const state = join(box.root, 'release.json');
    const log = join(box.root, 'gh.log');
    await mkdir(bin);
    await writeFile(join(bin, 'gh'), `#!/usr/bin/env node
const fs = require('node:fs');
const [, , group, cmd, tag, ...rest] = process.argv;
fs.appendFileSync(${JSON.stringify(log)}, [group, cmd, tag, ...rest].join(' ') + '\\n');
const read = () => (fs.existsSync(${JSON.stringify(state)}) ? JSON.parse(fs.readFileSync(${JSON.stringify(state)}, 'utf8')) : null);
const write = (r) => fs.writeFileSync(${JSON.stringify(state)}, JSON.stringify(r));
const release = read();
if (group !== 'release') process.exit(2);
if (cmd === 'view') {
  if (!release || release.tag !== tag) { console.error('release not found'); process.exit(1); }
  console.log(rest.includes('--jq') ? String(release.isDraft) : JSON.stringify({ isDraft: release.isDraft }));
} else if (cmd === 'create') {
  if (release) { console.error('a release with the same tag name already exists: ' + tag); process.exit(1); }
  const assets = rest.filter((a) => a.endsWith('.tgz'));
  for (const a of assets) if (!fs.existsSync(a)) { console.error('no such file ' + a); process.exit(1); }
  const notes = fs.readFileSync(rest[rest.indexOf('--notes-file') + 1], 'utf8');
  write({ tag, isDraft: rest.includes('--draft'), title: rest[rest.indexOf('--title') + 1], notes, assets: assets.map((a) => a.split('/').pop()) });
} else if (cmd === 'edit') {
  // Immutable releases: once published, a release takes no more changes.
  if (!release || !release.isDraft) { console.error('HTTP 422: Cannot modify an immutable release'); process.exit(1); }
  const latest = rest.find((a) => a.startsWith('--latest='));
  write({ ...release, isDraft: !rest.includes('--draft=false'), latest: latest ? latest.split('=')[1] === 'true' : null });
} else process.exit(2);
`);
    await chmod(join(bin, 'gh'), 0o755);
    await writeFile(join(box.temp, 'release/notes.md'), '### Fixed\n\n- A thing.\n');
    await writeFile(join(box.temp, 'release/rollout-gate-1.2.3.tgz'), 'tarball');
    return {
      env: { PATH: `${bin}:${process.env.PATH}`, TAG: 'v1.2.3', GH_TOKEN: 'ghs_fake' },
      calls: async () => (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean),
      release: async () => JSON.parse(await readFile(state, 'utf8').catch(() => 'null')) as Record<string, unknown> | null,
    };
  }

  it('creates a draft with the notes and the tarball, then publishes it as the latest release', async () => {
    await box.commit('1.2.2');
    await box.git('tag', 'v1.2.2');
    await box.commit('1.2.3');
    await box.git('tag', 'v1.2.3');
    const gh = await fakeGh();
    const run = await box.runStep(create, gh.env);
    expect(run.code, run.stderr).toBe(0);
    const calls = await gh.calls();
    expect(calls[1]).toMatch(/^release create v1\.2\.3 --draft --verify-tag --title v1\.2\.3 --notes-file \S+\/notes\.md \S+\/rollout-gate-1\.2\.3\.tgz$/);
    expect(calls.at(-1)).toBe('release edit v1.2.3 --draft=false --latest=true');
    expect(await gh.release()).toEqual({ tag: 'v1.2.3', isDraft: false, title: 'v1.2.3', notes: '### Fixed\n\n- A thing.\n', assets: ['rollout-gate-1.2.3.tgz'], latest: true });

    // A rerun (a later job failed) finds the published release and changes nothing.
    const rerun = await box.runStep(create, gh.env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await gh.calls()).slice(calls.length)).toEqual(['release view v1.2.3 --json isDraft', 'release view v1.2.3 --json isDraft --jq .isDraft']);
  });

  it('a backport is published without becoming the latest release', async () => {
    await box.commit('1.3.0');
    await box.git('tag', 'v1.3.0');
    await box.commit('1.2.3');
    await box.git('tag', 'v1.2.3');
    const gh = await fakeGh();
    const run = await box.runStep(create, gh.env);
    expect(run.code, run.stderr).toBe(0);
    expect(await gh.release()).toMatchObject({ isDraft: false, latest: false });
  });
});
