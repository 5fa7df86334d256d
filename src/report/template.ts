import Mustache from 'mustache';
import { inlineMarkdown } from './escape.js';
import { formatNumber, formatTime, proseText, orderGates, rampRuleText, rampSummary, statusText, statusWord, transitionText, trendText, valueText, windowText } from './format.js';
import { mermaidSection } from './markdown.js';
import { judgesGates, type Snapshot } from './snapshot.js';

export interface GoNoGoOptions {
  charts?: 'sparkline' | 'mermaid';
}

/** The data a Go/No-Go template sees. Plain values only: a template cannot run code. */
export function goNoGoView(s: Snapshot, opts: GoNoGoOptions = {}) {
  const ramp = rampSummary(s.ramp);
  return {
    /** Markdown of the Mermaid charts (`report.charts: mermaid`), else empty; `{{{charts}}}` in a template. */
    charts: opts.charts === 'mermaid' ? mermaidSection(s).join('\n') : '',
    rollout: s.rollout,
    decision: s.decision,
    go: s.decision === 'PROCEED',
    /** False for rollback and resume: operator actions, not a verdict on gates. */
    judged: judgesGates(s.command),
    command: s.command,
    /** `2026-11-30 15:36 UTC`; `atIso` is the instant as recorded. */
    at: formatTime(s.at),
    atIso: s.at,
    from: s.transition.from ?? '(not started)',
    to: s.transition.to ?? '(none)',
    fromTraffic: s.transition.fromTraffic,
    toTraffic: s.transition.toTraffic ?? '',
    transition: transitionText(s),
    reasons: s.reasons.map(proseText),
    warnings: s.warnings.map(proseText),
    hasWarnings: s.warnings.length > 0,
    forced: s.forced !== null,
    forcedBy: s.forced?.actor ?? '',
    forcedReason: s.forced?.reason ?? '',
    actor: s.actor ?? '(unknown)',
    approvers: s.approvers.join(', '),
    hasApprovers: s.approvers.length > 0,
    dryRun: s.dryRun,
    /** Every ramp check; `rampFailing` only the failing ones, `rampPassing` the rest as one line ("ramp: 4 checks pass (…)"). */
    ramp: s.ramp.map((r) => ({ rule: rampRuleText(r), ok: r.ok, status: r.ok ? 'ok' : 'FAIL', detail: proseText(r.detail) })),
    rampFailing: ramp.failing.map((r) => ({ rule: rampRuleText(r), ok: r.ok, status: 'FAIL', detail: proseText(r.detail) })),
    hasRampFailing: ramp.failing.length > 0,
    rampPassing: ramp.line,
    /** In the order that decides: ROLLBACK, HOLD, no data, warnings, shadow, pass; config order within each. */
    gates: orderGates(s.gates).map((g) => ({
      name: g.name,
      provider: g.provider,
      severity: g.severity,
      value: valueText(g),
      trend: trendText(g),
      shadow: g.shadow === true,
      baseline: g.baselineValue === null ? '' : formatNumber(g.baselineValue),
      condition: g.condition ?? '',
      window: windowText(g),
      samples: g.samples,
      status: `${statusWord(g.status)}${g.shadow ? ' (shadow)' : ''}`,
      /** The status with its effect: "fail → ROLLBACK", "no data (warning)". */
      verdict: statusText(g),
      effect: g.effect,
      reason: proseText(g.reason),
      query: g.query ?? '',
    })),
    failedGates: s.failedGates.join(', '),
    configFile: s.config.file,
    configSha256: s.config.sha256,
    repository: s.context.repository ?? '',
    commitSha: s.context.commitSha ?? '',
    runUrl: s.context.runUrl ?? '',
    pullRequest: s.context.pullRequest ?? '',
    evidencePath: s.evidencePath ?? '',
  };
}

/**
 * Fills a Go/No-Go template (Mustache, logic-less). Every `{{value}}` is escaped for Markdown so
 * names and error texts render inertly; `{{{value}}}` is available for trusted template authors.
 */
export function renderGoNoGo(template: string, s: Snapshot, opts: GoNoGoOptions = {}): string {
  const writer = new Mustache.Writer();
  // Escaping is per render, never by mutating the global Mustache.escape.
  const escape = (v: unknown) => inlineMarkdown(String(v));
  return writer.render(template, goNoGoView(s, opts), undefined, { escape });
}
