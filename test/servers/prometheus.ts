import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startProcess, tempDir, type RunningServer } from './common.js';

/**
 * Fixture series for the Prometheus-provider suites, generated relative to now: 3 hours of
 * 15-second samples ending at `endMs`, a few minutes before now (aligned to 5 minutes so range
 * steps line up on every server). Gates are evaluated with nowMs = endMs.
 */
export const SCRAPE_S = 15;
export const HISTORY_S = 3 * 3600;

export interface Fixtures {
  endMs: number;
  /** OpenMetrics text for `promtool tsdb create-blocks-from openmetrics` (timestamps in seconds). */
  openMetrics: string;
  /** Prometheus text exposition with millisecond timestamps, for VictoriaMetrics' import API. */
  exposition: string;
  seriesCount: number;
  sampleCount: number;
}

interface FixtureSeries {
  family: string;
  type: 'counter' | 'gauge' | 'histogram';
  name: string;
  labels: Record<string, string>;
  /** Value at step i (0 = oldest) and time offset t (seconds, ≤ 0, relative to the end); null = no sample. */
  value: (i: number, t: number) => number | null;
}

export const BUCKETS = ['0.1', '0.25', '0.5', '1', '2.5', '+Inf'] as const;
/** Cumulative share of requests at or below each bucket bound. */
export const LATENCY = {
  stable: [0.2, 0.5, 0.9, 0.98, 1, 1],
  /** p75 a few percent above stable. */
  canaryClose: [0.2, 0.45, 0.9, 0.98, 1, 1],
  /** p75 far above stable. */
  canarySlow: [0.1, 0.2, 0.8, 0.95, 1, 1],
} as const;
export const REQUESTS_PER_SCRAPE = 1000;
export const ERRORS_PER_SCRAPE = { chatCanary: 5, chatStable: 4, paymentsCanary: 50 } as const;
export const CPU = { a: 0.2, b: 0.5, c: 0.9 } as const;
/** Spikes of queue_lag_seconds: start (seconds before the end) and length. */
export const SPIKES = { short: { startS: -1800, lengthS: 180 }, long: { startS: -1800, lengthS: 720 } } as const;
export const STALE_AFTER_S = -1800;

function definitions(): FixtureSeries[] {
  const out: FixtureSeries[] = [];
  const counter = (labels: Record<string, string>, perScrape: number) =>
    out.push({ family: 'http_requests', type: 'counter', name: 'http_requests_total', labels, value: (i) => perScrape * i });
  counter({ service: 'chat', track: 'canary', code: '200' }, REQUESTS_PER_SCRAPE - ERRORS_PER_SCRAPE.chatCanary);
  counter({ service: 'chat', track: 'canary', code: '500' }, ERRORS_PER_SCRAPE.chatCanary);
  counter({ service: 'chat', track: 'stable', code: '200' }, REQUESTS_PER_SCRAPE - ERRORS_PER_SCRAPE.chatStable);
  counter({ service: 'chat', track: 'stable', code: '500' }, ERRORS_PER_SCRAPE.chatStable);
  counter({ service: 'payments', track: 'canary', code: '200' }, REQUESTS_PER_SCRAPE - ERRORS_PER_SCRAPE.paymentsCanary);
  counter({ service: 'payments', track: 'canary', code: '500' }, ERRORS_PER_SCRAPE.paymentsCanary);

  const histogram = (labels: Record<string, string>, shares: readonly number[]) => {
    const family = 'http_request_duration_seconds';
    BUCKETS.forEach((le, b) =>
      out.push({ family, type: 'histogram', name: `${family}_bucket`, labels: { ...labels, le }, value: (i) => Math.round(shares[b]! * REQUESTS_PER_SCRAPE) * i }),
    );
    out.push({ family, type: 'histogram', name: `${family}_count`, labels, value: (i) => REQUESTS_PER_SCRAPE * i });
    out.push({ family, type: 'histogram', name: `${family}_sum`, labels, value: (i) => 0.3 * REQUESTS_PER_SCRAPE * i });
  };
  histogram({ service: 'chat', track: 'stable' }, LATENCY.stable);
  histogram({ service: 'chat', track: 'canary' }, LATENCY.canaryClose);
  histogram({ service: 'api', track: 'stable' }, LATENCY.stable);
  histogram({ service: 'api', track: 'canary' }, LATENCY.canarySlow);

  for (const [kind, spike] of Object.entries(SPIKES)) {
    out.push({
      family: 'queue_lag_seconds', type: 'gauge', name: 'queue_lag_seconds', labels: { kind },
      value: (_, t) => (t >= spike.startS && t < spike.startS + spike.lengthS ? 50 : 1),
    });
  }
  for (const [instance, v] of Object.entries(CPU)) {
    out.push({ family: 'cpu_usage_ratio', type: 'gauge', name: 'cpu_usage_ratio', labels: { instance }, value: () => v });
  }
  out.push({ family: 'batch_last_run_ok', type: 'gauge', name: 'batch_last_run_ok', labels: { job: 'nightly' }, value: (_, t) => (t <= STALE_AFTER_S ? 1 : null) });

  // Invariant counters: chat never increments; payments breaks the invariant 20 and 10 minutes before the end.
  out.push({ family: 'ack_without_receipt', type: 'counter', name: 'ack_without_receipt_total', labels: { service: 'chat' }, value: () => 0 });
  out.push({
    family: 'ack_without_receipt', type: 'counter', name: 'ack_without_receipt_total', labels: { service: 'payments' },
    value: (_, t) => (t < -1200 ? 0 : t < -600 ? 1 : 3),
  });
  return out;
}

const labelText = (labels: Record<string, string>) => {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
};

/** Generates the fixture series ending a few minutes before `nowMs`. */
export function generateFixtures(nowMs = Date.now()): Fixtures {
  const endS = Math.floor(nowMs / 1000 / 300) * 300 - 300;
  const steps = HISTORY_S / SCRAPE_S;
  const defs = definitions();
  const om: string[] = [];
  const expo: string[] = [];
  let samples = 0;
  const families = [...new Set(defs.map((d) => d.family))];
  for (const family of families) {
    const members = defs.filter((d) => d.family === family);
    om.push(`# TYPE ${family} ${members[0]!.type}`);
    for (const d of members) {
      const labels = labelText(d.labels);
      for (let i = 0; i <= steps; i++) {
        const t = -HISTORY_S + i * SCRAPE_S;
        const v = d.value(i, t);
        if (v === null) continue;
        om.push(`${d.name}${labels} ${v} ${endS + t}`);
        expo.push(`${d.name}${labels} ${v} ${(endS + t) * 1000}`);
        samples++;
      }
    }
  }
  om.push('# EOF');
  return { endMs: endS * 1000, openMetrics: `${om.join('\n')}\n`, exposition: `${expo.join('\n')}\n`, seriesCount: defs.length, sampleCount: samples };
}

/** Backfills the fixtures with promtool and starts Prometheus on a free port of 127.0.0.1. */
export async function startPrometheus(fx: Fixtures): Promise<RunningServer> {
  const dir = tempDir('prometheus');
  const data = join(dir, 'data.om');
  const tsdb = join(dir, 'tsdb');
  const config = join(dir, 'prometheus.yml');
  writeFileSync(data, fx.openMetrics);
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const backfill = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', data, tsdb], { encoding: 'utf8' });
  if (backfill.status !== 0) throw new Error(`promtool backfill failed: ${backfill.stderr || backfill.stdout}`);
  const port = await freePort();
  return startProcess({
    command: 'prometheus',
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${tsdb}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    port,
    readyPath: '/-/ready',
    dirs: [dir],
  });
}

/** Starts VictoriaMetrics on a free port and imports the same fixtures through its import API. */
export async function startVictoriaMetrics(fx: Fixtures): Promise<RunningServer> {
  const dir = tempDir('victoria');
  const port = await freePort();
  const server = await startProcess({
    command: 'victoria-metrics',
    args: [
      `-storageDataPath=${dir}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=100y',
      '-search.disableCache',
      '-loggerLevel=ERROR',
    ],
    port,
    readyPath: '/health',
    dirs: [dir],
  });
  try {
    const res = await fetch(`${server.url}/api/v1/import/prometheus`, { method: 'POST', body: fx.exposition });
    if (!res.ok) throw new Error(`VictoriaMetrics import failed: HTTP ${res.status} ${await res.text()}`);
    await (await fetch(`${server.url}/internal/force_flush`)).arrayBuffer();
    // Imported rows become searchable shortly after the flush.
    const probe = `${server.url}/api/v1/query?query=count(cpu_usage_ratio)&time=${fx.endMs / 1000}`;
    const until = Date.now() + 15_000;
    for (;;) {
      const body = (await (await fetch(probe)).json()) as { data?: { result?: { value: [number, string] }[] } };
      if (body.data?.result?.[0]?.value[1] === String(Object.keys(CPU).length)) break;
      if (Date.now() > until) throw new Error(`VictoriaMetrics did not show the imported data: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}
