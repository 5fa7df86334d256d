import { createHash } from 'node:crypto';

/**
 * The decision log's chain (SPEC §8.2), pure: every line carries `prev`, the SHA-256 of the
 * previous line's exact bytes (UTF-8, without its newline; across shards; null on the first line
 * of a ledger), and `evidence`, path → SHA-256 of each evidence file its run wrote. Lines without
 * `prev` come from before the chain and are reported as unchained.
 */

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The last non-empty line of a JSON-lines text (without its newline), or null. */
export function lastLine(text: string): string | null {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1);
    const line = text.slice(start + 1, end).replace(/\r$/, '');
    if (line.trim()) return line;
    end = start < 0 ? 0 : start;
  }
  return null;
}

/** The line `entry` (one JSON object) with its chain fields: `prev` first, `evidence` last. */
export function chainLine(entry: string, prev: string | null, evidence: readonly { path: string; content: string }[]): string {
  const parsed: unknown = JSON.parse(entry);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('a decision-log entry must be one JSON object');
  const { prev: _p, evidence: _e, ...fields } = parsed as Record<string, unknown>;
  const hashes: Record<string, string> = {};
  for (const f of evidence) hashes[f.path] = sha256(f.content);
  return JSON.stringify({ prev, ...fields, evidence: hashes });
}

/** One file of a log, in chain order (the one-file log first, then the day shards by name). */
export interface LogFile {
  path: string;
  text: string;
}

export type BreakKind = 'removed' | 'inserted' | 'reordered' | 'edited' | 'changed-evidence' | 'missing-evidence' | 'unchained-inside';

export interface ChainBreak {
  kind: BreakKind;
  /** The file and 1-based line where the chain breaks. */
  path: string;
  line: number;
  message: string;
}

export interface ChainReport {
  /** The log checked (the rollout's name). */
  log: string;
  lines: number;
  chained: number;
  /** Lines from before the chain (no `prev`), all before the first chained line. */
  unchained: number;
  evidenceFiles: number;
  /** The first broken link, or null when the chain is intact. */
  broken: ChainBreak | null;
}

interface Line {
  path: string;
  line: number;
  text: string;
  hash: string;
}

const short = (h: unknown) => (typeof h === 'string' ? h.slice(0, 12) : String(h));
const at = (l: Line) => `${l.path}:${l.line}`;

/**
 * Recomputes a log's chain. `evidenceHash(path)` gives the SHA-256 of a file of the ledger as it
 * is now (null: no such file). Stops at the first broken link, naming it.
 */
export function verifyChain(log: string, files: readonly LogFile[], evidenceHash: (path: string) => string | null): ChainReport {
  const lines: Line[] = [];
  for (const f of files) {
    f.text.split('\n').forEach((text, i) => {
      const t = text.replace(/\r$/, '');
      if (t.trim()) lines.push({ path: f.path, line: i + 1, text: t, hash: sha256(t) });
    });
  }
  const report: ChainReport = { log, lines: lines.length, chained: 0, unchained: 0, evidenceFiles: 0, broken: null };
  const byHash = new Map<string, number>();
  lines.forEach((l, i) => byHash.set(l.hash, i));
  const stop = (kind: BreakKind, l: Line, message: string): ChainReport => ({ ...report, broken: { kind, path: l.path, line: l.line, message: `${at(l)}: ${message}` } });

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    let obj: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(l.text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      obj = parsed as Record<string, unknown>;
    } catch {
      return stop('edited', l, 'not a JSON object: the line was edited');
    }
    if (!('prev' in obj)) {
      if (report.chained > 0) return stop('unchained-inside', l, `a line without a chain link after the chain began: inserted after ${at(lines[i - 1]!)}`);
      report.unchained++;
      continue;
    }
    const before = i > 0 ? lines[i - 1]! : null;
    const expected = before ? before.hash : null;
    if (obj.prev !== expected) {
      const j = typeof obj.prev === 'string' ? byHash.get(obj.prev) : undefined;
      if (obj.prev === null) return stop('inserted', l, `claims to be the first line of the ledger, but ${i} line(s) come before it: lines were inserted before it`);
      if (!before) return stop('removed', l, `follows a line (sha256 ${short(obj.prev)}) that is not in the log: the line(s) before it were removed`);
      if (j !== undefined && j < i - 1) return stop('inserted', l, `follows ${at(lines[j]!)} in the chain: the line(s) from ${at(lines[j + 1]!)} to ${at(before)} were inserted or moved`);
      if (j !== undefined && j > i) return stop('reordered', l, `follows ${at(lines[j]!)} in the chain, which comes after it: lines were reordered`);
      if (j === i) return stop('edited', l, 'its link names itself: the line was edited');
      return stop('removed', l, `its prev (sha256 ${short(obj.prev)}) is not the line before it (${at(before)}, sha256 ${short(expected)}): a line between them was removed, or ${at(before)} was edited`);
    }
    report.chained++;
    const evidence = obj.evidence;
    if (evidence && typeof evidence === 'object' && !Array.isArray(evidence)) {
      for (const [path, hash] of Object.entries(evidence as Record<string, unknown>)) {
        const now = evidenceHash(path);
        if (now === null) return stop('missing-evidence', l, `evidence file ${path} is missing`);
        if (now !== hash) return stop('changed-evidence', l, `evidence file ${path} changed (logged sha256 ${short(hash)}, now ${short(now)})`);
        report.evidenceFiles++;
      }
    }
  }
  return report;
}

/** One line per log, then the first broken link; `ok` when every chain is intact. */
export function describeReports(reports: readonly ChainReport[]): { ok: boolean; text: string } {
  const out: string[] = [];
  for (const r of reports) {
    const state = r.broken ? 'BROKEN' : r.chained === 0 && r.lines > 0 ? 'unchained' : 'intact';
    const parts = [`${r.chained} chained line(s)`, `${r.evidenceFiles} evidence file(s) checked`];
    if (r.unchained) parts.push(`${r.unchained} unchained line(s) from before the chain`);
    out.push(`${r.log}: ${state}: ${parts.join(', ')}`);
    if (r.broken) out.push(`  first broken link (${r.broken.kind}): ${r.broken.message}`);
  }
  if (!reports.length) out.push('no decision log found');
  return { ok: reports.every((r) => r.broken === null), text: `${out.join('\n')}\n` };
}
