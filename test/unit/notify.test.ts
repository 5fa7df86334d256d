import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, shouldNotify, type NotifyEvent, type NotifyOn } from '../../src/notify/event.js';
import { escapeMrkdwn, slackMessage, SLACK_MAX_LISTED } from '../../src/notify/slack.js';
import { teamsMessage } from '../../src/notify/teams.js';
import { displayTarget, urlSecrets } from '../../src/notify/target.js';
import { signature, webhookBody } from '../../src/notify/webhook.js';
import { Redactor } from '../../src/secrets.js';
import { fuzz } from '../fuzz/settings.js';
import { yieldingProperty } from '../support/property.js';
import { adaptiveCardProblems, blockKitProblems, sampleEvent, teamsProblems } from '../support/notify-payloads.js';

const allText = (value: unknown) => JSON.stringify(value);

describe('which events a target hears about (`on`)', () => {
  const DEFAULT: NotifyOn[] = ['ROLLBACK', 'state-change'];
  it.each([
    [DEFAULT, 'ROLLBACK', null, true],
    [DEFAULT, 'HOLD', null, false],
    [DEFAULT, 'HOLD', 'paused', true],
    [DEFAULT, 'PROCEED', 'promoted', true],
    [DEFAULT, 'PROCEED', null, false],
    [['PROCEED'], 'PROCEED', null, true],
    [['PROCEED'], 'ROLLBACK', 'rolled-back', false],
    [['state-change'], 'HOLD', 'resumed', true],
    [['state-change'], 'ROLLBACK', 'kill-switch', true],
    [['HOLD', 'ROLLBACK'], 'HOLD', null, true],
  ] as [NotifyOn[], NotifyEvent['decision'], NotifyEvent['change'], boolean][])('on %j, %s with change %s → %s', (on, decision, change, expected) => {
    expect(shouldNotify({ on }, { decision, change })).toBe(expected);
  });
});

describe('clip', () => {
  it('keeps a text that fits and cuts a longer one with an ellipsis, never inside a surrogate pair', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcdef', 4)).toBe('abc…');
    const emoji = '😀'.repeat(10);
    const cut = clip(emoji, 5);
    expect(cut).toBe('😀😀…');
    expect(cut.length).toBeLessThanOrEqual(5);
  });
});

describe('Slack Block Kit message', () => {
  it('has a header with the decision and rollout, the transition, the failed gate with its value, reasons and links', () => {
    const m = slackMessage(sampleEvent());
    expect(blockKitProblems(m)).toEqual([]);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'ROLLBACK: chat', emoji: true } });
    const text = allText(m.blocks);
    expect(text).toContain('canary_10 → canary_1');
    expect(text).toContain('rolled back');
    expect(text).toContain('*error_rate* (critical): `0.042`, needs `&lt; 0.01`');
    expect(text).toContain('<https://github.com/acme/chat/actions/runs/42|Run>');
    expect(text).toContain('|Evidence>');
    expect(m.text).toBe('ROLLBACK chat: canary_10 → canary_1, rolled back (1 gate failed)');
  });

  it('escapes & < > so a gate name cannot ping a channel or forge a link', () => {
    const m = slackMessage(sampleEvent({ failedGates: ['<!channel>'], failures: [{ name: '<!channel> & <https://evil|click>', severity: 'critical', value: '`1`', condition: '> 2', reason: '<@U123>' }] }));
    expect(blockKitProblems(m)).toEqual([]);
    const text = allText(m);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil|click&gt;');
    expect(escapeMrkdwn('a&b<c>d')).toBe('a&amp;b&lt;c&gt;d');
  });

  it('lists at most 10 gates and counts the rest', () => {
    const failures = Array.from({ length: 25 }, (_, i) => ({ name: `gate_${i}`, severity: 'major', value: String(i), condition: '< 0', reason: 'too high' }));
    const m = slackMessage(sampleEvent({ failures, failedGates: failures.map((f) => f.name) }));
    expect(blockKitProblems(m)).toEqual([]);
    const section = allText(m.blocks);
    expect(section).toContain('gate_9');
    expect(section).not.toContain('gate_10*');
    expect(section).toContain(`_+${25 - SLACK_MAX_LISTED} more_`);
  });

  it('stays within Block Kit limits with huge values: the section drops lines and counts them', () => {
    const long = 'x'.repeat(10_000);
    const failures = Array.from({ length: 12 }, (_, i) => ({ name: `${long}${i}`, severity: long, value: long, condition: long, reason: long }));
    const m = slackMessage(sampleEvent({ rollout: long, failures, reasons: [long, long], warnings: [long], evidence: `https://e.example/${long}`, runUrl: `https://r.example/${'&'.repeat(3000)}` }));
    expect(blockKitProblems(m)).toEqual([]);
    expect(allText(m)).toMatch(/\+\d+ more/);
  });

  it('shows an evidence path as text, not as a link', () => {
    const m = slackMessage(sampleEvent({ evidence: '.rollout-gate/evidence/chat.md', runUrl: null }));
    expect(blockKitProblems(m)).toEqual([]);
    const context = m.blocks.at(-1)!;
    expect(context).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Evidence: `.rollout-gate/evidence/chat.md`' }] });
  });

  it('the checker itself refuses what Slack refuses (so a passing check means something)', () => {
    const m = slackMessage(sampleEvent());
    expect(blockKitProblems({ ...m, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).toHaveLength(1);
    expect(blockKitProblems({ ...m, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a <!channel> b' } }] })[0]).toMatch(/unescaped/);
    expect(blockKitProblems({ ...m, blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })) })[0]).toMatch(/51 blocks/);
    expect(blockKitProblems({ ...m, text: '' })[0]).toMatch(/fallback/);
  });
});

describe('Teams Adaptive Card', () => {
  it('is a workflow-webhook message with one Adaptive Card the adaptivecards package reads back unchanged', () => {
    const msg = teamsMessage(sampleEvent());
    expect(teamsProblems(msg)).toEqual([]);
    const card = msg.attachments[0]!.content;
    expect(card.version).toBe('1.4');
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'ROLLBACK: chat', color: 'attention' });
    expect(allText(card)).toContain('error_rate (critical): 0.042, needs < 0.01');
    expect(card.actions?.map((a) => [a.title, a.url])).toEqual([
      ['Evidence', sampleEvent().evidence],
      ['Run', sampleEvent().runUrl],
    ]);
  });

  it('colours the header by decision and puts a path of evidence among the facts', () => {
    const msg = teamsMessage(sampleEvent({ decision: 'HOLD', change: 'paused', evidence: 'evidence/chat.md', runUrl: null }));
    expect(teamsProblems(msg)).toEqual([]);
    const card = msg.attachments[0]!.content;
    expect(card.body[0]).toMatchObject({ color: 'warning' });
    expect(card.actions).toBeUndefined();
    expect(allText(card.body)).toContain('"title":"Evidence","value":"evidence/chat.md"');
  });

  it('breaks up markdown links in a reason and counts gates past the tenth', () => {
    const failures = Array.from({ length: 14 }, (_, i) => ({ name: `g${i}`, severity: 'major', value: '1', condition: '< 0', reason: '[click](https://evil.example)' }));
    const msg = teamsMessage(sampleEvent({ failures, failedGates: failures.map((f) => f.name) }));
    expect(teamsProblems(msg)).toEqual([]);
    const text = allText(msg);
    expect(text).not.toContain('](https://evil');
    expect(text).toContain('+4 more');
  });

  it('the checker refuses cards the package cannot read (so a passing check means something)', () => {
    const card = teamsMessage(sampleEvent()).attachments[0]!.content;
    expect(adaptiveCardProblems({ ...card, body: [{ type: 'TextBlock', text: 'x', color: 'purple' }] }).join()).toMatch(/color/);
    expect(adaptiveCardProblems({ ...card, body: [{ type: 'Bogus' }] }).length).toBeGreaterThan(0);
    expect(adaptiveCardProblems({ ...card, body: [{ type: 'FactSet', facts: [{ title: 1, value: {} }] }] }).length).toBeGreaterThan(0);
    expect(adaptiveCardProblems({ ...card, body: [{ type: 'TextBlock' }] }).join()).toMatch(/needs text/);
    expect(adaptiveCardProblems({ ...card, actions: [{ type: 'Action.OpenUrl', title: 'x' }] }).join()).toMatch(/url/);
  });
});

describe('generic webhook body and signature', () => {
  it('has exactly the SPEC keys', () => {
    const body = webhookBody(sampleEvent());
    expect(Object.keys(body)).toEqual(['rollout', 'command', 'decision', 'from', 'to', 'at', 'stateChanged', 'failedGates', 'reasons', 'evidence', 'runUrl']);
    expect(body).toMatchObject({ rollout: 'chat', decision: 'ROLLBACK', from: 'canary_10', to: 'canary_1', stateChanged: true, failedGates: ['error_rate'] });
  });

  it('signs with sha256=<hex HMAC-SHA256> of the exact body', () => {
    const body = JSON.stringify(webhookBody(sampleEvent()));
    const expected = createHmac('sha256', 'k3y').update(body).digest('hex');
    expect(signature(body, 'k3y')).toBe(`sha256=${expected}`);
    expect(signature(`${body} `, 'k3y')).not.toBe(`sha256=${expected}`);
  });
});

describe('how a destination is named', () => {
  it('shows a chat webhook only up to its first path segment', () => {
    const r = new Redactor();
    expect(displayTarget('slack', 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX', r)).toBe('hooks.slack.com/services/***');
    expect(displayTarget('teams', 'https://prod-00.westus.logic.azure.com:443/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cr3tsig', r)).toBe(
      'prod-00.westus.logic.azure.com/workflows/***',
    );
  });

  it('shows a webhook or apply URL without query, user info or an origin read from ${VAR}', () => {
    expect(displayTarget('webhook', 'https://user:pw@hooks.internal/rollout?token=abc', new Redactor())).toBe('hooks.internal/rollout');
    expect(displayTarget('apply', 'https://flags.internal/rollouts/chat', new Redactor(['https://flags.internal']))).toBe('***/rollouts/chat');
    expect(displayTarget('apply', 'not a url', new Redactor())).toBe('***');
  });

  it('treats a chat webhook URL, its tokens and a Teams sig as secrets', () => {
    const slack = urlSecrets('slack', 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX');
    expect(slack).toEqual(expect.arrayContaining(['https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX', 'T000/B000/XXXXXXXXXXXX', 'XXXXXXXXXXXX']));
    expect(urlSecrets('teams', 'https://x.logic.azure.com/workflows/abc/invoke?api-version=1&sig=s3cr3tsignature')).toContain('s3cr3tsignature');
    expect(urlSecrets('webhook', 'https://u:p%40ss@hooks.internal/x')).toEqual(['p%40ss', 'p@ss']);
  });
});

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.constantFrom('<!channel>', '&amp;', '`', '*_~', '[x](https://evil)', '\u0000', '😀'.repeat(200), 'x'.repeat(5000), '<https://a|b>', '\ud800'),
);
const link = fc.oneof(fc.constant(null), fc.webUrl(), hostile);
const eventArb: fc.Arbitrary<NotifyEvent> = fc.record({
  rollout: hostile,
  command: fc.constantFrom('evaluate', 'promote', 'watch', 'pause', 'resume'),
  decision: fc.constantFrom('PROCEED', 'HOLD', 'ROLLBACK'),
  from: fc.option(hostile),
  to: fc.option(hostile),
  at: fc.constant('2026-11-22T12:00:00.000Z'),
  stateChanged: fc.boolean(),
  change: fc.constantFrom(null, 'promoted', 'rolled-back', 'paused', 'resumed', 'kill-switch'),
  failedGates: fc.array(hostile, { maxLength: 30 }),
  failures: fc.array(fc.record({ name: hostile, severity: hostile, value: hostile, condition: hostile, reason: hostile }), { maxLength: 30 }),
  reasons: fc.array(hostile, { maxLength: 30 }),
  warnings: fc.array(hostile, { maxLength: 15 }),
  evidence: link,
  runUrl: link,
});

describe('any event renders within the destinations\' rules (property)', () => {
  it('Block Kit limits and escaping hold, and the Adaptive Card reads back unchanged', async () => {
    await fc.assert(
      yieldingProperty(eventArb, (event) => {
        expect(blockKitProblems(slackMessage(event))).toEqual([]);
        expect(teamsProblems(teamsMessage(event))).toEqual([]);
      }),
      { numRuns: Math.min(fuzz.numRuns, 3000), seed: fuzz.seed },
    );
  });
});
