/**
 * Fuzz settings shared by every target: FUZZ_RUNS inputs per property (scripts/test.sh sets
 * 10,000 under CI), a fixed seed under CI so a failure reproduces, a random one locally.
 * fast-check prints the seed and the shrunk counterexample of a failure.
 */
export const fuzz = {
  numRuns: Number(process.env.FUZZ_RUNS ?? 1000),
  seed: process.env.CI ? 42 : undefined,
};

/** A stack frame: "\n    at fn (file.js:12:3)". */
export const STACK = /\n\s+at .*:\d+/;
