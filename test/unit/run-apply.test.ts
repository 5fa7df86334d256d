import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { RolloutState } from '../../src/engine/model.js';
import { silentLogger } from '../../src/logger.js';
import { displayTarget } from '../../src/notify/target.js';
import { defaultFactories } from '../../src/providers/index.js';
import { emptyContext, type Command } from '../../src/report/snapshot.js';
import { runRollout } from '../../src/run.js';
import { Redactor } from '../../src/secrets.js';
import { StateConflictError, type StateStore, type StateWrite } from '../../src/state/types.js';

/**
 * The run's apply and notify against an in-memory store whose writes can be made to lose a race,
 * and a recording fetch: what is called, in which order, with what.
 */
const NOW = Date.parse('2026-11-30T12:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'rollout-gate-run-apply-'));
writeFileSync(join(work, 'metrics.json'), JSON.stringify({ x: 0 }));
const CONFIG = `version: 1
rollout:
  name: r
  stages:
    - { name: s1, traffic: 1, flags: { a: 1 } }
    - { name: s2, traffic: 10 }
    - { name: s3, traffic: 50 }
providers:
  m: { type: file, path: ${join(work, 'metrics.json')} }
apply:
  url: "https://flags.example/rollouts/r"
  headers: { Authorization: "Bearer \${FLAGS_TOKEN}" }
gates:
  - { name: g, provider: m, query: x, pass: "< 1" }
`;
const ENV = { FLAGS_TOKEN: 'tok_SECRET|123' };

const stateOf = (over: Partial<RolloutState> = {}): RolloutState => ({
  rollout: 'r', stage: 's2', enteredAt: new Date(NOW - 3 * 3_600_000).toISOString(), killSwitch: false, lastRollbackAt: null, paused: null, history: [], ...over,
});

function memStore(initial: RolloutState, beforeWrite: (n: number, s: { state: RolloutState; v: number }) => void = () => {}) {
  const s = { state: initial, v: 1 };
  const writes: StateWrite[] = [];
  let n = 0;
  const store: StateStore = {
    description: 'memory',
    async read() {
      return { state: structuredClone(s.state), version: String(s.v) };
    },
    async write(w) {
      beforeWrite(++n, s);
      writes.push(w);
      if (w.expectedVersion !== String(s.v)) throw new StateConflictError(`moved (now ${s.state.stage})`);
      if (w.state) {
        s.state = structuredClone(w.state);
        s.v++;
      }
      return { evidencePath: 'evidence', commit: null, version: String(s.v) };
    },
  };
  return { store, s, writes };
}

function recordingFetch(calls: { url: string; body: Record<string, unknown> }[]) {
  return (async (url: string | URL, init?: RequestInit) => {
    calls.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    return new Response('ok', { status: 200 });
  }) as typeof fetch;
}

function run(store: StateStore, command: Command, fetchFn: typeof globalThis.fetch, extra: Record<string, unknown> = {}) {
  const config = parseConfig(CONFIG, 'r.yml', ENV);
  const redactor = new Redactor(config.secrets);
  return runRollout({ config, command, target: null, nowMs: NOW, store, factories: defaultFactories, cwd: work, logger: silentLogger, redactor, context: emptyContext, actor: "me", runKey: "k", fetch: fetchFn, ...extra });
}

describe('apply when the state write loses a race', () => {
  it('[race] a promotion applied, then a kill-switch rollback landed first: the traffic goes back to the state in force, and the run says so', async () => {
    const calls: { url: string; body: Record<string, unknown> }[] = [];
    const mem = memStore(stateOf(), (n, s) => {
      if (n === 1) {
        s.state = stateOf({ stage: 's1', enteredAt: new Date(NOW).toISOString(), lastRollbackAt: new Date(NOW).toISOString(), killSwitch: true });
        s.v++;
      }
    });
    const r = await run(mem.store, 'promote', recordingFetch(calls));
    expect(r.snapshot.decision).toBe('ROLLBACK');
    expect(mem.s.state).toMatchObject({ stage: 's1', killSwitch: true });
    expect(calls.map((c) => [c.body.stage, c.body.traffic, c.body.killSwitch])).toEqual([
      ['s3', 50, false],
      ['s1', 1, true],
    ]);
    expect(r.applyError).toBeNull();
    expect(r.snapshot.warnings).toContain('apply had moved the traffic to s3 for this promotion before another run changed the state; apply was called again with the state in force (s1)');
  });

  it('a retry that reaches the same promotion does not apply it twice', async () => {
    const calls: { url: string; body: Record<string, unknown> }[] = [];
    // Another writer touches the state (same stage) before the first write: a conflict, then the same decision.
    const mem = memStore(stateOf(), (n, s) => {
      if (n === 1) s.v++;
    });
    const r = await run(mem.store, 'promote', recordingFetch(calls));
    expect(r.snapshot.decision).toBe('PROCEED');
    expect(r.attempts).toBe(2);
    expect(mem.s.state.stage).toBe('s3');
    expect(calls.map((c) => c.body.stage)).toEqual(['s3']);
  });
});

describe('names and pages without secrets', () => {
  it.each([
    ['https://hooks.example/hook/T0KEN-abcdef123456?v=1', 'https://hooks.example/hook/T0KEN-abcdef123456?v=1'],
    ['https://Hooks.Example:443/hook/OTHERTOKEN987654', 'https://Hooks.Example:443/hook/OTHERTOKEN987654'],
    ['https://flags.example/api/APPLY%20TOKEN?x=1', 'APPLY%20TOKEN'],
    ['https://user:pa55word@flags.example/api/x', 'pa55word'],
  ])('[secret] displayTarget(%s) shows no part of the secret', (url, secret) => {
    const redactor = new Redactor([secret]);
    for (const kind of ['webhook', 'apply'] as const) {
      const shown = displayTarget(kind, url, redactor);
      expect(shown).not.toContain('TOKEN');
      expect(shown).not.toContain('pa55word');
      expect(shown).not.toMatch(/^https?:/);
    }
  });

  it('a URL with a ${VAR} host keeps its path: ***/rollouts/chat', () => {
    expect(displayTarget('apply', 'https://flags.internal:8443/rollouts/chat?token=abc', new Redactor(['https://flags.internal:8443']))).toBe('***/rollouts/chat');
  });

  it('[secret] the status page is rendered from the redacted state: a secret with Markdown characters in a pause reason never shows', async () => {
    let page = '';
    const mem = memStore(stateOf());
    const store: StateStore = {
      ...mem.store,
      async write(w) {
        const out = await mem.store.write(w);
        page = w.statusPage?.({ state: w.state, decisionLog: '' }) ?? '';
        return out;
      },
    };
    const r = await run(store, 'pause', recordingFetch([]), { reason: `token ${ENV.FLAGS_TOKEN} leaked in chat` });
    expect(r.writeError).toBeNull();
    expect(page).toContain('paused');
    expect(page).not.toContain('SECRET');
    expect(page).toContain('by me: token \\*\\*\\* leaked in chat');
  });
});

describe('evidence is written last', () => {
  it('the stored snapshot and Go/No-Go of a rollback whose apply got HTTP 500 carry the warning; nothing changes the snapshot afterwards', async () => {
    const mem = memStore(stateOf());
    const failing = (async () => new Response('flag service down', { status: 500 })) as typeof fetch;
    const r = await run(mem.store, 'rollback', failing, { reason: 'error spike' });
    expect(r.applyError?.message).toMatch(/500/);
    const warning = r.snapshot.warnings.find((w) => w.includes('the rollback stands'));
    expect(warning).toBeDefined();
    // The state change is written first, the evidence after apply ran.
    expect(mem.writes.map((w) => [w.state?.stage ?? null, w.evidence.length])).toEqual([
      ['s1', 0],
      [null, 2],
    ]);
    const evidence = mem.writes[1]!.evidence;
    const stored = JSON.parse(evidence.find((f) => f.path.endsWith('snapshot.json'))!.content);
    expect(stored.warnings).toContain(warning);
    expect(stored.stateChanged).toBe(true);
    expect(evidence.find((f) => f.path.endsWith('go-no-go.md'))!.content).toContain('the rollback stands');
    expect(JSON.parse(mem.writes[1]!.decisionLog!.line)).toMatchObject({ command: 'rollback', decision: 'ROLLBACK', evidencePath: stored.evidencePath });
    expect(Object.isFrozen(r.snapshot)).toBe(true);
    expect(Object.isFrozen(r.snapshot.warnings)).toBe(true);
    expect(() => (r.snapshot.warnings as string[]).push('later')).toThrow();
  });

  it('a failed notification is in the stored snapshot too', async () => {
    const config = parseConfig(`${CONFIG}notify:\n  - { type: webhook, url: "https://hooks.example/h" }\n`, 'r.yml', ENV);
    const mem = memStore(stateOf());
    const fetchFn = (async (url: string | URL) => (String(url).startsWith('https://hooks.example') ? new Response('no', { status: 400 }) : new Response('ok'))) as typeof fetch;
    const r = await runRollout({ config, command: 'pause', target: null, nowMs: NOW, store: mem.store, factories: defaultFactories, cwd: work, logger: silentLogger, redactor: new Redactor(config.secrets), context: emptyContext, actor: 'me', runKey: 'k', fetch: fetchFn, reason: 'investigating' });
    expect(r.notifications.map((n) => n.ok)).toEqual([false]);
    const stored = JSON.parse(mem.writes.at(-1)!.evidence.find((f) => f.path.endsWith('snapshot.json'))!.content);
    expect(stored.warnings.some((w: string) => w.startsWith("notify webhook"))).toBe(true);
    expect(stored.warnings).toEqual(r.snapshot.warnings);
  });
});
