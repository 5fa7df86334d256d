/**
 * The messages a new user meets in the first hour: each says what is wrong with the value as
 * written and what would be right, and an operator action reads as what it did.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main.js';
import { defaultActor } from '../../src/cli/actor.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { editDistance, nearest } from '../../src/config/suggest.js';
import { urlSecretForms } from '../../src/config/url-secrets.js';
import { parseCondition } from '../../src/engine/conditions.js';
import { evaluateGate } from '../../src/engine/gates.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Snapshot } from '../../src/report/snapshot.js';
import { gate, M, NOW, seriesOf } from '../support/fixtures.js';

const NOW_ISO = new Date(NOW).toISOString();
let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rg-messages-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env, cwd, isTTY: false });
  return { code, out, err };
}

const BASE = `version: 1
rollout:
  name: demo
  stages:
    - { name: canary, traffic: 5, minDuration: 1h30m }
    - { name: full, traffic: 100 }
providers:
  m: { type: file, path: metrics.json }
gates:
`;

/** A rollout reading metrics.json, with the gates given (YAML lines under `gates:`). */
function project(gates = '  - { name: err, provider: m, query: err, pass: "< 1" }\n'): string {
  const dir = workDir();
  writeFileSync(join(dir, 'metrics.json'), '{ "err": 0.5 }\n');
  writeFileSync(join(dir, 'rollout-gate.yml'), BASE + gates);
  return dir;
}

function problems(text: string): readonly { path: string; message: string }[] {
  try {
    parseConfig(text, 'c.yml', {});
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe('durations', () => {
  it('over: 1.5h is reported as not a duration (with the form that is one), not as shorter than failAfter', () => {
    const found = problems(BASE + '  - { name: err, provider: m, query: err, pass: "< 1", over: 1.5h, failAfter: 5m }\n');
    expect(found).toEqual([{ path: 'gates[0].over', message: expect.stringContaining('got "1.5h" (did you mean "1h30m"?)') }]);
    expect(JSON.stringify(found)).not.toContain('longer than over');
  });

  it.each([
    ['gates[0].over', 'over: soon', 'got "soon"'],
    ['gates[0].failAfter', 'over: 1h, failAfter: 5 min', 'got "5 min"'],
    ['gates[0].step', 'over: 1h, step: 30S', 'got "30S"'],
  ])('%s: the error repeats the bad value', (path, fields, part) => {
    const found = problems(BASE + `  - { name: err, provider: m, query: err, pass: "< 1", ${fields} }\n`);
    expect(found).toEqual([{ path, message: expect.stringContaining(part) }]);
  });

  it('compound durations are accepted in the config and printed back the same way', async () => {
    const dir = project('  - { name: err, provider: m, query: err, pass: "< 1", over: 2h30m, failAfter: 1m30s }\n');
    const r = await cli(['validate', '--config', 'rollout-gate.yml'], dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('min 1h30m');
    expect(r.out).toContain('over 2h30m (failAfter 1m30s)');
  });

  it('a compound --timeout is accepted; a bad one is repeated in the error', async () => {
    const dir = project();
    const ok = await cli(['evaluate', '--config', 'rollout-gate.yml', '--timeout', '1m30s', '--dry-run', '--now', NOW_ISO], dir);
    expect(ok.code, ok.err).toBe(0); // the first promotion, its gate passing
    const bad = await cli(['evaluate', '--config', 'rollout-gate.yml', '--timeout', '1.5m', '--dry-run'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--timeout: "1.5m" is not a duration');
  });
});

describe('typos get the nearest valid name', () => {
  it.each([
    ['sevrity', 'severity'],
    ['ovr', 'over'],
    ['failafter', 'failAfter'],
    ['Step', 'step'],
    ['minSample', 'minSamples'],
  ])('gate key %s → did you mean "%s"?', (typo, meant) => {
    const found = problems(BASE + `  - { name: err, provider: m, query: err, pass: "< 1", ${typo}: x }\n`);
    expect(found).toContainEqual({ path: `gates[0].${typo}`, message: expect.stringContaining(`unknown key; did you mean "${meant}"?`) });
  });

  it('keys of a provider are suggested from that provider type, keys elsewhere from their own place', () => {
    const text = BASE.replace('m: { type: file, path: metrics.json }', 'm: { type: file, path: metrics.json }\n  prom: { type: prometheus, url: "http://p:9090", tmeout: 5s }')
      .replace('minDuration: 1h30m', 'minDuraton: 1h30m')
      .concat('  - { name: err, provider: m, query: err, pass: "< 1" }\ndeadlin: 5m\n');
    const found = problems(text);
    expect(found).toEqual(
      expect.arrayContaining([
        { path: 'providers.prom.tmeout', message: expect.stringContaining('did you mean "timeout"?') },
        { path: 'rollout.stages[0].minDuraton', message: expect.stringContaining('did you mean "minDuration"?') },
        { path: 'deadlin', message: expect.stringContaining('did you mean "deadline"?') },
      ]),
    );
  });

  it('a key far from every valid one gets no guess', () => {
    const found = problems(BASE + '  - { name: err, provider: m, query: err, pass: "< 1", zzzz: 1 }\n');
    expect(found).toEqual([{ path: 'gates[0].zzzz', message: expect.not.stringContaining('did you mean') }]);
  });

  it.each([
    [['evaluate', '--dryrun'], '--dryrun; did you mean --dry-run?'],
    [['evaluate', '--confg', 'x.yml'], '--confg; did you mean --config?'],
    [['calibrate', '--failrate', '0.05'], '--failrate; did you mean --fail-rate?'],
    [['evaluate', '--no-evidense'], '--no-evidense; did you mean --no-evidence?'],
  ])('flag %j', async (args, message) => {
    const r = await cli(args, workDir());
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`rollout-gate: unknown option ${message} (rollout-gate --help lists the options)`);
    // Node's advice about positionals starting with a dash is not for this user.
    expect(r.err).not.toContain('To specify a positional argument');
  });

  it('an unknown command gets the nearest command', async () => {
    const r = await cli(['evalute'], workDir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "evalute" (did you mean evaluate?)');
  });

  it('property-like table: nearest() only guesses within one edit per four letters', () => {
    expect(nearest('promte', ['promote', 'rollback'])).toBe('promote');
    expect(nearest('x', ['over', 'step'])).toBeNull();
    expect(nearest('timout', ['timeout', 'over'])).toBe('timeout');
    expect(nearest('staleafter', ['staleAfter'])).toBe('staleAfter');
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('sevrity', 'severity')).toBe(1);
  });
});

describe('operator commands read as what they did', () => {
  it('explain takes a run\'s evidence directory, and names the file to pass for a directory of runs', async () => {
    const dir = project();
    const run = await cli(['evaluate', '--config', 'rollout-gate.yml', '--state-file', 'state.json', '--now', NOW_ISO], dir);
    expect(run.err).toBe('');
    const runDir = /evidence: (.*)/.exec(run.out)![1]!;
    const one = await cli(['explain', relative(dir, runDir)], dir);
    expect(one.code, one.err).toBe(run.code);
    expect(one.out).toContain('rollout-gate demo:');
    expect(one.err).not.toContain('EISDIR');

    const all = await cli(['explain', 'evidence'], dir);
    expect(all.code).toBe(2);
    expect(all.err).not.toContain('EISDIR');
    const named = /rollout-gate explain (\S+)/.exec(all.err)?.[1];
    expect(named, all.err).toBe(join('evidence', relative(join(dir, 'evidence'), join(runDir, 'snapshot.json'))));
    expect((await cli(['explain', named!], dir)).out).toBe(one.out);
  });

  it('pause and resume print what was done, not a HOLD verdict', async () => {
    const dir = project();
    const pause = await cli(['pause', '--config', 'rollout-gate.yml', '--state-file', 'state.json', '--reason', 'checking the dashboards', '--now', NOW_ISO], dir);
    expect(pause.code, pause.err).toBe(0);
    expect(pause.out.split('\n')[0]).toBe('rollout-gate demo: PAUSED');
    const resume = await cli(['resume', '--config', 'rollout-gate.yml', '--state-file', 'state.json', '--reason', 'all clear', '--now', NOW_ISO], dir);
    expect(resume.code, resume.err).toBe(0);
    expect(resume.out.split('\n')[0]).toBe('rollout-gate demo: RESUMED');
    // The job summary and PR comment say the same.
    for (const [r, word] of [[pause, 'PAUSED'], [resume, 'RESUMED']] as const) {
      const snap = JSON.parse(readFileSync(join(/evidence: (.*)/.exec(r.out)![1]!, 'snapshot.json'), 'utf8')) as Snapshot;
      expect(renderMarkdown(snap).split('\n')[0]).toMatch(new RegExp(`^### \\S+ rollout-gate: \\*\\*${word}\\*\\* · demo$`));
    }
  });

  it('rollback before any stage started is a usage error and writes nothing', async () => {
    const dir = project();
    const r = await cli(['rollback', '--config', 'rollout-gate.yml', '--state-file', 'state.json', '--now', NOW_ISO], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('nothing to roll back: the rollout has not started');
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['metrics.json', 'rollout-gate.yml']);
  });

  it('the actor is never null: $USER, else the account name, else "unknown"', async () => {
    expect(defaultActor({ ROLLOUT_GATE_ACTOR: 'ci-bot', USER: 'ann' })).toBe('ci-bot');
    expect(defaultActor({ USER: 'ann' })).toBe('ann');
    expect(defaultActor({ USER: ' ', LOGNAME: 'bob' })).toBe('bob');
    expect(defaultActor({}, () => 'svc')).toBe('svc');
    expect(defaultActor({}, () => {
      throw new Error('uid has no entry');
    })).toBe('unknown');

    const dir = project();
    const r = await cli(['pause', '--config', 'rollout-gate.yml', '--state-file', 'state.json', '--reason', 'r', '--now', NOW_ISO], dir, {});
    expect(r.code, r.err).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { history: { actor: string | null }[] };
    expect(state.history.at(-1)!.actor).toBe(defaultActor({}));
    expect(state.history.at(-1)!.actor).toBe(userInfo().username || 'unknown');
  });
});

describe('a windowed relative gate quotes the baseline it was judged against', () => {
  // The baseline was 100 for the first half hour and 200 since; the canary stays at 150.
  const canary = seriesOf(60, 60, () => 150);
  const baseline = seriesOf(60, 60, (i) => (i < 30 ? 100 : 200));

  it('a failure quotes the baseline in force at the sample it names, and the range over the window', () => {
    const r = evaluateGate(gate({ pass: '<= +10%', baseline: 'b', overMs: 60 * M, stepMs: 60_000 }), 'full', { samples: canary, baseline }, NOW);
    expect(r.status).toBe('fail');
    expect(r.reason).toContain(`(first 150 at ${new Date((canary[0]![0]) * 1000).toISOString().replace('.000Z', 'Z')})`);
    expect(r.reason).toContain('(baseline 100 at');
    expect(r.reason).toContain('100 to 200 over the window');
    expect(r.reason).not.toMatch(/\(baseline 200\)/);
  });

  it('with failAfter, the baseline at the start of the run that failed', () => {
    const r = evaluateGate(gate({ pass: '<= +10%', baseline: 'b', overMs: 60 * M, failAfterMs: 10 * M, stepMs: 60_000 }), 'full', { samples: canary, baseline }, NOW);
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/\(baseline 100 at [^;]+; 100 to 200 over the window\)/);
  });

  it('a pass quotes the range when the baseline moved, the one value when it did not', () => {
    const high = seriesOf(60, 60, () => 100);
    const moved = evaluateGate(gate({ pass: '<= +10%', baseline: 'b', overMs: 60 * M, stepMs: 60_000 }), 'full', { samples: high, baseline }, NOW);
    expect(moved.status).toBe('pass');
    expect(moved.reason).toContain('(baseline 100 to 200 over the window)');
    const flat = evaluateGate(gate({ pass: [parseCondition('<= +10%').text], baseline: 'b', overMs: 60 * M, stepMs: 60_000 }), 'full', { samples: high, baseline: seriesOf(60, 60, () => 95) }, NOW);
    expect(flat.reason).toContain('(baseline 95)');
  });

  it('an instant gate quotes the baseline at its sample', () => {
    const r = evaluateGate(gate({ pass: '<= +10%', baseline: 'b' }), 'full', { samples: canary, baseline }, NOW);
    expect(r.status).toBe('pass');
    expect(r.reason).toContain('(baseline 200)');
  });
});

describe('URLs in messages', () => {
  it.each<[string, string[], string[]]>([
    ['http://prom.internal:9090', [], ['http://prom.internal:9090']],
    ['https://prom.internal:9090/', [], []],
    ['https://user:s3cr%40t@prom.internal/', ['s3cr%40t', 's3cr@t', 'user'], ['https://user:s3cr%40t@prom.internal/']],
    ['https://prom.internal/api?token=abc123&db=metrics', ['abc123', 'https://prom.internal/api?token=abc123&db=metrics'], ['metrics']],
    ['https://hooks.slack.com/services/T0/B0/XYZ', ['https://hooks.slack.com/services/T0/B0/XYZ'], []],
    ['not a url at all', ['not a url at all'], []],
  ])('%s: secret parts %j', (value, secret, notSecret) => {
    const forms = urlSecretForms(value);
    for (const s of secret) expect(forms).toContain(s);
    for (const s of notSecret) expect(forms).not.toContain(s);
    if (secret.length === 0) expect(forms).toEqual([]);
  });

  it('"cannot reach" names the Prometheus host read from a variable', async () => {
    // A port nothing listens on: taken, then released.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dir = project(`  - { name: err, provider: prom, query: up, pass: "< 1" }\n`);
    const file = join(dir, 'rollout-gate.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('m: { type: file, path: metrics.json }', 'prom: { type: prometheus, url: "${PROMETHEUS_URL}", retries: 0, headers: { Authorization: "Bearer ${PROM_TOKEN}" } }'));
    const r = await cli(['evaluate', '--config', 'rollout-gate.yml', '--dry-run', '--now', NOW_ISO], dir, { PROMETHEUS_URL: `http://localhost:${port}`, PROM_TOKEN: 'tok-secret-123' });
    expect(r.code, r.err).toBe(3);
    expect(r.out).toContain(`cannot reach http://localhost:${port}`);
    expect(r.out).not.toContain('***');
    expect(r.out + r.err).not.toContain('tok-secret-123');
  });
});
