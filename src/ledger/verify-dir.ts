import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeReports, verifyChain, type ChainReport, type LogFile } from './chain.js';
import { DECISION_LOG_DIR, shardDay } from './layout.js';

/** Logs kept in one file per rollout beside the decision log. */
const ONE_FILE_LOGS = ['calibration-log'];

/**
 * Reads a checkout of the ledger branch and checks every log's chain: each rollout's decision log
 * (its one-file log from before the day shards, then the shards in day order) and each one-file log.
 */
export function verifyLedgerDir(dir: string): ChainReport[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: no such directory (check out the ledger branch, e.g. git worktree add ../ledger rollout-ledger)`);
  const read = (p: string) => readFileSync(join(dir, p), 'utf8');
  const evidenceHash = (path: string): string | null => {
    if (!path || path.startsWith('/') || path.split(/[\\/]/).some((s) => s === '..' || s === '')) return null;
    try {
      return createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
    } catch {
      return null;
    }
  };
  const reports: ChainReport[] = [];
  const logs = join(dir, DECISION_LOG_DIR);
  if (existsSync(logs)) {
    const names = new Set<string>();
    for (const e of readdirSync(logs, { withFileTypes: true })) {
      if (e.isDirectory()) names.add(e.name);
      else if (e.isFile() && e.name.endsWith('.jsonl')) names.add(e.name.slice(0, -'.jsonl'.length));
    }
    for (const name of [...names].sort()) {
      const files: LogFile[] = [];
      const legacy = `${DECISION_LOG_DIR}/${name}.jsonl`;
      if (existsSync(join(dir, legacy))) files.push({ path: legacy, text: read(legacy) });
      const shardDir = join(logs, name);
      if (existsSync(shardDir) && statSync(shardDir).isDirectory()) {
        const shards = readdirSync(shardDir).filter((f) => shardDay(f) !== null).sort();
        for (const f of shards) files.push({ path: `${DECISION_LOG_DIR}/${name}/${f}`, text: read(`${DECISION_LOG_DIR}/${name}/${f}`) });
      }
      reports.push(verifyChain(`${DECISION_LOG_DIR}/${name}`, files, evidenceHash));
    }
  }
  for (const d of ONE_FILE_LOGS) {
    if (!existsSync(join(dir, d))) continue;
    for (const f of readdirSync(join(dir, d)).filter((n) => n.endsWith('.jsonl')).sort()) {
      reports.push(verifyChain(`${d}/${f}`, [{ path: `${d}/${f}`, text: read(`${d}/${f}`) }], evidenceHash));
    }
  }
  return reports;
}

/** `verify`: the report for people and whether every chain is intact (unchained lines from before the chain are no break). */
export function verifyLedger(dir: string): { ok: boolean; text: string } {
  return describeReports(verifyLedgerDir(dir));
}
