import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nearest } from '../config/suggest.js';
import { flagError } from './flags.js';
import { defaultActor } from './actor.js';
import { loadConfig, type Config } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { formatDuration, parseDuration } from '../engine/duration.js';
import { conditionsFor, appliesTo } from '../engine/gates.js';
import { describeConditions } from '../engine/conditions.js';
import { stderrLogger } from '../logger.js';
import { defaultFactories } from '../providers/index.js';
import { renderTerminal } from '../report/terminal.js';
import { emptyContext, parseSnapshot, snapshotJson, TOOL_VERSION, type Command } from '../report/snapshot.js';
import { checkRequest, DECISION_COMMANDS, parseNow, runCommand, UsageError } from '../commands/index.js';
import { EXIT, runExit, verdictExit } from '../commands/outcome.js';
import { onlyGates } from './select-gates.js';
import { Redactor } from '../secrets.js';
import { createStateStore, defaultFileState } from '../state/index.js';
import { StateError } from '../state/types.js';

export { EXIT };

const USAGE = `rollout-gate ${TOOL_VERSION}: decide whether a staged release may move to its next stage

usage:
  rollout-gate evaluate|promote|rollback|watch [options]
  rollout-gate pause|resume --reason R [options]
  rollout-gate init [--provider P] [--rollout NAME] [--stages 5,25,100] [--force]
  rollout-gate validate [--config F] [--strict] [--probe]
  rollout-gate explain SNAPSHOT.json [--json]
  rollout-gate calibrate [--days 14] [--gate NAME]... [--fail-rate 0.01] [--exclude FROM..TO]... [--out DIR] [--json] [--now ISO]
  rollout-gate backtest --evidence DIR [--config F] [--json]
  rollout-gate verify --ledger DIR

  watch judges the current stage (for a schedule): it rolls back on a critical failure and
  pauses on a major one; pause holds every promotion until resume clears it.

options:
  --config F        config file (default .github/rollout-gate.yml, else rollout-gate.yml)
  --target S        target stage (default: the next stage; rollback: the previous one)
  --state-file F    keep the rollout state in this local file (overrides the config's state)
  --now ISO         evaluate as if at this instant (replays, tests)
  --force           turn a HOLD into PROCEED (needs --reason; never overrides ROLLBACK); init: overwrite
  --reason R        why (required with --force, pause and resume; recorded with a rollback)
  --actor A         who runs this (default: $ROLLOUT_GATE_ACTOR, else $USER, else the OS account, else "unknown")
  --kill-switch     with rollback: engage the kill switch (resume --reason R releases it)
  --dry-run         evaluate and print, write nothing
  --no-evidence     write no evidence files or decision-log line
  --timeout D       deadline of the whole run (e.g. 2m; overrides the config's deadline): past it, HOLD
  --days N          calibrate: read the last N days of each gate's history (default 14)
  --gate NAME       evaluate, calibrate: only this gate (repeatable; calibrate's default: every gate with over)
  --strict          validate: an unset \${VAR} is an error (default: listed as needed at run time)
  --probe           validate: run each gate's query once and show what it returns (needs the variables)
  --provider P      init: prometheus, datadog, cloudwatch, newrelic, postgres, http or file
  --rollout NAME    init: the rollout's name (default: the directory's name + "-rollout")
  --stages LIST     init: traffic percentages of the stages (default 5,25,100)
  --fail-rate R     calibrate: the share of windows a suggested threshold may fail (default 0.01)
  --exclude FROM..TO calibrate: leave out a known incident (ISO instants or dates; repeatable)
  --out DIR         calibrate: where the files go (default .rollout/calibration/)
  --evidence DIR    backtest: re-judge every snapshot.json under DIR with the current config
  --ledger DIR      verify: a checkout of the ledger branch; recomputes the decision log's chain
                    and every evidence file's hash, and names the first broken link (exit 1)
  --json            print the snapshot document instead of the table
  --verbose         debug output on stderr
  --no-color        no colour even on a terminal

exit codes: 0 PROCEED (or success), 1 unexpected error, 2 invalid config or usage, 3 HOLD, 4 ROLLBACK`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  /** stderr is a terminal (calibrate draws its progress there). */
  stderrTTY?: boolean;
  /** init: asks its questions here (default: on the terminal when stdin is one). */
  ask?: ((question: string, fallback: string) => Promise<string>) | null;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY === true,
  stderrTTY: process.stderr.isTTY === true,
});

function findConfig(cwd: string, given: string | undefined): string {
  if (given) return given;
  for (const f of ['.github/rollout-gate.yml', '.github/rollout-gate.yaml', 'rollout-gate.yml', 'rollout-gate.yaml', 'rollout-gate.json']) {
    if (existsSync(`${cwd}/${f}`)) return f;
  }
  return '.github/rollout-gate.yml';
}

const COMMANDS = ['init', 'evaluate', 'promote', 'rollback', 'watch', 'pause', 'resume', 'validate', 'explain', 'backtest', 'calibrate', 'verify'];

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  target: { type: 'string' },
  'state-file': { type: 'string' },
  now: { type: 'string' },
  force: { type: 'boolean' },
  reason: { type: 'string' },
  actor: { type: 'string' },
  'kill-switch': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'no-evidence': { type: 'boolean' },
  days: { type: 'string' },
  gate: { type: 'string', multiple: true },
  'fail-rate': { type: 'string' },
  exclude: { type: 'string', multiple: true },
  out: { type: 'string' },
  evidence: { type: 'string' },
  ledger: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  provider: { type: 'string' },
  rollout: { type: 'string' },
  stages: { type: 'string' },
  strict: { type: 'boolean' },
  probe: { type: 'boolean' },
} as const;

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (e) {
    io.stderr(`rollout-gate: ${flagError(e, OPTIONS)}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values: o, positionals } = parsed;
  if (o.version) {
    io.stdout(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = positionals[0];
  if (o.help || !command) {
    (o.help ? io.stdout : io.stderr)(`${USAGE}\n`);
    return o.help ? EXIT.ok : EXIT.usage;
  }
  const colour = io.isTTY && !o['no-color'] && !o.json && io.env.NO_COLOR === undefined;
  const logger = stderrLogger(o.verbose === true);
  const redactor = new Redactor();
  try {
    if (command === 'explain') {
      const file = positionals[1];
      if (!file) throw new UsageError('explain needs the path of a snapshot.json');
      const { snapshotPath } = await import('./explain-path.js');
      const path = await snapshotPath(file, io.cwd);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      let snap;
      try {
        snap = parseSnapshot(text, file);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      io.stdout(o.json ? snapshotJson(snap) : renderTerminal(snap, colour));
      return verdictExit(snap.command, snap.decision);
    }
    if (command === 'verify') {
      if (!o.ledger) throw new UsageError('verify needs --ledger DIR (a checkout of the ledger branch)');
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
      const { verifyLedger } = await import('../ledger/verify-dir.js');
      let report;
      try {
        report = verifyLedger(o.ledger.startsWith('/') ? o.ledger : `${io.cwd}/${o.ledger}`);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      (report.ok ? io.stdout : io.stderr)(report.text);
      return report.ok ? EXIT.ok : EXIT.error;
    }
    if (o.ledger !== undefined) throw new UsageError('--ledger goes with verify');
    if (command === 'backtest') {
      const stray = ['target', 'state-file', 'now', 'force', 'reason', 'actor', 'kill-switch', 'dry-run', 'no-evidence', 'timeout', 'days', 'gate', 'fail-rate', 'exclude', 'out'].filter((k) => o[k as keyof typeof o] !== undefined);
      // Loaded only for these commands: an evaluate does not pay for them at start-up.
      const { backtestCommand } = await import('./backtest.js');
      return await backtestCommand({ configFile: findConfig(io.cwd, o.config), evidence: o.evidence, json: o.json === true, colour, extra: positionals.slice(1), stray, cwd: io.cwd, env: io.env, stdout: io.stdout });
    }
    if (o.evidence !== undefined) throw new UsageError('--evidence goes with backtest');
    const initOnly = (['provider', 'rollout', 'stages'] as const).filter((k) => o[k] !== undefined);
    if (command === 'init') return await (await import('./init.js')).runInit(o, positionals.slice(1), io);
    if (initOnly.length) throw new UsageError(`--${initOnly[0]} goes with init`);
    if (command === 'calibrate') {
      const stray = (['target', 'state-file', 'force', 'reason', 'actor', 'kill-switch', 'dry-run', 'no-evidence', 'timeout'] as const).filter((k) => o[k] !== undefined);
      if (stray.length) throw new UsageError(`--${stray[0]} does not go with calibrate`);
      const { calibrateCommand } = await import('./calibrate.js');
      return await calibrateCommand({
        configFile: findConfig(io.cwd, o.config),
        days: o.days,
        gates: o.gate ?? [],
        failRate: o['fail-rate'],
        exclude: o.exclude ?? [],
        out: o.out,
        now: o.now,
        json: o.json === true,
        extra: positionals.slice(1),
        cwd: io.cwd,
        env: io.env,
        stdout: io.stdout,
        stderr: io.stderr,
        stderrTTY: io.stderrTTY === true,
        logger,
        redactor,
      });
    }
    const calibrateOnly = (['days', 'fail-rate', 'exclude', 'out'] as const).filter((k) => o[k] !== undefined);
    if (calibrateOnly.length) throw new UsageError(`--${calibrateOnly[0]} goes with calibrate`);
    if (o.gate !== undefined && command !== 'evaluate') throw new UsageError('--gate goes with evaluate or calibrate');
    if ((o.strict || o.probe) && command !== 'validate') throw new UsageError(`--${o.strict ? 'strict' : 'probe'} goes with validate`);
    if (command !== 'validate' && !DECISION_COMMANDS.includes(command as Command)) {
      const near = nearest(command, COMMANDS);
      throw new UsageError(`unknown command "${command}"${near ? ` (did you mean ${near}?)` : ''}; expected init, evaluate, promote, rollback, watch, pause, resume, validate, explain, backtest, calibrate or verify`);
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const request = { command: command as Command, target: o.target ?? null, force: o.force === true, reason: o.reason ?? null, killSwitch: o['kill-switch'] === true };
    if (command !== 'validate') checkRequest(request);
    const configFile = findConfig(io.cwd, o.config);
    // validate in a lint job has no secrets: unset variables are listed, not errors (--strict, --probe need them).
    const lenient = command === 'validate' && !o.strict && !o.probe;
    const loaded = await loadConfig(configFile.startsWith('/') ? configFile : `${io.cwd}/${configFile}`, io.env, lenient ? { unset: 'placeholder' } : {});
    const config = o.gate ? onlyGates(loaded, o.gate, configFile) : loaded;
    let deadlineMs = config.deadlineMs;
    if (o.timeout !== undefined) {
      deadlineMs = parseDuration(o.timeout);
      if (deadlineMs === null) throw new UsageError(`--timeout: "${o.timeout}" is not a duration (e.g. 90s, 5m, 1h)`);
    }
    const shown: Config = { ...config, file: configFile, deadlineMs };
    for (const s of config.secrets) redactor.add(s);
    const nowMs = parseNow(o.now, Date.now());
    if (command === 'validate') {
      const { neededText, probeGates, probeExit, renderProbe } = await import('./validate.js');
      io.stdout(redactor.redact(renderPlan(shown) + neededText(shown)));
      if (!o.probe) return EXIT.ok;
      const lines = await probeGates({ config: shown, factories: defaultFactories, nowMs, cwd: io.cwd, logger, redactor, env: io.env });
      io.stdout(redactor.redact(renderProbe(lines, nowMs)));
      return probeExit(lines);
    }
    const stateConfig = o['state-file'] ? { type: 'file' as const, path: o['state-file'] } : config.state ?? defaultFileState(config);
    const store = createStateStore(stateConfig, shown, { cwd: io.cwd, logger, redactor });
    const result = await runCommand({
      ...request,
      config: shown,
      nowMs,
      store,
      factories: defaultFactories,
      cwd: io.cwd,
      logger,
      redactor,
      context: emptyContext,
      actor: o.actor?.trim() || defaultActor(io.env),
      dryRun: o['dry-run'] === true,
      writeEvidence: !o['no-evidence'],
      onlyGates: o.gate ?? null,
    });
    await store.close?.();
    io.stdout(o.json ? snapshotJson(result.snapshot) : renderTerminal(result.snapshot, colour));
    for (const o of result.notifications) if (!o.ok) io.stderr(`rollout-gate: warning: notification to ${o.target} failed: ${o.error}\n`);
    if (result.applyError) io.stderr(`rollout-gate: ${result.applyError.message}${result.snapshot.command === 'promote' ? '; the state was not changed' : `; the ${result.snapshot.command === 'resume' ? 'resume' : 'rollback'} stands`}\n`);
    if (result.writeError) io.stderr(`rollout-gate: could not write to ${store.description}: ${result.writeError.message}\n`);
    return runExit(result);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`${redactor.redact(e.message)}\n`);
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr(`rollout-gate: ${redactor.redact(e.message)}\n`);
      return EXIT.usage;
    }
    if (e instanceof StateError) {
      io.stderr(`rollout-gate: state: ${redactor.redact(e.message)}\n`);
      return EXIT.error;
    }
    io.stderr(`rollout-gate: unexpected error: ${redactor.redact((e as Error)?.stack ?? String(e))}\n`);
    return EXIT.error;
  }
}

/** `validate`: the stages and, per transition, the gates that apply with their conditions. */
export function renderPlan(config: Config): string {
  const p = config.rollout;
  const lines = [`${config.file}: valid`, '', `rollout ${p.name}: ${p.stages.length} stage${p.stages.length === 1 ? '' : 's'}, ${config.gates.length} gate${config.gates.length === 1 ? '' : 's'}`];
  for (const s of p.stages) lines.push(`  ${s.name.padEnd(16)} ${String(s.traffic).padStart(3)}%${s.minDurationMs ? `  min ${formatDuration(s.minDurationMs)}` : ''}`);
  const ramp: string[] = [];
  if (p.ramp.maxStepFactor) ramp.push(`max step ×${p.ramp.maxStepFactor}`);
  if (p.ramp.cooldownAfterRollbackMs) ramp.push(`cooldown ${formatDuration(p.ramp.cooldownAfterRollbackMs)} after a rollback`);
  ramp.push(p.ramp.allowSkip ? 'skipping allowed' : 'no skipping');
  if (p.windows.length) ramp.push(`${p.windows.length} release window${p.windows.length === 1 ? '' : 's'}`);
  if (p.freezes.length) ramp.push(`${p.freezes.length} freeze${p.freezes.length === 1 ? '' : 's'}`);
  lines.push(`  ramp: ${ramp.join(', ')}`);
  lines.push(`  watch: a failing critical gate → ${config.watch.onCritical}, a failing major gate → ${config.watch.onMajor}`);
  if (config.notify.length) lines.push(`  notify: ${config.notify.map((n) => `${n.type} on ${n.on.join(', ')}`).join('; ')}`);
  if (config.apply) lines.push(`  apply: ${config.apply.method} on every promotion and rollback`);
  for (let i = 0; i < p.stages.length; i++) {
    const to = p.stages[i]!;
    const from = i === 0 ? '(not started)' : p.stages[i - 1]!.name;
    const gates = config.gates.filter((g) => appliesTo(g, to.name));
    lines.push('', `${from} → ${to.name}: ${gates.length} gate${gates.length === 1 ? '' : 's'}`);
    for (const g of gates) {
      const cond = describeConditions(conditionsFor(g, to.name));
      const window = g.overMs ? ` over ${formatDuration(g.overMs)}${g.failAfterMs ? ` (failAfter ${formatDuration(g.failAfterMs)})` : ''}` : '';
      lines.push(`  ${g.severity.padEnd(8)} ${g.name} [${g.provider}] ${cond}${window}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

