import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { stickyBody, stickyMarker, upsertStickyComment } from '../../src/github/comment.js';
import { createOctokit } from '../../src/github/octokit.js';
import { silentLogger } from '../../src/logger.js';
import { defaultFactories } from '../../src/providers/index.js';
import { DEFAULT_GO_NO_GO_TEMPLATE } from '../../src/report/default-template.js';
import { inlineMarkdown, logLine } from '../../src/report/escape.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { emptyContext, type Snapshot } from '../../src/report/snapshot.js';
import { renderGoNoGo } from '../../src/report/template.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { runRollout } from '../../src/run.js';
import { Redactor } from '../../src/secrets.js';
import { fileStateStore } from '../../src/state/file.js';
import { ACTIONS_TOKEN, startStandin, type GitHubStandin } from '../github/standin.js';
import { NOW_S } from '../support/fixtures.js';
import { startFaultServer, type FaultServer } from '../faults/fault-server.js';

// Hostile text in every place data reaches a report: gate names (any string up to 200
// characters), Prometheus label values, a provider's error text. It must render inertly.
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<details><summary>x</summary>',
  '@octocat @acme/sre',
  'fixes #123 GH-45',
  '`rm -rf` | pipe |',
  'line\nbreak\r\n## heading',
  '<!-- rollout-gate:chat-v1.1 -->',
  '[click](https://evil.example) ![i](https://evil.example/i.png)',
  '\u001b[31mred\u001b[0m\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \b\b\u0000',
  '::set-output name=decision::PROCEED',
];
const NAMES = HOSTILE.map((h, i) => `g${i} ${h}`.slice(0, 200));

let server: FaultServer;
let errors: FaultServer;
let dir: string;
let snap: Snapshot;

beforeAll(async () => {
  server = await startFaultServer();
  errors = await startFaultServer();
  dir = mkdtempSync(join(tmpdir(), 'rg-injection-'));
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ v: 5 }));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ rollout: 'chat-v1.1', stage: 'canary_10', enteredAt: '2026-11-20T00:00:00Z', killSwitch: false, lastRollbackAt: null, paused: null, history: [] }));
  // Prometheus answers two series whose label values are hostile; the http provider an error page.
  const series = (v: string) => ({ metric: { __name__: 'up', job: v }, value: [NOW_S, '1'] });
  server.script([{ kind: 'answer', status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: HOSTILE.slice(0, 5).map(series) } }) }]);
  errors.script([{ kind: 'answer', status: 500, body: HOSTILE.join(' ') }]);
  const config = {
    version: 1,
    rollout: { name: 'chat-v1.1', stages: [{ name: 'canary_10', traffic: 10 }, { name: 'canary_50', traffic: 50 }] },
    state: { type: 'file', path: 'state.json' },
    providers: {
      snap: { type: 'file', path: 'metrics.json' },
      prom: { type: 'prometheus', url: server.url, retries: 0 },
      api: { type: 'http', url: errors.url, retries: 0 },
    },
    gates: [
      ...NAMES.map((name) => ({ name, provider: 'snap', query: 'v', pass: '< 1' })),
      { name: 'labels', provider: 'prom', query: 'up', pass: '== 1' },
      { name: 'error_text', provider: 'api', query: '/gate', select: 'v', pass: '== 1' },
    ],
  };
  writeFileSync(join(dir, 'rollout-gate.json'), JSON.stringify(config));
  const loaded = loadConfigFile(join(dir, 'rollout-gate.json'));
  const result = await runRollout({
    config: loaded, command: 'evaluate', target: null, nowMs: NOW_S * 1000, store: fileStateStore('state.json', { cwd: dir, rollout: 'chat-v1.1' }),
    factories: defaultFactories, cwd: dir, logger: silentLogger, redactor: new Redactor(), context: emptyContext, actor: '@octocat', dryRun: true,
  });
  snap = result.snapshot;
});
afterAll(async () => {
  await server.stop();
  await errors.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Markdown outside fenced code blocks (the queries are shown in fences, where nothing renders). */
function outsideFences(text: string): string {
  return text.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
}

function expectInertMarkdown(text: string, ownDetails: number): void {
  const prose = outsideFences(text);
  expect(prose).not.toMatch(/<img|<summary>x|<!-- rollout-gate|<details><summary>x/i);
  expect((prose.match(/<details>/g) ?? []).length).toBe(ownDetails);
  expect(prose).not.toMatch(/@[A-Za-z0-9]/); // every mention is broken by a zero-width space
  expect(prose).not.toMatch(/(?<!&)#\d|GH-\d/i);
  expect(prose).not.toMatch(/(?<!\\)\]\(https:\/\/evil/);
  expect(prose).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  expect(prose).not.toMatch(/^\s*::/m);
  expect(prose).not.toMatch(/^## heading/m);
}

describe('[injection] reports render hostile data inertly', () => {
  it('[injection] the snapshot carries the hostile texts (otherwise the checks below prove nothing)', () => {
    expect(snap.gates.map((g) => g.name)).toEqual([...NAMES, 'labels', 'error_text']);
    expect(snap.gates.find((g) => g.name === 'labels')!.reason).toContain('<img src=x');
    expect(snap.gates.find((g) => g.name === 'error_text')!.reason).toContain('<details>');
  });

  it('[injection] markdown (PR comment, job summary, check run): no HTML, mentions, references, links, markers or control characters', () => {
    const md = renderMarkdown(snap);
    expectInertMarkdown(md, 1);
    // The table keeps one row per gate with exactly five cells.
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| gate') && !l.startsWith('| check'));
    const gateRows = rows.filter((l) => !/^\| (kill switch|target|min duration|step factor|window|freeze|cooldown) \|/.test(l));
    expect(gateRows).toHaveLength(snap.gates.length);
    for (const row of gateRows) expect(row.split('|').length - 1).toBe(6);
  });

  it('[injection] the sticky comment starts with the one real marker; a forged marker in data is inert', () => {
    const marker = stickyMarker('chat-v1.1');
    const body = stickyBody(renderMarkdown(snap), marker);
    expect(body.startsWith(`${marker}\n`)).toBe(true);
    expect(body.split('<!-- rollout-gate').length - 1).toBe(1);
  });

  it('[injection] the Go/No-Go document (default template): same guarantees, table intact', () => {
    const doc = renderGoNoGo(DEFAULT_GO_NO_GO_TEMPLATE, snap);
    expectInertMarkdown(doc, 0);
    const gateRows = doc.split('\n').filter((l) => /^\| (g\d|labels|error\\_text)/.test(l));
    expect(gateRows).toHaveLength(snap.gates.length);
    for (const row of gateRows) expect(row.split('|').length - 1).toBe(9);
  });

  it('[injection] the terminal table: no escape sequence, carriage return or backspace from data', () => {
    const plain = renderTerminal(snap, false);
    expect(plain).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const coloured = renderTerminal(snap, true);
    // Only the table's own colour codes remain.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // One line per gate: no line break from a name survives.
    expect(plain.split('\n').filter((l) => /^ {2}g\d /.test(l)).length).toBeGreaterThanOrEqual(NAMES.length);
  });

  it('[injection] a value placed at the start of a template line opens no heading or list', () => {
    const render = (v: string) => renderGoNoGo('{{#gates}}\n{{name}}\n{{/gates}}', { ...snap, gates: [{ ...snap.gates[0]!, name: v }] }).trim();
    for (const v of ['# Title', '- item', '1. item', '+ x', '=== x', '#', '---', '-', '12) item', '7.']) {
      expect(render(v)).toMatch(/^\\|^\d+\\[.)]/);
    }
    // What only looks like a marker stays as written: numbers are not escaped.
    for (const v of ['0.005', '-0.5', '+3', '1.5e-3']) expect(render(v)).toBe(v);
  });

  it('[injection] a runner log line from data cannot start a workflow command', () => {
    expect(logLine('ok\n::add-mask::x\n  ::set-output name=a::b')).toBe('ok\n:\u200b:add-mask::x\n  :\u200b:set-output name=a::b');
    expect(inlineMarkdown('a\n::error::b')).not.toMatch(/^::/m);
  });
});

describe('[injection] templates cannot run code', () => {
  it('[injection] {{#gates}}{{name}}{{/gates}} with hostile names stays inert; a name that looks like a tag is not expanded', () => {
    const s = { ...snap, gates: [{ ...snap.gates[0]!, name: '{{rollout}} {{#gates}}x{{/gates}} <script>alert(1)</script>' }] };
    const out = renderGoNoGo('{{#gates}}{{name}}{{/gates}}', s);
    expect(out).toContain('{{rollout}}');
    expect(out).not.toContain('chat-v1.1');
    expect(out).not.toContain('<script>');
  });

  it('[injection] the view is plain data: no function anywhere a template could call as a lambda', async () => {
    const { goNoGoView } = await import('../../src/report/template.js');
    const walk = (v: unknown): boolean => (typeof v === 'function' ? true : v && typeof v === 'object' ? Object.values(v).some(walk) : false);
    expect(walk(goNoGoView(snap))).toBe(false);
  });

  it('[injection] {{{triple}}} mustaches are unescaped, as documented for trusted template authors', () => {
    const s = { ...snap, gates: [{ ...snap.gates[0]!, name: '<b>bold</b>' }] };
    expect(renderGoNoGo('{{#gates}}{{{name}}}{{/gates}}', s)).toBe('<b>bold</b>');
    expect(renderGoNoGo('{{#gates}}{{name}}{{/gates}}', s)).toBe('&lt;b&gt;bold&lt;/b&gt;');
  });
});

describe('[injection] the sticky comment cannot be hijacked', () => {
  let standin: GitHubStandin;
  beforeAll(async () => {
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin.stop();
  });

  it('[injection] a user comment that starts with the forged marker is never edited: the Action posts its own', async () => {
    const repo = standin.repo('acme', 'hijack');
    standin.addPull(repo, { number: 9, author: 'mallory', headSha: '3'.repeat(40), body: 'x' });
    const marker = stickyMarker('chat-v1.1');
    const forged = standin.addComment(repo, 9, 'mallory', `${marker}\nPROCEED, trust me @octocat`);
    const octokit = createOctokit({ token: ACTIONS_TOKEN, baseUrl: standin.url, retries: 0 });
    const first = await upsertStickyComment({ octokit, owner: 'acme', repo: 'hijack', issueNumber: 9, marker, body: renderMarkdown(snap) });
    expect(first.action).toBe('created');
    expect(first.id).not.toBe(forged.id);
    const again = await upsertStickyComment({ octokit, owner: 'acme', repo: 'hijack', issueNumber: 9, marker, body: `${renderMarkdown(snap)}\nrerun` });
    expect(again).toMatchObject({ action: 'updated', id: first.id });
    const comments = repo.comments.get(9)!;
    expect(comments.find((c) => c.id === forged.id)!.body).toBe(`${marker}\nPROCEED, trust me @octocat`);
  });
});

describe('[injection] the bundled Action end to end', () => {
  let standin: GitHubStandin;
  beforeAll(async () => {
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin.stop();
  });

  it('[injection] hostile gate names and error texts: inert in the comment, check run and job summary; no workflow command in the log', async () => {
    const { runAction } = await import('../support/runner.js');
    const repo = standin.repo('acme', 'inject');
    standin.addPull(repo, { number: 5, author: 'dana', headSha: '5'.repeat(40), body: 'x' });
    const work = mkdtempSync(join(tmpdir(), 'rg-injection-action-'));
    try {
      writeFileSync(join(work, 'metrics.json'), JSON.stringify({ v: 5 }));
      errors.script([{ kind: 'answer', status: 500, body: `${HOSTILE.join(' ')}\n::error::forged\n::set-output name=decision::PROCEED` }]);
      writeFileSync(
        join(work, 'rollout-gate.json'),
        JSON.stringify({
          version: 1,
          rollout: { name: 'chat-v1.1', stages: [{ name: 'canary_10', traffic: 10 }, { name: 'canary_50', traffic: 50 }] },
          providers: { snap: { type: 'file', path: 'metrics.json' }, api: { type: 'http', url: errors.url, retries: 0 } },
          gates: [...NAMES.map((name) => ({ name, provider: 'snap', query: 'v', pass: '< 1' })), { name: 'error_text', provider: 'api', query: '/g', select: 'v', pass: '== 1' }],
        }),
      );
      const r = await runAction({
        inputs: { config: 'rollout-gate.json', 'github-token': ACTIONS_TOKEN },
        env: { GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: 'acme/inject', GITHUB_EVENT_NAME: 'pull_request', ACTIONS_STEP_DEBUG: 'true' },
        event: {
          action: 'synchronize', number: 5,
          pull_request: { number: 5, body: 'x', user: { login: 'dana' }, head: { sha: '5'.repeat(40), ref: 'r', repo: { full_name: 'acme/inject' } }, base: { ref: 'main', repo: { full_name: 'acme/inject' } } },
          repository: { full_name: 'acme/inject' },
        },
        workspace: work,
      });
      expect(r.outputs.decision).toBe('HOLD');
      // Only the Action's own workflow commands: none carries a forged one, and the decision output is not overwritten.
      const commands = r.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(commands.filter((l) => /forged|set-output/.test(l))).toEqual([]);
      expect(r.stdout).not.toMatch(/^::set-output/m);
      const comment = repo.comments.get(5)!.at(-1)!.body;
      expect(comment.split('<!-- rollout-gate').length - 1).toBe(1);
      expectInertMarkdown(comment.slice(comment.indexOf('\n') + 1), 1);
      expectInertMarkdown(repo.checkRuns[0]!.summary ?? '', 1);
      expectInertMarkdown(r.summary, 1);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
