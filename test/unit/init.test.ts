import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import { INIT_PROVIDERS, initFiles, initVariables } from '../../src/cli/init-templates.js';
import { parseStages } from '../../src/cli/init.js';
import { parseConfig } from '../../src/config/load.js';
import { effectiveStepMs } from '../../src/engine/model.js';
import { parseDatadogQuery } from '../../src/providers/datadog.js';
import { anchorNrql } from '../../src/providers/newrelic.js';
import { GATE_PARAMETERS } from '../../src/providers/postgres.js';
import { toPositional } from '../../src/transport/sql-parameters.js';
import { loadSchemaStoreSchemas } from '../release/schemastore.js';

/**
 * `rollout-gate init`: for every metrics store, a config that `validate` accepts with no
 * variable set, and workflows that SchemaStore's workflow schema accepts; never an overwrite
 * without --force.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let validateWorkflow: ValidateFunction;
beforeAll(async () => {
  const schemas = await loadSchemaStoreSchemas();
  const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false });
  addFormats(ajv);
  validateWorkflow = ajv.compile(schemas.workflow);
});

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'rollout-gate-init-'));
  dirs.push(d);
  return d;
}

async function cli(args: string[], cwd: string, env: Record<string, string> = {}, ask?: (q: string, f: string) => Promise<string>) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { ...env }, cwd, isTTY: false, ask: ask ?? null });
  return { code, out, err };
}

const WORKFLOWS = ['.github/workflows/rollout-gate.yml', '.github/workflows/rollout-promote.yml', '.github/workflows/rollout-watch.yml', '.github/workflows/rollout-commands.yml'];

describe.each(INIT_PROVIDERS)('init --provider %s', (provider) => {
  it('writes a config that validate accepts with no variable set, listing the ones needed at run time', async () => {
    const dir = scratch();
    const init = await cli(['init', '--provider', provider, '--rollout', 'shop', '--stages', '5,25,100'], dir);
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
    for (const f of ['.github/rollout-gate.yml', ...WORKFLOWS]) expect(init.out).toContain(`wrote ${f}`);

    const v = await cli(['validate'], dir);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    expect(v.out).toContain('.github/rollout-gate.yml: valid');
    expect(v.out).toMatch(/rollout shop: 3 stages, 5 gates/);
    const needed = initVariables(provider).filter((x) => x.name !== 'AWS_ROLE_ARN').map((x) => x.name);
    if (needed.length) {
      expect(v.out).toContain(`needed at run time: ${needed.join(', ')}`);
      // --strict: the same variables are errors, each named.
      const strict = await cli(['validate', '--strict'], dir);
      expect(strict.code).toBe(2);
      for (const n of needed) expect(strict.err).toContain(`environment variable ${n} is not set`);
    } else {
      expect(v.out).not.toContain('needed at run time');
    }
    // The gates cover errors (critical), latency p95 and p99, a traffic floor and saturation.
    const config = parseYaml(readFileSync(join(dir, '.github/rollout-gate.yml'), 'utf8')) as { gates: { name: string; severity?: string }[] };
    const names = config.gates.map((g) => g.name).join(' ');
    expect(names).toMatch(/error_rate/);
    expect(names).toMatch(/latency_p95/);
    expect(names).toMatch(/latency_p99/);
    expect(names).toMatch(/traffic|requests/);
    expect(names).toMatch(/saturation/);
    expect(config.gates.find((g) => g.name === 'error_rate')!.severity).toBe('critical');
  });

  it('writes workflows the workflow schema accepts, passing each variable from vars or secrets', async () => {
    const dir = scratch();
    expect((await cli(['init', '--provider', provider, '--rollout', 'shop'], dir)).code).toBe(0);
    for (const f of WORKFLOWS) {
      const text = readFileSync(join(dir, f), 'utf8');
      const doc = parseYaml(text) as Record<string, unknown>;
      expect(validateWorkflow(doc), `${f}: ${JSON.stringify(validateWorkflow.errors)}`).toBe(true);
      for (const v of initVariables(provider)) expect(text).toContain(`\${{ ${v.kind === 'secret' ? 'secrets' : 'vars'}.${v.name} }}`);
      // No secret value is ever written: only references.
      expect(text).not.toMatch(/NRAK-|postgres:\/\/\w+:\w+@/);
    }
    const commands = parseYaml(readFileSync(join(dir, '.github/workflows/rollout-commands.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      concurrency: { group: string };
      jobs: { command: { steps: { uses?: string; with?: Record<string, string> }[] } };
    };
    expect(Object.keys(commands.on)).toEqual(['issue_comment']);
    expect(commands.permissions).toMatchObject({ contents: 'write', 'pull-requests': 'write', issues: 'write', checks: 'write', deployments: 'write' });
    expect(commands.concurrency.group).toContain('shop');
    // The lint job validates with the pinned CLI and no secrets.
    const pr = parseYaml(readFileSync(join(dir, '.github/workflows/rollout-gate.yml'), 'utf8')) as { jobs: { lint: { steps: { run?: string; env?: unknown }[] } } };
    const lint = pr.jobs.lint.steps.find((s) => s.run)!;
    expect(lint.run).toMatch(/^npx --yes rollout-gate@\d+\.\d+\.\d+ validate --config \.github\/rollout-gate\.yml/);
    expect(lint.env).toBeUndefined();
    expect(commands.jobs.command.steps.find((s) => s.uses?.startsWith('rollout-gate/'))!.with).toMatchObject({ command: 'comment' });
  });
});

describe('the queries init writes pass each store\'s own checks before anything is sent', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  const gatesOf = (provider: (typeof INIT_PROVIDERS)[number]) =>
    parseConfig(initFiles({ provider, rollout: 'shop', stages: [5, 25, 100] })[0]!.text, 'init.yml', {}, { unset: 'placeholder' }).gates;
  const rangeOf = (g: ReturnType<typeof gatesOf>[number]) => (g.overMs === null ? null : { startMs: NOW - g.overMs, endMs: NOW, stepMs: effectiveStepMs(g)! });

  it('datadog: each is one metrics query, or named queries and one formula', () => {
    for (const g of gatesOf('datadog')) expect(() => parseDatadogQuery(g.query!), g.name).not.toThrow();
  });

  it('newrelic: the NRQL takes the window the gate gives it (no absolute SINCE, no TIMESERIES)', () => {
    for (const g of gatesOf('newrelic')) expect(() => anchorNrql(g.query!, { nowMs: NOW, range: rangeOf(g) }), g.name).not.toThrow();
  });

  it('postgres: only :start, :end and :now, and :start/:end only in windowed gates', () => {
    for (const g of gatesOf('postgres')) {
      const { names } = toPositional(g.query!, GATE_PARAMETERS);
      if (g.overMs === null) expect(names.filter((n) => n !== 'now'), g.name).toEqual([]);
    }
  });
});

describe('init', () => {
  it('never overwrites without --force: a second init writes nothing and names the files', async () => {
    const dir = scratch();
    expect((await cli(['init', '--provider', 'prometheus', '--rollout', 'shop'], dir)).code).toBe(0);
    const path = join(dir, '.github/rollout-gate.yml');
    writeFileSync(path, '# mine\n');
    const again = await cli(['init', '--provider', 'postgres', '--rollout', 'other'], dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('init would overwrite .github/rollout-gate.yml, .github/workflows/rollout-gate.yml');
    expect(again.err).toContain('--force');
    expect(readFileSync(path, 'utf8')).toBe('# mine\n');
    expect(readFileSync(join(dir, '.github/workflows/rollout-watch.yml'), 'utf8')).toContain('shop');

    const forced = await cli(['init', '--provider', 'postgres', '--rollout', 'other', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('overwrote .github/rollout-gate.yml');
    expect(readFileSync(path, 'utf8')).toContain('type: postgres');
  });

  it('ends with the variables to set and the required check to add', async () => {
    const dir = scratch();
    const r = await cli(['init', '--provider', 'datadog', '--rollout', 'shop'], dir);
    expect(r.out).toMatch(/secret\s+DD_API_KEY/);
    expect(r.out).toMatch(/secret\s+DD_APP_KEY/);
    expect(r.out).toContain('"rollout-gate / shop" a required status check');
  });

  it('asks on a terminal for what the flags leave open; an empty answer takes the default', async () => {
    const dir = scratch();
    const asked: string[] = [];
    const r = await cli(['init', '--rollout', 'shop'], dir, {}, async (q, fallback) => {
      asked.push(q);
      return q.startsWith('Where') ? 'newrelic' : fallback;
    });
    expect(r.code).toBe(0);
    expect(asked).toHaveLength(2); // provider and stages; --rollout was given
    const text = readFileSync(join(dir, '.github/rollout-gate.yml'), 'utf8');
    expect(text).toContain('type: newrelic');
    expect(text).toMatch(/name: canary_5,\s+traffic:\s+5/);
    expect(text).toMatch(/name: full,\s+traffic: 100/);
  });

  it('without a terminal it needs --provider, and refuses bad flags with usage errors', async () => {
    const dir = scratch();
    expect((await cli(['init'], dir)).err).toContain('init needs --provider');
    expect((await cli(['init', '--provider', 'graphite'], dir)).err).toContain('"graphite" is not one of prometheus, datadog');
    expect((await cli(['init', '--provider', 'file', '--rollout', 'Shop V2'], dir)).err).toContain('"Shop V2" is not a rollout name');
    expect((await cli(['init', '--provider', 'file', '--stages', '5,5,100'], dir)).err).toContain('the stages go up');
    expect((await cli(['evaluate', '--provider', 'file'], dir)).err).toContain('--provider goes with init');
  });

  it('parseStages: ascending whole percentages from 1 to 100', () => {
    expect(parseStages('1, 10,50,100')).toEqual([1, 10, 50, 100]);
    for (const bad of ['0,100', '5,101', '5,x', '', '10,5', '2.5,100']) expect(() => parseStages(bad), bad).toThrow(/--stages/);
  });

  it('stage names follow the traffic, and each config names the rollout', () => {
    const files = initFiles({ provider: 'file', rollout: 'shop', stages: [1, 10, 100] });
    expect(files[0]!.text).toMatch(/canary_1,[\s\S]*canary_10,[\s\S]*full,/);
    expect(files.map((f) => f.path)).toEqual(['.github/rollout-gate.yml', ...WORKFLOWS]);
    // The ramp allows the steps the stages take (1 → 10 is ×10), and no bigger one.
    expect(files[0]!.text).toMatch(/maxStepFactor: 10 /);
    expect(initFiles({ provider: 'file', rollout: 'shop', stages: [1, 50, 100] })[0]!.text).toMatch(/maxStepFactor: 50 /);
    expect(initFiles({ provider: 'file', rollout: 'shop', stages: [50, 100] })[0]!.text).toMatch(/maxStepFactor: 2 /);
  });
});
