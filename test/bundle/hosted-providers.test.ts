import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioTable, startCloudWatchStandin, startDatadogStandin, startNewRelicStandin, startStsStandin, type Standin } from '../servers/metric-standins.js';
import { NOW } from '../support/fixtures.js';

/**
 * The bundled CLI (dist/cli/index.js) with the three hosted providers: their chunks, loaded with
 * import() only for such a config (the AWS SDK and its web identity path included), must load
 * and work as bundled, not only from the sources.
 */
const CLI = join(import.meta.dirname, '../../dist/cli/index.js');
const run = promisify(execFile);

describe('node dist/cli/index.js with datadog, cloudwatch (web identity) and newrelic providers', () => {
  let dir: string;
  const standins: Standin[] = [];
  let sts: Standin;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollout-gate-hosted-bundle-'));
    const table = scenarioTable(NOW / 1000);
    const assumed = { accessKeyId: 'ASIABUNDLE000000001', secretAccessKey: 'bundle-secret-4Kd9', sessionToken: 'bundle-session-8Lp2' };
    sts = await startStsStandin({ token: 'oidc-bundle-token', credentials: assumed });
    const cw = await startCloudWatchStandin({ table, accessKeyId: assumed.accessKeyId, queries: { 'SELECT AVG(ErrorRatio) FROM "Chat"': 'error_ratio' } });
    const dd = await startDatadogStandin({ table, apiKey: 'dd-bundle-key', appKey: 'dd-bundle-app', queries: { 'avg:rg.error_ratio{service:chat}': 'error_ratio' } });
    const nr = await startNewRelicStandin({ table, apiKey: 'NRAK-bundle', accountId: 7, queries: { 'SELECT average(errorRatio) FROM Metric': { entry: 'error_ratio', column: 'average.errorRatio' } } });
    standins.push(sts, cw, dd, nr);
    writeFileSync(join(dir, 'token'), 'oidc-bundle-token');
    writeFileSync(
      join(dir, 'rollout-gate.yml'),
      `version: 1
rollout: { name: hosted, stages: [{ name: canary, traffic: 1 }, { name: full, traffic: 100 }] }
state: { type: file, path: state.json }
providers:
  cw: { type: cloudwatch, region: eu-central-1, endpoint: "${cw.url}" }
  dd: { type: datadog, url: "${dd.url}", apiKey: "\${DD_API_KEY}", appKey: dd-bundle-app }
  nr: { type: newrelic, url: "${nr.url}/graphql", accountId: 7, apiKey: "\${NR_API_KEY}" }
gates:
  - { name: cw_errors, provider: cw, query: 'SELECT AVG(ErrorRatio) FROM "Chat"', pass: "< 0.01" }
  - { name: dd_errors, provider: dd, query: 'avg:rg.error_ratio{service:chat}', pass: "< 0.01", over: 30m }
  - { name: nr_errors, provider: nr, query: 'SELECT average(errorRatio) FROM Metric', pass: "< 0.01" }
`,
    );
  });
  afterAll(async () => {
    for (const s of standins) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates every gate through the bundle: PROCEED, values read, no key in the snapshot', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      DD_API_KEY: 'dd-bundle-key',
      NR_API_KEY: 'NRAK-bundle',
      AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'),
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gate',
      AWS_ENDPOINT_URL_STS: sts.url,
    };
    const r = await run(process.execPath, [CLI, 'evaluate', '--config', 'rollout-gate.yml', '--now', new Date(NOW).toISOString(), '--json', '--dry-run'], { cwd: dir, env, encoding: 'utf8' }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.stderr).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
    const snap = JSON.parse(r.stdout) as { decision: string; gates: { name: string; status: string; value: number }[] };
    expect(snap.decision, r.stdout).toBe('PROCEED');
    expect(snap.gates.map((g) => [g.name, g.status, g.value])).toEqual([
      ['cw_errors', 'pass', 0.005],
      ['dd_errors', 'pass', 0.005],
      ['nr_errors', 'pass', 0.005],
    ]);
    expect(sts.requests).toHaveLength(1);
    for (const secret of ['dd-bundle-key', 'dd-bundle-app', 'NRAK-bundle', 'oidc-bundle-token', 'bundle-secret-4Kd9', 'bundle-session-8Lp2']) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });
});
