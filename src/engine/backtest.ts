import { decide, type Decision } from './decide.js';
import type { GateEffect, GateObservation, GateResult, GateStatus } from './gates.js';
import { formatDuration, parseDuration } from './duration.js';
import { initialState, type DecisionKind, type Gate, type RolloutPlan, type RolloutState } from './model.js';

/** What a re-judgement needs of a recorded run (a snapshot.json is one). */
export interface RecordedRun extends Pick<Decision, 'decision' | 'transition' | 'gates' | 'reasons' | 'forced'> {
  rollout: string;
  /** The instant the run evaluated at (ISO-8601). */
  at: string;
  /** The state the run read (null: none yet). */
  stateBefore: RolloutState | null;
}

/** A gate whose verdict differs between the recorded run and the re-judgement; null: absent on that side. */
export interface GateChange {
  gate: string;
  was: GateStatus | null;
  now: GateStatus | null;
  /** The new reason (or why the gate is gone). */
  reason: string;
  wasEffect: GateEffect | null;
  nowEffect: GateEffect | null;
  shadow: boolean;
}

export interface Rejudged {
  recorded: DecisionKind;
  now: DecisionKind;
  changed: GateChange[];
  decision: Decision;
}

const NOT_IN_SNAPSHOT = 'not in this snapshot';

/**
 * The observation a stored gate result stands for: its stored series (and baseline series), its
 * provider error, or the reason it had no data. `missing` when the snapshot holds nothing to judge
 * `gate` by (not applicable then, or read with another query): the gate then has no data.
 */
function observationFrom(stored: GateResult, gate: Gate): GateObservation | { missing: string } {
  const baselineQuery = gate.baselineOffsetMs !== null ? gate.query : gate.baseline;
  const baselineOffset = gate.baselineOffsetMs !== null ? formatDuration(gate.baselineOffsetMs) : null;
  if (stored.status === 'skipped') return { missing: `${NOT_IN_SNAPSHOT} (it did not apply to that run's target)` };
  if (stored.provider !== gate.provider || stored.query !== gate.query) return { missing: `${NOT_IN_SNAPSHOT}: the gate's provider or query changed since` };
  if (baselineQuery !== null && (stored.baselineQuery !== baselineQuery || stored.baselineOffset !== baselineOffset)) {
    return { missing: `${NOT_IN_SNAPSHOT}: the gate's baseline changed since` };
  }
  const common = { warnings: stored.warnings, detail: stored.detail ?? undefined };
  if (stored.error) return { ...common, samples: [], error: stored.error, ...(stored.status === 'query_error' ? { queryError: true } : {}) };
  if (stored.status === 'no_data' && stored.series.length === 0) {
    // The provider's own reason (an empty result, a stale series): no threshold can turn it into data.
    return { ...common, samples: [], noDataReason: noDataCause(stored) };
  }
  // The resolution the store reported then (a CloudWatch period, say) is judged again as it was.
  const resolutionMs = stored.window?.resolution ? parseDuration(stored.window.resolution) : null;
  return {
    ...common,
    ...(resolutionMs !== null ? { resolutionMs } : {}),
    samples: stored.series,
    baseline: stored.baselineSeries.length > 0 ? stored.baselineSeries : null,
  };
}

/** The stored reason without the "no data: " and "(noData: …)" that evaluateGate wraps it in. */
function noDataCause(stored: GateResult): string {
  let r = stored.reason.replace(/^no data: /, '');
  const suffix = stored.noData === 'pass' || stored.noData === 'fail' ? ` (noData: ${stored.noData})` : '';
  if (suffix && r.endsWith(suffix)) r = r.slice(0, -suffix.length);
  return r;
}

/**
 * The observations a snapshot recorded, for the gates of a (possibly changed) config. Nothing is
 * queried: a gate the snapshot did not judge with the same query has no data, saying why.
 */
export function observationsFromSnapshot(snapshot: RecordedRun, gates: readonly Gate[]): Map<string, GateObservation> {
  const stored = new Map(snapshot.gates.map((g) => [g.name, g]));
  const out = new Map<string, GateObservation>();
  for (const gate of gates) {
    const s = stored.get(gate.name);
    const obs = s ? observationFrom(s, gate) : { missing: NOT_IN_SNAPSHOT };
    out.set(gate.name, 'missing' in obs ? { samples: [], noDataReason: obs.missing } : obs);
  }
  return out;
}

/**
 * Re-judges one evaluate/promote snapshot with the current plan and gates: the engine's own
 * `decide`, from the state the run read, towards the target it judged, at the instant it ran,
 * so ramp rules and the release calendar are judged as they were then. A recorded force is
 * applied again (it was allowed then); a recorded deadline overrun stays one.
 */
export function rejudgeSnapshot(snapshot: RecordedRun, plan: RolloutPlan, gates: readonly Gate[]): Rejudged {
  const decision = decide({
    plan,
    gates,
    state: snapshot.stateBefore ?? initialState(snapshot.rollout),
    target: snapshot.transition.to,
    observations: observationsFromSnapshot(snapshot, gates),
    nowMs: Date.parse(snapshot.at),
    force: snapshot.forced ? { reason: snapshot.forced.reason, actor: snapshot.forced.actor, allowed: true, refusal: null } : null,
    deadlineExceeded: snapshot.reasons.some((r) => r.startsWith('deadline exceeded')),
  });
  return { recorded: snapshot.decision, now: decision.decision, changed: gateChanges(snapshot.gates, decision.gates), decision };
}

/**
 * Gates whose status or effect on the decision differs; an absent gate counts as skipped. A
 * shadow gate the snapshot never saw is left out: it has nothing to say about that run.
 */
export function gateChanges(before: readonly GateResult[], after: readonly GateResult[]): GateChange[] {
  const was = new Map(before.map((g) => [g.name, g]));
  const changes: GateChange[] = [];
  for (const g of after) {
    const old = was.get(g.name);
    was.delete(g.name);
    if (!old && (g.status === 'skipped' || g.shadow)) continue;
    if (old && old.status === g.status && old.effect === g.effect) continue;
    changes.push({ gate: g.name, was: old?.status ?? null, now: g.status, reason: g.reason, wasEffect: old?.effect ?? null, nowEffect: g.effect, shadow: g.shadow });
  }
  for (const old of was.values()) {
    if (old.status === 'skipped') continue;
    changes.push({ gate: old.name, was: old.status, now: null, reason: 'no longer in the config', wasEffect: old.effect, nowEffect: null, shadow: old.shadow });
  }
  return changes;
}
