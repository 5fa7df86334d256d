export { autocorrelationEffectiveSize, autocorrelationTime, effectiveSampleSize, effectiveSizeFromCorrelation, overlapEffectiveSize } from './effective.js';
export { mannWhitney, type EffectiveSizes, type MannWhitneyResult } from './mann-whitney.js';
export { normalCdf, normalQuantile, normalSf } from './normal.js';
export { sigmaTest, type SigmaResult } from './sigma.js';
