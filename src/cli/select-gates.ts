import type { Config } from '../config/load.js';
import { UsageError } from '../run.js';

/** `evaluate --gate NAME` (repeatable): only those gates are judged; an unknown name is a usage error naming the nearest. */
export function onlyGates(config: Config, names: readonly string[], file: string): Config {
  const known = config.gates.map((g) => g.name);
  for (const n of names) {
    if (known.includes(n)) continue;
    const near = nearest(n, known);
    throw new UsageError(`--gate: no gate "${n}" in ${file}${near ? `; did you mean "${near}"?` : ''} (gates: ${known.join(', ')})`);
  }
  return { ...config, gates: config.gates.filter((g) => names.includes(g.name)) };
}

/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(Math.max(word.length, best.length) / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
