import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script shared with the demo and the benchmark
import { writeDemo } from '../../scripts/demo-data.mjs';

export const ROOT = join(import.meta.dirname, '..', '..');
export const DEMO_CONFIG = join(ROOT, 'examples/chat-rollout.yml');

export function demoDir(nowMs: number, scenario: 'healthy' | 'breach' = 'healthy'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-gate-test-'));
  (writeDemo as (d: string, n: number, s: string) => void)(dir, nowMs, scenario);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
