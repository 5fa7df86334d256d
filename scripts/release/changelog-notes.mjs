#!/usr/bin/env node
// Usage: node scripts/release/changelog-notes.mjs VERSION   (1.2.3 or v1.2.3)
// Prints the body of CHANGELOG.md's "## [1.2.3] - YYYY-MM-DD" section: the GitHub release notes.
// Fails when the section is missing, undated, or has no entries.
import { readFileSync } from 'node:fs';
import { ReleaseError, parseTag, runScript } from './semver.mjs';

const FILE = 'CHANGELOG.md';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

runScript('changelog-notes', ([arg, ...rest]) => {
  if (!arg || rest.length) throw new ReleaseError('usage: changelog-notes.mjs VERSION (e.g. 1.2.3 or v1.2.3)', 2);
  const version = arg.replace(/^v/, '');
  if (!parseTag(`v${version}`)) throw new ReleaseError(`"${arg}" is not a release version: expected <major>.<minor>.<patch>, e.g. 1.2.3`);
  let text;
  try {
    text = readFileSync(FILE, 'utf8');
  } catch (e) {
    throw new ReleaseError(`cannot read ${FILE}: ${e.code ?? e.message}`);
  }
  const lines = text.split(/\r?\n/);
  const heading = new RegExp(`^## \\[${escape(version)}\\](.*)$`);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) {
    throw new ReleaseError(`${FILE} has no section for ${version}: add "## [${version}] - YYYY-MM-DD" (move the entries from [Unreleased] under it)`);
  }
  const date = /^\s+-\s+(\d{4}-\d{2}-\d{2})\s*$/.exec(heading.exec(lines[start])[1]);
  if (!date || Number.isNaN(Date.parse(`${date[1]}T00:00:00Z`))) {
    throw new ReleaseError(`${FILE} line ${start + 1}: "${lines[start]}" needs the release date: "## [${version}] - YYYY-MM-DD"`);
  }
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  // Link reference definitions ("[1.2.3]: https://…") close the file; they are not notes.
  const body = lines.slice(start + 1, end).filter((l) => !/^\[[^\]]+\]:\s*\S/.test(l));
  const entries = body.filter((l) => l.trim() !== '' && !/^#{1,6}\s/.test(l));
  if (entries.length === 0) throw new ReleaseError(`${FILE}: the section for ${version} (line ${start + 1}) has no entries`);
  process.stdout.write(`${body.join('\n').trim()}\n`);
});
