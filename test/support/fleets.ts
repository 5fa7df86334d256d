import type { Sample } from '../../src/engine/model.js';
import { mulberry32, normal } from './random.js';

/**
 * A simulated fleet's error ratio as Prometheus would read `sum(rate(errors[5m])) /
 * sum(rate(requests[5m]))`: request and error counters that grow every 15 s (Poisson requests at
 * 50/s, each an error with probability 1%), the ratio of their increases over the last 5 minutes,
 * read every `stepTicks` ticks. The error probability wanders (an AR(1) on its log, correlation
 * time 2 minutes, spread 10%), so the series is autocorrelated beyond the rate window's overlap.
 * Two calls with different seeds are two identical, independent fleets.
 */
export const TICK_S = 15;
const RATE_WINDOW_TICKS = 20;
const REQUESTS_PER_S = 50;
const ERROR_RATE = 0.01;
const WANDER = { spread: 0.1, ticks: 8 };

export interface FleetOptions {
  seed: number;
  /** Ticks (15 s) of history read; the series ends at `endS` and covers (endS − ticks·15 s, endS]. */
  ticks: number;
  /** Spacing of the samples read, in ticks. */
  stepTicks: number;
  /** Multiplies the error probability: 1.3 is a real +30%. */
  errorFactor?: number;
  endS: number;
}

function poissonFrom(uniform: () => number, gauss: () => number): (mean: number) => number {
  return (mean) => {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = uniform(); p > limit; p *= uniform()) k++;
    return k;
  };
}

export function fleetRatios(o: FleetOptions): Sample[] {
  const uniform = mulberry32(o.seed);
  const gauss = normal(o.seed ^ 0x5bd1e995);
  const poisson = poissonFrom(uniform, gauss);
  const factor = o.errorFactor ?? 1;
  const ticks = o.ticks + RATE_WINDOW_TICKS;
  const phi = Math.exp(-1 / WANDER.ticks);
  let wander = WANDER.spread * gauss();
  const requests = new Float64Array(ticks);
  const errors = new Float64Array(ticks);
  for (let i = 0; i < ticks; i++) {
    wander = phi * wander + Math.sqrt(1 - phi * phi) * WANDER.spread * gauss();
    requests[i] = poisson(REQUESTS_PER_S * TICK_S);
    errors[i] = poisson(requests[i]! * ERROR_RATE * Math.exp(wander) * factor);
  }
  // Window sums by a running total: a month of history stays linear.
  const out: Sample[] = [];
  let r = 0;
  let e = 0;
  for (let j = 0; j < ticks; j++) {
    r += requests[j]!;
    e += errors[j]!;
    if (j >= RATE_WINDOW_TICKS) {
      r -= requests[j - RATE_WINDOW_TICKS]!;
      e -= errors[j - RATE_WINDOW_TICKS]!;
    }
    if (j >= RATE_WINDOW_TICKS && (ticks - 1 - j) % o.stepTicks === 0) out.push([o.endS - (ticks - 1 - j) * TICK_S, e / r]);
  }
  return out;
}
