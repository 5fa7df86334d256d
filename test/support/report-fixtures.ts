import { decide } from '../../src/engine/decide.js';
import type { GateObservation } from '../../src/engine/gates.js';
import type { Gate, RolloutState } from '../../src/engine/model.js';
import { emptyContext, type Snapshot } from '../../src/report/snapshot.js';
import { gate, H, M, NOW, NOW_S, plan, seriesOf, state } from './fixtures.js';

/**
 * Fixed snapshots the golden reports are rendered from: the release PR of the issue that asked
 * for "what decides first" (the ROLLBACK gate last of five in the config), and a HOLD on a ramp rule.
 */

export const CONTEXT = {
  ...emptyContext,
  repository: 'acme/chat',
  commitSha: '1111111111111111111111111111111111111111',
  runUrl: 'https://github.com/acme/chat/actions/runs/4242',
  runId: '4242',
  eventName: 'pull_request',
  pullRequest: 7,
};

function snapshotOf(gates: Gate[], observations: Map<string, GateObservation>, st: RolloutState, over: Partial<Snapshot> = {}): Snapshot {
  const p = plan({ name: 'chat-v1.1', ramp: { maxStepFactor: 5, cooldownAfterRollbackMs: 24 * H, allowSkip: false } });
  const decision = decide({ plan: p, gates, state: st, target: null, observations, nowMs: NOW });
  return {
    ...decision,
    schemaVersion: 1,
    tool: { name: 'rollout-gate', version: '0.1.0' },
    rollout: 'chat-v1.1',
    command: 'evaluate',
    at: new Date(NOW + 37_851).toISOString(),
    actor: 'dana',
    approvers: [],
    dryRun: false,
    stateChanged: false,
    stateBefore: st,
    stateAfter: null,
    config: { file: '.github/rollout-gate.yml', sha256: '52b360a2b1a6d3c0e6f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3' },
    context: CONTEXT,
    evidencePath: 'rollout-ledger:evidence/chat-v1.1/20261122T120037Z-canary_10-to-canary_50-4242.1',
    ...over,
  };
}

/** A wave: deterministic, no randomness, so the goldens never move. */
const wave = (i: number, base: number, amp: number) => base + amp * Math.sin(i / 4);

/** Seven gates in config order; the one that rolls back is the last. */
export function rollbackSnapshot(): Snapshot {
  const gates = [
    gate({ name: 'error_rate', query: 'sum(rate(http_requests_total{job="chat",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="chat"}[5m]))', pass: '< 0.005', overMs: 30 * M, stepMs: 30_000, severity: 'major' }),
    gate({ name: 'steady_queue_ratio', query: 'chat_queue_ratio', pass: '< 0.01', overMs: 30 * M, stepMs: 30_000, severity: 'major' }),
    gate({ name: 'p99_ms_shadow', query: 'histogram_quantile(0.99, sum by (le) (rate(chat_write_seconds_bucket[5m]))) * 1000', pass: '< 800', overMs: 30 * M, stepMs: 30_000, severity: 'major', shadow: true }),
    gate({ name: 'dropped_fraction', query: 'chat_dropped_fraction', pass: '< 0.0005', severity: 'minor' }),
    gate({ name: 'retry_ratio', query: 'chat_retry_ratio', pass: '< 0.1', severity: 'minor' }),
    gate({ name: 'pilot_feedback', query: 'feedback.positive_ratio', pass: '>= 0.8', severity: 'major' }),
    gate({ name: 'ack_without_receipt', query: 'sum(chat_ack_without_receipt_total) / sum(chat_ack_total)', pass: '== 0', overMs: H, stepMs: 30_000, severity: 'critical' }),
  ];
  const observations = new Map<string, GateObservation>([
    ['error_rate', { samples: seriesOf(60, 30, (i) => Number(wave(i, 0.0024, 0.0008).toFixed(6))) }],
    ['steady_queue_ratio', { samples: seriesOf(60, 30, () => 0.00199601) }],
    ['p99_ms_shadow', { samples: seriesOf(60, 30, (i) => Math.round(wave(i, 700, 150))) }],
    ['dropped_fraction', { samples: [[NOW_S, 0.00049]] }],
    // Past the threshold by 0.04%: four digits would print it as the threshold itself.
    ['retry_ratio', { samples: [[NOW_S, 0.10004]] }],
    ['pilot_feedback', { samples: [], noDataReason: 'the feedback API answered 503 Service Unavailable' }],
    // A burst of violations 40 minutes ago peaking at 1.01702, then clean again: the newest value is 0.
    ['ack_without_receipt', { samples: seriesOf(120, 30, (i) => (i === 50 ? 1.01702 : i >= 40 && i < 52 ? Number((0.3 + 0.05 * (i - 40)).toFixed(2)) : 0)) }],
  ]);
  const st = state({
    rollout: 'chat-v1.1',
    stage: 'canary_10',
    enteredAt: new Date(NOW - 3 * H).toISOString(),
    history: [
      { at: new Date(NOW - 5 * H).toISOString(), from: null, to: 'canary_1', decision: 'PROCEED', forced: false, actor: 'dana', reason: null, evidence: 'evidence/chat-v1.1/20261122T070000Z-none-to-canary_1-4100.1' },
      { at: new Date(NOW - 3 * H).toISOString(), from: 'canary_1', to: 'canary_10', decision: 'PROCEED', forced: false, actor: 'dana', reason: null, evidence: 'evidence/chat-v1.1/20261122T090000Z-canary_1-to-canary_10-4180.1' },
    ],
  });
  return snapshotOf(gates, observations, st);
}

/** A HOLD on a ramp rule (the minimum time in the stage), every gate passing. */
export function holdSnapshot(): Snapshot {
  const gates = [
    gate({ name: 'error_rate', query: 'chat.error_rate', pass: '< 0.005', overMs: 30 * M, stepMs: 30_000 }),
    gate({ name: 'write_p95_ms', query: 'chat.write_p95_ms', pass: '< 1500', overMs: H, failAfterMs: 5 * M, stepMs: 30_000 }),
  ];
  const observations = new Map<string, GateObservation>([
    ['error_rate', { samples: seriesOf(60, 30, (i) => Number(wave(i, 0.002, 0.0005).toFixed(6))) }],
    // Three minutes over the limit: shorter than failAfter, so the gate passes.
    ['write_p95_ms', { samples: seriesOf(120, 30, (i) => (i >= 70 && i < 76 ? 1500.2 : Math.round(wave(i, 900, 60)))) }],
  ]);
  const st = state({ rollout: 'chat-v1.1', stage: 'canary_10', enteredAt: new Date(NOW - 45 * M).toISOString() });
  return snapshotOf(gates, observations, st, { command: 'promote', actor: 'alice' });
}
