import { withCredentials } from '../transport/http-request.js';
import { Redactor, secretForms } from '../secrets.js';
import { formatPath, type ConfigIssue } from './errors.js';
import { notifySecrets } from './notify.js';
import type { ProviderConfig, RawConfig } from './schema.js';
import { PROVIDER_MODULES } from '../providers/modules/index.js';

/**
 * A secret must not be part of a name (SPEC §8.1: redaction never rewrites identifiers).
 *
 * Rollout, stage, gate and provider names are published by design: in the check run's title,
 * the ledger branch, evidence paths, the decision log, every report. A secret inside one is
 * disclosed wherever the name goes, so masking it elsewhere protects nothing, and masking it
 * inside the name (`***-pg`) corrupts the record: evidence paths and snapshots no longer name
 * their rollout, and `backtest` skips them. So the config is refused before anything is queried
 * or written, naming the variable (or the config key) the secret came from, never its value.
 */

/** Where a secret value came from: the variable it was read from (null: written in the file), and the config path it is in. */
export interface SecretSource {
  value: string;
  variable: string | null;
  path: readonly PropertyKey[];
}

/** A name the config publishes, and its config path. */
interface Identifier {
  /** Where the name is, without the name itself (a provider's path is its name). */
  path: string;
  what: string;
  text: string;
}

function identifiers(cfg: RawConfig): Identifier[] {
  const out: Identifier[] = [{ path: 'rollout.name', what: '', text: cfg.rollout.name }];
  cfg.rollout.stages.forEach((s, i) => out.push({ path: `rollout.stages[${i}].name`, what: '', text: s.name }));
  cfg.gates.forEach((g, i) => out.push({ path: `gates[${i}].name`, what: '', text: g.name }));
  Object.keys(cfg.providers).forEach((name, i) => out.push({ path: 'providers', what: `the name of provider ${i + 1} (in file order) `, text: name }));
  return out;
}

/** Every credential written literally in the file, by the rules the requests themselves follow. */
function literalSecrets(cfg: RawConfig): SecretSource[] {
  const out: SecretSource[] = [];
  const collect = (path: PropertyKey[], run: (redactor: Redactor) => void) => {
    run(new Redactor([], (value) => out.push({ value, variable: null, path })));
  };
  const sections: [PropertyKey[], Record<string, unknown>][] = Object.entries(cfg.providers).map(([name, p]) => [['providers', name], p as Record<string, unknown>]);
  if (cfg.state) sections.push([['state'], cfg.state as Record<string, unknown>]);
  for (const [where, p] of sections) {
    collect(where, (r) => {
      // A provider's own secrets, as its module states them; the URL and headers by the request's rules.
      if (where[0] === 'providers') for (const v of PROVIDER_MODULES[p.type as ProviderConfig['type']].secrets(p as never)) r.add(v);
      if (typeof p.url === 'string') withCredentials(p.url, (p.headers as Record<string, string> | undefined) ?? {}, r);
    });
  }
  (cfg.notify ?? []).forEach((t, i) => collect(['notify', i], (r) => notifySecrets({ notify: [t] }).forEach((s) => r.add(s))));
  if (cfg.apply) collect(['apply'], (r) => notifySecrets({ apply: cfg.apply }).forEach((s) => r.add(s)));
  return out;
}

const holds = (text: string, value: string): boolean => secretForms(value).some((form) => text.includes(form));

/** Where a secret came from, in words that show neither it nor a name holding it (a provider's key is its name). */
function describeSource(s: SecretSource, cfg: RawConfig): string {
  const path = s.path;
  const provider = path[0] === 'providers' && typeof path[1] === 'string' ? path[1] : null;
  let where: string;
  if (provider !== null && holds(provider, s.value)) {
    const rest = formatPath(path.slice(2));
    where = `provider ${Object.keys(cfg.providers).indexOf(provider) + 1} (in file order)${rest ? ` at ${rest}` : ''}`;
  } else {
    where = formatPath(path);
  }
  return s.variable !== null ? `the value of \${${s.variable}} (read into ${where})` : `a credential written in ${where}`;
}

/**
 * One issue per name that holds a secret (in any form the redactor masks: as written,
 * percent-encoded, base64), at the name's path, naming where the secret came from.
 */
export function secretsInNames(cfg: RawConfig, fromEnv: readonly SecretSource[]): ConfigIssue[] {
  // The document is read after ${VAR} substitution: a value from the environment is named by its variable.
  const fromVariables = new Set(fromEnv.map((s) => s.value));
  const sources = [...fromEnv, ...literalSecrets(cfg).filter((s) => !fromVariables.has(s.value))];
  const issues: ConfigIssue[] = [];
  for (const id of identifiers(cfg)) {
    const hits = new Set<string>();
    for (const s of sources) if (holds(id.text, s.value)) hits.add(describeSource(s, cfg));
    if (hits.size === 0) continue;
    issues.push({
      path: id.path,
      message:
        `${id.what}contains ${[...hits].join(' and ')}, a secret: reports, the decision log and evidence paths show this name, ` +
        `and a secret inside it would either be published with it or masked out of it. Rename it, or use a secret that is not part of any name ` +
        `(a value read with \${VAR} into providers, state, notify or apply is a secret; write a value that is not one in the file)`,
    });
  }
  return issues;
}
