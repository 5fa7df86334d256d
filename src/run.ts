import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Config } from './config/load.js';
import { decide, type ForceRequest } from './engine/decide.js';
import { appliesTo } from './engine/gates.js';
import { initialState, type Gate, type HistoryEntry, type RolloutState } from './engine/model.js';
import { pauseDetail, stageIndex, trafficOf } from './engine/ramp.js';
import { judgeWatch, watchedGates, type WatchAction } from './engine/watch.js';
import type { Logger } from './logger.js';
import { collectObservations, type ProviderFactories } from './providers/index.js';
import { snapshotJson, TOOL_VERSION, type Command, type RunContext, type Snapshot } from './report/snapshot.js';
import { renderGoNoGo } from './report/template.js';
import { renderStatusSection } from './report/status-page.js';
import { DEFAULT_GO_NO_GO_TEMPLATE } from './report/default-template.js';
import type { Redactor } from './secrets.js';
// The senders load only when a config has `apply` or `notify`: a run without them does not pay for them.
import type { NotifyEvent, NotifyOutcome, StateChange } from './notify/index.js';
import { fmt } from './engine/windows.js';
import { StateConflictError, StateError, type StateStore, type WriteResult } from './state/types.js';
import { decisionLogShard } from './ledger/layout.js';
import { DEFAULT_CHECKPOINTS_MS, fullEvidenceReason } from './ledger/checkpoints.js';

export interface RunOptions {
  config: Config;
  command: Command;
  /** Requested target stage; default: the next stage (promote) or the previous one (rollback). */
  target: string | null;
  /** The instant to evaluate at (ms). The CLI's --now replays a past instant. */
  nowMs: number;
  store: StateStore;
  factories: ProviderFactories;
  cwd: string;
  logger: Logger;
  redactor: Redactor;
  context: RunContext;
  actor: string | null;
  /** Turn a HOLD into PROCEED (needs `reason`; honoured only for rollout.forceAllowed actors). */
  force?: boolean;
  /** Why: required with force; recorded for rollbacks. */
  reason?: string | null;
  killSwitch?: boolean;
  dryRun?: boolean;
  /** Write the evidence bundle and the decision-log line (Action input `evidence: commit`). */
  writeEvidence?: boolean;
  /** Unique per run (`<run id>.<attempt>` in the Action): evidence of a rerun never overwrites. */
  runKey?: string;
  fetch?: typeof fetch;
  /** Resolves `@org/team` entries of rollout.forceAllowed; null when it cannot tell. */
  isTeamMember?: (actor: string, team: string) => Promise<boolean | null>;
  /** Extra approvers reported by approval gates are gathered from gate details. */
  maxAttempts?: number;
  /** A link to the evidence once written (the Action: the ledger commit), for notifications. */
  evidenceUrl?: (write: WriteResult) => string | null;
}

export interface RunResult {
  snapshot: Snapshot;
  /** The filled Go/No-Go document, rendered on first read. */
  readonly goNoGo: string;
  write: WriteResult | null;
  /** Set when writing the state or evidence failed; the decision itself stands. */
  writeError: Error | null;
  /**
   * Set when `apply` failed: on a promotion the state was then not changed; on a rollback the
   * rollback stands. Either way the run is not a success (exit 1). The message names the URL.
   */
  applyError: Error | null;
  /** One per notification sent (failed ones are also warnings of the snapshot). */
  notifications: NotifyOutcome[];
  attempts: number;
}

/** A usage problem the user must fix (CLI exit 2): a rollback with nowhere to go, force without reason. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function loadTemplate(config: Config, cwd: string): Promise<string> {
  if (config.evidenceTemplate) {
    const p = isAbsolute(config.evidenceTemplate) ? config.evidenceTemplate : resolve(cwd, config.evidenceTemplate);
    try {
      return await readFile(p, 'utf8');
    } catch (e) {
      throw new UsageError(`${config.file}: evidence.template: cannot read ${config.evidenceTemplate} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return DEFAULT_GO_NO_GO_TEMPLATE;
}

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
};

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Null when the actor may override (force a HOLD, release the kill switch); else why not. */
async function overrideRefusal(opts: RunOptions): Promise<string | null> {
  const allowed = opts.config.rollout.forceAllowed;
  if (allowed === null) return null;
  if (!opts.actor) return 'rollout.forceAllowed is set and the actor is unknown (pass --actor)';
  const actor = opts.actor.toLowerCase();
  if (allowed.some((a) => !a.startsWith('@') && a.toLowerCase() === actor)) return null;
  const unresolved: string[] = [];
  for (const team of allowed.filter((a) => a.startsWith('@'))) {
    const member = opts.isTeamMember ? await opts.isTeamMember(opts.actor, team.slice(1)) : null;
    if (member === true) return null;
    if (member === null) unresolved.push(team);
  }
  const note = unresolved.length ? ` (could not read the members of ${unresolved.join(', ')})` : '';
  return `${opts.actor} is not in rollout.forceAllowed${note}`;
}

async function forceRequest(opts: RunOptions): Promise<ForceRequest | null> {
  if (!opts.force) return null;
  const refusal = await overrideRefusal(opts);
  return { reason: opts.reason!.trim(), actor: opts.actor, allowed: refusal === null, refusal };
}

function historyEntry(s: Snapshot, from: string | null, to: string | null, evidence: string | null): HistoryEntry {
  return {
    at: s.at,
    from,
    to,
    decision: s.decision,
    forced: s.forced !== null,
    actor: s.actor,
    reason: s.forced?.reason ?? (s.command !== 'evaluate' && s.command !== 'promote' ? s.reasons[0] ?? null : null),
    evidence,
  };
}

function decisionLogLine(s: Snapshot, evidenceDir: string | null): string {
  return JSON.stringify({
    at: s.at,
    rollout: s.rollout,
    command: s.command,
    from: s.transition.from,
    to: s.transition.to,
    decision: s.decision,
    stateChanged: s.stateChanged,
    forced: s.forced !== null,
    forceReason: s.forced?.reason ?? null,
    actor: s.actor,
    approvers: s.approvers,
    gates: Object.fromEntries(s.gates.filter((g) => g.status !== 'skipped').map((g) => [g.name, { value: g.value, status: g.status }])),
    failedGates: s.failedGates,
    window: s.ramp.find((r) => r.rule === 'release_window')?.detail ?? null,
    runUrl: s.context.runUrl,
    commitSha: s.context.commitSha,
    configSha256: s.config.sha256,
    evidencePath: evidenceDir,
  });
}

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

/** Evaluates (and for promote/rollback, applies) one run. The only place the pieces meet. */
export async function runRollout(opts: RunOptions): Promise<RunResult> {
  const { config } = opts;
  if (opts.force && !opts.reason?.trim()) throw new UsageError('force needs a non-empty reason');
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
    let watchAction: WatchAction = { kind: 'none' };
    let snapshot: Snapshot;
    if (opts.command === 'rollback') snapshot = rollbackSnapshot(opts, state);
    else if (opts.command === 'resume') snapshot = await resumeSnapshot(opts, state);
    else if (opts.command === 'pause') snapshot = pauseSnapshot(opts, state);
    else if (opts.command === 'watch') ({ snapshot, action: watchAction } = await watchSnapshot(opts, state, deadlineAt));
    else snapshot = await evaluateSnapshot(opts, state, deadlineAt);
    snapshot.stateBefore = before;

    // The new state, when this run moves the rollout.
    let after: RolloutState | null = null;
    const at = snapshot.at;
    const history = [...state.history];
    // A rollback by command or by a watch; a pause by command or by a watch.
    const rollingBack = opts.command === 'rollback' || watchAction.kind === 'rollback';
    const pauseReason = opts.command === 'pause' ? opts.reason!.trim() : watchAction.kind === 'pause' ? watchAction.reason : null;
    if (opts.command === 'promote' && snapshot.decision === 'PROCEED') {
      after = { ...state, stage: snapshot.transition.to, enteredAt: at, history };
    } else if (rollingBack) {
      const kill = opts.killSwitch === true || (watchAction.kind === 'rollback' && watchAction.killSwitch);
      after = { ...state, stage: snapshot.transition.to, enteredAt: at, lastRollbackAt: at, killSwitch: state.killSwitch || kill, history };
    } else if (opts.command === 'resume') {
      after = { ...state, killSwitch: false, paused: null, history };
    } else if (pauseReason !== null) {
      after = { ...state, paused: { at, reason: pauseReason, actor: opts.actor }, history };
    }
    // A promotion moves the traffic before the state says so: a failed apply leaves the state as it was.
    let applyError: Error | null = null;
    if (after && opts.command === 'promote' && config.apply && !opts.dryRun) {
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
      command: opts.command,
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
        unwritten(opts, snapshot, after);
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
      if (!stateWrite && opts.command === 'promote' && config.apply && after) {
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
function unwritten(opts: RunOptions, snapshot: Snapshot, after: RolloutState | null): void {
  snapshot.stateChanged = false;
  snapshot.evidencePath = null;
  if (after && opts.command === 'promote' && opts.config.apply) {
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

/** Calls `apply` for the stage `state` is in; the error (named, redacted) or null. */
async function applyFor(opts: RunOptions, state: RolloutState, reason: string | null): Promise<Error | null> {
  const apply = opts.config.apply!;
  const stage = opts.config.rollout.stages.find((s) => s.name === state.stage) ?? null;
  try {
    const { applyStage } = await import('./notify/apply.js');
    const r = await applyStage(
      apply,
      { rollout: opts.config.rollout.name, stage: state.stage, traffic: stage?.traffic ?? 0, flags: stage?.flags ?? {}, killSwitch: state.killSwitch, reason: reason ?? '' },
      { fetch: opts.fetch, redactor: opts.redactor, logger: opts.logger },
    );
    opts.logger.info(`apply: ${state.stage ?? '(no traffic)'} at ${stage?.traffic ?? 0}% applied (HTTP ${r.status})`);
    return null;
  } catch (e) {
    const error = new Error(opts.redactor.redact(e instanceof Error ? e.message : String(e)));
    error.name = 'ApplyError';
    return error;
  }
}

/** What changed, for notifications: null when the run changed no state. */
function stateChange(s: Snapshot, before: RolloutState): StateChange | null {
  if (!s.stateChanged || !s.stateAfter) return null;
  const after = s.stateAfter;
  if (after.killSwitch && !before.killSwitch) return 'kill-switch';
  if (s.command === 'resume') return 'resumed';
  if (after.paused && !before.paused) return 'paused';
  if (after.stage !== before.stage) return s.command === 'promote' ? 'promoted' : 'rolled-back';
  return null;
}

/** What the run's effects report back. */
interface Effects {
  applyError: Error | null;
  notifications: NotifyOutcome[];
}

/** Whether this run has effects after its decision: a rollback (or released kill switch) to apply, or notifications. */
function hasEffects(opts: RunOptions, s: Snapshot, before: RolloutState): boolean {
  return opts.config.notify.length > 0 || appliesAfterDecision(opts, s, before) !== null;
}

/** The change `apply` is called for after the decision, or null. */
function appliesAfterDecision(opts: RunOptions, s: Snapshot, before: RolloutState): StateChange | null {
  const change = stateChange(s, before);
  if (!opts.config.apply || !s.stateAfter || !s.stateChanged) return null;
  return change === 'rolled-back' || change === 'kill-switch' || (change === 'resumed' && before.killSwitch) ? change : null;
}

/**
 * After the state change is committed (or when there is none): a rollback (or a released kill
 * switch) is applied (the rollback stands whatever the answer), then the notifications go out.
 * Neither changes the decision; a failure is a warning of the snapshot, which the evidence,
 * written after this, records. A failed apply makes the run fail.
 */
async function runEffects(opts: RunOptions, s: Snapshot, before: RolloutState, out: Effects, stateWrite: WriteResult | null): Promise<void> {
  const { config } = opts;
  const change = stateChange(s, before);
  if (appliesAfterDecision(opts, s, before) !== null) {
    out.applyError = await applyFor(opts, s.stateAfter!, s.reasons[0] ?? null);
    if (out.applyError) s.warnings.push(`${out.applyError.message}; the ${change === 'resumed' ? 'resume' : 'rollback'} stands`);
  }
  if (config.notify.length === 0) return;
  const event: NotifyEvent = {
    rollout: s.rollout,
    command: s.command,
    decision: s.decision,
    from: s.transition.from,
    to: s.transition.to,
    at: s.at,
    stateChanged: s.stateChanged,
    change,
    failedGates: s.failedGates,
    failures: s.gates
      .filter((g) => !g.shadow && (g.effect === 'hold' || g.effect === 'rollback'))
      .map((g) => ({ name: g.name, severity: g.severity, value: g.value === null ? 'no data' : fmt(g.value), condition: g.condition ?? '', reason: g.reason })),
    reasons: s.reasons,
    warnings: [...s.warnings],
    // The commit that changed the state; the evidence follows it on the ledger.
    evidence: (stateWrite && opts.evidenceUrl?.(stateWrite)) ?? s.evidencePath,
    runUrl: s.context.runUrl,
  };
  const { notifyAll, notifyWarning } = await import('./notify/send.js');
  out.notifications = await notifyAll(config.notify, event, { fetch: opts.fetch, redactor: opts.redactor, logger: opts.logger });
  for (const o of out.notifications) if (!o.ok) s.warnings.push(notifyWarning(o));
}

function baseSnapshot(opts: RunOptions, state: RolloutState): Omit<Snapshot, keyof import('./engine/decide.js').Decision> {
  return {
    schemaVersion: 1,
    tool: { name: 'rollout-gate', version: TOOL_VERSION },
    rollout: opts.config.rollout.name,
    command: opts.command,
    at: new Date(opts.nowMs).toISOString(),
    actor: opts.actor,
    approvers: [],
    dryRun: opts.dryRun === true,
    stateChanged: false,
    stateBefore: state,
    stateAfter: null,
    config: { file: opts.config.file, sha256: opts.config.sha256 },
    context: opts.context,
    evidencePath: null,
  };
}

/** Asks the providers about `gates` for `target`, within the run's deadline. */
function observe(opts: RunOptions, gates: Gate[], target: string | null, deadlineAt: number | null) {
  const { config } = opts;
  return collectObservations({
    gates,
    providers: config.providers,
    factories: opts.factories,
    nowMs: opts.nowMs,
    target,
    cwd: opts.cwd,
    logger: opts.logger,
    redactor: opts.redactor,
    fetch: opts.fetch,
    defaultTimeoutMs: config.defaults.timeoutMs,
    concurrency: config.defaults.concurrency,
    deadlineAt,
  });
}

async function evaluateSnapshot(opts: RunOptions, state: RolloutState, deadlineAt: number | null): Promise<Snapshot> {
  const { config } = opts;
  // Ask the providers only for gates that apply to where this run is going.
  const probe = decide({ plan: config.rollout, gates: [], state, target: opts.target, observations: new Map(), nowMs: opts.nowMs });
  const target = probe.transition.to;
  const applicable = probe.transition.problem === null ? config.gates.filter((g) => appliesTo(g, target)) : [];
  opts.logger.info(`${config.rollout.name}: ${state.stage ?? '(not started)'} → ${target ?? '(none)'}; querying ${applicable.length} gate${applicable.length === 1 ? '' : 's'}`);
  const collection = await observe(opts, applicable, target, deadlineAt);
  const decision = decide({
    plan: config.rollout,
    gates: config.gates,
    state,
    target: opts.target,
    observations: collection.observations,
    nowMs: opts.nowMs,
    force: await forceRequest(opts),
    deadlineExceeded: collection.deadlineExceeded,
  });
  const approvers = new Set<string>();
  for (const g of decision.gates) {
    const list = g.detail?.approvers;
    if (Array.isArray(list)) for (const a of list) if (typeof a === 'string') approvers.add(a);
  }
  return { ...baseSnapshot(opts, state), ...decision, approvers: [...approvers].sort() };
}

function rollbackSnapshot(opts: RunOptions, state: RolloutState): Snapshot {
  const plan = opts.config.rollout;
  const cur = stageIndex(plan, state.stage);
  let to: string | null;
  if (opts.target !== null) {
    const t = stageIndex(plan, opts.target);
    if (t < 0) throw new UsageError(`rollback target "${opts.target}" is not a stage of this rollout (${plan.stages.map((s) => s.name).join(', ')})`);
    if (t >= cur) throw new UsageError(`rollback target "${opts.target}" is not behind the current stage "${state.stage ?? '(not started)'}"`);
    to = opts.target;
  } else if (cur >= 0) {
    to = cur > 0 ? plan.stages[cur - 1]!.name : null;
  } else if (state.stage !== null) {
    throw new UsageError(`the state's stage "${state.stage}" is not a stage of this rollout; name the rollback target`);
  } else if (opts.killSwitch) {
    to = null;
  } else {
    throw new UsageError('nothing to roll back: the rollout has not started (use the kill switch to stop it from starting)');
  }
  const reason = `rollback ${state.stage ?? '(not started)'} → ${to ?? '(no traffic)'}${opts.killSwitch ? ' with the kill switch engaged' : ''}${opts.reason?.trim() ? `: ${opts.reason.trim()}` : ''}`;
  return {
    ...baseSnapshot(opts, state),
    decision: 'ROLLBACK',
    transition: { from: state.stage, to, fromTraffic: trafficOf(plan, state.stage), toTraffic: trafficOf(plan, to), problem: null },
    ramp: [],
    gates: [],
    reasons: [reason],
    warnings: [],
    failedGates: [],
    forced: null,
  };
}

/**
 * `resume`: clears a pause and releases the kill switch, nothing else. The stage, its entry time
 * and the last rollback stay as they are, so minDuration and the cooldown still apply to the next
 * promotion, which is decided by its gates as usual. The rollout does not move: the decision is HOLD.
 */
async function resumeSnapshot(opts: RunOptions, state: RolloutState): Promise<Snapshot> {
  const reason = opts.reason?.trim();
  if (!reason) throw new UsageError('resume needs a reason (why the rollout may go on)');
  if (opts.target !== null) throw new UsageError('resume does not move the rollout: it takes no target stage');
  if (!state.killSwitch && !state.paused) throw new UsageError('the rollout is neither paused nor stopped by the kill switch: there is nothing to resume');
  const refusal = await overrideRefusal(opts);
  if (refusal) throw new UsageError(`resuming the rollout is an override: ${refusal}`);
  const released = [state.paused ? 'pause cleared' : '', state.killSwitch ? 'kill switch released' : ''].filter(Boolean).join(' and ');
  const ramp: Snapshot['ramp'] = [];
  if (state.killSwitch) ramp.push({ rule: 'kill_switch', ok: true, detail: `kill switch released by ${opts.actor ?? 'unknown'}` });
  if (state.paused) ramp.push({ rule: 'paused', ok: true, detail: `pause cleared by ${opts.actor ?? 'unknown'} (was ${pauseDetail(state.paused).replace(/; resume to continue$/, '')})` });
  return {
    ...baseSnapshot(opts, state),
    ...stayAt(opts, state),
    decision: 'HOLD',
    ramp,
    reasons: [`${released} at ${state.stage ?? '(not started)'}: ${reason}; the next promotion is decided by its gates`],
  };
}

/** `pause`: the rollout stays where it is, and every evaluate and promote HOLDs, until `resume`. */
function pauseSnapshot(opts: RunOptions, state: RolloutState): Snapshot {
  const reason = opts.reason?.trim();
  if (!reason) throw new UsageError('pause needs a reason (it is shown on every HOLD until the rollout is resumed)');
  if (opts.target !== null) throw new UsageError('pause does not move the rollout: it takes no target stage');
  if (state.paused) throw new UsageError(`the rollout is already ${pauseDetail(state.paused)}`);
  return {
    ...baseSnapshot(opts, state),
    ...stayAt(opts, state),
    decision: 'HOLD',
    reasons: [`paused at ${state.stage ?? '(not started)'} by ${opts.actor ?? 'an unnamed actor'}: ${reason}`],
  };
}

/** The decision fields of a run that judges no gate and does not move the rollout. */
function stayAt(opts: RunOptions, state: RolloutState): Omit<import('./engine/decide.js').Decision, 'decision' | 'reasons'> {
  const plan = opts.config.rollout;
  const traffic = trafficOf(plan, state.stage);
  return {
    transition: { from: state.stage, to: state.stage, fromTraffic: traffic, toTraffic: traffic, problem: null },
    ramp: [],
    gates: [],
    warnings: [],
    failedGates: [],
    forced: null,
  };
}

/** `watch`: the current stage's health, judged on windows clipped to the time since it was entered. */
async function watchSnapshot(opts: RunOptions, state: RolloutState, deadlineAt: number | null): Promise<{ snapshot: Snapshot; action: WatchAction }> {
  if (opts.target !== null) throw new UsageError('watch judges the current stage: it takes no target stage');
  const { config } = opts;
  const { gates, clipped } = watchedGates(config.gates, state, opts.nowMs);
  opts.logger.info(`${config.rollout.name}: watching ${state.stage ?? '(not started)'}; querying ${gates.length} gate${gates.length === 1 ? '' : 's'}${clipped.size ? ` (${clipped.size} window${clipped.size === 1 ? '' : 's'} clipped to the time since the stage was entered)` : ''}`);
  const collection = await observe(opts, gates, state.stage, deadlineAt);
  const { action, ...decision } = judgeWatch({
    plan: config.rollout,
    gates,
    clipped,
    state,
    observations: collection.observations,
    nowMs: opts.nowMs,
    policy: config.watch,
    deadlineExceeded: collection.deadlineExceeded,
  });
  return { snapshot: { ...baseSnapshot(opts, state), ...decision, approvers: [] }, action };
}

export function evidenceRoot(statePath: string, cwd: string): string {
  return dirname(isAbsolute(statePath) ? statePath : join(cwd, statePath));
}
