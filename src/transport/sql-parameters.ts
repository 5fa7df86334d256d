/** A statement with `:name` placeholders rewritten to PostgreSQL's positional `$1..$n`. */
export interface PositionalStatement {
  text: string;
  /** The parameter names in `$n` order: `names[0]` is `$1`. */
  names: string[];
}

export class SqlParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlParameterError';
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** The end (exclusive) of a dollar-quoted string starting at `i`, or -1 when `i` opens none. */
function dollarQuoteEnd(sql: string, i: number): number {
  const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i));
  if (!m) return -1;
  const close = sql.indexOf(m[0], i + m[0].length);
  return close < 0 ? sql.length : close + m[0].length;
}

/**
 * Rewrites `:name` placeholders to `$1..$n` so values are bound as real parameters, never spliced.
 * Text inside '…' / E'…' strings, "…" identifiers, $tag$…$tag$ bodies and comments is left
 * alone, and so are `::type` casts. A name used twice gets the same position. Names not in
 * `allowed` and positional `$1` markers in the text are errors: a typo must not bind NULL.
 */
export function toPositional(sql: string, allowed: readonly string[]): PositionalStatement {
  const names: string[] = [];
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end = -1;
    if (c === "'") {
      // E'…' strings take backslash escapes; the E was copied as an ordinary character.
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && (i < 2 || !IDENT_PART.test(sql[i - 2]!));
      let j = i + 1;
      for (; j < n; j++) {
        if (escapes && sql[j] === '\\') j++;
        else if (sql[j] === "'") {
          if (sql[j + 1] === "'") j++;
          else break;
        }
      }
      end = Math.min(j + 1, n);
    } else if (c === '"') {
      let j = i + 1;
      for (; j < n; j++) {
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') j++;
          else break;
        }
      }
      end = Math.min(j + 1, n);
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? n : nl;
    } else if (c === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') { depth++; j += 2; }
        else if (sql[j] === '*' && sql[j + 1] === '/') { depth--; j += 2; }
        else j++;
      }
      end = j;
    } else if (c === '$' && !(i > 0 && IDENT_PART.test(sql[i - 1]!))) {
      // (A `$` inside an identifier, a$b, is part of it: not a quote, not a parameter.)
      if (next !== undefined && /[0-9]/.test(next)) {
        throw new SqlParameterError(`positional parameter $${next} in the statement: use named parameters (${allowed.map((a) => `:${a}`).join(' ')})`);
      }
      end = dollarQuoteEnd(sql, i);
    } else if (c === ':') {
      if (next === ':') {
        out += '::';
        i += 2;
        continue;
      }
      if (next !== undefined && IDENT_START.test(next)) {
        let j = i + 1;
        while (j < n && IDENT_PART.test(sql[j]!)) j++;
        const name = sql.slice(i + 1, j);
        if (!allowed.includes(name)) {
          throw new SqlParameterError(`unknown parameter :${name}; the statement can use ${allowed.map((a) => `:${a}`).join(' ')}`);
        }
        let pos = names.indexOf(name);
        if (pos < 0) pos = names.push(name) - 1;
        out += `$${pos + 1}`;
        i = j;
        continue;
      }
    }
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, names };
}
