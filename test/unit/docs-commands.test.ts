/**
 * Every command block (```sh, ```bash, ```shell) in README.md and docs/ runs as written, in a
 * project laid out as the docs assume (the repository's examples/, a config at
 * .github/rollout-gate.yml with the chat service's data, a ledger branch): `rollout-gate`
 * commands through the CLI, `git` and `psql` for real (psql against a throwaway PostgreSQL),
 * and `npm` commands of this repository checked against package.json (running `npm test` from a
 * test would run the suite inside itself). An output block right after a command block is what
 * those commands print, line for line. Synopses are ```text blocks and are not run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { ROOT, demoDir } from '../support/demo.js';
import { postgresAvailable, postgresBinDir, startPostgres, type PostgresServer } from '../servers/postgres.js';

interface Block {
  file: string;
  line: number;
  commands: string[];
  /** The plain ``` block right after it, if any: what the commands print. */
  output: string[] | null;
}

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The command blocks of a Markdown file, continuation lines joined and comments dropped. */
export function commandBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]!);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith('```')) j++;
    const body = lines.slice(i + 1, j);
    if (['sh', 'bash', 'shell'].includes(open[1]!)) {
      const commands = body
        .join('\n')
        .replace(/\s*\\\n\s*/g, ' ')
        .split('\n')
        .map(stripComment)
        .filter((l) => l.trim() !== '')
        .flatMap((l) => l.split(/\s+&&\s+/).map((c) => c.trim()));
      // An output block: the next non-blank line opens a plain ``` block.
      let k = j + 1;
      while (k < lines.length && lines[k]!.trim() === '') k++;
      let output: string[] | null = null;
      if (lines[k] === '```') {
        let m = k + 1;
        while (m < lines.length && lines[m] !== '```') m++;
        output = lines.slice(k + 1, m);
      }
      blocks.push({ file, line: i + 1, commands, output });
    }
    i = j;
  }
  return blocks;
}

/** A line without its `# comment` (a # outside quotes, after a space). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line;
}

/** Shell words: quotes removed, `$VAR` and `"$VAR"` expanded from `env`. */
function words(command: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(re)) {
    const expand = (s: string) => s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n: string) => env[n] ?? '');
    out.push(m[1] !== undefined ? expand(m[1]) : m[2] !== undefined ? m[2] : expand(m[3]!));
  }
  return out;
}

const blocks = DOCS.flatMap((f) => commandBlocks(f, readFileSync(join(ROOT, f), 'utf8')));
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('docs: every command block runs as written', () => {
  let base: string;
  let project: string;
  let env: Record<string, string>;
  let demo: { dir: string; cleanup: () => void };
  let pg: PostgresServer | null = null;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'rg-docs-'));
    project = join(base, 'project');
    mkdirSync(join(project, '.github'), { recursive: true });
    cpSync(join(ROOT, 'examples'), join(project, 'examples'), { recursive: true });
    writeFileSync(join(project, '.github/rollout-gate.yml'), readFileSync(join(ROOT, 'examples/chat-rollout.yml')));
    demo = demoDir(Date.now());
    env = {
      ROLLOUT_DEMO_DIR: demo.dir,
      PATH: process.env.PATH ?? '',
      HOME: base,
      GIT_AUTHOR_NAME: 'docs',
      GIT_AUTHOR_EMAIL: 'docs@example.com',
      GIT_COMMITTER_NAME: 'docs',
      GIT_COMMITTER_EMAIL: 'docs@example.com',
    };
    // A repository whose ledger branch holds the evidence of a run, as the Action commits it.
    const git = (...args: string[]) => {
      const r = spawnSync('git', args, { cwd: project, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    };
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'config');
    const run = await cliIn(project, ['evaluate', '--now', new Date(Date.now()).toISOString()], env);
    expect([0, 3, 4]).toContain(run.code);
    git('checkout', '-q', '-b', 'rollout-ledger');
    cpSync(join(demo.dir, 'evidence'), join(project, 'evidence'), { recursive: true });
    if (existsSync(join(demo.dir, 'decision-log'))) cpSync(join(demo.dir, 'decision-log'), join(project, 'decision-log'), { recursive: true });
    git('add', '-A', 'evidence', ...(existsSync(join(project, 'decision-log')) ? ['decision-log'] : []));
    git('commit', '-qm', 'evidence');
    git('checkout', '-q', 'main');
    // The repository it was cloned from, for `git fetch origin rollout-ledger`.
    const bare = spawnSync('git', ['clone', '-q', '--bare', project, join(base, 'origin.git')], { env, encoding: 'utf8' });
    if (bare.status !== 0) throw new Error(`git clone --bare: ${bare.stderr}`);
    git('remote', 'add', 'origin', join(base, 'origin.git'));
    if (postgresAvailable) {
      pg = await startPostgres({ schemaFiles: [] });
      env.DATABASE_URL = pg.adminUrl;
      env.PATH = `${postgresBinDir()}:${env.PATH}`;
    }
  }, 120_000);

  afterAll(async () => {
    await pg?.stop();
    demo?.cleanup();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('finds the command blocks (a docs change that drops them all is caught), and has the servers they need in CI', () => {
    if (process.env.CI === 'true') expect(pg, 'PostgreSQL for docs/state-and-evidence.md').not.toBeNull();
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    expect(blocks.map((b) => b.file)).toEqual(expect.arrayContaining(['README.md', 'docs/calibration.md', 'docs/cli.md', 'docs/watch.md', 'docs/state-and-evidence.md']));
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s', async (_where, block) => {
    let printed = '';
    for (const command of block.commands) {
      const argv = words(command, env);
      // `NAME=value command`: the value for that command only.
      const extra: Record<string, string> = {};
      while (argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]!)) {
        const [k, ...v] = argv.shift()!.split('=');
        extra[k!] = v.join('=');
      }
      const [program, ...args] = argv;
      if (program === 'npm') {
        // This repository's own scripts: defined, not run from inside its test suite.
        const script = args[0] === 'run' ? args[1]! : args[0]!;
        if (script === 'ci' || script === 'install') continue;
        expect(scripts, `${command}: no script "${script}" in package.json`).toHaveProperty(script);
        continue;
      }
      if (program === 'rollout-gate' || (program === 'npx' && args[0] === 'rollout-gate')) {
        const cli = program === 'npx' ? args.slice(1) : args;
        // `init` starts a project: it runs in a repository that has no config yet.
        const cwd = cli[0] === 'init' ? mkdtempSync(join(base, 'new-project-')) : project;
        const r = await cliIn(cwd, cli, { ...env, ...extra });
        expect([0, 3, 4], `${command}\n${r.err}${r.out}`).toContain(r.code);
        printed += r.err + r.out;
        continue;
      }
      if (program === 'psql' && !pg) {
        if (process.env.CI === 'true') throw new Error('PostgreSQL is needed for this block in CI');
        return; // no server on this machine: the block cannot run here
      }
      if (program === 'git' || program === 'psql') {
        const r = spawnSync(program, args, { cwd: project, env: { ...env, ...extra }, encoding: 'utf8' });
        expect(r.status, `${command}\n${r.stderr}`).toBe(0);
        continue;
      }
      throw new Error(`${block.file}:${block.line}: "${program}" is not a command this test knows how to run; teach it, or make the block a \`\`\`text synopsis`);
    }
    if (block.output) {
      const got = printed.split('\n');
      for (const line of block.output) expect(got, `printed:\n${printed}`).toContain(line);
    }
  });
});

async function cliIn(cwd: string, args: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env, cwd, isTTY: false });
  return { code, out, err };
}

it('commandBlocks: continuation lines, comments, && and the output block', () => {
  const md = ['```sh', 'a --x "y # z" \\', '  --w   # note', 'b && c', '```', '', '```', 'out 1', '```', '```text', 'not run', '```'].join('\n');
  expect(commandBlocks('f.md', md)).toEqual([{ file: 'f.md', line: 1, commands: ['a --x "y # z" --w', 'b', 'c'], output: ['out 1'] }]);
});
