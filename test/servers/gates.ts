import { parseConfig, type Config } from '../../src/config/load.js';
import { decide, type Decision } from '../../src/engine/decide.js';
import type { GateObservation } from '../../src/engine/gates.js';
import type { RolloutState } from '../../src/engine/model.js';
import type { Logger } from '../../src/logger.js';
import { collectObservations, defaultFactories } from '../../src/providers/index.js';
import { Redactor } from '../../src/secrets.js';

export interface GateRun {
  config: Config;
  decision: Decision;
  observations: Map<string, GateObservation>;
  /** Every line logged during the run, debug included. */
  logs: string[];
  elapsedMs: number;
}

/** A config around the given providers and gates: three stages, promoting canary_1 → canary_10. */
export function configText(providers: string, gates: string): string {
  return `version: 1
rollout:
  name: chat-v2
  stages:
    - { name: canary_1, traffic: 1, minDuration: 30m }
    - { name: canary_10, traffic: 10 }
    - { name: full, traffic: 100 }
providers:
${providers.replace(/^/gm, '  ')}
gates:
${gates.replace(/^/gm, '  ')}
`;
}

/**
 * The real path of a run minus state and reports: parse the config, collect observations from
 * the providers, decide. The rollout has been in canary_1 for 3 hours at `nowMs`.
 */
export async function runGates(
  text: string,
  opts: { env?: Record<string, string>; nowMs: number; timeoutMs?: number; deadlineMs?: number; providerEnv?: Record<string, string> },
): Promise<GateRun> {
  const config = parseConfig(text, 'rollout-gate.yml', opts.env ?? {});
  const logs: string[] = [];
  const logger: Logger = {
    debug: (m) => logs.push(`debug: ${m}`),
    info: (m) => logs.push(m),
    warning: (m) => logs.push(`warning: ${m}`),
  };
  const redactor = new Redactor(config.secrets);
  const started = Date.now();
  const { observations, deadlineExceeded } = await collectObservations({
    gates: config.gates,
    providers: config.providers,
    factories: defaultFactories,
    nowMs: opts.nowMs,
    target: 'canary_10',
    cwd: process.cwd(),
    logger,
    redactor,
    defaultTimeoutMs: opts.timeoutMs ?? 10_000,
    deadlineAt: opts.deadlineMs ? Date.now() + opts.deadlineMs : null,
    ...(opts.providerEnv ? { env: opts.providerEnv } : {}),
  });
  const elapsedMs = Date.now() - started;
  const state: RolloutState = {
    rollout: config.rollout.name,
    stage: 'canary_1',
    enteredAt: new Date(opts.nowMs - 3 * 3_600_000).toISOString(),
    killSwitch: false,
    lastRollbackAt: null,
    paused: null,
    history: [],
  };
  const decision = decide({ plan: config.rollout, gates: config.gates, state, target: 'canary_10', observations, nowMs: opts.nowMs, deadlineExceeded });
  return { config, decision, observations, logs, elapsedMs };
}

export function gateResult(run: GateRun, name: string) {
  const g = run.decision.gates.find((r) => r.name === name);
  if (!g) throw new Error(`no result for gate ${name}`);
  return g;
}
