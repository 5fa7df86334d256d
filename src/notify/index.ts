/** Notifications (Slack, Teams, a signed webhook) and the `apply` call that moves the traffic (SPEC §7.4). */
export {
  shouldNotify,
  DEFAULT_NOTIFY_ON,
  type NotifyEvent,
  type NotifyTarget,
  type NotifyOn,
  type NotifyType,
  type ApplyTarget,
  type GateFailure,
  type StateChange,
} from './event.js';
export { notifyAll, notifyWarning, renderPayload, NOTIFY_BOUND_MS, NOTIFY_MAX_ATTEMPTS, type NotifyOptions, type NotifyOutcome } from './send.js';
export { applyStage, ApplyError, APPLY_TIMEOUT_MS, APPLY_MAX_ATTEMPTS, type ApplyBody, type ApplyOptions } from './apply.js';
export { slackMessage, escapeMrkdwn, SLACK_LIMITS, SLACK_MAX_LISTED, type SlackMessage } from './slack.js';
export { teamsMessage, TEAMS_MAX_LISTED, type TeamsMessage, type AdaptiveCard } from './teams.js';
export { webhookBody, signature, SIGNATURE_HEADER, type WebhookBody } from './webhook.js';
export { displayTarget, urlSecrets } from './target.js';
