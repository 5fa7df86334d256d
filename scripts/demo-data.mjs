// Generates the demo's metrics and state relative to now, so windows and durations are real.
// Exported for the demo and the benchmark; `scenario` picks healthy or a P0 breach.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A series of `[unixSeconds, value]` every `stepS` seconds over the last `minutes`. */
export function series(nowS, minutes, stepS, valueAt) {
  const out = [];
  for (let t = nowS - minutes * 60; t <= nowS; t += stepS) out.push([t, valueAt(t, nowS)]);
  return out;
}

export function demoMetrics(nowMs, scenario = 'healthy') {
  const now = Math.floor(nowMs / 1000);
  const wobble = (t, amp) => amp * Math.sin(t / 300);
  return {
    chat: {
      ack_without_receipt_rate: series(now, 60, 30, (t) => (scenario === 'breach' && t > now - 600 && t < now - 420 ? 0.002 : 0)),
      duplicate_rate: series(now, 60, 30, () => 0),
      // A 3-minute spike above 1500 ms: shorter than failAfter (5m), so it does not fail the gate.
      write_receipt_p95_ms: series(now, 60, 30, (t) => (t > now - 1800 && t <= now - 1620 ? 1720 : Math.round(980 + wobble(t, 120)))),
      error_rate: series(now, 30, 30, (t) => Number((0.003 + wobble(t, 0.0008)).toFixed(5))),
      // The canary writes about 4% slower than the stable fleet: significant, but within 10%.
      canary_write_ms: series(now, 30, 30, (t) => Math.round(212 + 6 * Math.sin(t / 97) + 4 * Math.sin(t / 41))),
      stable_write_ms: series(now, 30, 30, (t) => Math.round(204 + 6 * Math.sin(t / 89 + 1) + 4 * Math.sin(t / 37 + 2))),
      stable_error_rate: series(now, 30, 30, (t) => Number((0.0029 + wobble(t + 150, 0.0008)).toFixed(5))),
      canary_p75_ms: 212,
      stable_p75_ms: 204,
    },
    feedback: { positive_ratio: 0.86 },
  };
}

export function demoState(nowMs) {
  const ago = (h) => new Date(nowMs - h * 3_600_000).toISOString();
  return {
    rollout: 'chat-v1.1',
    stage: 'canary_10',
    enteredAt: ago(3),
    killSwitch: false,
    lastRollbackAt: null,
    paused: null,
    history: [
      { at: ago(5), from: null, to: 'canary_1', decision: 'PROCEED', forced: false, actor: 'alice', reason: null, evidence: null },
      { at: ago(3), from: 'canary_1', to: 'canary_10', decision: 'PROCEED', forced: false, actor: 'alice', reason: null, evidence: null },
    ],
  };
}

export function writeDemo(dir, nowMs, scenario) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(demoMetrics(nowMs, scenario)));
  writeFileSync(join(dir, 'state.json'), `${JSON.stringify(demoState(nowMs), null, 2)}\n`);
}
