import type { ConfigIssue } from './errors.js';
import { formatPath } from './errors.js';

// The last alternative is a `${` never closed: it must not reach a header as literal text.
const REFERENCE = /\$\$|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Sections whose `${VAR}` values are credentials: endpoints, tokens, webhook URLs and keys. */
const SECRET_SECTIONS = new Set(['providers', 'state', 'notify', 'apply']);

export interface Substitution {
  value: unknown;
  issues: ConfigIssue[];
  /** Values read from the environment into provider, state, notify and apply settings: treated as secrets. */
  secrets: string[];
  /** Each of those secrets with the variable it was read from and the config path it went into (for messages that must not show the value). */
  sources: { value: string; variable: string; path: PropertyKey[] }[];
  /** Variables not set, each where it is used first: a placeholder stands in (lenient mode only). */
  unset: { name: string; path: string }[];
  /** Variables set to the empty string, where used: a value that fails there is reported with its name. */
  empty: { name: string; path: string }[];
  /** Every place a stand-in took an unset variable's place: a value that still fails there names it. */
  standIns: { name: string; path: string }[];
}

export interface SubstituteOptions {
  /**
   * `placeholder`: an unset variable is no issue; a stand-in that fits where it is used takes
   * its place, and it is listed in `unset` (validate in a lint job, without the secrets).
   */
  unset?: 'error' | 'placeholder';
}

const STAND_IN = {
  text: 'unset-variable',
  http: 'https://unset-variable.invalid',
  postgres: 'postgres://unset-variable.invalid/unset',
  number: '1',
  awsRegion: 'us-east-1',
  newrelicRegion: 'US',
  datadogSite: 'datadoghq.com',
} as const;
/** The stand-ins of unset variables: never secrets, never sent anywhere (a lenient load is for validate only). */
export const STAND_INS: ReadonlySet<string> = new Set(Object.values(STAND_IN));

/** A stand-in value for an unset variable that passes the checks of the field it is used in. */
function placeholder(whole: boolean, key: PropertyKey | undefined, parent: unknown): string {
  if (!whole) return STAND_IN.text;
  const type = parent && typeof parent === 'object' ? (parent as Record<string, unknown>).type : undefined;
  if (key === 'url' || key === 'endpoint') return type === 'postgres' ? STAND_IN.postgres : STAND_IN.http;
  if (key === 'accountId') return STAND_IN.number;
  if (key === 'region' && type === 'cloudwatch') return STAND_IN.awsRegion;
  if (key === 'region' && type === 'newrelic') return STAND_IN.newrelicRegion;
  if (key === 'site' && type === 'datadog') return STAND_IN.datadogSite;
  return STAND_IN.text;
}

/**
 * Replaces `${VAR}` in every string of the parsed document (never in the raw text, so a value
 * can't inject YAML). `$$` is a literal `$`. A missing variable is an issue naming its path.
 */
export function substituteEnv(doc: unknown, env: NodeJS.ProcessEnv, options: SubstituteOptions = {}): Substitution {
  const issues: ConfigIssue[] = [];
  const secrets = new Set<string>();
  const sources: Substitution['sources'] = [];
  const unset = new Map<string, string>();
  const empty: { name: string; path: string }[] = [];
  const standIns: { name: string; path: string }[] = [];
  const walk = (node: unknown, path: PropertyKey[], parent?: unknown): unknown => {
    if (typeof node === 'string') {
      const only = /^\$\{[^}]*\}$/.test(node);
      return node.replace(REFERENCE, (whole, name: string | undefined) => {
        if (whole === '$$') return '$';
        if (name === undefined) {
          issues.push({ path: formatPath(path), message: `"\${" is not closed: expected \${NAME} (write $$ for a literal $)` });
          return whole;
        }
        if (!NAME.test(name)) {
          // `${PROM-TOKEN}` or `${VAR:-default}` must not be sent on as literal text.
          issues.push({ path: formatPath(path), message: `"${whole}" is not a variable reference: expected \${NAME} with letters, digits and _ (write $$ for a literal $)` });
          return whole;
        }
        const value = env[name];
        if (value === undefined) {
          if (options.unset === 'placeholder') {
            if (!unset.has(name)) unset.set(name, formatPath(path));
            standIns.push({ name, path: formatPath(path) });
            return placeholder(only, path.at(-1), parent);
          }
          issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
          return whole;
        }
        if (value === '') empty.push({ name, path: formatPath(path) });
        const section = path[0];
        if (SECRET_SECTIONS.has(section as string) && value.length >= 3) {
          secrets.add(value);
          sources.push({ value, variable: name, path });
        }
        return value;
      });
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, i], node));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k], node)]));
    }
    return node;
  };
  const value = walk(doc, []);
  return { value, issues, secrets: [...secrets], sources, unset: [...unset].map(([name, path]) => ({ name, path })), empty, standIns };
}

/**
 * An issue at a path whose value came from a variable set to "" names it: in a workflow,
 * `\${{ vars.PROMETHEUS_URL }}` of an undefined variable is an empty string, and "expected an
 * http:// or https:// URL" alone does not say which variable to define.
 */
export function nameEmptyVariables(issues: ConfigIssue[], sub: Pick<Substitution, 'empty' | 'standIns'>): ConfigIssue[] {
  if (sub.empty.length === 0 && sub.standIns.length === 0) return issues;
  const named = (list: readonly { name: string; path: string }[], path: string) => [...new Set(list.filter((e) => e.path === path).map((e) => e.name))];
  return issues.map((i) => {
    const empty = named(sub.empty, i.path);
    const unset = named(sub.standIns, i.path);
    const notes = [
      ...(empty.length ? [`${empty.join(', ')} ${empty.length === 1 ? 'is' : 'are'} set but empty`] : []),
      // validate without secrets: the value comes from a variable it cannot see.
      ...(unset.length ? [`${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set, and this value cannot be checked without ${unset.length === 1 ? 'it' : 'them'}`] : []),
    ];
    return notes.length ? { ...i, message: `${i.message} (${notes.join('; ')})` } : i;
  });
}
