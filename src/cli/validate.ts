import type { Config } from '../config/load.js';
import { formatDuration } from '../engine/duration.js';
import type { GateObservation } from '../engine/gates.js';
import type { Sample } from '../engine/model.js';
import { fmt, medianSpacingSeconds } from '../engine/windows.js';
import type { Logger } from '../logger.js';
import { collectObservations, type ProviderFactories } from '../providers/index.js';
import type { Redactor } from '../secrets.js';

/** "needed at run time: A, B": the variables a lint job without secrets left unset. */
export function neededText(config: Config): string {
  const unset = config.unsetVariables ?? [];
  if (unset.length === 0) return '';
  return `\nneeded at run time: ${unset.map((u) => u.name).join(', ')}\n${unset.map((u) => `  ${u.name.padEnd(24)} used at ${u.path}`).join('\n')}\n(validate --strict fails on these)\n`;
}

/** The median gap between the samples in whatever order a store returned them, ms; null with fewer than two. */
export function medianGapMs(samples: readonly Sample[]): number | null {
  const spacing = medianSpacingSeconds(samples.map((s) => s[0]).sort((a, b) => a - b));
  return spacing === null ? null : spacing * 1000;
}

export type ProbeOutcome = 'data' | 'no_data' | 'query_error' | 'error' | 'not_probed';

export interface ProbeLine {
  gate: string;
  provider: string;
  outcome: ProbeOutcome;
  text: string;
}

/** What one gate's query returned, in one line: samples, resolution, the newest sample's age and value, or why nothing. */
export function describeProbe(gate: Config['gates'][number], obs: GateObservation | undefined, nowMs: number): ProbeLine {
  const head = { gate: gate.name, provider: gate.provider };
  if (!obs) return { ...head, outcome: 'error', text: 'not queried' };
  if (obs.error) return obs.queryError ? { ...head, outcome: 'query_error', text: `query error: ${obs.error}` } : { ...head, outcome: 'error', text: `error: ${obs.error}` };
  const samples = obs.samples;
  if (obs.noDataReason || samples.length === 0) return { ...head, outcome: 'no_data', text: `no data: ${obs.noDataReason ?? 'no samples'}` };
  let newest = samples[0]!;
  for (const s of samples) if (s[0] > newest[0]) newest = s;
  const gap = medianGapMs(samples);
  const ageMs = Math.max(0, nowMs - newest[0] * 1000);
  const parts = [
    `${samples.length} sample${samples.length === 1 ? '' : 's'}`,
    gap === null ? 'instant' : `every ${formatDuration(Math.round(gap))}`,
    `newest ${ageMs < 1000 ? 'now' : `${formatDuration(Math.round(ageMs / 1000) * 1000)} ago`}: ${typeof newest[1] === 'boolean' ? String(newest[1]) : fmt(newest[1])}`,
  ];
  if (obs.baseline) parts.push(`baseline ${obs.baseline.length} sample${obs.baseline.length === 1 ? '' : 's'}`);
  return { ...head, outcome: 'data', text: parts.join(', ') };
}

export interface ProbeOptions {
  config: Config;
  factories: ProviderFactories;
  nowMs: number;
  cwd: string;
  logger: Logger;
  redactor: Redactor;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

/**
 * `validate --probe`: every gate's query once, read-only, within the run's deadline. The github
 * gates need the Action and are listed as not probed.
 */
export async function probeGates(o: ProbeOptions): Promise<ProbeLine[]> {
  const probed = o.config.gates.filter((g) => g.providerType !== 'github');
  const { observations, deadlineExceeded } = await collectObservations({
    gates: probed,
    providers: o.config.providers,
    factories: o.factories,
    nowMs: o.nowMs,
    target: null,
    cwd: o.cwd,
    logger: o.logger,
    redactor: o.redactor,
    defaultTimeoutMs: o.config.defaults.timeoutMs,
    concurrency: o.config.defaults.concurrency,
    deadlineAt: o.config.deadlineMs === null ? null : Date.now() + o.config.deadlineMs,
    env: o.env,
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  const lines = o.config.gates.map((g): ProbeLine => {
    if (g.providerType === 'github') return { gate: g.name, provider: g.provider, outcome: 'not_probed', text: 'not probed: the github provider answers in the Action only' };
    const line = describeProbe(g, observations.get(g.name), o.nowMs);
    return deadlineExceeded && line.outcome === 'error' ? { ...line, text: `${line.text} (the deadline passed)` } : line;
  });
  return lines.map((l) => ({ ...l, text: o.redactor.redact(l.text) }));
}

export function renderProbe(lines: readonly ProbeLine[], nowMs: number): string {
  const width = Math.min(40, Math.max(4, ...lines.map((l) => l.gate.length)));
  const pwidth = Math.min(16, Math.max(...lines.map((l) => l.provider.length + 2)));
  const out = [`\nprobe: each gate's query once at ${new Date(nowMs).toISOString()}`];
  for (const l of lines) out.push(`  ${l.gate.padEnd(width)}  ${`[${l.provider}]`.padEnd(pwidth)}  ${l.text}`);
  const count = (k: ProbeOutcome) => lines.filter((l) => l.outcome === k).length;
  const summary = [`${count('data')} with data`, `${count('no_data')} without data`, `${count('query_error')} query error${count('query_error') === 1 ? '' : 's'}`, `${count('error')} failed`];
  if (count('not_probed')) summary.push(`${count('not_probed')} not probed`);
  out.push(`  ${summary.join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** 0 when every probed query answered (with data or without), 2 when a query is invalid, 1 when a store failed. */
export function probeExit(lines: readonly ProbeLine[]): number {
  if (lines.some((l) => l.outcome === 'query_error')) return 2;
  if (lines.some((l) => l.outcome === 'error')) return 1;
  return 0;
}
