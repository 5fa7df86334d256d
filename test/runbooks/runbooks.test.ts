import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/demo.js';
import { RUNBOOKS, cli, runbookConfig, runbookDir, tempDir } from './support.js';

/**
 * Every runbook under examples/runbooks/ is a config the CLI accepts, matches the published JSON
 * Schema, and has a README that accounts for each of its gates. The end-to-end runs against real
 * servers are in the <runbook>.test.ts files beside this one.
 */

// Placeholders for the ${VAR}s the configs read: validation needs values, not servers.
const ENV = {
  PROMETHEUS_URL: 'http://127.0.0.1:9090',
  ALERTMANAGER_URL: 'http://127.0.0.1:9093',
  DATABASE_URL: 'postgres://rollout_gate:secret@127.0.0.1:5432/chat',
  FEEDBACK_URL: 'http://127.0.0.1:8080',
  FEEDBACK_TOKEN: 'token',
};

interface RunbookConfig {
  rollout: { name: string; stages: { name: string }[] };
  gates: { name: string }[];
}

describe('the runbooks', () => {
  it('are exactly the five under examples/runbooks/', async () => {
    const dirs = (await readdir(join(ROOT, 'examples/runbooks'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(dirs.sort()).toEqual([...RUNBOOKS].sort());
  });

  it.each(RUNBOOKS)('%s: `rollout-gate validate` accepts the config', async (name) => {
    const { dir, remove } = await tempDir('validate');
    try {
      const run = await cli(['validate', '--config', runbookConfig(name)], { cwd: dir, env: ENV });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/: valid\n/);
    } finally {
      await remove();
    }
  });

  it.each(RUNBOOKS)('%s: the config, its ${VAR}s substituted, matches schema/rollout-gate.schema.json, which its editor comment points at', async (name) => {
    const text = await readFile(runbookConfig(name), 'utf8');
    const pointer = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    expect(pointer).toBeDefined();
    const schemaFile = resolve(dirname(runbookConfig(name)), pointer!);
    expect(schemaFile).toBe(join(ROOT, 'schema/rollout-gate.schema.json'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(schemaFile, 'utf8')) as object);
    // The schema's URL fields have format "uri", which "${PROMETHEUS_URL}" is not until the loader substitutes it.
    const substituted = text.replace(/\$\{(\w+)\}/g, (_, v: string) => ENV[v as keyof typeof ENV] ?? `\${${v}}`);
    expect(validate(parseYaml(substituted)), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it.each(RUNBOOKS)('%s: the README maps every gate and stage to its runbook line', async (name) => {
    const config = parseYaml(await readFile(runbookConfig(name), 'utf8')) as RunbookConfig;
    const readme = await readFile(join(runbookDir(name), 'README.md'), 'utf8');
    expect(readme).toMatch(/^# /);
    for (const gate of config.gates) expect(readme, `gate ${gate.name}`).toContain(`\`${gate.name}\``);
    for (const stage of config.rollout.stages) expect(readme, `stage ${stage.name}`).toContain(`\`${stage.name}\``);
    expect(readme).toContain(`test/runbooks/${name}.test.ts`);
  });
});
