import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMENT_HELP, parseComment, splitWords } from '../../src/commands/comment.js';
import { ROOT } from '../support/demo.js';
import { yieldingProperty } from '../support/property.js';

const req = (command: string, fields: Record<string, unknown> = {}) => ({ command, target: null, force: false, reason: null, killSwitch: false, ...fields });

describe('pull request comment commands', () => {
  it.each([
    ['/rollout status', { kind: 'status', request: req('evaluate') }],
    ['/rollout help', { kind: 'help' }],
    ['/rollout', { kind: 'help' }],
    ['/rollout promote', { kind: 'run', request: req('promote') }],
    ['/rollout promote to canary_50', { kind: 'run', request: req('promote', { target: 'canary_50' }) }],
    ['/rollout promote to full --force --reason "error budget waived"', { kind: 'run', request: req('promote', { target: 'full', force: true, reason: 'error budget waived' }) }],
    ['/rollout promote --force --reason=waived', { kind: 'run', request: req('promote', { force: true, reason: 'waived' }) }],
    ['/rollout promote --reason “typographic quotes” --force', { kind: 'run', request: req('promote', { force: true, reason: 'typographic quotes' }) }],
    ['/rollout rollback', { kind: 'run', request: req('rollback') }],
    ['/rollout rollback --reason "duplicate messages" --kill-switch', { kind: 'run', request: req('rollback', { reason: 'duplicate messages', killSwitch: true }) }],
    ['/rollout pause waiting for the DB migration', { kind: 'run', request: req('pause', { reason: 'waiting for the DB migration' }) }],
    ['/rollout pause', { kind: 'run', request: req('pause') }],
    ['/rollout resume', { kind: 'run', request: req('resume') }],
    ['/rollout resume fixed in 1.1.1', { kind: 'run', request: req('resume', { reason: 'fixed in 1.1.1' }) }],
    ['/rollout   status   ', { kind: 'status', request: req('evaluate') }],
    ['/rollout status\r\nsecond line ignored', { kind: 'status', request: req('evaluate') }],
    ['/rollout promote\n/rollout rollback --kill-switch', { kind: 'run', request: req('promote') }],
    // The reason is data: whatever it holds is kept as written, never interpreted.
    ['/rollout pause $(rm -rf /) `id` ${{ secrets.X }}', { kind: 'run', request: req('pause', { reason: '$(rm -rf /) `id` ${{ secrets.X }}' }) }],
  ])('%j', (body, expected) => {
    expect(parseComment(body)).toEqual(expected);
  });

  it.each([
    ['/rollout deploy', 'unknown command "deploy"'],
    ['/rollout status now', 'status takes no arguments'],
    ['/rollout promote canary_50', 'promote: unexpected "canary_50"'],
    ['/rollout promote to', 'promote: `to` needs a stage'],
    ['/rollout promote --reason "open', 'a quote is not closed'],
    ['/rollout promote --reason', 'promote: --reason needs a text'],
    ['/rollout rollback --force', 'rollback: unexpected "--force"'],
    ['/rollout promote --kill-switch', 'promote: unexpected "--kill-switch"'],
  ])('%j is a command line it cannot run: %s', (body, message) => {
    const c = parseComment(body);
    expect(c?.kind).toBe('invalid');
    expect(c && c.kind === 'invalid' ? c.message : '').toContain(message);
  });

  it.each([
    ['LGTM, /rollout promote when ready'],
    ['please run\n/rollout promote'],
    ['> /rollout promote'],
    ['    /rollout promote'],
    [' /rollout promote'],
    ['```\n/rollout promote\n```'],
    ['`/rollout promote`'],
    ['/rollouts promote'],
    ['/rollout-gate promote'],
    ['/ROLLOUT promote'],
    [''],
  ])('%j is not a command', (body) => {
    expect(parseComment(body)).toBeNull();
  });

  it('anything that is not a string is not a command', () => {
    for (const v of [null, undefined, 42, {}, ['/rollout promote']]) expect(parseComment(v)).toBeNull();
  });

  it('/rollout help replies with the table the docs show', () => {
    expect(readFileSync(join(ROOT, 'docs/action.md'), 'utf8')).toContain(COMMENT_HELP);
    // Every command of the table parses as what it says.
    for (const line of COMMENT_HELP.split('\n').slice(2)) {
      for (const example of line.split('|')[1]!.match(/`[^`]+`/g)!) expect(parseComment(example.slice(1, -1).replace('[to STAGE]', 'to full').replace(/\[|\]/g, '').replace('<reason…>', 'db').replace('reason…', 'ok'))?.kind).not.toBe('invalid');
    }
  });

  it('splitWords keeps quoted spaces and refuses an open quote', () => {
    expect(splitWords('a "b c" d')).toEqual(['a', 'b c', 'd']);
    expect(splitWords('"" x')).toEqual(['', 'x']);
    expect(splitWords('a "b')).toBeNull();
  });

  it('property: never throws, and only a first line starting with "/rollout" (then a space or its end) yields anything', async () => {
    const words = fc.constantFrom('/rollout', 'promote', 'rollback', 'to', '--force', '--reason', '--kill-switch', '"', '“', '”', 'pause', 'status', '\n', '\r\n', ' ', '\t', '>', '`', '/rollouts', 'x');
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.array(words, { maxLength: 12 }).map((w) => w.join('')), fc.array(words, { maxLength: 12 }).map((w) => w.join(' ')));
    await fc.assert(
      yieldingProperty(text, (body) => {
        const c = parseComment(body);
        const first = body.split(/\r\n|\n|\r/)[0]!;
        const isCommandLine = /^\/rollout(?:[ \t]|$)/.test(first);
        expect(c !== null).toBe(isCommandLine);
        if (c?.kind === 'run' || c?.kind === 'status') expect(['evaluate', 'promote', 'rollback', 'pause', 'resume']).toContain(c.request.command);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: text that does not start with the command never yields one, whatever follows', async () => {
    await fc.assert(
      yieldingProperty(fc.string({ minLength: 1 }).filter((p) => !p.startsWith('/')), fc.string(), (prefix, rest) => {
        expect(parseComment(`${prefix}/rollout promote ${rest}`)).toBeNull();
        expect(parseComment(`${prefix}\n/rollout promote ${rest}`)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});
