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
}

/**
 * Replaces `${VAR}` in every string of the parsed document (never in the raw text, so a value
 * can't inject YAML). `$$` is a literal `$`. A missing variable is an issue naming its path.
 */
export function substituteEnv(doc: unknown, env: NodeJS.ProcessEnv): Substitution {
  const issues: ConfigIssue[] = [];
  const secrets = new Set<string>();
  const sources: Substitution['sources'] = [];
  const walk = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === 'string') {
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
          issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
          return whole;
        }
        const section = path[0];
        if (SECRET_SECTIONS.has(section as string) && value.length >= 3) {
          secrets.add(value);
          sources.push({ value, variable: name, path });
        }
        return value;
      });
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, i]));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  const value = walk(doc, []);
  return { value, issues, secrets: [...secrets], sources };
}
