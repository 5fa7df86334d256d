import { parseDuration } from '../engine/duration.js';
import { APPLY_TIMEOUT_MS, DEFAULT_NOTIFY_ON, type ApplyTarget, type NotifyTarget } from '../notify/event.js';
import { urlSecrets } from '../notify/target.js';
import type { ConfigIssue } from './errors.js';
import type { RawConfig } from './schema.js';

/** The config side of `notify:` and `apply:` (SPEC §7.4): cross-field rules, normalised form, secrets. */

const CREDENTIAL_HEADER = /authorization|cookie|token|secret|key|password/i;

/** `secret` signs the generic webhook only: Slack and Teams webhooks would ignore it, silently. */
export function notifyIssues(cfg: Pick<RawConfig, 'notify'>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  (Array.isArray(cfg.notify) ? cfg.notify : []).forEach((t, i) => {
    if (t && typeof t === 'object' && t.secret !== undefined && t.type !== 'webhook') {
      issues.push({ path: `notify[${i}].secret`, message: `only for type webhook (it signs the JSON body); a ${t.type} webhook is not signed` });
    }
  });
  return issues;
}

export function notifyTargets(cfg: Pick<RawConfig, 'notify'>): NotifyTarget[] {
  return (cfg.notify ?? []).map((t) => ({ type: t.type, url: t.url, on: t.on ? [...new Set(t.on)] : [...DEFAULT_NOTIFY_ON], secret: t.secret ?? null }));
}

export function applyTarget(cfg: Pick<RawConfig, 'apply'>): ApplyTarget | null {
  if (!cfg.apply) return null;
  return {
    url: cfg.apply.url,
    method: cfg.apply.method ?? 'PUT',
    headers: cfg.apply.headers ?? {},
    timeoutMs: cfg.apply.timeout === undefined ? APPLY_TIMEOUT_MS : parseDuration(cfg.apply.timeout)!,
  };
}

/**
 * What must never be printed even when written literally in the file: a chat webhook's URL (it
 * is the credential), the webhook's signing key, a password in a URL. `${VAR}` values in these
 * sections are secrets already (config/env.ts); so are apply's credential headers, literal or not.
 */
export function notifySecrets(cfg: Pick<RawConfig, 'notify' | 'apply'>): string[] {
  const out: string[] = [];
  for (const t of cfg.notify ?? []) {
    out.push(...urlSecrets(t.type, t.url));
    if (t.secret) out.push(t.secret);
  }
  if (cfg.apply) {
    out.push(...urlSecrets('apply', cfg.apply.url));
    for (const [name, value] of Object.entries(cfg.apply.headers ?? {})) {
      if (!CREDENTIAL_HEADER.test(name)) continue;
      out.push(value);
      // "Bearer xyz": the credential alone must not leak either.
      const credential = /^\S+\s+(\S{3,})$/.exec(value)?.[1];
      if (credential) out.push(credential);
    }
  }
  return out;
}
