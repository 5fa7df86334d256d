import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { chainLine, sha256, verifyChain, type LogFile } from '../../src/ledger/chain.js';
import { decisionLogShard, legacyDecisionLog } from '../../src/ledger/layout.js';
import { writeEvidence } from '../../src/state/evidence-dir.js';

/** `verify`: the decision log's chain recomputed from a checkout of the ledger, each kind of tampering named. */

const DAY = 24 * 3_600_000;
const T0 = Date.parse('2026-11-20T09:00:00Z');

/** A ledger as runs write it: two pre-chain lines in the one-file log, then six runs over three days. */
async function ledger(opts: { legacy?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-verify-'));
  if (opts.legacy !== false) {
    mkdirSync(join(dir, 'decision-log'), { recursive: true });
    writeFileSync(join(dir, legacyDecisionLog('chat')), '{"at":"2026-11-19T08:00:00Z","command":"evaluate","evidence":"evidence/chat/old-1"}\n{"at":"2026-11-19T09:00:00Z","command":"promote","evidence":"evidence/chat/old-2"}\n');
  }
  for (let i = 0; i < 6; i++) {
    const at = T0 + Math.floor(i / 2) * DAY + i * 60_000;
    const run = `evidence/chat/run-${i}`;
    await writeEvidence(dir, {
      evidence: [
        { path: `${run}/snapshot.json`, content: JSON.stringify({ run: i }) },
        { path: `${run}/go-no-go.md`, content: `# Go/No-Go ${i}\n` },
      ],
      decisionLog: { path: decisionLogShard('chat', at), line: JSON.stringify({ at: new Date(at).toISOString(), command: 'watch', decision: 'PROCEED', evidencePath: run }) },
    });
  }
  return dir;
}

async function verify(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['verify', '--ledger', dir], { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {}, cwd: dir, isTTY: false });
  return { code, out: out.join(''), err: err.join('') };
}

const shard = (dir: string, day: number) => join(dir, decisionLogShard('chat', T0 + day * DAY));
const lines = (p: string) => readFileSync(p, 'utf8').trimEnd().split('\n');
const put = (p: string, ls: string[]) => writeFileSync(p, `${ls.join('\n')}\n`);

describe('verify --ledger DIR', () => {
  it('an intact ledger: exit 0, every chained line and evidence file counted, the lines from before the chain reported as unchained', async () => {
    const dir = await ledger();
    const r = await verify(dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('decision-log/chat: intact: 6 chained line(s), 12 evidence file(s) checked, 2 unchained line(s) from before the chain\n');
    // The first chained line continues the one-file log: its prev is the old last line's hash.
    const first = JSON.parse(lines(shard(dir, 0))[0]!);
    expect(first.prev).toBe(sha256(lines(join(dir, legacyDecisionLog('chat')))[1]!));
    expect(first.evidence).toEqual({ 'evidence/chat/run-0/snapshot.json': sha256('{"run":0}'), 'evidence/chat/run-0/go-no-go.md': sha256('# Go/No-Go 0\n') });
  });

  it('a ledger that started with the chain: its first line has prev null, nothing unchained', async () => {
    const dir = await ledger({ legacy: false });
    expect(JSON.parse(lines(shard(dir, 0))[0]!).prev).toBeNull();
    expect((await verify(dir)).out).toBe('decision-log/chat: intact: 6 chained line(s), 12 evidence file(s) checked\n');
  });

  it('a ledger from before the chain: exit 0, reported as unchained, not as tampered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-verify-'));
    mkdirSync(join(dir, 'decision-log'));
    writeFileSync(join(dir, 'decision-log/chat.jsonl'), '{"at":"2026-11-19T08:00:00Z"}\n{"at":"2026-11-19T09:00:00Z"}\n');
    const r = await verify(dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe('decision-log/chat: unchained: 0 chained line(s), 0 evidence file(s) checked, 2 unchained line(s) from before the chain\n');
  });

  it.each([
    ['a changed evidence file', 'changed-evidence', 'decision-log/chat/2026-11-21.jsonl:2: evidence file evidence/chat/run-3/go-no-go.md changed', (dir: string) => appendFileSync(join(dir, 'evidence/chat/run-3/go-no-go.md'), 'GO after all\n')],
    ['a removed evidence file', 'missing-evidence', 'decision-log/chat/2026-11-20.jsonl:2: evidence file evidence/chat/run-1/snapshot.json is missing', (dir: string) => rmSync(join(dir, 'evidence/chat/run-1/snapshot.json'))],
    ['a removed line', 'removed', 'decision-log/chat/2026-11-21.jsonl:1: its prev', (dir: string) => put(shard(dir, 1), lines(shard(dir, 1)).slice(1))],
    ['a removed shard', 'removed', 'decision-log/chat/2026-11-22.jsonl:1: its prev', (dir: string) => rmSync(shard(dir, 1))],
    ['an edited line', 'removed', 'decision-log/chat/2026-11-20.jsonl:2: its prev', (dir: string) => put(shard(dir, 0), lines(shard(dir, 0)).map((l, i) => (i === 0 ? l.replace('"PROCEED"', '"HOLD"') : l)))],
    ['an inserted line without a link', 'unchained-inside', 'decision-log/chat/2026-11-21.jsonl:2: a line without a chain link after the chain began', (dir: string) => put(shard(dir, 1), [lines(shard(dir, 1))[0]!, '{"at":"2026-11-21T09:02:00Z","command":"promote","decision":"PROCEED"}', lines(shard(dir, 1))[1]!])],
    ['an inserted line with a forged link', 'inserted', 'decision-log/chat/2026-11-21.jsonl:3: follows decision-log/chat/2026-11-21.jsonl:1 in the chain', (dir: string) => {
      const ls = lines(shard(dir, 1));
      put(shard(dir, 1), [ls[0]!, chainLine('{"at":"2026-11-21T09:02:00Z","command":"promote","decision":"PROCEED"}', sha256(ls[0]!), []), ls[1]!]);
    }],
    ['two lines swapped', 'reordered', 'decision-log/chat/2026-11-22.jsonl:1: follows decision-log/chat/2026-11-22.jsonl:2 in the chain', (dir: string) => put(shard(dir, 2), [...lines(shard(dir, 2))].reverse())],
    ['a line inserted before the first chained line', 'inserted', 'decision-log/chat/2026-11-20.jsonl:1: claims to be the first line of the ledger', (dir: string) => put(shard(dir, 0), [chainLine('{"at":"2026-11-20T08:00:00Z"}', null, []), ...lines(shard(dir, 0))])],
  ] as [string, string, string, (dir: string) => void][])('%s: a non-zero exit naming the first broken link (%s)', async (_what, kind, where, tamper) => {
    const dir = await ledger();
    tamper(dir);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`first broken link (${kind}): ${where}`);
    expect(r.err).toContain('decision-log/chat: BROKEN');
  });

  it('names the directory when it is not there; --ledger is required', async () => {
    expect((await verify('/nonexistent/ledger')).code).toBe(2);
    const err: string[] = [];
    expect(await main(['verify'], { stdout: () => {}, stderr: (s) => err.push(s), env: {}, cwd: '/', isTTY: false })).toBe(2);
    expect(err.join('')).toContain('verify needs --ledger DIR');
  });
});

describe('verifyChain, property: every tampering but cutting the last lines is caught', () => {
  const build = (n: number): string[] => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(chainLine(JSON.stringify({ i, at: `t${i}` }), i ? sha256(out[i - 1]!) : null, []));
    return out;
  };
  const check = (ls: string[]) => verifyChain('log', [{ path: 'log.jsonl', text: `${ls.join('\n')}\n` } as LogFile], () => null);

  it('intact chains of any length are intact', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), (n) => check(build(n)).broken === null));
  });

  it('removing, editing, swapping or inserting a line breaks the chain at or after that line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 40 }), fc.nat(), fc.nat(), fc.constantFrom('remove', 'edit', 'swap', 'insert'), (n, a, b, op) => {
        const ls = build(n);
        const i = a % (n - 1);
        const j = (i + 1 + (b % (n - 1 - i))) % n;
        if (op === 'remove') ls.splice(i, 1);
        if (op === 'edit') ls[i] = ls[i]!.replace(`"i":${i}`, `"i":${i + 1000}`);
        if (op === 'swap') [ls[i], ls[j]] = [ls[j]!, ls[i]!];
        if (op === 'insert') ls.splice(i + 1, 0, chainLine('{"forged":true}', sha256(ls[i]!), []));
        const r = check(ls);
        return r.broken !== null && r.broken.line >= 1 && r.broken.line <= ls.length;
      }),
    );
  });
});
