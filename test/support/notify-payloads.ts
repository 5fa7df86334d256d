import { createRequire } from 'node:module';
import type { IAdaptiveCard } from 'adaptivecards';
import type { KnownBlock } from '@slack/types';
import { SLACK_LIMITS, type SlackMessage } from '../../src/notify/slack.js';
import type { AdaptiveCard, TeamsMessage } from '../../src/notify/teams.js';
import type { NotifyEvent } from '../../src/notify/event.js';

/**
 * Checks of the chat payloads against their references. Slack: the blocks are typed with
 * @slack/types (tsc checks every field's type) and Block Kit's documented limits are checked
 * here. Teams: the card is typed with the `adaptivecards` package's card schema (IAdaptiveCard)
 * and parsed by that package, the reference renderer: no parse or validation event, and the card
 * it reads back is the card we sent (nothing dropped as unknown or invalid).
 */

// The package's ESM build imports its own files without extensions; its UMD build loads in Node.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

// Compile-time: the renderers' types fit the references' (a wrong field type fails `npm run typecheck`).
export const asBlockKit = (m: SlackMessage): KnownBlock[] => m.blocks;
export const asAdaptiveCard = (c: AdaptiveCard): IAdaptiveCard => c;

const LINK = /<https?:\/\/[^|<>\s]*\|(Evidence|Run)>/g;
const ENTITY = /&(amp|lt|gt);/g;

function mrkdwnProblems(where: string, text: string): string[] {
  const out: string[] = [];
  const bare = text.replace(LINK, '').replace(ENTITY, '');
  if (/[<>&]/.test(bare)) out.push(`${where}: unescaped & < or > in ${JSON.stringify(text.slice(0, 80))}`);
  return out;
}

function loneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Every Block Kit rule the message breaks: an empty list when Slack would take it. */
export function blockKitProblems(message: SlackMessage): string[] {
  const out: string[] = [];
  const text = (where: string, t: { type: string; text: string }, max: number) => {
    if (t.text.length === 0) out.push(`${where}: empty text`);
    if (t.text.length > max) out.push(`${where}: ${t.text.length} characters > ${max}`);
    if (loneSurrogate(t.text)) out.push(`${where}: a lone surrogate (cut character)`);
    if (t.type === 'mrkdwn') out.push(...mrkdwnProblems(where, t.text));
  };
  if (typeof message.text !== 'string' || message.text.length === 0) out.push('text: the fallback text is missing');
  else text('text', { type: 'mrkdwn', text: message.text }, SLACK_LIMITS.text);
  if (message.blocks.length === 0 || message.blocks.length > SLACK_LIMITS.blocks) out.push(`blocks: ${message.blocks.length} blocks`);
  message.blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    switch (b.type) {
      case 'header':
        if (b.text.type !== 'plain_text') out.push(`${at}: a header takes plain_text`);
        text(at, b.text, SLACK_LIMITS.headerText);
        break;
      case 'section':
        if (!b.text && !b.fields) out.push(`${at}: a section needs text or fields`);
        if (b.text) text(`${at}.text`, b.text, SLACK_LIMITS.sectionText);
        if (b.fields) {
          if (b.fields.length === 0 || b.fields.length > SLACK_LIMITS.fields) out.push(`${at}: ${b.fields.length} fields`);
          b.fields.forEach((f, j) => text(`${at}.fields[${j}]`, f, SLACK_LIMITS.fieldText));
        }
        break;
      case 'context':
        if (b.elements.length === 0 || b.elements.length > SLACK_LIMITS.contextElements) out.push(`${at}: ${b.elements.length} elements`);
        b.elements.forEach((e, j) => {
          if (e.type === 'mrkdwn' || e.type === 'plain_text') text(`${at}.elements[${j}]`, e, SLACK_LIMITS.sectionText);
        });
        break;
      case 'divider':
        break;
      default:
        out.push(`${at}: unexpected block type ${b.type}`);
    }
  });
  return out;
}

/** Adaptive Card enum values are case-insensitive; the package writes them back capitalised. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

/** Every problem the `adaptivecards` package finds in the card, and whatever it could not read back. */
export function adaptiveCardProblems(content: unknown): string[] {
  const out: string[] = [];
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(content as object, context);
  for (let i = 0; i < context.eventCount; i++) out.push(`parse: ${context.getEventAt(i).message}`);
  const results = card.validateProperties();
  for (const e of results.validationEvents) out.push(`validate: ${e.message}`);
  // What the renderer understood, against what was sent (its own version and Teams' own `msteams` aside).
  const { version: _v, msteams: _m, ...sent } = content as Record<string, unknown>;
  const { version: _rv, ...read } = card.toJSON(context) as Record<string, unknown>;
  const a = JSON.stringify(normalise(sent));
  const b = JSON.stringify(normalise(read));
  if (a !== b) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    out.push(`round trip: sent …${a.slice(Math.max(0, i - 60), i + 120)} but the renderer read …${b.slice(Math.max(0, i - 60), i + 120)}`);
  }
  // Required by the card schema, not enforced by the parser.
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && (typeof o.text !== 'string' || o.text.trim() === '')) out.push(`${path}: a TextBlock needs text`);
    if (o.type === 'FactSet') {
      for (const f of (o.facts as { title: unknown; value: unknown }[]) ?? []) {
        if (typeof f.title !== 'string' || typeof f.value !== 'string' || f.value === '') out.push(`${path}: a fact needs a string title and value`);
      }
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
  };
  walk(content, 'card');
  return out;
}

/** The Teams envelope: one Adaptive Card attachment, as the workflow webhook expects. */
export function teamsProblems(message: TeamsMessage): string[] {
  const out: string[] = [];
  if (message.type !== 'message') out.push('type: expected "message"');
  if (message.attachments.length !== 1) out.push(`attachments: ${message.attachments.length}`);
  const [a] = message.attachments;
  if (a?.contentType !== 'application/vnd.microsoft.card.adaptive') out.push(`contentType: ${a?.contentType}`);
  // Teams refuses messages over about 28 KB.
  const size = Buffer.byteLength(JSON.stringify(message));
  if (size > 28 * 1024) out.push(`size: ${size} bytes > 28 KB`);
  if (a) out.push(...adaptiveCardProblems(a.content));
  return out;
}

export function sampleEvent(overrides: Partial<NotifyEvent> = {}): NotifyEvent {
  return {
    rollout: 'chat',
    command: 'watch',
    decision: 'ROLLBACK',
    from: 'canary_10',
    to: 'canary_1',
    at: '2026-11-22T12:00:00.000Z',
    stateChanged: true,
    change: 'rolled-back',
    failedGates: ['error_rate'],
    failures: [{ name: 'error_rate', severity: 'critical', value: '0.042', condition: '< 0.01', reason: 'value 0.042 breaks < 0.01' }],
    reasons: ['error_rate failed (critical): value 0.042 breaks < 0.01'],
    warnings: [],
    evidence: 'https://github.com/acme/chat/blob/rollout-gate-ledger/evidence/chat/2026-11-22T12-00-00Z.md',
    runUrl: 'https://github.com/acme/chat/actions/runs/42',
    ...overrides,
  };
}
