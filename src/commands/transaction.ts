import { randomBytes } from 'node:crypto';
import { initialState, type RolloutState } from '../engine/model.js';
import { trafficOf } from '../engine/ramp.js';
import type { NotifyOutcome } from '../notify/index.js';
import { renderStatusSection } from '../report/status-page.js';
import { snapshotJson } from '../report/snapshot.js';
import { renderGoNoGo } from '../report/template.js';
import { StateConflictError, StateError } from '../state/types.js';
import { afterWrite, applyFor } from './effects.js';
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
    if (after) {
      after.history.push(historyEntry(snapshot, snapshot.transition.from, snapshot.transition.to, opts.writeEvidence !== false ? dir : null));
      snapshot.stateAfter = after;
      snapshot.stateChanged = writing;
    }
    snapshot.evidencePath = writing && opts.writeEvidence !== false ? dir : null;
    const secretFree = opts.redactor.redactDeep(snapshot);
    // Rendered when asked for: an evaluate that writes nothing need not pay for the document.
    let rendered: string | null = null;
    const render = (): string => (rendered ??= opts.redactor.redact(renderGoNoGo(template, secretFree, { charts: config.charts })));
    const result = async (fields: Pick<RunResult, 'write' | 'writeError' | 'attempts'>): Promise<RunResult> => {
      const done = { snapshot: secretFree, ...fields, applyError, notifications: [] as NotifyOutcome[] };
      if (!opts.dryRun) await afterWrite(opts, done, snapshot.stateBefore ?? state);
      return Object.defineProperty(done as RunResult, 'goNoGo', { get: render, enumerable: true });
    };
    if (!writing) return result({ write: null, writeError: null, attempts: attempt });

    const evidence = opts.writeEvidence !== false
      ? [
          { path: `${dir}/snapshot.json`, content: snapshotJson(secretFree) },
          { path: `${dir}/go-no-go.md`, content: render() },
        ]
      : [];
    try {
      const write = await opts.store.write({
        expectedVersion: read.version,
        state: after,
        evidence,
        decisionLog: { path: `decision-log/${config.rollout.name}.jsonl`, line: decisionLogLine(secretFree, snapshot.evidencePath) },
        message: secretFree.command === 'resume' || secretFree.command === 'pause'
          ? `rollout-gate: ${config.rollout.name} ${secretFree.command} at ${secretFree.transition.from ?? 'none'}: ${oneLine(secretFree.reasons[0] ?? '')}`
          : `rollout-gate: ${config.rollout.name} ${secretFree.command} ${secretFree.transition.from ?? 'none'} → ${secretFree.transition.to ?? 'none'}: ${secretFree.decision}${secretFree.forced ? ' (forced)' : ''}`,
        // The ledger's status page (README.md), from what the commit will hold.
        // Redacted before it is escaped and cut for the table: a secret must be found as it was written.
        statusPage: (view) => opts.redactor.redact(renderStatusSection({ plan: config.rollout, ...opts.redactor.redactDeep(view), nowMs: opts.nowMs })),
      });
      secretFree.evidencePath = snapshot.evidencePath ? write.evidencePath : null;
      return result({ write, writeError: null, attempts: attempt });
    } catch (e) {
      if (e instanceof StateConflictError && attempt < maxAttempts) {
        opts.logger.info(`the state changed while this run was deciding (${e.message}); reading it again (attempt ${attempt + 1} of ${maxAttempts})`);
        continue;
      }
      writeError = e instanceof Error ? new Error(opts.redactor.redact(e.message)) : new Error(String(e));
      if (e instanceof StateConflictError) writeError.name = 'StateConflictError';
      secretFree.stateChanged = false;
      secretFree.evidencePath = null;
      if (judgment.applyBeforeWrite && config.apply && after) {
        secretFree.warnings.push(`apply already moved the traffic to ${after.stage} (${trafficOf(config.rollout, after.stage)}%), but the state could not be written: the two disagree until a rollback or a new promotion`);
      }
      return result({ write: null, writeError, attempts: attempt });
    }
  }
}
