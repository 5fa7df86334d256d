import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Inputs, Outputs } from '../../src/action/constants.js';
import { readSettings, InputError } from '../../src/action/inputs.js';
import { UsageError } from '../../src/commands/errors.js';
// @ts-expect-error: plain .mjs build script
import { withActionTables } from '../../scripts/generate.mjs';
import { ROOT } from '../support/demo.js';

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));

describe('action.yml', () => {
  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares exactly the inputs and outputs the code reads and sets, each with a description', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort());
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort());
    for (const v of [...Object.values(action.inputs), ...Object.values(action.outputs)] as { description?: string }[]) {
      expect(v.description?.length ?? 0).toBeGreaterThan(10);
    }
  });

  it('the tables of docs/action.md are the ones generated from action.yml', async () => {
    const readme = readFileSync(join(ROOT, 'docs/action.md'), 'utf8');
    expect(await (withActionTables as (s: string) => Promise<string>)(readme), 'run npm run generate').toBe(readme);
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(readme).toContain(`| \`${name}\` |`);
  });
});

describe('inputs → settings', () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('empty inputs mean the defaults', () => {
    expect(readSettings(get({}))).toEqual({
      config: '.github/rollout-gate.yml', command: 'evaluate', targetStage: null, token: '', failOn: 'hold', comment: true,
      evidence: 'commit', force: false, reason: null, killSwitch: false, dryRun: false, timeoutMs: null,
      calibration: { days: 14, gates: [], failRate: 0.01, exclude: [] }, ledgerPath: 'rollout-ledger',
    });
  });

  it('calibrate: days, gates (comma- or newline-separated) and the target fail rate', () => {
    const s = readSettings(get({ command: 'calibrate', 'calibrate-days': '30', 'calibrate-gates': 'error_rate, p95_ms\nqueue', 'calibrate-fail-rate': '0.05' }));
    expect(s.calibration).toEqual({ days: 30, gates: ['error_rate', 'p95_ms', 'queue'], failRate: 0.05, exclude: [] });
  });

  it('calibrate-exclude: FROM..TO ranges, comma- or newline-separated; a bad one names the input', () => {
    const s = readSettings(get({ command: 'calibrate', 'calibrate-exclude': '2026-11-21T09:00Z..2026-11-21T10:00Z,\n2026-11-20..2026-11-20' }));
    expect(s.calibration.exclude).toEqual([
      { fromMs: Date.parse('2026-11-21T09:00Z'), toMs: Date.parse('2026-11-21T10:00Z') },
      { fromMs: Date.parse('2026-11-20T00:00Z'), toMs: Date.parse('2026-11-21T00:00Z') },
    ]);
    expect(() => readSettings(get({ command: 'calibrate', 'calibrate-exclude': 'last tuesday' }))).toThrow('input calibrate-exclude: "last tuesday" is not a range');
    expect(() => readSettings(get({ 'calibrate-exclude': '2026-11-20..2026-11-20' }))).toThrow('input calibrate-exclude: goes with command calibrate, not evaluate');
  });

  it('reads hyphenated names and booleans as GitHub writes them', () => {
    const s = readSettings(get({ 'target-stage': 'full', 'fail-on': 'ROLLBACK', 'dry-run': 'True', 'kill-switch': 'true', command: 'rollback' }));
    expect(s).toMatchObject({ targetStage: 'full', failOn: 'rollback', dryRun: true, killSwitch: true, command: 'rollback' });
  });

  it('timeout is a duration in milliseconds', () => {
    expect(readSettings(get({ timeout: '90s' })).timeoutMs).toBe(90_000);
  });

  it.each([
    [{ command: 'deploy' }, 'input command: "deploy" is not one of evaluate, promote, rollback'],
    [{ 'dry-run': 'maybe' }, 'input dry-run: "maybe" is not true or false'],
    [{ evidence: 'push' }, 'input evidence: "push" is not one of commit, none'],
    [{ timeout: '5 minutes' }, 'input timeout: "5 minutes" is not a duration (e.g. 90s, 5m, 1h)'],
    [{ 'calibrate-days': '30' }, 'input calibrate-days: goes with command calibrate, not evaluate'],
    [{ command: 'promote', 'calibrate-gates': 'error_rate' }, 'input calibrate-gates: goes with command calibrate, not promote'],
  ])('%j is refused with a message naming the input', (values, message) => {
    expect(() => readSettings(get(values))).toThrow(InputError);
    expect(() => readSettings(get(values))).toThrow(message);
  });

  // The command's own rules come from the command layer: the CLI and comments give the same text.
  it.each([
    [{ force: 'true' }, 'force needs a reason (why the HOLD may be overridden)'],
    [{ 'kill-switch': 'true' }, 'the kill switch goes with rollback'],
    [{ command: 'resume' }, 'resume needs a reason (why the rollout may go on)'],
    [{ command: 'resume', reason: '   ' }, 'resume needs a reason (why the rollout may go on)'],
    [{ command: 'calibrate', 'calibrate-days': '0' }, 'days: "0" is not a whole number of days from 1 to 400 (e.g. 14)'],
    [{ command: 'calibrate', 'calibrate-days': '2.5' }, 'days: "2.5" is not a whole number of days from 1 to 400'],
    [{ command: 'calibrate', 'calibrate-fail-rate': '5%' }, 'fail rate: "5%" is not a fraction from 0 to 1'],
  ])('%j is refused with the command layer\'s message', (values, message) => {
    expect(() => readSettings(get(values))).toThrow(UsageError);
    expect(() => readSettings(get(values))).toThrow(message);
  });

  it('on issue_comment the default command is comment', () => {
    expect(readSettings(get({}), 'issue_comment').command).toBe('comment');
    expect(readSettings(get({ command: 'evaluate' }), 'issue_comment').command).toBe('evaluate');
  });
});
