import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKPOINTS_MS, fullEvidenceReason, type EvidenceInput } from '../../src/ledger/checkpoints.js';

const M = 60_000;
const T = Date.parse('2026-11-22T10:00:00Z');
const at = (min: number) => new Date(T + min * M).toISOString();
const base = (over: Partial<EvidenceInput> = {}): EvidenceInput => ({
  command: 'watch', stateChanged: false, failing: false, enteredAt: at(0), nowMs: T + 20 * M, checkpointsMs: DEFAULT_CHECKPOINTS_MS,
  last: { at: at(17), command: 'watch', decision: 'PROCEED', stage: 'canary_10', failing: false }, ...over,
});

describe('when a watch writes full evidence', () => {
  it.each<[string, Partial<EvidenceInput>, string | null]>([
    ['a healthy watch between checkpoints', {}, null],
    ['a promote', { command: 'promote' }, 'a promote'],
    ['a watch that rolls back', { stateChanged: true, failing: true }, 'a state change'],
    ['the first failing run', { failing: true }, 'the first failing run'],
    ['a second failing run', { failing: true, last: { at: at(17), command: 'watch', decision: 'HOLD', stage: 'canary_10', failing: true } }, null],
    ['the first recovered run', { last: { at: at(17), command: 'watch', decision: 'HOLD', stage: 'canary_10', failing: true } }, 'the first recovered run'],
    ['an empty log', { last: null }, 'the first decision of the log'],
    ['a store that cannot tell', { last: undefined }, 'no earlier decision to compare with'],
    ['the first run past T+15m', { nowMs: T + 15 * M, last: { at: at(10), command: 'watch', decision: 'PROCEED', stage: 'canary_10', failing: false } }, 'the first run past T+15m'],
    ['the first run past T+60m, late', { nowMs: T + 64 * M, last: { at: at(55), command: 'watch', decision: 'PROCEED', stage: 'canary_10', failing: false } }, 'the first run past T+60m'],
    ['the second run past T+60m', { nowMs: T + 70 * M, last: { at: at(64), command: 'watch', decision: 'PROCEED', stage: 'canary_10', failing: false } }, null],
    ['checkpoints from the config', { nowMs: T + 120 * M, checkpointsMs: [2 * 60 * M], last: { at: at(115), command: 'watch', decision: 'PROCEED', stage: 'canary_10', failing: false } }, 'the first run past T+120m'],
    ['no entry time: no checkpoint', { enteredAt: null, nowMs: T + 15 * M, last: { at: at(10), command: 'watch', decision: 'PROCEED', stage: 'canary_10', failing: false } }, null],
  ])('%s', (_what, over, reason) => {
    expect(fullEvidenceReason(base(over))).toBe(reason);
  });

  it("seed 003: a */5 watch keeps full evidence at exactly T+15, T+30 and T+60", () => {
    const full: number[] = [];
    let last: EvidenceInput['last'] = { at: at(0), command: 'promote', decision: 'PROCEED', stage: null, failing: false };
    for (let min = 5; min <= 120; min += 5) {
      if (fullEvidenceReason(base({ nowMs: T + min * M, last }))) full.push(min);
      last = { at: at(min), command: 'watch', decision: 'PROCEED', stage: 'canary_10', failing: false };
    }
    expect(full).toEqual([15, 30, 60]);
  });
});
