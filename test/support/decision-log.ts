import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A rollout's decision log as one text, in order: the one-file log from before the day shards,
 * then `decision-log/<rollout>/<YYYY-MM-DD>.jsonl` by day. From a directory, or a ledger's files.
 */
export function decisionLogText(from: string | ReadonlyMap<string, string>, rollout: string): string {
  const legacy = `decision-log/${rollout}.jsonl`;
  const prefix = `decision-log/${rollout}/`;
  if (typeof from !== 'string') {
    const shards = [...from.keys()].filter((p) => p.startsWith(prefix) && /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(p.slice(prefix.length))).sort();
    return [legacy, ...shards].map((p) => from.get(p) ?? '').join('');
  }
  const parts = [existsSync(join(from, legacy)) ? readFileSync(join(from, legacy), 'utf8') : ''];
  const dir = join(from, prefix);
  if (existsSync(dir)) for (const f of readdirSync(dir).filter((n) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(n)).sort()) parts.push(readFileSync(join(dir, f), 'utf8'));
  return parts.join('');
}

/** The decision log's lines, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function decisionLogLines(from: string | ReadonlyMap<string, string>, rollout: string): Record<string, any>[] {
  return decisionLogText(from, rollout).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) );
}
