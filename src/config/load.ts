import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { z } from 'zod';
import { parseCondition, isRelative, type Condition } from '../engine/conditions.js';
import { parseDuration } from '../engine/duration.js';
import type { Gate, RolloutPlan, Weekday } from '../engine/model.js';
import { nameEmptyVariables, STAND_INS, substituteEnv, type SubstituteOptions } from './env.js';
import { ConfigError, formatPath, type ConfigIssue } from './errors.js';
import { compareIssues, compareSpec } from './compare.js';
import { DEFAULT_WATCH_POLICY, type WatchPolicy } from '../engine/watch.js';
import { DEFAULT_CHECKPOINTS_MS } from '../ledger/checkpoints.js';
import { applyTarget, notifyIssues, notifySecrets, notifyTargets } from './notify.js';
import type { ApplyTarget, NotifyTarget } from '../notify/event.js';
import { configSchema, type ProviderConfig, type RawConfig, type StateConfig } from './schema.js';
import { lagOf, parseLag } from '../providers/catalog.js';
import { PROVIDER_MODULES } from '../providers/modules/index.js';
import { urlPasswordForms } from '../providers/modules/module.js';
import { secretsInNames } from './secret-names.js';
import { suggestKey } from './suggest.js';
import { urlSecretForms } from './url-secrets.js';
import { duplicateKey, looksLikeJson } from './json-text.js';

export interface Config {
  /** The file it came from, as the user named it. */
  file: string;
  /** sha256 of the file's bytes: evidence names exactly which config decided. */
  sha256: string;
  rollout: RolloutPlan;
  gates: Gate[];
  providers: Record<string, ProviderConfig>;
  state: StateConfig | null;
  evidenceTemplate: string | null;
  /** `report.charts`: sparklines only, or Mermaid charts of comparison gates as well. */
  charts: 'sparkline' | 'mermaid';
  deadlineMs: number | null;
  /** `watch:`: what a watch run does about a failing critical or major gate. */
  watch: WatchPolicy & { checkpointsMs: readonly number[] };
  defaults: { timeoutMs: number | null; concurrency: number | null };
  /** `notify:` targets, `on` defaulted. */
  notify: NotifyTarget[];
  /** `apply:`, the call that moves the traffic; null when not configured. */
  apply: ApplyTarget | null;
  /** `chatops.allowed`: who may run comment commands; null: anyone with write permission. */
  chatopsAllowed: string[] | null;
  /** `deployments:`: every stage change recorded as a GitHub deployment; null when not configured. */
  deployments: { environment: string; url: string | null } | null;
  /** Values that must never be printed or written: `${VAR}` values in providers/state, passwords. */
  secrets: string[];
  /** Loaded with `unset: 'placeholder'`: the variables the run will need, where each is used first. */
  unsetVariables?: { name: string; path: string }[];
}

/** Providers every run has without an entry in `providers`. */
export const BUILTIN_PROVIDERS: Record<string, ProviderConfig> = { github: { type: 'github' } };

/** Gate fields only some providers take: which, from each provider's module. */
const PROVIDER_ONLY_FIELDS: Record<string, readonly string[]> = (() => {
  const out: Record<string, string[]> = {};
  for (const [type, m] of Object.entries(PROVIDER_MODULES)) for (const f of m.gateFields) (out[f] ??= []).push(type);
  return out;
})();

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env, options: SubstituteOptions = {}): Config {
  return parseConfig(readConfigText(file), file, env, options);
}

/**
 * `loadConfigFile`, with the YAML parser loaded only for a config that is not JSON: the CLI and
 * the Action read their config this way (a synchronous load cannot leave the parser out of a
 * bundle; this one can).
 */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env, options: SubstituteOptions = {}): Promise<Config> {
  const text = readConfigText(file);
  const json = readJson(text, file);
  if (json === undefined) yamlModule ??= await import('yaml');
  return configFrom(json === undefined ? parseText(text, file) : json, text, file, env, options);
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [{ path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(e)})` }]);
  }
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env, options: SubstituteOptions = {}): Config {
  return configFrom(parseText(text, file), text, file, env, options);
}

function configFrom(doc: unknown, text: string, file: string, env: NodeJS.ProcessEnv, options: SubstituteOptions = {}): Config {
  const sha256 = createHash('sha256').update(text).digest('hex');
  const deep = pathDeeperThan(doc, MAX_DEPTH);
  if (deep) {
    // Every later step walks the document recursively: refuse it here, with a config error.
    const shown = deep.length > 6 ? `${formatPath(deep.slice(0, 6))}…` : formatPath(deep);
    throw new ConfigError(file, [{ path: shown, message: `nested deeper than ${MAX_DEPTH} levels; a rollout-gate config is a few levels deep` }]);
  }
  const sub = substituteEnv(doc, env, options);
  const parsed = configSchema.safeParse(sub.value);
  const issues: ConfigIssue[] = [...sub.issues];
  if (!parsed.success) {
    // A value still holding an unset `${VAR}` fails its type check too; the missing variable says it all.
    const unset = new Set(sub.issues.map((i) => i.path));
    issues.push(...zodIssues(parsed.error.issues, sub.value).filter((i) => !unset.has(i.path)));
    issues.push(...crossCheckPartial(sub.value, issues));
    throw new ConfigError(file, nameEmptyVariables(dedupe(issues), sub));
  }
  issues.push(...crossCheck(parsed.data));
  // A secret inside a name would be masked out of every report and evidence path: refused.
  issues.push(...secretsInNames(parsed.data, sub.sources.filter((s) => !STAND_INS.has(s.value))));
  if (issues.length > 0) throw new ConfigError(file, nameEmptyVariables(dedupe(issues), sub));
  const config = normalise(parsed.data, file, sha256, sub.secrets);
  return options.unset === 'placeholder' ? { ...config, secrets: config.secrets.filter((s) => !STAND_INS.has(s)), unsetVariables: sub.unset } : config;
}

type Yaml = typeof import('yaml');
/** The YAML parser, loaded on first need (a JSON config never loads it). */
let yamlModule: Yaml | null = null;
const yaml = (): Yaml => (yamlModule ??= createRequire(import.meta.url)('yaml') as Yaml);

/**
 * The document of a config that is JSON, read without the YAML parser: a `.json` file (whose
 * syntax errors are reported here), or a file of another name whose text is a JSON object; a
 * repeated key is refused as YAML would refuse it. undefined: not JSON, for the YAML parser.
 */
function readJson(text: string, file: string): unknown {
  const named = extname(file).toLowerCase() === '.json';
  if (text.trim() === '') throw new ConfigError(file, [{ path: '', message: EMPTY_FILE }]);
  if (!named && !looksLikeJson(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (!named) return undefined; // YAML flow style, comments: the YAML parser reads it and words its errors
    const message = (e as Error).message;
    const at = jsonErrorPosition(message, text);
    const before = at === null ? null : text.slice(0, at).split('\n');
    const where = before ? `line ${before.length}, column ${before[before.length - 1]!.length + 1}: ` : '';
    // Node quotes the text around the error, newlines included: keep the message on one line.
    throw new ConfigError(file, [{ path: '', message: `${where}not valid JSON: ${message.replace(/\s+/g, ' ')}` }]);
  }
  const dup = duplicateKey(text);
  if (dup) throw new ConfigError(file, [{ path: formatPath(dup.path), message: `line ${dup.line}: the key "${dup.key}" appears twice in one mapping (keys must be unique)` }]);
  if (value === null) throw new ConfigError(file, [{ path: '', message: EMPTY_FILE }]);
  return value;
}

/** Far beyond any real config (about 6 levels), far below what a recursive walk can take. */
const MAX_DEPTH = 64;

/** The path to the first value nested deeper than `limit`, found without recursion; null if none. */
function pathDeeperThan(root: unknown, limit: number): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= limit) return path;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return null;
}

const EMPTY_FILE = 'the file is empty; expected a rollout-gate config (version: 1, rollout, gates)';

function parseText(text: string, file: string): unknown {
  const json = readJson(text, file);
  if (json !== undefined) return json;
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines, logLevel: 'error' });
  if (doc.errors.length > 0) {
    // Nesting too deep for the parser overflows its stack once, but is reported at every level
    // the overflow unwinds through: that is one problem.
    const overflow = doc.errors.find((e) => e.message.includes('Maximum call stack size exceeded'));
    throw new ConfigError(
      file,
      (overflow ? [overflow] : doc.errors).map((err) => {
        const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
        return { path: '', message: `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}not valid YAML: ${err.message.split('\n')[0]}` };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // The yaml library refuses alias expansions that would blow up (a "billion laughs" file).
    throw new ConfigError(file, [{ path: '', message: `not a usable YAML document: ${(e as Error).message}` }]);
  }
  if (value === null || value === undefined) {
    throw new ConfigError(file, [{ path: '', message: EMPTY_FILE }]);
  }
  return value;
}

/**
 * Where JSON.parse stopped. Node 20 gives "at position N" for some errors only; for an
 * unexpected token it quotes up to 10 characters either side of it instead.
 */
function jsonErrorPosition(message: string, text: string): number | null {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  const quoted = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!quoted) return null;
  const [, token, cutBefore, context] = quoted as unknown as [string, string, string | undefined, string];
  if (!cutBefore) return context.indexOf(token);
  const start = text.indexOf(context);
  return start < 0 || text.indexOf(context, start + 1) >= 0 ? null : start + 10;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg as string];
  }
  return node;
}

function zodIssues(raw: readonly z.core.$ZodIssue[], input: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of raw) {
    const path = formatPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const near = suggestKey(configSchema, issue.path, key, valueAt(input, issue.path));
          const hint = near === null ? '' : `; did you mean "${near}"?`;
          out.push({ path: formatPath([...issue.path, key]), message: `unknown key${hint} (a typo here would silently change the gate, so it is an error)` });
        }
        break;
      case 'invalid_type': {
        const got = valueAt(input, issue.path);
        // A schema's own wording ("expected a percentage like …") says more than the type's name.
        const expected = issue.message.startsWith('Invalid input') ? `expected ${issue.expected}` : issue.message;
        out.push({
          path,
          message: got === undefined ? `required: ${expected}` : `${expected}, got ${typeName(got)}`,
        });
        break;
      }
      case 'invalid_union': {
        const got = valueAt(input, issue.path) as Record<string, unknown> | undefined;
        if (got && typeof got === 'object' && 'type' in got && (issue as { note?: string }).note === 'No matching discriminator') {
          out.push({ path: formatPath([...issue.path, 'type']), message: `unknown type ${JSON.stringify(got.type)}; ${issue.message}` });
        } else if (issue.errors.length > 0) {
          // Report the branch that got furthest: for a condition, the string branch's message.
          // Else the branch of the value's own kind (a mapping's fields, not "expected string").
          const best =
            issue.errors.find((branch) => branch.some((i) => i.code === 'custom')) ??
            issue.errors.find((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0)) ??
            issue.errors[0]!;
          out.push(...zodIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })) as z.core.$ZodIssue[], input));
        } else {
          out.push({ path, message: issue.message });
        }
        break;
      }
      case 'invalid_key':
        // A bad key of a record (a provider name): say what a key must look like.
        for (const inner of issue.issues) out.push({ path, message: `invalid name: ${inner.message}` });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

function conditions(value: string | string[] | undefined): Condition[] | null {
  if (value === undefined) return null;
  return (Array.isArray(value) ? value : [value]).map(parseCondition);
}

function crossCheck(cfg: RawConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stageNames = new Set<string>();
  cfg.rollout.stages.forEach((s, i) => {
    if (stageNames.has(s.name)) issues.push({ path: `rollout.stages[${i}].name`, message: `duplicate stage name "${s.name}"` });
    stageNames.add(s.name);
    const prev = cfg.rollout.stages[i - 1];
    if (prev && s.traffic < prev.traffic) {
      issues.push({ path: `rollout.stages[${i}].traffic`, message: `traffic ${s.traffic} is below the previous stage's ${prev.traffic}; stages are listed in rollout order` });
    }
  });
  cfg.rollout.freezes?.forEach((f, i) => {
    if (Date.parse(f.from) >= Date.parse(f.to)) issues.push({ path: `rollout.freezes[${i}].to`, message: `must be after "from" (${f.from})` });
  });
  cfg.rollout.windows?.forEach((w, i) => {
    if (w.start === w.end) issues.push({ path: `rollout.windows[${i}].end`, message: 'equals start: the window would be empty' });
  });

  const providers = { ...BUILTIN_PROVIDERS, ...cfg.providers };
  const gateNames = new Map<string, number>();
  cfg.gates.forEach((g, i) => {
    const at = (key: string) => `gates[${i}].${key}`;
    const first = gateNames.get(g.name);
    if (first !== undefined) issues.push({ path: at('name'), message: `duplicate gate name "${g.name}" (first used by gates[${first}])` });
    else gateNames.set(g.name, i);

    // Own keys only: "constructor" or "toString" must not find Object.prototype's.
    const provider = Object.hasOwn(providers, g.provider) ? providers[g.provider] : undefined;
    if (!provider) {
      const known = Object.keys(providers).join(', ');
      issues.push({ path: at('provider'), message: `unknown provider "${g.provider}"; defined: ${known}` });
    }
    const type = provider?.type;
    for (const [field, types] of Object.entries(PROVIDER_ONLY_FIELDS)) {
      if ((g as Record<string, unknown>)[field] !== undefined && type && !types.includes(type)) {
        issues.push({ path: at(field), message: `only valid for ${types.join('/')} providers; "${g.provider}" is ${type}` });
      }
    }
    for (const key of ['query', 'baseline'] as const) {
      if (typeof g[key] === 'object' && type && type !== 'cloudwatch') {
        issues.push({ path: at(key), message: `a MetricStat mapping is a cloudwatch query; "${g.provider}" is ${type}: write the query as text` });
      }
    }
    const special = g.approvals !== undefined || g.checklist !== undefined;
    if (g.approvals && g.checklist) issues.push({ path: at('checklist'), message: 'a gate has either approvals or checklist, not both' });
    if (special) {
      for (const key of ['query', 'pass', 'baseline', 'over', 'thresholds'] as const) {
        if (g[key] !== undefined) issues.push({ path: at(key), message: `not used by ${g.approvals ? 'an approvals' : 'a checklist'} gate` });
      }
    } else {
      if (g.query === undefined) issues.push({ path: at('query'), message: 'required: the query this gate reads its value with' });
      if (g.compare !== undefined) {
        issues.push(...compareIssues(g, at));
      } else if (g.pass === undefined && g.thresholds === undefined) {
        issues.push({ path: at('pass'), message: 'required: the condition the value must meet (e.g. "< 0.01")' });
      } else if (g.pass === undefined) {
        // Without `pass`, a promotion to a stage the thresholds leave out would check nothing.
        const uncovered = (g.appliesTo ?? [...stageNames]).filter((s) => !Object.hasOwn(g.thresholds!, s));
        if (uncovered.length > 0) {
          issues.push({ path: at('pass'), message: `required unless thresholds cover every stage the gate applies to; missing for ${uncovered.join(', ')}` });
        }
      }
    }
    for (const stage of g.appliesTo ?? []) {
      if (!stageNames.has(stage)) issues.push({ path: at('appliesTo'), message: `unknown stage "${stage}"; stages: ${[...stageNames].join(', ')}` });
    }
    const thresholdPath = (stage: string) => formatPath(['gates', i, 'thresholds', stage]);
    for (const stage of Object.keys(g.thresholds ?? {})) {
      if (!stageNames.has(stage)) issues.push({ path: thresholdPath(stage), message: `unknown stage "${stage}"; stages: ${[...stageNames].join(', ')}` });
    }
    const allConds: [string, string | string[]][] = [];
    if (g.pass !== undefined) allConds.push([at('pass'), g.pass]);
    for (const [stage, c] of Object.entries(g.thresholds ?? {})) allConds.push([thresholdPath(stage), c]);
    for (const [path, c] of allConds) {
      if (conditions(c)?.some(isRelative) && g.baseline === undefined) {
        issues.push({ path, message: 'a relative condition (+N% / -N%) needs the gate to set `baseline`' });
      }
    }
    if (g.baselineOffset !== undefined && g.compare === undefined) {
      issues.push({ path: at('baselineOffset'), message: 'only with `compare`: the baseline shifted back in time is compared by a statistical test' });
    }
    if (g.failAfter !== undefined && g.over === undefined) issues.push({ path: at('failAfter'), message: 'needs `over`: failAfter is measured inside the window' });
    if (g.step !== undefined && g.over === undefined) issues.push({ path: at('step'), message: 'needs `over`: step is the resolution of the window' });
    // Compared only when both are durations: a bad one is reported as such, not as too long.
    const overMs = ms(g.over);
    if (overMs !== null && (ms(g.failAfter) ?? 0) > overMs) {
      issues.push({ path: at('failAfter'), message: `${g.failAfter} is longer than over (${g.over}); no violation could last that long` });
    }
    if (overMs !== null && (ms(g.step) ?? 0) > overMs) {
      issues.push({ path: at('step'), message: `${g.step} is longer than over (${g.over})` });
    }
  });
  issues.push(...notifyIssues(cfg));
  if (cfg.state?.type === 'postgres' && /:(stage|killSwitch|reason|actor|decision|state)\b/.test(cfg.state.read)) {
    issues.push({ path: 'state.read', message: 'the read statement takes no parameters' });
  }
  return issues;
}

/**
 * The cross-field checks on a file that failed the schema, so one run reports every problem:
 * as far as the rest of the file can be read, and never again where a problem is already known.
 */
function crossCheckPartial(value: unknown, known: readonly ConfigIssue[]): ConfigIssue[] {
  if (known.some((k) => k.path === '')) return [];
  let found: ConfigIssue[];
  try {
    found = crossCheck({ providers: {}, gates: [], ...(value as object) } as unknown as RawConfig);
  } catch {
    return [];
  }
  const within = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return found.filter((c) => !known.some((k) => within(c.path, k.path) || within(k.path, c.path)));
}

/** A gate's query as the text the provider reads: a cloudwatch MetricStat as canonical JSON. */
function queryText(q: RawConfig['gates'][number]['query']): string | null {
  if (q === undefined) return null;
  if (typeof q === 'string') return q;
  const { namespace, metric, dimensions, stat, period } = q;
  return JSON.stringify({ namespace, metric, ...(dimensions ? { dimensions } : {}), stat, ...(period !== undefined ? { period } : {}) });
}

function ms(d: string | undefined): number | null {
  return d === undefined ? null : parseDuration(d);
}

function normalise(cfg: RawConfig, file: string, sha256: string, envSecrets: string[]): Config {
  const providers = { ...BUILTIN_PROVIDERS, ...cfg.providers };
  // A bare endpoint read from ${VAR} names the host in messages; its credentials never show.
  const secrets = new Set(envSecrets.flatMap(urlSecretForms));
  // Each provider's own secrets (keys and passwords, even when written in the file), by its module.
  for (const p of Object.values(cfg.providers)) for (const v of PROVIDER_MODULES[p.type].secrets(p as never)) secrets.add(v);
  if (cfg.state && 'url' in cfg.state && cfg.state.url) for (const form of urlPasswordForms(cfg.state.url)) secrets.add(form);
  for (const s of notifySecrets(cfg)) secrets.add(s);
  const rollout: RolloutPlan = {
    name: cfg.rollout.name,
    stages: cfg.rollout.stages.map((s) => ({ name: s.name, traffic: s.traffic, minDurationMs: ms(s.minDuration), flags: s.flags ?? null })),
    ramp: {
      maxStepFactor: cfg.rollout.ramp?.maxStepFactor ?? null,
      cooldownAfterRollbackMs: ms(cfg.rollout.ramp?.cooldownAfterRollback),
      allowSkip: cfg.rollout.ramp?.allowSkip ?? false,
    },
    windows: (cfg.rollout.windows ?? []).map((w) => ({ days: w.days as Weekday[], start: w.start, end: w.end, tz: w.tz })),
    freezes: (cfg.rollout.freezes ?? []).map((f) => ({ fromMs: Date.parse(f.from), toMs: Date.parse(f.to), reason: f.reason ?? null })),
    forceAllowed: cfg.rollout.forceAllowed ?? null,
  };
  const gates: Gate[] = cfg.gates.map((g, index) => ({
    index,
    name: g.name,
    provider: g.provider,
    providerType: providers[g.provider]!.type,
    query: queryText(g.query),
    baseline: queryText(g.baseline),
    pass: conditions(g.pass),
    thresholds: Object.fromEntries(Object.entries(g.thresholds ?? {}).map(([k, v]) => [k, conditions(v)!])),
    appliesTo: g.appliesTo ?? null,
    severity: g.severity ?? cfg.defaults?.severity ?? 'major',
    noData: g.noData ?? cfg.defaults?.noData ?? 'hold',
    // A statistical test on a handful of samples says little: compare gates want 10 a side.
    minSamples: g.minSamples ?? (g.compare ? 10 : 1),
    overMs: ms(g.over),
    failAfterMs: ms(g.failAfter),
    stepMs: ms(g.step),
    select: g.select ?? null,
    reduce: g.reduce ?? null,
    staleAfterMs: ms(g.staleAfter),
    activeForMs: ms(g.activeFor),
    approvals: g.approvals ? { min: g.approvals.min, from: g.approvals.from ?? null } : null,
    checklist: g.checklist ?? null,
    compare: g.compare ? compareSpec(g.compare) : null,
    baselineOffsetMs: ms(g.baselineOffset),
    shadow: g.shadow ?? false,
    lagMs: lagOf(g.lag === undefined ? null : parseLag(g.lag), providers[g.provider]!),
  }));
  return {
    file,
    sha256,
    rollout,
    gates,
    providers,
    state: cfg.state ?? null,
    evidenceTemplate: cfg.evidence?.template ?? null,
    charts: cfg.report?.charts ?? 'sparkline',
    deadlineMs: ms(cfg.deadline),
    watch: {
      onCritical: cfg.watch?.onCritical ?? DEFAULT_WATCH_POLICY.onCritical,
      onMajor: cfg.watch?.onMajor ?? DEFAULT_WATCH_POLICY.onMajor,
      checkpointsMs: cfg.watch?.checkpoints ? cfg.watch.checkpoints.map((d) => ms(d)!).sort((a, b) => a - b) : DEFAULT_CHECKPOINTS_MS,
    },
    defaults: { timeoutMs: ms(cfg.defaults?.timeout), concurrency: cfg.defaults?.concurrency ?? null },
    notify: notifyTargets(cfg),
    apply: applyTarget(cfg),
    chatopsAllowed: cfg.chatops?.allowed ?? null,
    deployments: cfg.deployments ? { environment: cfg.deployments.environment ?? cfg.rollout.name, url: cfg.deployments.url ?? null } : null,
    secrets: [...secrets].filter((s) => s.length > 0),
  };
}
