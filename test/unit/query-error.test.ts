import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide } from '../../src/engine/decide.js';
import { evaluateGate, type GateObservation } from '../../src/engine/gates.js';
import type { Gate, NoDataPolicy, Severity } from '../../src/engine/model.js';
import { DEFAULT_WATCH_POLICY, judgeWatch, watchedGates } from '../../src/engine/watch.js';
import { statusBadge, statusText } from '../../src/report/format.js';
import { gate, H, NOW, plan, state } from '../support/fixtures.js';

/**
 * A query the store refused is its own outcome: never "no data", never a pass whatever noData
 * says, HOLD at most (a typo says nothing about the release, so it never rolls back), a warning
 * for a minor or shadow gate.
 */

const broken: GateObservation = { samples: [], error: 'prometheus "prom": bad_data: 1:5: parse error: unclosed left parenthesis (HTTP 400)', queryError: true };
const failed: GateObservation = { samples: [], error: 'prometheus "prom": cannot reach the server' };

describe('a query error', () => {
  const severities: Severity[] = ['critical', 'major', 'minor'];
  const policies: NoDataPolicy[] = ['hold', 'fail', 'pass'];
  const table = severities.flatMap((severity) => policies.flatMap((noData) => [false, true].map((shadow) => ({ severity, noData, shadow }))));

  it.each(table)('severity $severity, noData $noData, shadow $shadow: query_error, fail-closed', ({ severity, noData, shadow }) => {
    const r = evaluateGate(gate({ severity, noData, shadow }), 'canary_10', broken, NOW);
    expect(r.status).toBe('query_error');
    expect(r.reason).toBe(`query error: ${broken.error}`);
    expect(r.error).toBe(broken.error);
    expect(r.effect).toBe(shadow || severity === 'minor' ? 'warning' : 'hold');
    // The same failure without the flag stays no data, as before.
    const plain = evaluateGate(gate({ severity, noData, shadow }), 'canary_10', failed, NOW);
    expect(plain.status).toBe('no_data');
    expect(plain.reason).toMatch(/^no data: /);
  });

  it('decides HOLD (never PROCEED, never ROLLBACK) whatever the other gates say', () => {
    fc.assert(
      fc.property(fc.constantFrom<Severity>('critical', 'major'), fc.constantFrom<NoDataPolicy>('hold', 'fail', 'pass'), fc.integer({ min: 0, max: 4 }), (severity, noData, passing) => {
        const gates: Gate[] = [gate({ name: 'broken', severity, noData }), ...Array.from({ length: passing }, (_, i) => gate({ name: `ok${i}` }))];
        const observations = new Map<string, GateObservation>([['broken', broken], ...gates.slice(1).map((g): [string, GateObservation] => [g.name, { samples: [[NOW / 1000, 0]] }])]);
        const d = decide({ plan: plan(), gates, state: state({ stage: 'canary_1', enteredAt: new Date(NOW - 3 * H).toISOString() }), target: 'canary_10', observations, nowMs: NOW });
        expect(d.decision).toBe('HOLD');
        expect(d.failedGates).toEqual(['broken']);
        expect(d.reasons).toContain(`broken: query error: ${broken.error}`);
      }),
    );
  });

  it('reads "query error" in the status words and badges', () => {
    const r = evaluateGate(gate({ severity: 'major' }), 'canary_10', broken, NOW);
    expect(statusText(r)).toBe('query error → HOLD');
    expect(statusBadge(r)).toBe('⚠️ query error → HOLD');
  });

  it('watch pauses with the query error as the reason, not "failed"', () => {
    const st = state({ stage: 'canary_10', enteredAt: new Date(NOW - 3 * H).toISOString() });
    const gates = [gate({ name: 'double_charges', severity: 'critical' }), gate({ name: 'latency', pass: '< 1' })];
    const picked = watchedGates(gates, st, NOW);
    const w = judgeWatch({
      plan: plan(),
      gates: picked.gates,
      clipped: picked.clipped,
      state: st,
      observations: new Map([['double_charges', broken], ['latency', { samples: [[NOW / 1000, 5]] }]]),
      nowMs: NOW,
      policy: DEFAULT_WATCH_POLICY,
    });
    expect(w.decision).toBe('HOLD');
    expect(w.action).toEqual({ kind: 'pause', reason: `watch at canary_10: latency failed; double_charges: query error: ${broken.error}` });
  });
});
