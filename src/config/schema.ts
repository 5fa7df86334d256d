import { z } from 'zod';
import { durationError, parseDuration } from '../engine/duration.js';
import { parseCondition, ConditionSyntaxError } from '../engine/conditions.js';
import { basicAuth, duration, headers, httpUrl, lagDuration, obj, pgSsl, postgresUrl, retries } from './fields.js';
import { alertmanagerModule, cloudwatchModule, datadogModule, fileModule, githubModule, httpModule, newrelicModule, postgresModule, prometheusModule } from '../providers/modules/index.js';
export { DATADOG_SITES } from '../providers/modules/index.js';


export const NAME_PATTERN = /^[a-z0-9._-]+$/;


const conditionText = z.string().superRefine((s, ctx) => {
  try {
    parseCondition(s);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) ctx.addIssue({ code: 'custom', message: e.message });
    else throw e;
  }
});

const condition = z
  .union([conditionText, z.array(conditionText).min(1)])
  .describe('A condition "<op> <operand>" (op: < <= > >= == !=; operand: number, true, false, +N% or -N% of the baseline), or a list that must all hold.');

const severity = z.enum(['critical', 'major', 'minor']).describe('critical fails → ROLLBACK, major → HOLD, minor → warning only.');
const noData = z.enum(['hold', 'fail', 'pass']).describe('What a gate with no data does: hold forces HOLD, fail counts as a failure at its severity, pass passes with a warning.');

const stage = obj({
  name: z.string().regex(NAME_PATTERN, 'expected a name of [a-z0-9._-]'),
  traffic: z.number().min(0).max(100).describe('Percent of traffic at this stage.'),
  minDuration: duration.optional().describe('Minimum time in this stage before promoting out of it.'),
  flags: z.record(z.string(), z.unknown(), { error: 'expected a mapping of flags (any JSON object)' }).optional().describe('Sent with `apply` and output as JSON when the rollout is in this stage.'),
});

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time "HH:MM" (24-hour)');
const isoInstant = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'expected an ISO-8601 instant like "2026-12-20T00:00:00Z"',
});

/** Building a DateTimeFormat costs most of a config's validation: remember each zone's verdict. */
const zoneVerdicts = new Map<string, boolean>();
function isTimeZone(tz: string): boolean {
  let ok = zoneVerdicts.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (zoneVerdicts.size < 1000) zoneVerdicts.set(tz, ok);
  }
  return ok;
}

const ianaZone = z.string().refine(
  isTimeZone,
  { message: 'expected an IANA time zone like "Europe/Berlin" or "UTC"' },
);

const rollout = obj({
  name: z.string().regex(NAME_PATTERN, 'expected a name of [a-z0-9._-]'),
  stages: z.array(stage).min(1),
  ramp: obj({
    maxStepFactor: z.number().gt(1).optional().describe('Target traffic may be at most this factor × current traffic.'),
    cooldownAfterRollback: duration.optional(),
    allowSkip: z.boolean().optional(),
  }).optional(),
  windows: z.array(obj({
    days: z.array(weekday).min(1),
    start: clock,
    end: clock,
    tz: ianaZone.default('UTC'),
  })).optional().describe('Promotions only inside one of these windows; none = always.'),
  freezes: z.array(obj({
    from: isoInstant,
    to: isoInstant,
    reason: z.string().optional(),
  })).optional().describe('No promotion inside these intervals.'),
  forceAllowed: z.array(z.string().min(1)).optional().describe('Logins or @org/team allowed to force a promotion or release the kill switch (resume).'),
});

export const providerSchema = z.discriminatedUnion('type', [
  prometheusModule.schema,
  alertmanagerModule.schema,
  postgresModule.schema,
  httpModule.schema,
  fileModule.schema,
  githubModule.schema,
  datadogModule.schema,
  cloudwatchModule.schema,
  newrelicModule.schema,
]);

/** cloudwatch: one metric, read with one statistic per period (CloudWatch's MetricStat). */
export const metricStatSchema = obj({
  namespace: z.string().min(1),
  metric: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).optional(),
  stat: z.string().min(1).describe('Average, Sum, Minimum, Maximum, SampleCount, p99, tm90, …'),
  period: z
    .number()
    .int()
    .refine((p) => [1, 5, 10, 30].includes(p) || (p > 0 && p % 60 === 0), { message: 'expected 1, 5, 10, 30 or a multiple of 60 (seconds)' })
    .optional()
    .describe('Seconds per datapoint; default the gate\'s step (60 without `over`).'),
}).describe('cloudwatch: a MetricStat instead of a metric-math expression.');
const queryText = z.union([z.string().min(1), metricStatSchema]);

const approvals = obj({
  min: z.number().int().min(1),
  from: z.array(z.string().min(1)).optional(),
});

/** A non-negative percentage: "10%", "2.5%", "+10%". */
const allowedChange = z
  .string({ error: 'expected a percentage like "10%"' })
  .regex(/^\+?(\d+(\.\d*)?|\.\d+)%$/, 'expected a percentage like "10%" (the change of the mean still allowed)')
  .describe('mann-whitney: a change of the mean up to this much is fine even when significant (default 0%).');

const compare = obj({
  test: z.enum(['mann-whitney', 'sigma']).optional().describe('The statistical test (default mann-whitney).'),
  direction: z.enum(['increase', 'decrease', 'either']).optional().describe('Which way is bad (default increase).'),
  confidence: z.number().gt(0).lt(1).optional().describe('mann-whitney: the confidence of the interval of the shift (default 0.98).'),
  allowedChange: allowedChange.optional(),
  sigma: z.number().gt(0).optional().describe('sigma: how many baseline standard deviations the canary mean may move (default 3).'),
}).describe('Judge the window against the baseline (or baselineOffset) with a statistical test instead of `pass`.');

export const gateSchema = obj({
  name: z.string().min(1).max(200),
  provider: z.string().min(1),
  query: queryText.optional(),
  baseline: queryText.optional().describe('A query for the baseline value that relative conditions (+N%/-N%) compare against.'),
  pass: condition.optional(),
  thresholds: z.record(z.string(), condition).optional().describe('Per target stage: replaces `pass` when promoting to that stage.'),
  appliesTo: z.array(z.string()).min(1).optional().describe('Target stages this gate applies to; default all.'),
  severity: severity.optional(),
  noData: noData.optional(),
  minSamples: z.number().int().min(1).optional(),
  over: duration.optional().describe('Every sample in this window must hold (a range query).'),
  failAfter: duration.optional().describe('Within `over`, only an unbroken violation at least this long fails.'),
  step: duration.optional().describe('The range-query step asked for; default over/120, at least 15s. Windows are judged at the resolution the store returns, which may be coarser.'),
  lag: lagDuration.optional().describe('The judged window ends this long before now (default: the provider\'s `lag`, else its type\'s default).'),
  select: z.string().min(1).optional().describe('http: dotted path into the JSON body; postgres: the column; newrelic: the result column.'),
  reduce: z.enum(['max', 'min', 'avg', 'sum']).optional().describe('prometheus, datadog, cloudwatch, newrelic: how several series become one.'),
  staleAfter: duration.optional().describe('prometheus, datadog, cloudwatch, newrelic: the newest sample older than this is no data (default 5m).'),
  activeFor: duration.optional().describe('alertmanager: count only alerts active at least this long.'),
  approvals: approvals.optional(),
  checklist: z.array(z.string().min(1)).min(1).optional(),
  compare: compare.optional(),
  baselineOffset: duration.optional().describe('compare: the baseline is the gate\'s own query over the same window this much earlier (e.g. 7d).'),
  shadow: z.boolean().optional().describe('Judged and reported, never part of the decision (default false).'),
});

export const stateSchema = z.discriminatedUnion('type', [
  obj({ type: z.literal('file'), path: z.string().min(1) }),
  obj({
    type: z.literal('github'),
    branch: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
  }),
  obj({
    type: z.literal('postgres'),
    url: postgresUrl,
    ssl: pgSsl.optional(),
    read: z.string().min(1),
    write: z.string().min(1).optional(),
    timeout: duration.optional(),
    evidenceDir: z.string().min(1).optional(),
  }),
  obj({
    type: z.literal('http'),
    url: httpUrl,
    headers: headers.optional(),
    timeout: duration.optional(),
    retries: retries.optional(),
    evidenceDir: z.string().min(1).optional(),
  }),
]);

const notifyTarget = obj({
  type: z.enum(['slack', 'teams', 'webhook']).describe('slack: Block Kit; teams: a workflow webhook with an Adaptive Card; webhook: signed JSON.'),
  url: httpUrl,
  on: z.array(z.enum(['PROCEED', 'HOLD', 'ROLLBACK', 'state-change'])).min(1).optional().describe('Decisions and/or state-change (default [ROLLBACK, state-change]).'),
  secret: z.string().min(1).optional().describe('webhook only: the key of the X-Rollout-Gate-Signature-256 HMAC.'),
});

const apply = obj({
  url: httpUrl,
  method: z.enum(['PUT', 'POST', 'PATCH']).optional().describe('Default PUT.'),
  headers: headers.optional(),
  timeout: duration.optional().describe('All attempts together (default 10s).'),
}).describe('Called with { rollout, stage, traffic, flags, killSwitch, reason } for the stage the rollout moves to.');

export const configSchema = obj({
  $schema: z.string().optional(),
  version: z.literal(1),
  rollout,
  state: stateSchema.optional(),
  evidence: obj({
    template: z.string().min(1).optional(),
  }).optional(),
  report: obj({
    charts: z.enum(['sparkline', 'mermaid']).optional().describe('sparkline (default): a sparkline per windowed gate; mermaid: also a Mermaid line chart per comparison gate in the PR comment, job summary and Go/No-Go.'),
  }).optional(),
  providers: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a provider name of [A-Za-z0-9_-]'), providerSchema).default({}),
  defaults: obj({
    noData: noData.optional(),
    severity: severity.optional(),
    timeout: duration.optional(),
    concurrency: z.number().int().min(1).max(256).optional(),
  }).optional(),
  deadline: duration.optional().describe('The whole run; past it the decision is HOLD ("deadline exceeded").'),
  watch: obj({
    onCritical: z.enum(['rollback', 'rollback-and-kill', 'report']).optional().describe('What `watch` does when a critical gate fails: roll back to the previous stage (default), also engage the kill switch, or only report.'),
    onMajor: z.enum(['pause', 'report']).optional().describe('What `watch` does when a major gate fails or has no data under noData: hold: pause the rollout (default) or only report.'),
    checkpoints: z.array(duration).max(50).optional().describe('When a `watch` that changes nothing writes full evidence (snapshot and Go/No-Go): the first run past each of these times after the stage was entered (default [15m, 30m, 60m]); also on every state change and the first failing and first recovered run. Other runs append their decision-log line only.'),
  }).optional(),
  gates: z.array(gateSchema).default([]),
  notify: z.array(notifyTarget).optional().describe('Where decisions and state changes are announced; a failed notification is a warning.'),
  apply: apply.optional(),
  chatops: obj({
    allowed: z.array(z.string().min(1)).min(1).optional().describe('Logins or @org/team who may run /rollout commands in pull request comments; default: anyone with write permission on the repository.'),
  }).optional().describe('Commands in pull request comments (Action command: comment).'),
  deployments: obj({
    environment: z.string().min(1).optional().describe("The GitHub environment the deployments are recorded in (default: the rollout's name)."),
    url: httpUrl.optional().describe("The environment's URL, shown on each deployment."),
  }).optional().describe('Record every stage change as a GitHub deployment (needs the deployments: write permission).'),
});

export type RawConfig = z.infer<typeof configSchema>;
export type GateConfig = z.infer<typeof gateSchema>;
export type CompareConfig = z.infer<typeof compare>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type MetricStatConfig = z.infer<typeof metricStatSchema>;
export type StateConfig = z.infer<typeof stateSchema>;
export type NotifyTargetConfig = z.infer<typeof notifyTarget>;
export type ApplyConfig = z.infer<typeof apply>;
export type DeploymentsConfig = NonNullable<RawConfig['deployments']>;
export type StageConfig = z.infer<typeof stage>;
export type Severity = z.infer<typeof severity>;
export type NoDataPolicy = z.infer<typeof noData>;
export type WindowConfig = NonNullable<RawConfig['rollout']['windows']>[number];
export type FreezeConfig = NonNullable<RawConfig['rollout']['freezes']>[number];

/** A string that is, or holds, a `${VAR}` reference: the loader substitutes it before validating. */
const ENV_REFERENCE = '\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}';

/**
 * A string's `format` or `pattern` judges the value after `${VAR}` substitution, which an editor
 * cannot do: the published schema also accepts a string holding a reference, so the documented
 * `url: ${PROMETHEUS_URL}` is not flagged. The loader still checks the substituted value.
 */
function allowEnvReferences(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowEnvReferences);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = allowEnvReferences(v);
  if (out.type === 'string' && ('format' in out || 'pattern' in out)) {
    const { format, pattern, ...rest } = out;
    const checked = { ...(format !== undefined ? { format } : {}), ...(pattern !== undefined ? { pattern } : {}) };
    return { ...rest, anyOf: [checked, { pattern: ENV_REFERENCE }] };
  }
  return out;
}

export function jsonSchema(): Record<string, unknown> {
  const schema = allowEnvReferences(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' })) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/rollout-gate/rollout-gate/schema/rollout-gate.schema.json',
    title: 'rollout-gate configuration',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
