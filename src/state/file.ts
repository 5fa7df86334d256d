import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseStateDocument, serializeState } from './document.js';
import { lastLoggedDecision, writeEvidence } from './evidence-dir.js';
import { decisionLogShard } from '../ledger/layout.js';
import { StateConflictError, StateError, type StateRead, type StateStore, type StateWrite, type WriteResult } from './types.js';

const LOCK_STALE_MS = 60_000;
const LOCK_WAIT_MS = 30_000;

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Rollout state in a local JSON file. Writes are atomic (temp file + rename) and serialised by a
 * lock file, and refused when the file changed since the run read it. Evidence and the decision
 * log go under the state file's directory.
 */
export function fileStateStore(path: string, opts: { cwd: string; rollout: string }): StateStore {
  const abs = isAbsolute(path) ? path : resolve(opts.cwd, path);
  const root = dirname(abs);

  async function readRaw(): Promise<string | null> {
    try {
      return await readFile(abs, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StateError(`${path}: cannot read the state (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  async function withLock<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(root, { recursive: true });
    const lock = `${abs}.lock`;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const fh = await open(lock, 'wx');
        await fh.writeFile(`${process.pid}\n`);
        await fh.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > LOCK_STALE_MS) {
          await rm(lock, { force: true });
          continue;
        }
        if (Date.now() - started > LOCK_WAIT_MS) throw new StateError(`${path}: the lock ${lock} is held by another run (waited ${LOCK_WAIT_MS / 1000}s)`);
        await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** Math.min(attempt, 5)) + Math.random() * 20));
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }

  return {
    description: `file ${path}`,
    async read(): Promise<StateRead> {
      const text = await readRaw();
      const lastDecision = await lastLoggedDecision(root, decisionLogShard(opts.rollout, Date.now())).catch(() => undefined);
      if (text === null) return { state: null, version: null, lastDecision };
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new StateError(`${path}: not valid JSON: ${(e as Error).message}`);
      }
      return { state: parseStateDocument(doc, path, opts.rollout), version: hash(text), lastDecision };
    },
    async write(change: StateWrite): Promise<WriteResult> {
      return withLock(async () => {
        let version: string | null = null;
        if (change.state) {
          const current = await readRaw();
          const currentVersion = current === null ? null : hash(current);
          if (currentVersion !== change.expectedVersion) {
            throw new StateConflictError(`${path} changed since this run read it`);
          }
          const text = serializeState(change.state);
          const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
          await writeFile(tmp, text, { flag: 'wx' });
          await rename(tmp, abs);
          version = hash(text);
        }
        const evidenceDir = await writeEvidence(root, change);
        return { evidencePath: evidenceDir, commit: null, version };
      });
    },
  };
}
