import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/load.js';
import type { HistoryEntry } from '../engine/model.js';
import { DEFAULT_GO_NO_GO_TEMPLATE } from '../report/default-template.js';
import type { Snapshot } from '../report/snapshot.js';
import { UsageError } from './errors.js';

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

export const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
};

export function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function historyEntry(s: Snapshot, from: string | null, to: string | null, evidence: string | null): HistoryEntry {
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

export function decisionLogLine(s: Snapshot, evidenceDir: string | null): string {
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
    gates: Object.fromEntries(s.gates.filter((g) => g.status !== 'skipped').map((g) => [g.name, { value: g.value, status: g.status, ...(g.status === 'query_error' ? { reason: g.reason } : {}) }])),
    failedGates: s.failedGates,
    window: s.ramp.find((r) => r.rule === 'release_window')?.detail ?? null,
    runUrl: s.context.runUrl,
    commitSha: s.context.commitSha,
    configSha256: s.config.sha256,
    evidencePath: evidenceDir,
  });
}
