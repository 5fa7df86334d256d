import { changeText, clip, isLink, summaryLine, transitionText, wellFormedEvent, type NotifyEvent } from './event.js';

/** The elements of Adaptive Card 1.4 this renderer uses (https://adaptivecards.io/explorer/). */
export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  weight?: 'lighter' | 'default' | 'bolder';
  color?: 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  separator?: boolean;
}
export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}
export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  id: string;
  title: string;
  url: string;
}
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.4';
  fallbackText: string;
  body: (TextBlock | FactSet)[];
  actions?: OpenUrlAction[];
  msteams?: { width: 'Full' };
}

/** What a Teams workflow ("When a Teams webhook request is received") accepts. */
export interface TeamsMessage {
  type: 'message';
  attachments: { contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }[];
}

/** Gates, reasons and warnings listed at most; the rest are counted. Teams refuses a message over 28 KB. */
export const TEAMS_MAX_LISTED = 10;
const COLOR = { PROCEED: 'good', HOLD: 'warning', ROLLBACK: 'attention' } as const;

/**
 * One line of text, cut to `max`. TextBlocks render a markdown subset; Teams shows backslash
 * escapes literally, so only a link (`[text](url)`) is broken up: a reason can't become a link.
 */
function plain(raw: string, max: number): string {
  return clip(raw.replace(/\s+/g, ' ').trim().replace(/\]\(/g, '] ('), max) || '—';
}

function list(title: string, lines: string[]): TextBlock[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, TEAMS_MAX_LISTED);
  const more = lines.length - shown.length;
  return [
    { type: 'TextBlock', text: title, weight: 'bolder', wrap: true, spacing: 'medium', separator: true },
    ...shown.map((text): TextBlock => ({ type: 'TextBlock', text, wrap: true, spacing: 'small' })),
    ...(more > 0 ? [{ type: 'TextBlock', text: `+${more} more`, isSubtle: true, wrap: true, spacing: 'small' } satisfies TextBlock] : []),
  ];
}

/**
 * The Adaptive Card for one event, as a Teams workflow webhook message: the decision and the
 * rollout, the transition, the failed gates with their values, reasons and warnings, and
 * buttons to the evidence and the run.
 */
export function teamsMessage(raw: NotifyEvent): TeamsMessage {
  const event = wellFormedEvent(raw);
  const failures =
    event.failures.length > 0
      ? event.failures.map((f) => `${plain(f.name, 100)} (${plain(f.severity, 20)}): ${plain(f.value, 60)}, needs ${plain(f.condition, 60)}${f.reason ? `: ${plain(f.reason, 160)}` : ''}`)
      : event.failedGates.map((name) => plain(name, 200));
  const facts: [string, string][] = [
    ['Transition', transitionText(event)],
    ['State', changeText(event.change)],
    ['Command', event.command],
    ['At', event.at],
  ];
  if (event.evidence !== null && !isLink(event.evidence)) facts.push(['Evidence', event.evidence]);
  const actions: OpenUrlAction[] = [];
  if (isLink(event.evidence) && event.evidence.length <= 2000) actions.push({ type: 'Action.OpenUrl', id: 'evidence', title: 'Evidence', url: event.evidence });
  if (isLink(event.runUrl) && event.runUrl.length <= 2000) actions.push({ type: 'Action.OpenUrl', id: 'run', title: 'Run', url: event.runUrl });
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    fallbackText: clip(summaryLine(event), 1000),
    body: [
      { type: 'TextBlock', text: plain(`${event.decision}: ${event.rollout}`, 150), size: 'large', weight: 'bolder', color: COLOR[event.decision], wrap: true },
      { type: 'FactSet', facts: facts.map(([title, value]) => ({ title, value: plain(value, 500) })) },
      ...list('Failed gates', failures),
      ...list('Reasons', event.reasons.map((r) => plain(r, 300))),
      ...list('Warnings', event.warnings.map((w) => plain(w, 300))),
    ],
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}
