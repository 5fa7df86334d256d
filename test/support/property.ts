import fc from 'fast-check';

/**
 * fc.property for long runs: the same synchronous predicate, run as an async property that hands
 * the event loop a turn (setImmediate) at least every 50 ms. A vitest worker blocked for a
 * minute misses its RPC replies and the whole run fails with "Timeout calling onTaskUpdate"
 * although every test passed; with this, no property blocks the worker longer than one input.
 * fast-check still shrinks and replays by seed as usual. Always `await fc.assert(...)` it.
 */
export function yieldingProperty<Ts extends [unknown, ...unknown[]]>(
  ...args: [...arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, predicate: (...values: Ts) => boolean | void]
): fc.IAsyncPropertyWithHooks<Ts> {
  const predicate = args[args.length - 1] as (...values: Ts) => boolean | void;
  const arbitraries = args.slice(0, -1) as fc.Arbitrary<unknown>[];
  let last = performance.now();
  const run = async (...values: Ts): Promise<boolean | void> => {
    if (performance.now() - last > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
    }
    return predicate(...values);
  };
  return (fc.asyncProperty as (...a: unknown[]) => fc.IAsyncPropertyWithHooks<Ts>)(...arbitraries, run);
}
