import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { Redactor } from '../../src/secrets.js';

/** A valid config; tests add the `notify`/`apply` part (top) or stage flags they check. */
function yaml({ top = '', canaryFlags = '' } = {}): string {
  return `version: 1
rollout:
  name: chat
  stages:
    - { name: canary_1, traffic: 1${canaryFlags ? `, flags: ${canaryFlags}` : ''} }
    - { name: full, traffic: 100 }
providers:
  m: { type: file, path: metrics.json }
gates:
  - { name: error_rate, provider: m, query: chat.error_rate, pass: "< 0.01" }
${top}`;
}

function issuesOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigIssue[] {
  try {
    parseConfig(text, 'rollout-gate.yml', env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message.startsWith('rollout-gate.yml: ')).toBe(true);
    return [...(e as ConfigError).issues];
  }
  throw new Error('expected the config to be rejected');
}

describe('notify, apply and stage flags: valid files', () => {
  it('normalises notify targets with the default `on`, apply with its defaults, and flags', () => {
    const cfg = parseConfig(
      yaml({
        canaryFlags: '{ newComposer: true, model: { name: v2, temperature: 0.2 } }',
        top: `notify:
  - { type: slack, url: "https://hooks.slack.com/services/T000/B000/XXXXXXXX" }
  - { type: teams, url: "https://x.logic.azure.com/workflows/a/invoke?sig=abcdefghij", on: [HOLD, ROLLBACK] }
  - { type: webhook, url: "https://hooks.internal/rollout", secret: literal-secret, on: [state-change, state-change] }
apply:
  url: https://flags.internal/rollouts/chat
  headers: { Authorization: "Bearer literal-token-123", X-Team: web }
`,
      }),
      'rollout-gate.yml',
      {},
    );
    expect(cfg.notify).toEqual([
      { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX', on: ['ROLLBACK', 'state-change'], secret: null },
      { type: 'teams', url: 'https://x.logic.azure.com/workflows/a/invoke?sig=abcdefghij', on: ['HOLD', 'ROLLBACK'], secret: null },
      { type: 'webhook', url: 'https://hooks.internal/rollout', on: ['state-change'], secret: 'literal-secret' },
    ]);
    expect(cfg.apply).toEqual({ url: 'https://flags.internal/rollouts/chat', method: 'PUT', headers: { Authorization: 'Bearer literal-token-123', 'X-Team': 'web' }, timeoutMs: 10_000 });
    expect(cfg.rollout.stages.map((s) => s.flags)).toEqual([{ newComposer: true, model: { name: 'v2', temperature: 0.2 } }, null]);
    // A chat webhook URL is a credential even when written literally; so is the signing key.
    const r = new Redactor(cfg.secrets);
    expect(r.redact('posting to https://hooks.slack.com/services/T000/B000/XXXXXXXX')).toBe('posting to ***');
    expect(r.redact('path T000/B000/XXXXXXXX')).toBe('path ***');
    expect(r.redact('sig=abcdefghij')).toBe('sig=***');
    expect(r.redact('key literal-secret')).toBe('key ***');
    expect(r.redact('token literal-token-123, team web')).toBe('token ***, team web');
  });

  it('has no notify targets and no apply when the file names none', () => {
    const cfg = parseConfig(yaml(), 'rollout-gate.yml', {});
    expect(cfg.notify).toEqual([]);
    expect(cfg.apply).toBeNull();
  });

  it('interpolates ${VAR} in notify and apply, and treats the values as secrets', () => {
    const env = { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T1/B2/tok3n', HOOK_SECRET: 'hmac-key-1', FLAGS_API: 'https://flags.internal', FLAGS_TOKEN: 'tok-abcdef' };
    const cfg = parseConfig(
      yaml({
        top: `notify:
  - { type: slack, url: "\${SLACK_WEBHOOK_URL}" }
  - { type: webhook, url: "https://hooks.internal/rollout", secret: "\${HOOK_SECRET}" }
apply:
  url: "\${FLAGS_API}/rollouts/chat"
  method: PATCH
  headers: { Authorization: "Bearer \${FLAGS_TOKEN}" }
  timeout: 30s
`,
      }),
      'rollout-gate.yml',
      env,
    );
    expect(cfg.notify[0]!.url).toBe(env.SLACK_WEBHOOK_URL);
    expect(cfg.apply).toEqual({ url: 'https://flags.internal/rollouts/chat', method: 'PATCH', headers: { Authorization: 'Bearer tok-abcdef' }, timeoutMs: 30_000 });
    expect(cfg.secrets).toEqual(expect.arrayContaining([env.SLACK_WEBHOOK_URL, env.HOOK_SECRET, env.FLAGS_TOKEN]));
    // A bare endpoint is not a credential: messages about it name the host.
    expect(cfg.secrets).not.toContain(env.FLAGS_API);
  });
});

describe('notify, apply and stage flags: errors name the path', () => {
  it.each([
    ['notify:\n  - { type: slack, url: "https://hooks.slack.com/services/a/b/c", secret: x }', 'notify[0].secret', 'only for type webhook'],
    ['notify:\n  - { type: webhook, url: "https://h/x" }\n  - { type: teams, url: "https://h/y", secret: x }', 'notify[1].secret', 'a teams webhook is not signed'],
    ['notify:\n  - { type: discord, url: "https://h/x" }', 'notify[0].type', 'slack'],
    ['notify:\n  - { type: slack, url: "hooks.slack.com/x" }', 'notify[0].url', 'expected an http:// or https:// URL'],
    ['notify:\n  - { type: slack }', 'notify[0].url', 'required'],
    ['notify:\n  - { type: slack, url: "https://h/x", on: [FAIL] }', 'notify[0].on[0]', 'ROLLBACK'],
    ['notify:\n  - { type: slack, url: "https://h/x", on: [] }', 'notify[0].on', '1'],
    ['notify:\n  - { type: slack, url: "https://h/x", channel: "#ops" }', 'notify[0].channel', 'unknown key'],
    ['notify: { type: slack, url: "https://h/x" }', 'notify', 'expected array'],
    ['apply:\n  url: https://h/x\n  method: DELETE', 'apply.method', 'PUT'],
    ['apply:\n  url: https://h/x\n  timeout: soon', 'apply.timeout', 'expected a duration'],
    ['apply:\n  method: PUT', 'apply.url', 'required'],
    ['apply:\n  url: https://h/x\n  headers: { X-N: 1 }', 'apply.headers.X-N', 'expected string'],
  ])('%s → %s', (top, path, message) => {
    const issues = issuesOf(yaml({ top }));
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it.each([
    ['[on, off]', 'a list'],
    ['true', 'boolean true'],
    ['"x"', 'string "x"'],
  ])('stage flags %s are refused: a mapping is expected', (flags, got) => {
    expect(issuesOf(yaml({ canaryFlags: flags }))).toEqual([{ path: 'rollout.stages[0].flags', message: `expected a mapping of flags (any JSON object), got ${got}` }]);
  });

  it('an unset variable in notify is named by its path, and its value never printed', () => {
    expect(issuesOf(yaml({ top: 'notify:\n  - { type: slack, url: "${SLACK_WEBHOOK_URL}" }' }))).toEqual([
      { path: 'notify[0].url', message: 'environment variable SLACK_WEBHOOK_URL is not set' },
    ]);
  });

  it('reports a misplaced secret together with other problems of the file', () => {
    const issues = issuesOf(yaml({ top: 'notify:\n  - { type: teams, url: "https://h/y", secret: x }\n  - { type: nope, url: "https://h/z" }' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['notify[0].secret', 'notify[1].type']);
  });
});
