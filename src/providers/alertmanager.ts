import type { ProviderConfig } from '../config/schema.js';
import { formatDuration } from '../engine/duration.js';
import { providerFailure } from './failure.js';
import { HttpApi } from './http-api.js';
import { credentialHint, snippet } from '../transport/http-request.js';
import { ProviderError, type Provider, type ProviderContext } from './types.js';

type AlertmanagerConfig = Extract<ProviderConfig, { type: 'alertmanager' }>;

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

const MAX_LISTED_ALERTS = 20;

/** A matcher in Alertmanager's filter syntax: `severity="critical"`. */
export function matcherText(m: Matcher): string {
  return `${m.name}${m.op}"${m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Parses a gate's query, a list of label matchers in Alertmanager/PromQL syntax:
 * `severity="critical", service=~"chat|api"`, optionally inside `{…}`. Values may be quoted
 * (with \" \\ \n escapes) or bare words.
 */
export function parseMatchers(text: string): Matcher[] {
  let s = text.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new ProviderError(`matchers "${text}": "{" without a closing "}"`);
    s = s.slice(1, -1);
  }
  const out: Matcher[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new ProviderError(`matchers "${text}": ${what} at position ${i + 1}; expected e.g. severity="critical", service="chat"`);
  };
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  skipSpace();
  while (i < s.length) {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i))?.[0];
    if (!name) fail('a label name');
    i += name!.length;
    skipSpace();
    const op = (['=~', '!~', '!=', '='] as const).find((o) => s.startsWith(o, i));
    if (!op) fail(`an operator (= != =~ !~) after "${name}"`);
    i += op!.length;
    skipSpace();
    let value = '';
    if (s[i] === '"' || s[i] === "'") {
      const quote = s[i]!;
      i++;
      let closed = false;
      while (i < s.length) {
        const c = s[i]!;
        if (c === '\\' && i + 1 < s.length) {
          const n = s[i + 1]!;
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
          continue;
        }
        i++;
        if (c === quote) {
          closed = true;
          break;
        }
        value += c;
      }
      if (!closed) fail('an unterminated quoted value');
    } else {
      const bare = /^[^\s,"'{}=!~]*/.exec(s.slice(i))![0];
      if (!bare) fail(`a value after "${name}${op}" (quoted, like "critical")`);
      value = bare;
      i += bare.length;
    }
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(`^(?:${value})$`);
      } catch {
        fail(`an invalid regular expression "${value}"`);
      }
    }
    out.push({ name: name!, op: op!, value });
    skipSpace();
    if (i < s.length) {
      if (s[i] !== ',') fail('a comma between matchers');
      i++;
      skipSpace();
    }
  }
  if (out.length === 0) throw new ProviderError(`matchers "${text}": no matcher; write e.g. severity="critical"`);
  return out;
}

interface Alert {
  labels?: Record<string, string>;
  startsAt?: string;
  status?: { state?: string };
}

/**
 * `type: alertmanager`: the value is the number of active alerts (not silenced, not inhibited)
 * matching the gate's matchers that started at least `activeFor` before now.
 */
export function alertmanagerProvider(config: AlertmanagerConfig, ctx: ProviderContext): Provider {
  const api = new HttpApi('alertmanager', config, ctx);
  return {
    async query(req) {
      let matchers: Matcher[];
      try {
        matchers = parseMatchers(req.query);
      } catch (e) {
        throw new ProviderError(api.redact(`${api.label}: ${(e as Error).message}`));
      }
      const params = new URLSearchParams({ active: 'true', silenced: 'false', inhibited: 'false' });
      for (const m of matchers) params.append('filter', matcherText(m));
      const res = await api.request('api/v2/alerts', params, req.signal, { what: `gate "${req.gate.name}": ${matchers.map(matcherText).join(', ')}` });
      if (res.status < 200 || res.status >= 300 || !Array.isArray(res.body)) {
        const message = typeof res.body === 'string' ? res.body : (res.body as { message?: unknown } | undefined)?.message;
        const why = typeof message === 'string' ? message : snippet(res.text) || 'no body';
        const what = res.status >= 200 && res.status < 300 ? 'the answer is not a list of alerts' : `HTTP ${res.status}${credentialHint(res.status)}`;
        // 400: Alertmanager could not read the matchers.
        throw providerFailure({ label: api.label, what: `${what} from /api/v2/alerts: ${why}`, status: res.status, attempts: res.attempts, query: res.status === 400, redact: (t) => api.redact(t) });
      }
      const activeForMs = req.gate.activeForMs ?? 0;
      const cutoff = req.nowMs - activeForMs;
      let tooRecent = 0;
      const counted: Alert[] = [];
      for (const alert of res.body as Alert[]) {
        // Defensive: a proxy or an older server may ignore the silenced/inhibited filters.
        if (alert.status?.state === 'suppressed') continue;
        const started = Date.parse(alert.startsAt ?? '');
        if (Number.isNaN(started) || started > cutoff) {
          tooRecent++;
          continue;
        }
        counted.push(alert);
      }
      const detail: Record<string, unknown> = {
        matchers: matchers.map(matcherText),
        alerts: counted.slice(0, MAX_LISTED_ALERTS).map((a) => ({
          alertname: a.labels?.alertname ?? null,
          labels: a.labels ?? {},
          startsAt: a.startsAt ?? null,
        })),
      };
      if (counted.length > MAX_LISTED_ALERTS) detail.more = counted.length - MAX_LISTED_ALERTS;
      if (activeForMs > 0) {
        detail.activeFor = formatDuration(activeForMs);
        detail.activeForLessThan = tooRecent;
      }
      return { samples: [[req.nowMs / 1000, counted.length]], detail };
    },
    close: () => api.close(),
  };
}
