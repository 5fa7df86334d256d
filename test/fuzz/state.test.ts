import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RolloutState } from '../../src/engine/model.js';
import { parseStateDocument, serializeState } from '../../src/state/document.js';
import { StateError } from '../../src/state/types.js';
import { fuzz, STACK } from './settings.js';
import { yieldingProperty } from '../support/property.js';

const iso = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }).map((ms) => new Date(ms).toISOString());
const entry = fc.record({
  at: iso,
  from: fc.option(fc.constantFrom('canary_1', 'canary_10', 'full')),
  to: fc.option(fc.constantFrom('canary_1', 'canary_10', 'full')),
  decision: fc.constantFrom('PROCEED', 'ROLLBACK', 'KILL_SWITCH'),
  forced: fc.boolean(),
  actor: fc.option(fc.string({ maxLength: 10 })),
  reason: fc.option(fc.string({ maxLength: 20 })),
  evidence: fc.option(fc.string({ maxLength: 20 })),
});
const validState: fc.Arbitrary<RolloutState> = fc.record({
  rollout: fc.constant('chat'),
  stage: fc.option(fc.constantFrom('canary_1', 'canary_10', 'full')),
  enteredAt: fc.option(iso),
  killSwitch: fc.boolean(),
  lastRollbackAt: fc.option(iso),
  paused: fc.option(fc.record({ at: iso, reason: fc.string({ maxLength: 20 }), actor: fc.option(fc.string({ maxLength: 10 })) })),
  history: fc.array(entry, { maxLength: 4 }),
});

/** The reader's contract: a RolloutState with well-typed fields, or a StateError naming the source; nothing else. */
function reads(doc: unknown): RolloutState | StateError {
  let state: RolloutState;
  try {
    state = parseStateDocument(doc, 'state.json', 'chat');
  } catch (e) {
    if (!(e instanceof StateError)) throw e;
    expect(e.message.startsWith('state.json: ')).toBe(true);
    expect(e.message).not.toMatch(STACK);
    return e;
  }
  expect(state.rollout).toBe('chat');
  expect(state.stage === null || typeof state.stage === 'string').toBe(true);
  for (const t of [state.enteredAt, state.lastRollbackAt]) if (t !== null) expect(Number.isNaN(Date.parse(t))).toBe(false);
  expect(typeof state.killSwitch).toBe('boolean');
  expect(Array.isArray(state.history)).toBe(true);
  for (const h of state.history) expect(Number.isNaN(Date.parse(h.at))).toBe(false);
  return state;
}

describe('[fuzz] state reader', () => {
  it('[fuzz] arbitrary JSON: a RolloutState or a StateError, never another exception', async () => {
    await fc.assert(yieldingProperty(fc.jsonValue({ maxDepth: 4 }), (doc) => void reads(doc)), fuzz);
  });

  it('[fuzz] a valid state with one field replaced by arbitrary JSON: read with the right types, or refused naming that field', async () => {
    const fields = ['rollout', 'stage', 'enteredAt', 'killSwitch', 'lastRollbackAt', 'history'] as const;
    await fc.assert(
      yieldingProperty(validState, fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 }), (state, field, value) => {
        const r = reads({ ...state, [field]: value });
        if (r instanceof StateError) expect(r.message).toContain(field);
        // A kill switch is engaged only by `true`: nothing else can switch it on, or off by accident.
        else expect(r.killSwitch).toBe(field === 'killSwitch' ? value === true : state.killSwitch);
      }),
      fuzz,
    );
  });

  it('[fuzz] what is written reads back unchanged', async () => {
    await fc.assert(
      yieldingProperty(validState, (state) => {
        expect(reads(JSON.parse(serializeState(state)))).toEqual(state);
      }),
      fuzz,
    );
  });
});
