import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CONFIG, demoDir } from '../support/demo.js';
import { runAction } from '../support/runner.js';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function setup(scenario: 'healthy' | 'breach') {
  // The demo data is written relative to the real clock: the bundle has no --now.
  const d = demoDir(Date.now(), scenario);
  cleanup = d.cleanup;
  return d.dir;
}

describe('node dist/index.js with a file provider and file state', () => {
  it('PROCEED: passes the step, sets the outputs and writes the job summary', async () => {
    const dir = setup('healthy');
    const r = await runAction({ inputs: { config: DEMO_CONFIG, 'fail-on': 'hold' }, env: { ROLLOUT_DEMO_DIR: dir }, workspace: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ decision: 'PROCEED', 'current-stage': 'canary_10', 'target-stage': 'canary_50', 'failed-gates': '' });
    expect(r.summary).toContain('rollout-gate: **PROCEED**');
    expect(r.summary).toContain('| write\\_receipt\\_p95\\_ms |');
    expect(JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')).decision).toBe('PROCEED');
    expect(r.outputs['evidence-path']).toMatch(/evidence\/chat-v1\.1\/\d{8}T\d{6}Z-canary_10-to-canary_50-4242\.1$/);
  });

  it('ROLLBACK: fails the step with the reason and lists the failed gates', async () => {
    const dir = setup('breach');
    const r = await runAction({ inputs: { config: DEMO_CONFIG }, env: { ROLLOUT_DEMO_DIR: dir }, workspace: dir });
    expect(r.code).toBe(1);
    expect(r.outputs.decision).toBe('ROLLBACK');
    expect(r.outputs['failed-gates']).toBe('ack_without_receipt_rate');
    expect(r.stdout).toMatch(/::error::chat-v1\.1: ROLLBACK for canary_10 → canary_50: ack_without_receipt_rate/);
  });

  it('fail-on never: a ROLLBACK verdict does not fail the step', async () => {
    const dir = setup('breach');
    const r = await runAction({ inputs: { config: DEMO_CONFIG, 'fail-on': 'never' }, env: { ROLLOUT_DEMO_DIR: dir }, workspace: dir });
    expect(r.code).toBe(0);
    expect(r.outputs.decision).toBe('ROLLBACK');
  });

  it('promote with dry-run writes nothing', async () => {
    const dir = setup('healthy');
    const before = readFileSync(join(dir, 'state.json'), 'utf8');
    const r = await runAction({ inputs: { config: DEMO_CONFIG, command: 'promote', 'dry-run': 'true' }, env: { ROLLOUT_DEMO_DIR: dir }, workspace: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'decision-log'))).toBe(false);
  });

  it('a bad input value fails with a message naming the input', async () => {
    const dir = setup('healthy');
    const r = await runAction({ inputs: { config: DEMO_CONFIG, 'fail-on': 'sometimes' }, env: { ROLLOUT_DEMO_DIR: dir }, workspace: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::input fail-on: "sometimes" is not one of hold, rollback, never');
  });

  it('an invalid config fails naming the path, with no stack trace', async () => {
    const dir = setup('healthy');
    const r = await runAction({ inputs: { config: DEMO_CONFIG }, env: {}, workspace: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('environment variable ROLLOUT_DEMO_DIR is not set');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });
});
