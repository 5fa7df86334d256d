import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startProcess, tempDir, type RunningServer } from './common.js';

const CONFIG = `route:
  receiver: nowhere
  group_wait: 1h
receivers:
  - name: nowhere
inhibit_rules:
  - source_matchers: ['alertname="Maintenance"']
    target_matchers: ['service="search"']
`;

/** Starts Alertmanager on a free port of 127.0.0.1, clustering off. */
export async function startAlertmanager(): Promise<RunningServer> {
  const dir = tempDir('alertmanager');
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, CONFIG);
  const port = await freePort();
  return startProcess({
    command: 'prometheus-alertmanager',
    args: [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    port,
    readyPath: '/-/ready',
    dirs: [dir],
  });
}

export interface FixtureAlert {
  labels: Record<string, string>;
  /** How long before now the alert started. */
  ageMs: number;
}

/** The alerts the suite posts; which of them a gate should count is asserted in the tests. */
export const ALERTS: FixtureAlert[] = [
  { labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'chat' }, ageMs: 10 * 60_000 },
  { labels: { alertname: 'LatencyBurst', severity: 'critical', service: 'chat' }, ageMs: 30_000 },
  { labels: { alertname: 'DiskFilling', severity: 'warning', service: 'chat' }, ageMs: 10 * 60_000 },
  { labels: { alertname: 'NoisyCheck', severity: 'critical', service: 'chat' }, ageMs: 10 * 60_000 },
  { labels: { alertname: 'PaymentsDown', severity: 'critical', service: 'payments' }, ageMs: 5 * 60_000 },
  { labels: { alertname: 'Maintenance', severity: 'info' }, ageMs: 20 * 60_000 },
  { labels: { alertname: 'SearchSlow', severity: 'critical', service: 'search' }, ageMs: 10 * 60_000 },
];
export const SILENCED_ALERTNAME = 'NoisyCheck';

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Posts the fixture alerts (startsAt in the past, ending in an hour), silences one of them,
 * and waits until Alertmanager shows the silenced and the inhibited alert as suppressed.
 */
export async function loadAlerts(baseUrl: string, nowMs = Date.now()): Promise<void> {
  await postJson(
    `${baseUrl}/api/v2/alerts`,
    ALERTS.map((a) => ({
      labels: a.labels,
      annotations: { summary: `${a.labels.alertname} (fixture)` },
      startsAt: new Date(nowMs - a.ageMs).toISOString(),
      endsAt: new Date(nowMs + 3_600_000).toISOString(),
    })),
  );
  await postJson(`${baseUrl}/api/v2/silences`, {
    matchers: [{ name: 'alertname', value: SILENCED_ALERTNAME, isRegex: false, isEqual: true }],
    startsAt: new Date(nowMs - 60_000).toISOString(),
    endsAt: new Date(nowMs + 3_600_000).toISOString(),
    createdBy: 'rollout-gate tests',
    comment: 'known noisy check',
  });
  const until = Date.now() + 15_000;
  for (;;) {
    const all = (await (await fetch(`${baseUrl}/api/v2/alerts`)).json()) as { labels: Record<string, string>; status: { state: string } }[];
    const state = (name: string) => all.find((a) => a.labels.alertname === name)?.status.state;
    if (all.length === ALERTS.length && state(SILENCED_ALERTNAME) === 'suppressed' && state('SearchSlow') === 'suppressed' && state('HighErrorRate') === 'active') return;
    if (Date.now() > until) throw new Error(`Alertmanager did not settle: ${JSON.stringify(all.map((a) => [a.labels.alertname, a.status.state]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
