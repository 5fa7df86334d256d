import Mustache from 'mustache';
import { fmt } from '../engine/windows.js';
import { inlineMarkdown } from './escape.js';
import { mermaidSection, transitionText, trendText, valueText, windowText } from './markdown.js';
import { judgesGates, type Snapshot } from './snapshot.js';

export interface GoNoGoOptions {
  charts?: 'sparkline' | 'mermaid';
}

/** The data a Go/No-Go template sees. Plain values only: a template cannot run code. */
export function goNoGoView(s: Snapshot, opts: GoNoGoOptions = {}) {
  return {
    /** Markdown of the Mermaid charts (`report.charts: mermaid`), else empty; `{{{charts}}}` in a template. */
    charts: opts.charts === 'mermaid' ? mermaidSection(s).join('\n') : '',
    rollout: s.rollout,
    decision: s.decision,
    go: s.decision === 'PROCEED',
    /** False for rollback and resume: operator actions, not a verdict on gates. */
    judged: judgesGates(s.command),
    command: s.command,
    at: s.at,
    from: s.transition.from ?? '(not started)',
    to: s.transition.to ?? '(none)',
    fromTraffic: s.transition.fromTraffic,
    toTraffic: s.transition.toTraffic ?? '',
    transition: transitionText(s),
    reasons: s.reasons,
    warnings: s.warnings,
    hasWarnings: s.warnings.length > 0,
    forced: s.forced !== null,
    forcedBy: s.forced?.actor ?? '',
    forcedReason: s.forced?.reason ?? '',
    actor: s.actor ?? '(unknown)',
    approvers: s.approvers.join(', '),
    hasApprovers: s.approvers.length > 0,
    dryRun: s.dryRun,
    ramp: s.ramp.map((r) => ({ rule: r.rule.replace(/_/g, ' '), ok: r.ok, status: r.ok ? 'ok' : 'FAIL', detail: r.detail })),
    gates: s.gates.map((g) => ({
      name: g.name,
      provider: g.provider,
      severity: g.severity,
      value: valueText(g),
      trend: trendText(g),
      shadow: g.shadow === true,
      baseline: g.baselineValue === null ? '' : fmt(g.baselineValue),
      condition: g.condition ?? '',
      window: windowText(g),
      samples: g.samples,
      status: `${g.status === 'no_data' ? 'no data' : g.status === 'skipped' ? 'n/a' : g.status}${g.shadow ? ' (shadow)' : ''}`,
      effect: g.effect,
      reason: g.reason,
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
