import type { Sample } from '../engine/model.js';
import { interpretResult, type Series } from './prometheus.js';
import type { ProviderAnswer, ProviderRequest } from './types.js';

/** A series as a metrics API answers it: labels, and points whose value may be null (no data there). */
export interface PointSeries {
  labels: Record<string, string>;
  points: [number, number | null][];
}

/**
 * From parsed series to the gate's answer. Nulls are points without data: a window skips them, an
 * instant gate takes each series' newest non-null point. Only nulls is no data, never a pass.
 */
export function interpretPoints(
  parsed: PointSeries[],
  req: Pick<ProviderRequest, 'gate' | 'nowMs' | 'range'>,
  aggregateHint: string,
): ProviderAnswer {
  const series: Series[] = parsed.map((s) => ({ labels: s.labels, samples: s.points.filter((p): p is Sample & [number, number] => p[1] !== null) }));
  const withPoints = parsed.filter((s) => s.points.length > 0).length;
  if (withPoints > 0 && series.every((s) => s.samples.length === 0)) {
    const count = parsed.length === 1 ? 'the series' : `all ${parsed.length} series`;
    return { samples: [], noDataReason: `every point of ${count} is null (no data in the window)`, detail: { seriesCount: parsed.length } };
  }
  if (req.range) return interpretResult({ resultType: 'matrix', series }, req.gate, req.nowMs, aggregateHint);
  // Instant: each series' newest point; with several series, all at the oldest of those instants so staleness is judged on the stalest.
  const newest = series.filter((s) => s.samples.length > 0).map((s) => ({ labels: s.labels, sample: s.samples.at(-1)! }));
  const at = Math.min(...newest.map((n) => n.sample[0]));
  return interpretResult({ resultType: 'vector', series: newest.map((n) => ({ labels: n.labels, samples: [[newest.length > 1 ? at : n.sample[0], n.sample[1]]] })) }, req.gate, req.nowMs, aggregateHint);
}

