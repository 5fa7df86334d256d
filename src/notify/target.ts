import type { Redactor } from '../secrets.js';
import type { NotifyType } from './event.js';

/**
 * How a destination is named in outcomes, logs and errors: host and path, never the query, the
 * user info or a secret. A Slack or Teams webhook URL is itself the credential, so past its first
 * path segment nothing is shown: `hooks.slack.com/services/***`.
 */
export function displayTarget(kind: NotifyType | 'apply', url: string, redactor: Redactor): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '***';
  }
  if (kind === 'slack' || kind === 'teams') {
    const first = u.pathname.split('/').find((s) => s !== '');
    return stripScheme(redactor.redact(`${u.origin}${first ? `/${first}` : ''}`)) + '/***';
  }
  // Redacted as written, before anything is parsed or cut: a ${VAR} value is found only as the
  // user wrote it (the URL parser lower-cases hosts, drops :443, re-encodes paths). Then the
  // scheme, the user info, the query and the fragment are left out: "***/rollouts/chat".
  const shown = redactor.redact(url).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^/?#]*@/, '').replace(/[?#][\s\S]*$/, '');
  return shown || '***';
}

function stripScheme(text: string): string {
  return text.replace(/^https?:\/\//, '');
}

/**
 * The parts of a destination's URL that are credentials, for the Redactor: a chat webhook's
 * whole URL and its path (the tokens), and every query value (a Teams workflow's `sig`).
 */
export function urlSecrets(kind: NotifyType | 'apply', url: string): string[] {
  const out: string[] = [];
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  if (u.password) out.push(u.password, safeDecode(u.password));
  if (kind === 'slack' || kind === 'teams') {
    out.push(url, u.href);
    const segments = u.pathname.split('/').filter((s) => s !== '');
    // Everything after the first segment authorises: "T000/B000/XXXX" of a Slack URL.
    if (segments.length > 1) out.push(segments.slice(1).join('/'));
    for (const s of segments.slice(1)) if (s.length >= 8) out.push(s, safeDecode(s));
    for (const [, value] of u.searchParams) if (value.length >= 8) out.push(value);
  }
  return [...new Set(out.filter((s) => s.length >= 3))];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
