import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendSummary, debug, getInput, setFailed, setOutput, setSecret, warning } from '../../src/action/workflow-commands.js';
import { parseOutputFile } from '../support/runner.js';

describe('workflow commands and environment files, as the runner reads them', () => {
  let dir: string;
  let out: string[];
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-wf-'));
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('inputs: INPUT_<NAME> upper-cased with hyphens kept and spaces as underscores, trimmed', () => {
    process.env['INPUT_GITHUB-TOKEN'] = '  t0k  ';
    process.env.INPUT_TARGET_STAGE = 'canary_10';
    expect(getInput('github-token')).toBe('t0k');
    expect(getInput('target stage')).toBe('canary_10');
    expect(getInput('missing')).toBe('');
  });

  it('command data escapes %, CR and LF, so a message cannot start a second command', () => {
    warning('50% done\r\n::error::forged');
    debug('a\nb');
    setSecret('s%3A');
    expect(out).toEqual(['::warning::50%25 done%0D%0A::error::forged\n', '::debug::a%0Ab\n', '::add-mask::s%253A\n']);
  });

  it('setFailed writes an error annotation and sets exit code 1', () => {
    setFailed('two\nlines');
    expect(out).toEqual(['::error::two%0Alines\n']);
    expect(process.exitCode).toBe(1);
  });

  it('outputs are name<<delimiter blocks the runner parses back, multi-line values included', () => {
    const file = join(dir, 'output');
    writeFileSync(file, '');
    process.env.GITHUB_OUTPUT = file;
    setOutput('decision', 'HOLD');
    setOutput('failed-gates', 'a,b\nc');
    setOutput('empty', '');
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({ decision: 'HOLD', 'failed-gates': 'a,b\nc', empty: '' });
    expect(readFileSync(file, 'utf8')).toMatch(/^decision<<ghadelimiter_[0-9a-f-]{36}\n/);
  });

  it('the summary is appended, not overwritten', () => {
    const file = join(dir, 'summary');
    writeFileSync(file, 'earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    appendSummary('## rollout-gate');
    expect(readFileSync(file, 'utf8')).toBe('earlier step\n## rollout-gate\n');
  });

  it('a missing environment file is an error naming the variable', () => {
    delete process.env.GITHUB_OUTPUT;
    expect(() => setOutput('decision', 'HOLD')).toThrow(/GITHUB_OUTPUT is not set/);
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'nope');
    expect(() => appendSummary('x')).toThrow(/GITHUB_STEP_SUMMARY names a file that does not exist/);
  });
});
