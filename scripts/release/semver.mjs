// Shared by the release scripts: what a release tag is, and how a script reports a refusal.

// vMAJOR.MINOR.PATCH with numbers as semver 2.0.0 writes them (no leading zeros). Pre-release and
// build suffixes are refused: the release workflow publishes stable versions only.
const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** { major, minor, patch } of a release tag, or null when it is not one. */
export function parseTag(tag) {
  const m = TAG.exec(tag);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : null;
}

/** Negative, zero or positive as version a is older than, the same as, or newer than b. */
export function compareVersions(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** A refusal the person cutting the release must act on: printed without a stack trace. */
export class ReleaseError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Runs a script's main; a ReleaseError becomes one line on stderr and the exit code (no process.exit, so output is flushed). */
export function runScript(name, main) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    process.stderr.write(`${name}: ${e.message}\n`);
    process.exitCode = e.exitCode;
  }
}
