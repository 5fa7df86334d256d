import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { loadConfigFile, parseConfig, type Config } from '../../src/config/load.js';
import { ConfigError, type ConfigIssue } from '../../src/config/errors.js';
import type { Gate } from '../../src/engine/model.js';
import { yieldingProperty } from '../support/property.js';

/** A valid config with two stages and one file-provider gate; tests splice in the part they break. */
function yaml({ rollout = '', top = '', providers = '', gates = '' } = {}): string {
  return `version: 1
rollout:
  name: chat-v1.1
  stages:
    - { name: canary_1, traffic: 1, minDuration: 30m }
    - { name: canary_10, traffic: 10 }
    - { name: full, traffic: 100 }
${rollout}
providers:
  m: { type: file, path: metrics.json }
${providers}
${top}
gates:
  - { name: error_rate, provider: m, query: chat.error_rate, pass: "< 0.01" }
${gates}`;
}

function issuesOf(text: string, file = 'rollout-gate.yml', env: NodeJS.ProcessEnv = {}): ConfigIssue[] {
  try {
    parseConfig(text, file, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).issues];
  }
  throw new Error('expected the config to be rejected');
}

const expectIssues = (actual: ConfigIssue[], expected: [string, string][]) =>
  expect(actual).toEqual(expected.map(([path, message]) => ({ path, message: expect.stringContaining(message) })));

describe('config: a valid file', () => {
  it('loads and normalises the durations, conditions and defaults', () => {
    const cfg = parseConfig(
      yaml({
        top: 'defaults: { noData: fail, severity: critical }\ndeadline: 5m',
        gates: '  - { name: p95, provider: m, query: q, pass: ["< 1500", ">= 0"], over: 60m, failAfter: 5m, severity: minor }',
      }),
      'rollout-gate.yml',
      {},
    );
    expect(cfg.rollout.stages.map((s) => [s.name, s.traffic, s.minDurationMs])).toEqual([
      ['canary_1', 1, 30 * 60_000],
      ['canary_10', 10, null],
      ['full', 100, null],
    ]);
    expect(cfg.deadlineMs).toBe(300_000);
    const [first, p95] = cfg.gates;
    expect(first).toMatchObject({ name: 'error_rate', severity: 'critical', noData: 'fail', providerType: 'file', overMs: null });
    expect(p95).toMatchObject({ severity: 'minor', noData: 'fail', overMs: 3_600_000, failAfterMs: 300_000 });
    expect(p95!.pass!.map((c) => c.text)).toEqual(['< 1500', '>= 0']);
    expect(cfg.providers.github).toEqual({ type: 'github' });
    expect(cfg.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a gate with thresholds only and github approvals/checklist gates need no pass', () => {
    const cfg = parseConfig(
      yaml({
        gates: [
          '  - { name: t, provider: m, query: q, thresholds: { canary_10: "< 0.05", full: "< 0.02" }, appliesTo: [canary_10, full] }',
          '  - { name: sre, provider: github, approvals: { min: 1, from: [alice, "@acme/sre"] } }',
          '  - { name: runbook, provider: github, checklist: ["Rollback command verified"] }',
        ].join('\n'),
      }),
      'c.yml',
      {},
    );
    expect(cfg.gates.map((g) => g.name)).toEqual(['error_rate', 't', 'sre', 'runbook']);
    expect(cfg.gates[2]!.approvals).toEqual({ min: 1, from: ['alice', '@acme/sre'] });
  });
});

describe('config: every problem names its path and what was expected', () => {
  const gate = (extra: string) => ({ gates: `  - { name: g2, provider: m, query: q, pass: "< 1", ${extra} }` });
  it.each<[string, string, [string, string][]]>([
    // schema
    ['unknown top-level key', yaml({ top: 'gatess: []' }), [['gatess', 'unknown key']]],
    ['unknown gate key (typo of pass)', yaml({ gates: '  - { name: g2, provider: m, query: q, pas: "< 1" }' }), [['gates[1].pas', 'unknown key'], ['gates[1].pass', 'required']]],
    ['unknown provider key', yaml({ providers: '  p: { type: prometheus, url: "https://prom", timout: 5s }' }), [['providers.p.timout', 'unknown key']]],
    ['unknown stage key', yaml().replace('traffic: 10 }', 'traffic: 10, minDuraton: 1h }'), [['rollout.stages[1].minDuraton', 'unknown key']]],
    ['version must be 1', yaml().replace('version: 1', 'version: 2'), [['version', 'expected 1']]],
    ['rollout missing', 'version: 1\ngates: []\n', [['rollout', 'required']]],
    ['rollout name pattern', yaml().replace('name: chat-v1.1', 'name: Chat V1'), [['rollout.name', 'expected a name of [a-z0-9._-]']]],
    ['traffic above 100', yaml().replace('traffic: 100', 'traffic: 101'), [['rollout.stages[2].traffic', '100']]],
    ['traffic is a number', yaml().replace('traffic: 100', 'traffic: all'), [['rollout.stages[2].traffic', 'expected number, got string "all"']]],
    ['bad duration', yaml({ gates: '  - { name: g2, provider: m, query: q, pass: "< 1", over: 1.5h }' }), [['gates[1].over', 'expected a duration like "30s", "5m", "2h30m" or "1d" (whole numbers with s, m, h or d), got "1.5h" (did you mean "1h30m"?)']]],
    ['zero duration', yaml().replace('minDuration: 30m', 'minDuration: 0m'), [['rollout.stages[0].minDuration', 'expected a duration longer than zero, got "0m"']]],
    ['bad condition', yaml({ gates: '  - { name: g2, provider: m, query: q, pass: "=< 1" }' }), [['gates[1].pass', '"=< 1" is not a condition']]],
    ['bad condition in a list', yaml({ gates: '  - { name: g2, provider: m, query: q, pass: ["< 1", "> banana"] }' }), [['gates[1].pass[1]', 'operand "banana"']]],
    ['true with <', yaml({ gates: '  - { name: g2, provider: m, query: q, pass: "< true" }' }), [['gates[1].pass', 'true/false can only be compared with == or !=']]],
    ['condition is not a number', yaml({ gates: '  - { name: g2, provider: m, query: q, pass: 5 }' }), [['gates[1].pass', 'expected string, got number 5']]],
    ['bad threshold condition', yaml({ gates: '  - { name: g2, provider: m, query: q, thresholds: { full: "less than 1" } }' }), [['gates[1].thresholds.full', 'is not a condition']]],
    ['severity enum', yaml(gate('severity: high')), [['gates[1].severity', '"critical"|"major"|"minor"']]],
    ['noData enum', yaml(gate('noData: skip')), [['gates[1].noData', '"hold"|"fail"|"pass"']]],
    ['unknown provider type', yaml({ providers: '  p: { type: influx, url: "https://x" }' }), [['providers.p.type', "'prometheus'"]]],
    ['provider url without a scheme', yaml({ providers: '  p: { type: prometheus, url: "localhost:9090" }' }), [['providers.p.url', 'expected an http:// or https:// URL']]],
    ['http state url scheme', yaml({ top: 'state: { type: http, url: "ftp://state/x" }' }), [['state.url', 'expected an http:// or https:// URL']]],
    ['postgres url scheme', yaml({ providers: '  db: { type: postgres, url: "mysql://h/db" }' }), [['providers.db.url', 'expected a postgres:// connection URL']]],
    ['provider name', yaml({ providers: '  "my prom": { type: github }' }), [['providers["my prom"]', 'expected a provider name of [A-Za-z0-9_-]']]],
    ['unknown state type', yaml({ top: 'state: { type: s3, path: x }' }), [['state.type', "'file' | 'github'"]]],
    ['unknown state key', yaml({ top: 'state: { type: file, path: s.json, branch: main }' }), [['state.branch', 'unknown key']]],
    ['window day', yaml({ rollout: '  windows: [{ days: [monday], start: "09:00", end: "16:00" }]' }), [['rollout.windows[0].days[0]', '"mon"']]],
    ['window clock', yaml({ rollout: '  windows: [{ days: [mon], start: "9:00", end: "24:00" }]' }), [['rollout.windows[0].start', 'HH:MM'], ['rollout.windows[0].end', 'HH:MM']]],
    ['window time zone', yaml({ rollout: '  windows: [{ days: [mon], start: "09:00", end: "16:00", tz: "Europe/Berlinn" }]' }), [['rollout.windows[0].tz', 'IANA time zone']]],
    ['freeze instant', yaml({ rollout: '  freezes: [{ from: "2026-12-20", to: "2027-01-04T00:00:00Z" }]' }), [['rollout.freezes[0].from', 'ISO-8601 instant']]],
    ['approvals min', yaml({ gates: '  - { name: g2, provider: github, approvals: { min: 0 } }' }), [['gates[1].approvals.min', '>=1']]],
    ['maxStepFactor above 1', yaml({ rollout: '  ramp: { maxStepFactor: 1 }' }), [['rollout.ramp.maxStepFactor', '>1']]],
    ['the file is a list', '- 1\n- 2\n', [['', 'expected object, got a list']]],
    // cross-field
    ['duplicate gate name', yaml({ gates: '  - { name: error_rate, provider: m, query: q, pass: "< 1" }' }), [['gates[1].name', 'duplicate gate name "error_rate" (first used by gates[0])']]],
    ['duplicate stage name', yaml().replace('name: canary_10', 'name: canary_1'), [['rollout.stages[1].name', 'duplicate stage name "canary_1"']]],
    ['traffic decreasing', yaml().replace('traffic: 10 }', 'traffic: 0 }'), [['rollout.stages[1].traffic', "below the previous stage's 1"]]],
    ['unknown provider', yaml({ gates: '  - { name: g2, provider: prom, query: q, pass: "< 1" }' }), [['gates[1].provider', 'unknown provider "prom"; defined: github, m']]],
    ['a provider named like an Object method', yaml({ gates: '  - { name: g2, provider: constructor, query: q, pass: "< 1" }' }), [['gates[1].provider', 'unknown provider "constructor"; defined: github, m']]],
    ['appliesTo unknown stage', yaml(gate('appliesTo: [canary_10, canary_99]')), [['gates[1].appliesTo', 'unknown stage "canary_99"']]],
    ['thresholds unknown stage', yaml(gate('thresholds: { canary_5: "< 2" }')), [['gates[1].thresholds.canary_5', 'unknown stage "canary_5"']]],
    ['thresholds stage with a dot in its name', yaml(gate('thresholds: { "canary.5": "< 2" }')), [['gates[1].thresholds["canary.5"]', 'unknown stage "canary.5"']]],
    ['relative pass without baseline', yaml({ gates: '  - { name: g2, provider: m, query: q, pass: "<= +10%" }' }), [['gates[1].pass', 'needs the gate to set `baseline`']]],
    ['relative threshold without baseline', yaml(gate('thresholds: { full: ["< 5", ">= -5%"] }')), [['gates[1].thresholds.full', 'needs the gate to set `baseline`']]],
    ['failAfter without over', yaml(gate('failAfter: 5m')), [['gates[1].failAfter', 'needs `over`']]],
    ['failAfter longer than over', yaml(gate('over: 60m, failAfter: 2h')), [['gates[1].failAfter', '2h is longer than over (60m)']]],
    ['step without over', yaml(gate('step: 30s')), [['gates[1].step', 'needs `over`']]],
    ['reduce on a file provider', yaml(gate('reduce: max')), [['gates[1].reduce', 'only valid for prometheus/datadog/cloudwatch/newrelic providers; "m" is file']]],
    ['activeFor on a file provider', yaml(gate('activeFor: 2m')), [['gates[1].activeFor', 'only valid for alertmanager providers']]],
    ['select on a file provider', yaml(gate('select: data.ratio')), [['gates[1].select', 'only valid for newrelic/postgres/http providers']]],
    ['approvals on a file provider', yaml({ gates: '  - { name: g2, provider: m, approvals: { min: 1 } }' }), [['gates[1].approvals', 'only valid for github providers']]],
    ['approvals gate with a pass and a query', yaml({ gates: '  - { name: g2, provider: github, approvals: { min: 1 }, query: q, pass: "== 0" }' }), [['gates[1].query', 'not used by an approvals gate'], ['gates[1].pass', 'not used by an approvals gate']]],
    ['approvals and checklist together', yaml({ gates: '  - { name: g2, provider: github, approvals: { min: 1 }, checklist: [a] }' }), [['gates[1].checklist', 'either approvals or checklist']]],
    ['thresholds without pass leave a stage unchecked', yaml({ gates: '  - { name: g2, provider: m, query: q, thresholds: { full: "< 2" } }' }), [['gates[1].pass', 'missing for canary_1, canary_10']]],
    ['thresholds without pass, appliesTo outside them', yaml({ gates: '  - { name: g2, provider: m, query: q, thresholds: { full: "< 2" }, appliesTo: [canary_10, full] }' }), [['gates[1].pass', 'missing for canary_10']]],
    ['a gate without query and pass', yaml({ gates: '  - { name: g2, provider: m }' }), [['gates[1].query', 'required'], ['gates[1].pass', 'required']]],
    ['freeze ends before it starts', yaml({ rollout: '  freezes: [{ from: "2026-12-20T00:00:00Z", to: "2026-12-01T00:00:00Z" }]' }), [['rollout.freezes[0].to', 'must be after "from"']]],
    ['empty window', yaml({ rollout: '  windows: [{ days: [mon], start: "09:00", end: "09:00" }]' }), [['rollout.windows[0].end', 'equals start']]],
    [
      'several problems in one file, all reported',
      yaml({ gates: ['  - { name: g2, provider: m, query: q, pass: "<< 1" }', '  - { name: g3, provider: m, query: q, pass: "< 1", over: 5y }', '  - { name: g4, provider: m, query: q, pass: "< 1", sevrity: minor }'].join('\n') }),
      [['gates[1].pass', 'is not a condition'], ['gates[2].over', 'expected a duration'], ['gates[3].sevrity', 'unknown key']],
    ],
    [
      'several cross-field problems, all reported',
      yaml({ gates: ['  - { name: error_rate, provider: m, query: q, pass: "< 1" }', '  - { name: g3, provider: nope, query: q, pass: "> -5%" }'].join('\n') }),
      [['gates[1].name', 'duplicate gate name'], ['gates[2].provider', 'unknown provider "nope"'], ['gates[2].pass', 'baseline']],
    ],
    [
      'schema and cross-field problems in one file, all reported',
      yaml({ top: 'deadlin: 5m', gates: ['  - { name: error_rate, provider: m, query: q, pass: "< 1" }', '  - { name: g3, provider: prom, query: q, pass: "< 1", over: 5y }'].join('\n') }),
      [['gates[2].over', 'expected a duration'], ['deadlin', 'unknown key'], ['gates[1].name', 'duplicate gate name'], ['gates[2].provider', 'unknown provider "prom"']],
    ],
    [
      'a field with a schema problem gets no second, cross-field message',
      yaml({ gates: '  - { name: g2, provider: m, query: q, pass: "< 1", thresholds: "< 2", appliesTo: canary_99 }' }),
      [['gates[1].thresholds', 'expected record'], ['gates[1].appliesTo', 'expected array']],
    ],
  ])('%s', (_name, text, expected) => {
    expectIssues(issuesOf(text), expected);
  });

  it('property: whatever a field holds, loading ends in the config or a ConfigError, never a crash', async () => {
    const base = parseYaml(yaml({ top: 'state: { type: file, path: s.json }', rollout: '  windows: [{ days: [mon], start: "09:00", end: "16:00" }]', gates: '  - { name: g2, provider: m, query: q, pass: "< 1", over: 60m, failAfter: 5m, thresholds: { full: "< 2" } }' })) as Record<string, any>;
    const paths: (string | number)[][] = [
      [], ['version'], ['rollout'], ['rollout', 'name'], ['rollout', 'stages'], ['rollout', 'stages', 0], ['rollout', 'stages', 1, 'traffic'], ['rollout', 'windows'], ['rollout', 'windows', 0, 'days'],
      ['providers'], ['providers', 'm'], ['providers', 'm', 'type'], ['state'], ['gates'], ['gates', 0], ['gates', 1, 'name'], ['gates', 1, 'provider'],
      ['gates', 1, 'pass'], ['gates', 1, 'thresholds'], ['gates', 1, 'appliesTo'], ['gates', 1, 'over'], ['gates', 1, 'failAfter'], ['gates', 1, 'approvals'],
    ];
    await fc.assert(
      yieldingProperty(fc.constantFrom(...paths), fc.anything({ maxDepth: 2 }), (path, value) => {
        let doc: unknown = value;
        if (path.length > 0) {
          doc = structuredClone(base);
          let node = doc as Record<string | number, any>;
          for (const seg of path.slice(0, -1)) node = node[seg];
          node[path[path.length - 1]!] = value;
        }
        try {
          parseConfig(JSON.stringify(doc) ?? 'null', 'c.json', {});
        } catch (e) {
          expect(e).toBeInstanceOf(ConfigError);
          for (const issue of (e as ConfigError).issues) expect(typeof issue.message).toBe('string');
        }
      }),
      { numRuns: Math.max(1, Math.round(Number(process.env.FUZZ_RUNS ?? 1000) / 2)), seed: process.env.CI ? 42 : undefined },
    );
  });

  it.each<[string, string, string]>([
    ['duplicate keys', 'version: 1\nversion: 1\n', 'line 2, column 1: not valid YAML: Map keys must be unique'],
    ['an unclosed list', 'version: 1\nrollout:\n  stages: [1, 2\ngates: []\n', 'line 4'],
    ['a tab', 'version: 1\nrollout:\n\tname: x\n', 'line 3'],
  ])('YAML syntax error (%s) names the line', (_name, text, message) => {
    const issues = issuesOf(text);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toEqual({ path: '', message: expect.stringContaining(message) });
    expect(issues[0]!.message).toContain('not valid YAML');
  });

  it('an empty file says what was expected', () => {
    expectIssues(issuesOf('# nothing here\n'), [['', 'the file is empty; expected a rollout-gate config']]);
  });

  it('the error message names the file and every path, without a stack trace', () => {
    const text = yaml({ top: 'bogus: 1', gates: '  - { name: g2, provider: m, query: q, pass: "< 1", over: 5y }' });
    let message = '';
    try {
      parseConfig(text, '.github/rollout-gate.yml', {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')[0]).toBe('.github/rollout-gate.yml: 2 problems');
    expect(message).toContain('  - gates[1].over: expected a duration');
    expect(message).toContain('  - bogus: unknown key');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('a missing file is a config error naming the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rg-config-')), 'nope.yml');
    expect(() => loadConfigFile(file, {})).toThrow(ConfigError);
    expect(() => loadConfigFile(file, {})).toThrow(`${file}: 1 problem\n  - file not found`);
  });
});

describe('config: ${VAR} substitution', () => {
  const env = { PROMETHEUS_URL: 'https://prom.internal:9090', PROM_TOKEN: 'tok-123456', DB_URL: 'postgres://u:dbpass@db/x', TEAM: 'sre' };

  it('reads the environment, and reports values used in providers and state as secrets', () => {
    const cfg = parseConfig(
      yaml({
        providers: '  prom: { type: prometheus, url: "${PROMETHEUS_URL}", headers: { Authorization: "Bearer ${PROM_TOKEN}" } }\n  db: { type: postgres, url: "${DB_URL}" }',
        top: 'state: { type: github, branch: "ledger-${TEAM}" }',
      }),
      'c.yml',
      env,
    );
    expect(cfg.providers.prom).toMatchObject({ url: 'https://prom.internal:9090', headers: { Authorization: 'Bearer tok-123456' } });
    expect(cfg.state).toEqual({ type: 'github', branch: 'ledger-sre' });
    expect(cfg.secrets).toEqual(expect.arrayContaining(['tok-123456', 'postgres://u:dbpass@db/x', 'dbpass', 'sre']));
    // A bare endpoint is not a credential: messages name the host they could not reach.
    expect(cfg.secrets).not.toContain('https://prom.internal:9090');
  });

  it('values substituted outside providers and state are not secrets', () => {
    const cfg = parseConfig(yaml({ gates: '  - { name: g2, provider: m, query: "team.${TEAM}.errors", pass: "< 1" }' }), 'c.yml', env);
    expect(cfg.gates[1]!.query).toBe('team.sre.errors');
    expect(cfg.secrets).toEqual([]);
  });

  it('$$ is a literal $, and $${VAR} is not substituted', () => {
    const cfg = parseConfig(
      yaml({ providers: '  api: { type: http, url: "https://gates", headers: { A: "$${PROM_TOKEN}", B: "cost: 5$$", C: "$$$${PROM_TOKEN}" } }' }),
      'c.yml',
      env,
    );
    expect(cfg.providers.api).toMatchObject({ headers: { A: '${PROM_TOKEN}', B: 'cost: 5$', C: '$${PROM_TOKEN}' } });
    expect(cfg.secrets).toEqual([]);
  });

  it('a substituted value cannot inject YAML', () => {
    const cfg = parseConfig(yaml({ gates: '  - { name: g2, provider: m, query: "${Q}", pass: "< 1" }' }), 'c.yml', { Q: 'x\nseverity: minor' });
    expect(cfg.gates[1]).toMatchObject({ query: 'x\nseverity: minor', severity: 'major' });
  });

  it.each<[string, string, [string, string][]]>([
    ['in a provider URL', yaml({ providers: '  prom: { type: prometheus, url: "${PROMETHEUS_URL}" }' }), [['providers.prom.url', 'environment variable PROMETHEUS_URL is not set']]],
    ['in a header', yaml({ providers: '  api: { type: http, url: "https://x", headers: { X-Token: "${GATES_TOKEN}" } }' }), [['providers.api.headers.X-Token', 'GATES_TOKEN is not set']]],
    ['in the state path', yaml({ top: 'state: { type: file, path: "${ROLLOUT_DIR}/state.json" }' }), [['state.path', 'ROLLOUT_DIR is not set']]],
    ['in a gate query', yaml({ gates: '  - { name: g2, provider: m, query: "${METRIC}", pass: "< 1" }' }), [['gates[1].query', 'METRIC is not set']]],
    [
      'two missing variables and a schema problem',
      yaml({ providers: '  prom: { type: prometheus, url: "${PROMETHEUS_URL}", headers: { A: "${TOKEN_A}" } }', top: 'deadline: soon' }),
      [['providers.prom.url', 'PROMETHEUS_URL is not set'], ['providers.prom.headers.A', 'TOKEN_A is not set'], ['deadline', 'expected a duration']],
    ],
    ['written with a hyphen', yaml({ providers: '  api: { type: http, url: "https://x", headers: { A: "Bearer ${PROM-TOKEN}" } }' }), [['providers.api.headers.A', '"${PROM-TOKEN}" is not a variable reference']]],
    ['with a shell default', yaml({ top: 'state: { type: file, path: "${DIR:-/tmp}/s.json" }' }), [['state.path', '"${DIR:-/tmp}" is not a variable reference']]],
  ])('a missing variable %s is an error naming the path', (_name, text, expected) => {
    expectIssues(issuesOf(text, 'c.yml', {}), expected);
  });

  it('URL passwords and basicAuth passwords are secrets, as written and decoded', () => {
    const cfg = parseConfig(
      yaml({
        providers: [
          '  prom: { type: prometheus, url: "https://prom", basicAuth: { username: bot, password: hunter2 } }',
          '  db: { type: postgres, url: "postgres://app:s%40fe@db:5432/app" }',
        ].join('\n'),
        top: 'state: { type: http, url: "https://svc:statepw@state.internal/rollout" }',
      }),
      'c.yml',
      {},
    );
    expect([...cfg.secrets].sort()).toEqual(['hunter2', 's%40fe', 's@fe', 'statepw']);
  });
});

describe('config: JSON files', () => {
  const json = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      version: 1,
      rollout: { name: 'chat', stages: [{ name: 'canary_1', traffic: 1 }, { name: 'full', traffic: 100 }] },
      providers: { m: { type: 'file', path: '${DIR}/metrics.json' } },
      gates: [{ name: 'err', provider: 'm', query: 'err', pass: '< 0.01' }],
      ...over,
    });

  it('loads a JSON config with substitution', () => {
    const cfg = parseConfig(json(), 'rollout-gate.json', { DIR: '/srv' });
    expect(cfg.providers.m).toEqual({ type: 'file', path: '/srv/metrics.json' });
    expect(cfg.gates[0]!.pass!.map((c) => c.text)).toEqual(['< 0.01']);
  });

  it.each<[string, string, [string, string][]]>([
    ['an unknown key', json({ gate: [] }), [['gate', 'unknown key']]],
    ['a bad condition', json({ gates: [{ name: 'err', provider: 'm', query: 'err', pass: '<' }] }), [['gates[0].pass', 'is not a condition']]],
    ['a missing variable', json().replace('${DIR}', '${NOPE}'), [['providers.m.path', 'NOPE is not set']]],
    ['a syntax error', json().slice(0, -1), [['', 'not valid JSON']]],
    ['a syntax error on a later line, with its line', '{\n  "version": 1,\n  "rollout": {,\n}', [['', 'line 3, column 15: not valid JSON']]],
  ])('reports %s', (_name, text, expected) => {
    expectIssues(issuesOf(text, 'rollout-gate.json', { DIR: '/srv' }), expected);
  });

  it('a .json file is parsed as JSON: YAML-only syntax is an error', () => {
    expectIssues(issuesOf('version: 1\n', 'c.json'), [['', 'not valid JSON']]);
  });

  it('loadConfigFile reads YAML and JSON from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-config-'));
    writeFileSync(join(dir, 'c.json'), json());
    writeFileSync(join(dir, 'c.yml'), yaml());
    expect(loadConfigFile(join(dir, 'c.json'), { DIR: dir }).file).toBe(join(dir, 'c.json'));
    expect(loadConfigFile(join(dir, 'c.yml'), {}).gates.map((g) => g.name)).toEqual(['error_rate']);
  });
});

describe('config: the shipped examples load', () => {
  const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
  // Every variable an example may reference, set explicitly so the test never depends on the caller's environment.
  const env: NodeJS.ProcessEnv = {
    ROLLOUT_DEMO_DIR: '/tmp/rollout-demo',
    PROMETHEUS_URL: 'https://prometheus.example.com',
    PROMETHEUS_TOKEN: 'prom-token',
    DATABASE_URL: 'postgres://gate:secret@db.example.com:5432/app',
    GATES_TOKEN: 'gates-token',
    ALERTMANAGER_URL: 'https://alertmanager.example.com',
    ALERTMANAGER_PASSWORD: 'am-password',
    GATES_URL: 'https://gates.example.com',
  };
  const examples = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('there is at least the chat-service example', () => {
    expect(examples).toContain('chat-rollout.yml');
  });

  it.for(examples)('examples/%s is a valid config', (f, ctx) => {
    let cfg: Config;
    try {
      cfg = loadConfigFile(join(dir, f), env);
    } catch (e) {
      // An example needing a variable this test does not set is skipped, naming it; any other problem fails.
      const unset = e instanceof ConfigError ? e.issues.map((i) => /^environment variable (\w+) is not set$/.exec(i.message)?.[1]) : [undefined];
      if (unset.every((v) => v !== undefined)) return ctx.skip(`needs ${unset.join(', ')}`);
      throw e;
    }
    expect(cfg.gates.length).toBeGreaterThan(0);
    expect(cfg.rollout.stages.length).toBeGreaterThan(1);
  });

  it('chat-rollout.yml resolves the demo directory and has critical P0 gates', () => {
    const cfg = loadConfigFile(join(dir, 'chat-rollout.yml'), env);
    expect(cfg.state).toEqual({ type: 'file', path: '/tmp/rollout-demo/state.json' });
    expect(cfg.gates.filter((g) => g.severity === 'critical').map((g) => g.name)).toEqual(['ack_without_receipt_rate', 'duplicate_message_rate']);
    expect(cfg.rollout.stages.map((s) => s.name)).toEqual(['canary_1', 'canary_10', 'canary_50', 'full']);
  });
});

describe('config: compare and shadow gates', () => {
  const providers = [
    '  prom: { type: prometheus, url: "https://prom" }',
    '  db: { type: postgres, url: "postgres://u@db/x" }',
    '  api: { type: http, url: "https://gates" }',
    '  am: { type: alertmanager, url: "https://am" }',
  ].join('\n');
  /** A gate on Prometheus with the given fields after its name, provider and query. */
  const cmp = (fields: string) => yaml({ providers, gates: `  - { name: lat, provider: prom, query: q, ${fields} }` });
  const load = (text: string) => parseConfig(text, 'c.yml', {}).gates[1]!;

  it('a compare gate loads with the defaults of SPEC §7.1', () => {
    const g = load(cmp('over: 30m, baseline: b, compare: { test: mann-whitney }'));
    expect(g).toMatchObject({ baseline: 'b', baselineOffsetMs: null, pass: null, minSamples: 10, shadow: false, overMs: 30 * 60_000 });
    expect(g.compare).toEqual({ test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0, sigma: null });
    expect(load(cmp('over: 30m, baseline: b, compare: {}')).compare).toEqual(g.compare);
  });

  it.each<[string, string, Partial<Gate>]>([
    ['sigma with its default', 'over: 30m, baseline: b, compare: { test: sigma }', { compare: { test: 'sigma', direction: 'increase', confidence: null, allowedChange: null, sigma: 3 } }],
    ['sigma with every option', 'over: 30m, baseline: b, compare: { test: sigma, direction: either, sigma: 2.5 }', { compare: { test: 'sigma', direction: 'either', confidence: null, allowedChange: null, sigma: 2.5 } }],
    [
      'mann-whitney with every option, shadow and minSamples',
      'over: 30m, baseline: b, compare: { direction: decrease, confidence: 0.95, allowedChange: "12.5%" }, shadow: true, minSamples: 30',
      { compare: { test: 'mann-whitney', direction: 'decrease', confidence: 0.95, allowedChange: 0.125, sigma: null }, shadow: true, minSamples: 30 },
    ],
    ['allowedChange "10%" is exactly 0.1, "+10%" too', 'over: 30m, baseline: b, compare: { allowedChange: "+10%" }', { compare: { test: 'mann-whitney', direction: 'increase', confidence: 0.98, allowedChange: 0.1, sigma: null } }],
    ['baselineOffset instead of baseline', 'over: 30m, baselineOffset: 7d, compare: { test: mann-whitney }', { baseline: null, baselineOffsetMs: 7 * 86_400_000 }],
    ['shadow on an ordinary gate', 'pass: "< 1", shadow: true', { shadow: true, compare: null, minSamples: 1 }],
  ])('%s', (_name, fields, expected) => {
    expect(load(cmp(fields))).toMatchObject(expected);
  });

  it.each(['db', 'api', 'm'])('provider %s (returns a series) takes compare', (provider) => {
    const g = load(yaml({ providers, gates: `  - { name: lat, provider: ${provider}, query: q, over: 30m, baselineOffset: 1d, compare: {} }` }));
    expect(g.compare).not.toBeNull();
  });

  it.each<[string, string, [string, string][]]>([
    ['without over', 'baseline: b, compare: {}', [['gates[1].over', 'required by compare: both sides are read over this window']]],
    ['without baseline or baselineOffset', 'over: 30m, compare: {}', [['gates[1].baseline', 'required by compare: a query for the baseline, or baselineOffset']]],
    ['with baseline and baselineOffset', 'over: 30m, baseline: b, baselineOffset: 7d, compare: {}', [['gates[1].baselineOffset', 'either baseline or baselineOffset, not both']]],
    ['with pass', 'over: 30m, baseline: b, pass: "< 1", compare: {}', [['gates[1].pass', 'not used by a compare gate']]],
    ['with thresholds', 'over: 30m, baseline: b, thresholds: { full: "< 1" }, compare: {}', [['gates[1].thresholds', 'not used by a compare gate']]],
    ['with failAfter', 'over: 30m, baseline: b, failAfter: 5m, compare: {}', [['gates[1].failAfter', 'not used by a compare gate']]],
    ['baselineOffset without compare', 'over: 30m, pass: "< 1", baselineOffset: 7d', [['gates[1].baselineOffset', 'only with `compare`']]],
    ['confidence with the sigma test', 'over: 30m, baseline: b, compare: { test: sigma, confidence: 0.9 }', [['gates[1].compare.confidence', 'only for test: mann-whitney; the sigma test uses compare.sigma']]],
    ['allowedChange with the sigma test', 'over: 30m, baseline: b, compare: { test: sigma, allowedChange: "5%" }', [['gates[1].compare.allowedChange', 'only for test: mann-whitney']]],
    ['sigma with mann-whitney (the default test)', 'over: 30m, baseline: b, compare: { sigma: 2 }', [['gates[1].compare.sigma', 'only for test: sigma; the mann-whitney test uses compare.confidence and compare.allowedChange']]],
    ['confidence 1', 'over: 30m, baseline: b, compare: { confidence: 1 }', [['gates[1].compare.confidence', '<1']]],
    ['confidence 0', 'over: 30m, baseline: b, compare: { confidence: 0 }', [['gates[1].compare.confidence', '>0']]],
    ['confidence as a percentage', 'over: 30m, baseline: b, compare: { confidence: 98% }', [['gates[1].compare.confidence', 'expected number, got string "98%"']]],
    ['sigma 0', 'over: 30m, baseline: b, compare: { test: sigma, sigma: 0 }', [['gates[1].compare.sigma', '>0']]],
    ['allowedChange as a number', 'over: 30m, baseline: b, compare: { allowedChange: 0.1 }', [['gates[1].compare.allowedChange', 'expected a percentage like "10%", got number 0.1']]],
    ['a negative allowedChange', 'over: 30m, baseline: b, compare: { allowedChange: "-5%" }', [['gates[1].compare.allowedChange', 'expected a percentage like "10%"']]],
    ['allowedChange without %', 'over: 30m, baseline: b, compare: { allowedChange: "10" }', [['gates[1].compare.allowedChange', 'expected a percentage like "10%"']]],
    ['an unknown test', 'over: 30m, baseline: b, compare: { test: t-test }', [['gates[1].compare.test', '"mann-whitney"|"sigma"']]],
    ['an unknown direction', 'over: 30m, baseline: b, compare: { direction: up }', [['gates[1].compare.direction', '"increase"|"decrease"|"either"']]],
    ['a typo in compare', 'over: 30m, baseline: b, compare: { confidense: 0.9 }', [['gates[1].compare.confidense', 'unknown key']]],
    ['compare: true', 'over: 30m, baseline: b, compare: true', [['gates[1].compare', 'expected object, got boolean true']]],
    ['a bad baselineOffset', 'over: 30m, baselineOffset: 1 week, compare: {}', [['gates[1].baselineOffset', 'expected a duration']]],
    ['shadow: yes', 'pass: "< 1", shadow: "yes"', [['gates[1].shadow', 'expected boolean, got string "yes"']]],
    [
      'every compare rule at once',
      'baseline: b, baselineOffset: 7d, pass: "< 1", compare: { test: sigma, confidence: 0.9 }',
      [['gates[1].over', 'required by compare'], ['gates[1].baselineOffset', 'not both'], ['gates[1].pass', 'not used by a compare gate'], ['gates[1].compare.confidence', 'only for test: mann-whitney']],
    ],
  ])('%s', (_name, fields, expected) => {
    expectIssues(issuesOf(cmp(fields)), expected);
  });

  it.each<[string, string]>([
    ['am', 'only valid for prometheus/datadog/cloudwatch/newrelic/postgres/http/file providers; "am" is alertmanager'],
    ['github', 'only valid for prometheus/datadog/cloudwatch/newrelic/postgres/http/file providers; "github" is github'],
  ])('a compare gate on %s is refused', (provider, message) => {
    expectIssues(issuesOf(yaml({ providers, gates: `  - { name: lat, provider: ${provider}, query: q, over: 30m, baseline: b, compare: {} }` })), [['gates[1].compare', message]]);
  });

  it('a file with a schema problem still gets the compare rules checked', () => {
    expectIssues(issuesOf(cmp('over: 30m, compare: { test: sigma, sigma: -1 }')), [['gates[1].compare.sigma', '>0'], ['gates[1].baseline', 'required by compare']]);
  });
});
