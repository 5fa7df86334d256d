#!/usr/bin/env node
// Usage: node scripts/release/major-minor-tags.mjs TAG [EXISTING_TAG...]
// Prints the moving tags a release updates, one a line: v1 and v1.2 for v1.2.3. Given the tags
// that already exist, it leaves out a moving tag that a newer release in its line holds: a
// backport v1.1.5 cut after v1.2.0 moves v1.1 but not v1.
import { ReleaseError, compareVersions, parseTag, runScript } from './semver.mjs';

runScript('major-minor-tags', ([tag, ...existing]) => {
  if (!tag) throw new ReleaseError('usage: major-minor-tags.mjs TAG [EXISTING_TAG...] (e.g. v1.2.3)', 2);
  const v = parseTag(tag);
  if (!v) throw new ReleaseError(`"${tag}" is not a release tag: expected v<major>.<minor>.<patch>, e.g. v1.2.3`);
  const releases = existing.map((t) => [t, parseTag(t)]).filter(([, p]) => p !== null);
  const newer = (same) => releases.find(([, p]) => same(p) && compareVersions(p, v) > 0)?.[0];
  const out = [];
  const major = `v${v.major}`;
  const minor = `v${v.major}.${v.minor}`;
  const newerInMajor = newer((p) => p.major === v.major);
  const newerInMinor = newer((p) => p.major === v.major && p.minor === v.minor);
  if (newerInMajor) process.stderr.write(`major-minor-tags: ${major} stays: ${newerInMajor} is newer than ${tag}\n`);
  else out.push(major);
  if (newerInMinor) process.stderr.write(`major-minor-tags: ${minor} stays: ${newerInMinor} is newer than ${tag}\n`);
  else out.push(minor);
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
});
