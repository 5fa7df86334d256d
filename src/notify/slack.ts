import type { ContextBlock, HeaderBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { changeText, clip, isLink, summaryLine, transitionText, wellFormedEvent, type NotifyEvent } from './event.js';

/** A Slack incoming-webhook message: Block Kit blocks and the fallback text notifications show. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Block Kit's limits (https://api.slack.com/reference/block-kit/blocks): a message past them is refused. */
export const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextElements: 10, text: 3000 } as const;

/** Gates, reasons and warnings listed at most; the rest are counted ("+3 more"). */
export const SLACK_MAX_LISTED = 10;
const LINE_MAX = 280;

/** Slack's mrkdwn control characters: `&`, `<` and `>` (a `<!channel>` in a gate name must not ping anyone). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped, on one line, and at most `max` characters, never cutting an entity in half. */
function mrkdwn(raw: string, max: number): string {
  const flat = raw.replace(/\s+/g, ' ');
  const escaped = escapeMrkdwn(flat);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const point of flat) {
    const e = escapeMrkdwn(point);
    if (out.length + e.length > max - 1) break;
    out += e;
  }
  return `${out}…`;
}

/** Inline code: a backtick inside would end the span early. */
function code(raw: string, max: number): string {
  const text = raw.trim() === '' ? '—' : raw.replace(/`/g, "'");
  return `\`${mrkdwn(text, max - 2)}\``;
}

/** `<url|label>`: the URL escaped as Slack requires, and no `|` to end it early; a URL too long to link is shown as text. */
function link(url: string, label: string): string {
  const linked = `<${escapeMrkdwn(url.replace(/\|/g, '%7C'))}|${label}>`;
  return linked.length <= SLACK_LIMITS.sectionText ? linked : `${label}: ${code(url, 500)}`;
}

const mrkdwnText = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

/** A titled bullet list in one section, within the section's limit: at most SLACK_MAX_LISTED, then "+k more". */
function listSection(title: string, lines: string[]): SectionBlock {
  let shown = lines.slice(0, SLACK_MAX_LISTED);
  const render = () => {
    const more = lines.length - shown.length;
    return [`*${title}*`, ...shown.map((l) => `• ${l}`), ...(more > 0 ? [`_+${more} more_`] : [])].join('\n');
  };
  let text = render();
  while (text.length > SLACK_LIMITS.sectionText && shown.length > 0) {
    shown = shown.slice(0, -1);
    text = render();
  }
  return { type: 'section', text: mrkdwnText(text) };
}

function failureLines(event: NotifyEvent): string[] {
  if (event.failures.length === 0) return event.failedGates.map((name) => `*${mrkdwn(name, 200)}*`);
  return event.failures.map((f) =>
    // Each part has its own budget: cutting the joined line could split an `&amp;`.
    `*${mrkdwn(f.name, 100)}* (${mrkdwn(f.severity, 20)}): ${code(f.value, 60)}, needs ${code(f.condition, 60)}${f.reason ? `: ${mrkdwn(f.reason, 120)}` : ''}`,
  );
}

/**
 * The Block Kit message for one event: a header with the decision and the rollout, the
 * transition, the failed gates with their values, the reasons and warnings, and links to the
 * evidence and the run. Every text is escaped and cut to Block Kit's limits.
 */
export function slackMessage(raw: NotifyEvent): SlackMessage {
  const event = wellFormedEvent(raw);
  const header: HeaderBlock = {
    type: 'header',
    text: { type: 'plain_text', text: clip(`${event.decision}: ${event.rollout.replace(/\s+/g, ' ')}`, SLACK_LIMITS.headerText), emoji: true },
  };
  const facts: [string, string][] = [
    ['Transition', transitionText(event)],
    ['State', changeText(event.change)],
    ['Command', event.command],
    ['At', event.at],
  ];
  const summary: SectionBlock = {
    type: 'section',
    fields: facts.map(([title, value]) => mrkdwnText(`*${title}*\n${mrkdwn(value, 500)}`)),
  };
  const blocks: KnownBlock[] = [header, summary];
  const failures = failureLines(event);
  if (failures.length > 0) blocks.push(listSection('Failed gates', failures));
  if (event.reasons.length > 0) blocks.push(listSection('Reasons', event.reasons.map((r) => mrkdwn(r, LINE_MAX))));
  if (event.warnings.length > 0) blocks.push(listSection('Warnings', event.warnings.map((w) => mrkdwn(w, LINE_MAX))));
  const links: MrkdwnElement[] = [];
  if (event.evidence !== null) links.push(mrkdwnText(isLink(event.evidence) ? link(event.evidence, 'Evidence') : `Evidence: ${code(event.evidence, 500)}`));
  if (isLink(event.runUrl)) links.push(mrkdwnText(link(event.runUrl, 'Run')));
  if (links.length > 0) {
    const context: ContextBlock = { type: 'context', elements: links };
    blocks.push(context);
  }
  return { text: mrkdwn(summaryLine(event), SLACK_LIMITS.text), blocks };
}
