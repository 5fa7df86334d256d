/** Distance of the canary mean from the baseline mean, in baseline standard deviations. */
export interface SigmaResult {
  n: number;
  m: number;
  meanX: number;
  meanY: number;
  /**
   * Standard deviation of y: Σ(y − ȳ)² over m·(1 − 1/mEff) (at least 1), which is m − 1 for
   * independent values; correlated values spread less around their own mean than they do over
   * time, and this undoes that. 0 when m = 1.
   */
  sdY: number;
  /** The effective size of y the spread was taken at (m for independent values). */
  mEff: number;
  /** (meanX − meanY) / sdY; ±Infinity by the sign of the difference when sdY is 0, and 0 if the means are equal. */
  z: number;
}

export function sigmaTest(x: readonly number[], y: readonly number[], mEff: number = y.length): SigmaResult {
  if (x.length === 0 || y.length === 0) throw new RangeError('sigmaTest needs at least one value in x and in y');
  if (!(mEff >= 1 && mEff <= y.length)) throw new RangeError(`sigmaTest needs an effective m in [1, ${y.length}], got ${mEff}`);
  const meanX = mean(x);
  const meanY = mean(y);
  const sdY = sampleSd(y, meanY, mEff);
  const diff = meanX - meanY;
  const z = sdY > 0 ? diff / sdY : diff > 0 ? Infinity : diff < 0 ? -Infinity : 0;
  return { n: x.length, m: y.length, meanX, meanY, sdY, z, mEff };
}

/** Mean summed around the first value, so a constant sample gives that value exactly (and sd exactly 0). */
function mean(values: readonly number[]): number {
  const first = values[0]!;
  let sum = 0;
  for (const v of values) sum += v - first;
  return first + sum / values.length;
}

function sampleSd(values: readonly number[], mu: number, effective: number): number {
  const m = values.length;
  if (m < 2) return 0; // one baseline value shows no spread; treated like a constant sample
  let squares = 0;
  for (const v of values) squares += (v - mu) * (v - mu);
  // E[Σ(y − ȳ)²] = σ²·m·(1 − 1/mEff) for values whose mean has variance σ²/mEff.
  const dof = effective === m ? m - 1 : Math.max(1, m * (1 - 1 / effective));
  return Math.sqrt(squares / dof);
}
