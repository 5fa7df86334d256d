/**
 * Standard normal distribution: CDF, upper tail and quantile, to a few ulps.
 *
 * CDF and upper tail: W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969; ANORM in
 * ACM TOMS Algorithm 715). Quantile: M. J. Wichura's AS 241 (PPND16, Appl. Statist. 1988), polished by
 * one Halley step.
 * Coefficients are listed highest degree first for `horner`.
 */

const INV_SQRT_2PI = 0.3989422804014327;
const SQRT_32 = Math.sqrt(32);

// Cody, |z| ≤ 0.66291: Φ(z) = 1/2 + z·A(z²)/B(z²).
const CENTRE_NUM = [
  0.065682337918207449113, 2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
];
const CENTRE_DEN = [1, 47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
// Cody, 0.66291 < y ≤ √32: Q(y) = exp(−y²/2)·C(y)/D(y).
const MIDDLE_NUM = [
  1.0765576773720192317e-8, 0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
];
const MIDDLE_DEN = [
  1, 22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
// Cody, y > √32: Q(y) = exp(−y²/2)/y·(1/√(2π) − s·P(s)/R(s)), s = 1/y².
const TAIL_NUM = [
  0.02307344176494017303, 0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
  2.9112874951168792e-5,
];
const TAIL_DEN = [1, 1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

// Wichura AS 241, |p − 1/2| ≤ 0.425, in r = 0.425² − (p − 1/2)².
const Q_CENTRE_NUM = [
  2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457, 13731.693765509461125,
  1971.5909503065514427, 133.14166789178437745, 3.387132872796366608,
];
const Q_CENTRE_DEN = [
  5226.495278852854561, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867, 5394.1960214247511077,
  687.1870074920579083, 42.313330701600911252, 1,
];
// Wichura AS 241, r = √(−ln min(p, 1 − p)) ≤ 5, in r − 1.6.
const Q_NEAR_NUM = [
  7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258, 3.64784832476320460504,
  5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734,
];
const Q_NEAR_DEN = [
  1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459, 0.68976733498510000455,
  1.6763848301838038494, 2.05319162663775882187, 1,
];
// Wichura AS 241, r > 5 (p < e^−25), in r − 5.
const Q_FAR_NUM = [
  2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093, 0.29656057182850489123,
  1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772,
];
const Q_FAR_DEN = [
  2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4, 0.0148753612908506148525,
  0.13692988092273580531, 0.59983220655588793769, 1,
];

function horner(coefficients: readonly number[], t: number): number {
  let acc = 0;
  for (const c of coefficients) acc = acc * t + c;
  return acc;
}

/** Q(y) = 1 − Φ(y) for y > 0.66291, computed directly so tiny tails keep their relative precision. */
function upperTail(y: number): number {
  if (y >= 40) return 0; // Q(40) ≈ 4e−350 is below the smallest double
  let ratio: number;
  if (y <= SQRT_32) {
    ratio = horner(MIDDLE_NUM, y) / horner(MIDDLE_DEN, y);
  } else {
    const s = 1 / (y * y);
    ratio = (INV_SQRT_2PI - (s * horner(TAIL_NUM, s)) / horner(TAIL_DEN, s)) / y;
  }
  // Split y² = head² + del so exp(−y²/2) is not hurt by the rounding of y·y.
  const head = Math.trunc(y * 16) / 16;
  const del = (y - head) * (y + head);
  return Math.exp(-head * head * 0.5) * Math.exp(-del * 0.5) * ratio;
}

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (Math.abs(z) <= 0.66291) return 0.5 + (z * horner(CENTRE_NUM, z * z)) / horner(CENTRE_DEN, z * z);
  return z < 0 ? upperTail(-z) : 1 - upperTail(z);
}

/** 1 − Φ(z), without the cancellation of `1 - normalCdf(z)` for large z. */
export function normalSf(z: number): number {
  return Number.isNaN(z) ? NaN : normalCdf(-z);
}

/** Φ⁻¹(p) for p in (0, 1); ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs p in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const x = wichura(p);
  if (p < 2 ** -1022) return x; // subnormal p has too few digits for a refinement step to add any
  // One Halley step against Φ fixes most of AS 241's last-ulp errors; the residual is taken in the nearer tail.
  const residual = p < 0.5 ? normalCdf(x) - p : 1 - p - normalSf(x);
  const u = (residual / INV_SQRT_2PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** AS 241 (PPND16), good to about 1e−16 relative on its own. */
function wichura(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(Q_CENTRE_NUM, r)) / horner(Q_CENTRE_DEN, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const magnitude =
    r <= 5 ? horner(Q_NEAR_NUM, r - 1.6) / horner(Q_NEAR_DEN, r - 1.6) : horner(Q_FAR_NUM, r - 5) / horner(Q_FAR_DEN, r - 5);
  return q < 0 ? -magnitude : magnitude;
}
