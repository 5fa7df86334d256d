export { mannWhitney, type MannWhitneyResult } from './mann-whitney.js';
export { normalCdf, normalQuantile, normalSf } from './normal.js';
export { sigmaTest, type SigmaResult } from './sigma.js';
