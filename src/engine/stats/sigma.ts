/** Distance of the canary mean from the baseline mean, in baseline standard deviations. */
export interface SigmaResult {
  n: number;
  m: number;
  meanX: number;
  meanY: number;
  /** Sample standard deviation of y (n − 1 denominator); 0 when m = 1. */
  sdY: number;
  /** (meanX − meanY) / sdY; ±Infinity by the sign of the difference when sdY is 0, and 0 if the means are equal. */
  z: number;
}

export function sigmaTest(x: readonly number[], y: readonly number[]): SigmaResult {
  if (x.length === 0 || y.length === 0) throw new RangeError('sigmaTest needs at least one value in x and in y');
  const meanX = mean(x);
  const meanY = mean(y);
  const sdY = sampleSd(y, meanY);
  const diff = meanX - meanY;
  const z = sdY > 0 ? diff / sdY : diff > 0 ? Infinity : diff < 0 ? -Infinity : 0;
  return { n: x.length, m: y.length, meanX, meanY, sdY, z };
}

/** Mean summed around the first value, so a constant sample gives that value exactly (and sd exactly 0). */
function mean(values: readonly number[]): number {
  const first = values[0]!;
  let sum = 0;
  for (const v of values) sum += v - first;
  return first + sum / values.length;
}

function sampleSd(values: readonly number[], mu: number): number {
  if (values.length < 2) return 0; // one baseline value shows no spread; treated like a constant sample
  let squares = 0;
  for (const v of values) squares += (v - mu) * (v - mu);
  return Math.sqrt(squares / (values.length - 1));
}
