import { describe, expect, it } from 'vitest';
import { calibrateNumbers, checkRequest, commandModule, DECISION_COMMANDS, RequestMessages, UsageError, type CommandRequest } from '../../src/commands/index.js';
import { EXIT, runExit, verdictExit, verdictFails } from '../../src/commands/outcome.js';
import { parseComment } from '../../src/commands/comment.js';
import { judgesGates, type Command } from '../../src/report/snapshot.js';

const req = (command: Command, fields: Partial<CommandRequest> = {}): CommandRequest => ({ command, target: null, force: false, reason: null, killSwitch: false, ...fields });

describe('the command layer', () => {
  it.each([
    [req('promote', { force: true }), RequestMessages.forceWithoutReason],
    [req('evaluate', { force: true, reason: '  ' }), RequestMessages.forceWithoutReason],
    [req('rollback', { force: true, reason: 'x' }), 'force goes with evaluate or promote, not rollback'],
    [req('promote', { killSwitch: true }), RequestMessages.killSwitchWrongCommand],
    [req('pause'), RequestMessages.pauseWithoutReason],
    [req('resume', { reason: ' ' }), RequestMessages.resumeWithoutReason],
    [req('pause', { reason: 'x', target: 'full' }), 'pause does not move the rollout: it takes no target stage'],
    [req('watch', { target: 'full' }), 'watch judges the current stage: it takes no target stage'],
  ])('%j is refused: %s', (request, message) => {
    expect(() => checkRequest(request)).toThrow(UsageError);
    expect(() => checkRequest(request)).toThrow(message);
  });

  it.each([[req('evaluate')], [req('promote', { force: true, reason: 'waived', target: 'full' })], [req('rollback', { killSwitch: true })], [req('pause', { reason: 'db' })], [req('resume', { reason: 'ok' })], [req('watch')]])('%j is a valid request', (request) => {
    expect(() => checkRequest(request)).not.toThrow();
  });

  it('a comment command is checked by the same rules: /rollout pause without a reason fails as the CLI would', () => {
    const c = parseComment('/rollout pause');
    expect(c?.kind).toBe('run');
    expect(() => checkRequest((c as { request: CommandRequest }).request)).toThrow(RequestMessages.pauseWithoutReason);
  });

  it('every decision command has a module, and each says whether it judges gates', () => {
    expect(DECISION_COMMANDS.map((c) => [c, commandModule(c).judgesGates])).toEqual([
      ['evaluate', true],
      ['promote', true],
      ['rollback', false],
      ['watch', true],
      ['pause', false],
      ['resume', false],
    ]);
    // The library's judgesGates (the check run's conclusion) says the same.
    for (const c of DECISION_COMMANDS) expect(judgesGates(c)).toBe(commandModule(c).judgesGates);
  });

  it.each([
    ['promote', 'PROCEED', 'hold', false, EXIT.ok],
    ['promote', 'HOLD', 'hold', true, EXIT.hold],
    ['evaluate', 'ROLLBACK', 'hold', true, EXIT.rollback],
    ['evaluate', 'HOLD', 'rollback', false, EXIT.hold],
    ['watch', 'ROLLBACK', 'never', false, EXIT.rollback],
    ['rollback', 'ROLLBACK', 'hold', false, EXIT.ok],
    ['pause', 'HOLD', 'hold', false, EXIT.ok],
    ['resume', 'HOLD', 'hold', false, EXIT.ok],
  ] as const)('%s → %s under fail-on %s: step fails %s; CLI exit %i', (command, decision, failOn, fails, exit) => {
    expect(verdictFails(command, decision, failOn)).toBe(fails);
    expect(verdictExit(command, decision)).toBe(exit);
  });

  it('a failed apply, or a state change that was not written, is an error whatever the verdict', () => {
    const snapshot = { command: 'promote', decision: 'PROCEED', stateAfter: { stage: 'full' } } as never;
    expect(runExit({ snapshot, applyError: new Error('apply failed'), writeError: null })).toBe(EXIT.error);
    expect(runExit({ snapshot, applyError: null, writeError: new Error('conflict') })).toBe(EXIT.error);
    expect(runExit({ snapshot: { command: 'evaluate', decision: 'PROCEED', stateAfter: null } as never, applyError: null, writeError: new Error('read-only') })).toBe(EXIT.ok);
  });

  it.each([
    [{}, { days: 14, failRate: 0.01 }],
    [{ days: '', failRate: '' }, { days: 14, failRate: 0.01 }],
    [{ days: '400', failRate: '0' }, { days: 400, failRate: 0 }],
  ])('calibrate numbers %j → %j', (raw, expected) => {
    expect(calibrateNumbers(raw)).toEqual(expected);
  });

  it.each([['0'], ['401'], ['3650'], ['2.5'], ['x']])('calibrate days %s is refused with one message for every front door', (days) => {
    expect(() => calibrateNumbers({ days })).toThrow(`days: "${days}" is not a whole number of days from 1 to 400`);
  });
});
