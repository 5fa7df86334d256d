import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS, loadAlerts, SILENCED_ALERTNAME, startAlertmanager } from '../servers/alertmanager.js';
import { requireBinary, type RunningServer } from '../servers/common.js';
import { configText, gateResult, runGates } from '../servers/gates.js';

const available = requireBinary('prometheus-alertmanager', 'prometheus-alertmanager');

describe.skipIf(!available)('alertmanager provider against a real Alertmanager', () => {
  let am: RunningServer;
  const provider = () => `am: { type: alertmanager, url: "${am.url}", timeout: 5s }`;

  beforeAll(async () => {
    am = await startAlertmanager();
    await loadAlerts(am.url);
  });
  afterAll(async () => {
    await am?.stop();
  });

  /** The fixture alerts a gate should count: matching, not silenced/inhibited, old enough. */
  const expected = (match: (labels: Record<string, string>) => boolean, activeForMs = 0) =>
    ALERTS.filter((a) => match(a.labels) && a.labels.alertname !== SILENCED_ALERTNAME && a.labels.service !== 'search' && a.ageMs >= activeForMs)
      .map((a) => a.labels.alertname)
      .sort();

  it('counts active, unsilenced, uninhibited alerts matching the matchers, honouring activeFor', async () => {
    const run = await runGates(
      configText(
        provider(),
        `- name: chat_critical_sustained
  provider: am
  query: 'severity="critical", service="chat"'
  activeFor: 2m
  pass: "== 0"
  severity: critical
- { name: chat_critical_any, provider: am, query: '{severity="critical", service="chat"}', pass: "== 0", severity: minor }
- { name: chat_not_critical, provider: am, query: 'severity!="critical", service="chat"', pass: "== 0", severity: minor }
- { name: regex_services, provider: am, query: 'severity="critical", service=~"pay.*|chat"', pass: "== 0", severity: minor }
- { name: negative_regex, provider: am, query: "severity=critical, service!~'chat|search'", pass: "== 0", severity: minor }
- { name: silenced_only, provider: am, query: 'alertname="${SILENCED_ALERTNAME}"', pass: "== 0" }
- { name: inhibited_only, provider: am, query: 'service="search"', pass: "== 0" }`,
      ),
      { nowMs: Date.now() },
    );
    const count = (name: string) => gateResult(run, name).value;
    const names = (name: string) => ((gateResult(run, name).detail?.alerts ?? []) as { alertname: string }[]).map((a) => a.alertname).sort();

    const sustained = expected((l) => l.severity === 'critical' && l.service === 'chat', 2 * 60_000);
    expect(sustained).toEqual(['HighErrorRate']); // the fixture itself: LatencyBurst is younger than 2m
    expect(count('chat_critical_sustained')).toBe(sustained.length);
    expect(names('chat_critical_sustained')).toEqual(sustained);
    expect(gateResult(run, 'chat_critical_sustained').detail?.activeForLessThan).toBe(1);

    const any = expected((l) => l.severity === 'critical' && l.service === 'chat');
    expect(count('chat_critical_any')).toBe(any.length);
    expect(names('chat_critical_any')).toEqual(any);
    expect(names('chat_not_critical')).toEqual(expected((l) => l.severity !== 'critical' && l.service === 'chat'));
    expect(names('regex_services')).toEqual(expected((l) => l.severity === 'critical' && /^(?:pay.*|chat)$/.test(l.service ?? '')));
    expect(names('negative_regex')).toEqual(expected((l) => l.severity === 'critical' && !/^(?:chat|search)$/.test(l.service ?? '')));
    expect(count('silenced_only')).toBe(0);
    expect(count('inhibited_only')).toBe(0);

    // A critical alert sustained ≥ 2m on a critical gate: roll back.
    expect(run.decision.decision).toBe('ROLLBACK');
    expect(run.decision.failedGates).toEqual(['chat_critical_sustained']);
  });

  it('PROCEED when no matching alert is firing', async () => {
    const run = await runGates(
      configText(provider(), `- { name: none, provider: am, query: 'severity="critical", service="checkout"', activeFor: 2m, pass: "== 0", severity: critical }`),
      { nowMs: Date.now() },
    );
    expect(gateResult(run, 'none').value).toBe(0);
    expect(gateResult(run, 'none').samples).toBe(1);
    expect(run.decision.decision).toBe('PROCEED');
  });

  it('a malformed matcher list is no data naming the problem, and no request is sent', async () => {
    const run = await runGates(configText(provider(), `- { name: typo, provider: am, query: 'severity=="critical"', pass: "== 0" }`), { nowMs: Date.now() });
    const g = gateResult(run, 'typo');
    expect(g.status).toBe('no_data');
    expect(g.error).toMatch(/alertmanager "am": matchers "severity=="critical"": a value after "severity=" .*at position 10/);
    expect(run.logs.some((l) => l.includes('/api/v2/alerts'))).toBe(false);
    expect(run.decision.decision).toBe('HOLD');
  });

  it('a filter Alertmanager rejects is reported with its own message (HTTP 400, not retried)', async () => {
    // A lookahead is valid in JavaScript but not in Go's RE2: only the server can reject it.
    const run = await runGates(configText(provider(), `- { name: re2, provider: am, query: 'service=~"(?=chat)"', pass: "== 0" }`), { nowMs: Date.now() });
    const g = gateResult(run, 're2');
    // The server refused the matchers themselves: a query error, not an outage (SPEC §8.4).
    expect(g.status).toBe('query_error');
    expect(g.error).toMatch(/alertmanager "am": HTTP 400 from \/api\/v2\/alerts: .*error parsing regexp/);
    expect(run.logs.filter((l) => l.includes('→ HTTP 400'))).toHaveLength(1);
  });
});
