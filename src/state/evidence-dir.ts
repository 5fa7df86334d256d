import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { chainLine, lastLine, sha256 } from '../ledger/chain.js';
import { lastDecisionOf } from '../ledger/status-data.js';
import { shardDay, shardsOf } from '../ledger/layout.js';
import type { LastDecision, StateWrite } from './types.js';

/** Where postgres and http state keep evidence when the config names no `evidenceDir`. */
export const DEFAULT_EVIDENCE_DIR = '.rollout';

export function resolveEvidenceDir(dir: string | undefined, cwd: string): string {
  const d = dir ?? DEFAULT_EVIDENCE_DIR;
  return isAbsolute(d) ? d : resolve(cwd, d);
}

const readOrNull = (p: string) => readFile(p, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));

/**
 * The last line of a log in `root` before a new line goes to `logPath`: the file itself, else
 * (for a day shard) the newest earlier shard, else the one-file log from before the shards.
 */
async function lastLineBefore(root: string, logPath: string): Promise<string | null> {
  const own = await readOrNull(join(root, logPath));
  const line = own === null ? null : lastLine(own);
  if (line !== null) return line;
  const shards = shardsOf(logPath);
  if (!shards) return null;
  const names = await readdir(join(root, shards.dir)).catch(() => [] as string[]);
  for (const name of names.filter((n) => (shardDay(n) ?? '\uffff') < shards.day).sort().reverse()) {
    const l = lastLine((await readOrNull(join(root, shards.dir, name))) ?? '');
    if (l !== null) return l;
  }
  const legacy = await readOrNull(join(root, shards.legacy));
  return legacy === null ? null : lastLine(legacy);
}

/** The last line of a rollout's decision log under `root`, in brief (null: no line yet). */
export async function lastLoggedDecision(root: string, logPath: string): Promise<LastDecision | null> {
  return lastDecisionOf(await lastLineBefore(root, logPath));
}

/**
 * Writes a run's evidence files under `root` and appends its decision-log line, chained to the
 * line before. Evidence is never overwritten (each run has its own directory); returns the
 * directory the files went to.
 */
export async function writeEvidence(root: string, change: Pick<StateWrite, 'evidence' | 'decisionLog'>): Promise<string> {
  let evidenceDir = root;
  for (const f of change.evidence) {
    const target = join(root, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content, { flag: 'wx' });
    evidenceDir = dirname(target);
  }
  if (!change.decisionLog) return evidenceDir;
  const log = join(root, change.decisionLog.path);
  await mkdir(dirname(log), { recursive: true });
  const before = await lastLineBefore(root, change.decisionLog.path);
  const line = chainLine(change.decisionLog.line, before === null ? null : sha256(before), change.evidence);
  await appendFile(log, `${line}\n`);
  return evidenceDir;
}
