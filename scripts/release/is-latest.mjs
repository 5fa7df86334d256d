#!/usr/bin/env node
// Usage: node scripts/release/is-latest.mjs TAG [EXISTING_TAG...]
// Prints true when TAG is the newest release among the existing tags (the repository's "Latest"
// release on GitHub), false for a backport to an older line.
import { ReleaseError, compareVersions, parseTag, runScript } from './semver.mjs';

runScript('is-latest', ([tag, ...existing]) => {
  if (!tag) throw new ReleaseError('usage: is-latest.mjs TAG [EXISTING_TAG...] (e.g. v1.2.3)', 2);
  const v = parseTag(tag);
  if (!v) throw new ReleaseError(`"${tag}" is not a release tag: expected v<major>.<minor>.<patch>, e.g. v1.2.3`);
  const newer = existing.map(parseTag).some((p) => p !== null && compareVersions(p, v) > 0);
  process.stdout.write(`${!newer}\n`);
});
