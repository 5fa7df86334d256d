import { randomBytes } from 'node:crypto';
import { initialState, type RolloutState } from '../engine/model.js';
import { trafficOf } from '../engine/ramp.js';
import { renderStatusSection } from '../report/status-page.js';
import { snapshotJson, type Snapshot } from '../report/snapshot.js';
import { renderGoNoGo } from '../report/template.js';
import { StateConflictError, StateError, type WriteResult } from '../state/types.js';
import { decisionLogShard } from '../ledger/layout.js';
import { DEFAULT_CHECKPOINTS_MS, fullEvidenceReason } from '../ledger/checkpoints.js';
import { applyFor, hasEffects, runEffects, type Effects } from './effects.js';
import { decisionLogLine, historyEntry, loadTemplate, oneLine, stamp } from './evidence.js';
import type { CommandModule, RunOptions, RunResult } from './types.js';

/**
 * The state read is bounded by the run's deadline: without the state there is no decision, so
 * past it the run ends with an error. Writes are not cut off by the deadline (an interrupted
 * write may still land, and the run must then report it); each store bounds its own requests.
 */
async function withinDeadline<T>(work: Promise<T>, deadlineAt: number | null, doing: string): Promise<T> {
  if (deadlineAt === null) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StateError(`deadline exceeded while ${doing}`)), Math.max(0, deadlineAt - Date.now()));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One command as a transaction on the state: read, judge, apply (a promotion, before the write),
 * write the state and evidence with compare-and-swap, and on a conflict read and judge again.
 * The only retry loop: every command and every front door goes through it.
 */
export async function runTransaction(command: CommandModule, opts: RunOptions): Promise<RunResult> {
  const { config } = opts;
  command.check({ command: command.name, target: opts.target, force: opts.force === true, reason: opts.reason ?? null, killSwitch: opts.killSwitch === true });
  const template = await loadTemplate(config, opts.cwd);
  const runKey = opts.runKey ?? randomBytes(3).toString('hex');
  const maxAttempts = opts.maxAttempts ?? 3;
  const deadlineAt = config.deadlineMs === null ? null : Date.now() + config.deadlineMs;
  let writeError: Error | null = null;
  /** The state whose stage `apply` moved the traffic to, when a promotion applied it. */
  let applied: RolloutState | null = null;

  for (let attempt = 1; ; attempt++) {
    // A re-read after a conflict is bounded by the store alone: the run has a decision to record.
    const read = await withinDeadline(opts.store.read(), attempt === 1 ? deadlineAt : null, `reading the state from ${opts.store.description}`);
    const before = read.state;
    const state: RolloutState = before ?? initialState(config.rollout.name);
    const judgment = await command.judge(opts, state, deadlineAt);
    const snapshot = judgment.snapshot;
    snapshot.stateBefore = before;
    if (opts.onlyGates?.length) snapshot.warnings.push(`only ${opts.onlyGates.join(', ')} judged (--gate): the other gates were not asked`);

    // The new state, when this run moves the rollout.
    let after: RolloutState | null = judgment.next ? { ...judgment.next, history: [...state.history] } : null;
    // A promotion moves the traffic before the state says so: a failed apply leaves the state as it was.
    let applyError: Error | null = null;
    if (after && judgment.applyBeforeWrite && config.apply && !opts.dryRun) {
      if (applied?.stage !== after.stage) {
        applyError = await applyFor(opts, after, snapshot.reasons[0] ?? null);
        if (applyError) {
          snapshot.warnings.push(`${applyError.message}; the state was not changed`);
          after = null;
        } else applied = after;
      }
    } else if (applied && !opts.dryRun) {
      // An earlier attempt of this run applied its promotion, then another run changed the state
      // first: the traffic goes back to where the state in force says.
      applyError = await applyFor(opts, state, `another run changed the state while this promotion to ${applied.stage} was being written`);
      snapshot.warnings.push(
        applyError
          ? `${applyError.message}: apply had moved the traffic to ${applied.stage} for this promotion before another run changed the state, and it could not be put back`
          : `apply had moved the traffic to ${applied.stage} for this promotion before another run changed the state; apply was called again with the state in force (${state.stage ?? 'no traffic'})`,
      );
      applied = null;
    }
    const dir = `evidence/${config.rollout.name}/${stamp(opts.nowMs)}-${snapshot.transition.from ?? 'none'}-to-${snapshot.transition.to ?? 'none'}-${runKey}`;
    const writing = !opts.dryRun && (opts.writeEvidence !== false || after !== null);
    // A watch that changes nothing keeps only its log line, except at checkpoints and changes of health.
    const full = opts.writeEvidence !== false && fullEvidenceReason({
      command: command.name,
      stateChanged: after !== null,
      failing: snapshot.failedGates.length > 0 || snapshot.decision !== 'PROCEED',
      enteredAt: state.enteredAt,
      nowMs: opts.nowMs,
      checkpointsMs: config.watch.checkpointsMs ?? DEFAULT_CHECKPOINTS_MS,
      last: read.lastDecision,
    }) !== null;
    if (after) {
      after.history.push(historyEntry(snapshot, snapshot.transition.from, snapshot.transition.to, full ? dir : null));
      snapshot.stateAfter = after;
      snapshot.stateChanged = writing;
    }
    snapshot.evidencePath = writing && full ? dir : null;
    const effects = !opts.dryRun && hasEffects(opts, snapshot, before ?? state);

    // A state change whose effects (apply, notify) follow is committed on its own first: the
    // compare-and-swap decides whether the effects happen at all, and the evidence, written after
    // them, records what they did. Without effects, the state and the evidence go in one write.
    let stateWrite: WriteResult | null = null;
    if (writing && after && effects) {
      try {
        stateWrite = await opts.store.write({ expectedVersion: read.version, state: after, evidence: [], decisionLog: null, message: commitMessage(config.rollout.name, opts.redactor.redactDeep(snapshot)) });
      } catch (e) {
        if (e instanceof StateConflictError && attempt < maxAttempts) {
          opts.logger.info(`the state changed while this run was deciding (${e.message}); reading it again (attempt ${attempt + 1} of ${maxAttempts})`);
          continue;
        }
        writeError = failedWrite(opts, e);
        unwritten(opts, snapshot, after, judgment.applyBeforeWrite);
      }
    }

    // The run's effects, before any evidence is rendered.
    const outcome: Effects = { applyError, notifications: [] };
    if (!opts.dryRun) await runEffects(opts, snapshot, before ?? state, outcome, stateWrite);

    // Evidence last: redacted once, into a snapshot nothing changes afterwards.
    const skipEvidence = !writing || writeError !== null;
    const stored = deepFreeze(opts.redactor.redactDeep(snapshot));
    const goNoGo = lazy(() => opts.redactor.redact(renderGoNoGo(template, stored, { charts: config.charts })));
    const finish = (snap: Snapshot, render: () => string, fields: Pick<RunResult, 'write' | 'writeError'>): RunResult => {
      const done = { snapshot: snap, ...fields, applyError: outcome.applyError, notifications: outcome.notifications, attempts: attempt };
      return Object.defineProperty(done as RunResult, 'goNoGo', { get: render, enumerable: true });
    };
    if (skipEvidence) return finish(stored, goNoGo, { write: stateWrite, writeError });

    const evidence = full
      ? [
          { path: `${dir}/snapshot.json`, content: snapshotJson(stored) },
          { path: `${dir}/go-no-go.md`, content: goNoGo() },
        ]
      : [];
    try {
      const write = await opts.store.write({
        expectedVersion: stateWrite ? stateWrite.version : read.version,
        state: stateWrite ? null : after,
        evidence,
        decisionLog: { path: decisionLogShard(config.rollout.name, opts.nowMs), line: decisionLogLine(stored, stored.evidencePath) },
        message: commitMessage(config.rollout.name, stored),
        // The ledger's status page (README.md), from what the commit will hold.
        // Redacted before it is escaped and cut for the table: a secret must be found as it was written.
        statusPage: (view) => opts.redactor.redact(renderStatusSection({ plan: config.rollout, ...opts.redactor.redactDeep(view), nowMs: opts.nowMs })),
      });
      const shown = stored.evidencePath ? deepFreeze({ ...stored, evidencePath: write.evidencePath }) : stored;
      return finish(shown, goNoGo, { write, writeError: null });
    } catch (e) {
      if (e instanceof StateConflictError && !stateWrite && attempt < maxAttempts) {
        opts.logger.info(`the state changed while this run was deciding (${e.message}); reading it again (attempt ${attempt + 1} of ${maxAttempts})`);
        continue;
      }
      writeError = failedWrite(opts, e);
      // What the run reports: the state as written (or not), without the evidence that was not stored.
      const warnings = [...stored.warnings];
      if (!stateWrite && judgment.applyBeforeWrite && config.apply && after) {
        warnings.push(`apply already moved the traffic to ${after.stage} (${trafficOf(config.rollout, after.stage)}%), but the state could not be written: the two disagree until a rollback or a new promotion`);
      }
      const shown = deepFreeze({ ...stored, stateChanged: stateWrite !== null && stored.stateChanged, evidencePath: null, warnings });
      return finish(shown, lazy(() => opts.redactor.redact(renderGoNoGo(template, shown, { charts: config.charts }))), { write: stateWrite, writeError });
    }
  }
}

function commitMessage(rollout: string, s: Snapshot): string {
  return s.command === 'resume' || s.command === 'pause'
    ? `rollout-gate: ${rollout} ${s.command} at ${s.transition.from ?? 'none'}: ${oneLine(s.reasons[0] ?? '')}`
    : `rollout-gate: ${rollout} ${s.command} ${s.transition.from ?? 'none'} → ${s.transition.to ?? 'none'}: ${s.decision}${s.forced ? ' (forced)' : ''}`;
}

function failedWrite(opts: RunOptions, e: unknown): Error {
  const err = e instanceof Error ? new Error(opts.redactor.redact(e.message)) : new Error(String(e));
  if (e instanceof StateConflictError) err.name = 'StateConflictError';
  return err;
}

/** The state write failed: the snapshot says the state did not change, and a promotion already applied says so. */
function unwritten(opts: RunOptions, snapshot: Snapshot, after: RolloutState | null, appliedBefore: boolean): void {
  snapshot.stateChanged = false;
  snapshot.evidencePath = null;
  if (after && appliedBefore && opts.config.apply) {
    snapshot.warnings.push(`apply already moved the traffic to ${after.stage} (${trafficOf(opts.config.rollout, after.stage)}%), but the state could not be written: the two disagree until a rollback or a new promotion`);
  }
}

function lazy(fn: () => string): () => string {
  let v: string | null = null;
  return () => (v ??= fn());
}

/** Freezes a snapshot and everything in it: the evidence is stored from it and nothing may change it afterwards. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
