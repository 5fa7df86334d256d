import type { LastDecision } from '../state/types.js';

/**
 * What a ledger keeps with a rollout's status section (`status/<rollout>.md`, in an HTML comment
 * at its end) so the next run updates the page and extends the chain without reading the log:
 * the SHA-256 of the log's last line, that line in brief, and the last evidence directory.
 */
export interface StatusData {
  /** SHA-256 of the decision log's last line (the next line's `prev`); null: the log is empty. */
  head: string | null;
  last: LastDecision | null;
  lastEvidence: string | null;
}

const OPEN = '<!-- rollout-gate:ledger ';
const CLOSE = ' -->';

/** The section with its data appended (JSON with `<` and `>` escaped, so it cannot close the comment). */
export function withStatusData(section: string, data: StatusData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `${withoutStatusData(section).trimEnd()}\n\n${OPEN}${json}${CLOSE}\n`;
}

/** The section as people read it: without the data (the README is built from these). */
export function withoutStatusData(section: string): string {
  const i = section.lastIndexOf(OPEN);
  return i < 0 ? section : `${section.slice(0, i).trimEnd()}\n`;
}

/** The data of a section written by this version, or null (an older section, or none). */
export function readStatusData(section: string | null | undefined): StatusData | null {
  if (!section) return null;
  const i = section.lastIndexOf(OPEN);
  if (i < 0) return null;
  const end = section.indexOf(CLOSE, i + OPEN.length);
  if (end < 0) return null;
  try {
    const d = JSON.parse(section.slice(i + OPEN.length, end)) as Partial<StatusData>;
    if (typeof d !== 'object' || d === null) return null;
    return {
      head: typeof d.head === 'string' ? d.head : null,
      last: d.last && typeof d.last === 'object' ? (d.last as LastDecision) : null,
      lastEvidence: typeof d.lastEvidence === 'string' ? d.lastEvidence : null,
    };
  } catch {
    return null;
  }
}

/** A decision-log line in brief, or null when it is not a decision line. */
export function lastDecisionOf(line: string | null): LastDecision | null {
  if (!line) return null;
  try {
    const d = JSON.parse(line) as Record<string, unknown>;
    if (!d || typeof d !== 'object' || typeof d.at !== 'string') return null;
    const failed = Array.isArray(d.failedGates) ? d.failedGates.length : 0;
    return {
      at: d.at,
      command: typeof d.command === 'string' ? d.command : '?',
      decision: typeof d.decision === 'string' ? d.decision : '?',
      stage: typeof d.from === 'string' ? d.from : null,
      failing: failed > 0 || d.decision !== 'PROCEED',
    };
  } catch {
    return null;
  }
}

/** The evidence directory a decision-log line names, if any. */
export function evidenceDirOf(line: string | null): string | null {
  if (!line) return null;
  try {
    const d = JSON.parse(line) as Record<string, unknown>;
    return typeof d.evidencePath === 'string' ? d.evidencePath : typeof d.evidence === 'string' ? d.evidence : null;
  } catch {
    return null;
  }
}
