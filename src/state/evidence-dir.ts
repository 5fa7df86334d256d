import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { StateWrite } from './types.js';

/** Where postgres and http state keep evidence when the config names no `evidenceDir`. */
export const DEFAULT_EVIDENCE_DIR = '.rollout';

export function resolveEvidenceDir(dir: string | undefined, cwd: string): string {
  const d = dir ?? DEFAULT_EVIDENCE_DIR;
  return isAbsolute(d) ? d : resolve(cwd, d);
}

/**
 * Writes a run's evidence files under `root` and appends its decision-log line. Evidence is
 * never overwritten (each run has its own directory); returns the directory the files went to.
 */
export async function writeEvidence(root: string, change: Pick<StateWrite, 'evidence' | 'decisionLog'>): Promise<string> {
  let evidenceDir = root;
  for (const f of change.evidence) {
    const target = join(root, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content, { flag: 'wx' });
    evidenceDir = dirname(target);
  }
  const log = join(root, change.decisionLog.path);
  await mkdir(dirname(log), { recursive: true });
  await appendFile(log, `${change.decisionLog.line}\n`);
  return evidenceDir;
}
