/** Seeded random numbers for tests: reproducible samples, the same on every machine. */
import { mulberry32 } from '../../src/engine/stats/random.js';

/** mulberry32: uniform in [0, 1); the engine's own. */
export { mulberry32 };

/** Standard normal draws (Box–Muller over mulberry32). */
export function normal(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
