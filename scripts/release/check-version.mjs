#!/usr/bin/env node
// Usage: node scripts/release/check-version.mjs TAG
// Refuses a release tag that is not vX.Y.Z or does not name the version in package.json, so a tag
// can never publish a package whose version says something else. package-lock.json and the version
// the tool stamps into its evidence (TOOL_VERSION in src/report/snapshot.ts) must say the same.
import { existsSync, readFileSync } from 'node:fs';
import { ReleaseError, parseTag, runScript } from './semver.mjs';

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReleaseError(`cannot read ${file}: ${e.code ?? e.message}`);
  }
}

runScript('check-version', ([tag, ...rest]) => {
  if (!tag || rest.length) throw new ReleaseError('usage: check-version.mjs TAG (e.g. v1.2.3)', 2);
  if (!parseTag(tag)) {
    throw new ReleaseError(`"${tag}" is not a release tag: expected v<major>.<minor>.<patch>, e.g. v1.2.3 (no pre-release suffix, no leading zeros)`);
  }
  const version = readJson('package.json').version;
  if (`v${version}` !== tag) {
    throw new ReleaseError(`tag ${tag} does not match package.json version "${version}": set "version": "${tag.slice(1)}" in package.json (npm version ${tag.slice(1)} --no-git-tag-version), commit, and tag that commit`);
  }
  if (existsSync('package-lock.json')) {
    const lock = readJson('package-lock.json');
    for (const [where, v] of [['version', lock.version], ['packages[""].version', lock.packages?.['']?.version]]) {
      if (v !== version) throw new ReleaseError(`package-lock.json ${where} is "${v}", package.json says "${version}": run npm install and commit the lock file`);
    }
  }
  const source = 'src/report/snapshot.ts';
  if (existsSync(source)) {
    const stamped = /TOOL_VERSION = '([^']*)'/.exec(readFileSync(source, 'utf8'))?.[1];
    if (stamped !== version) {
      throw new ReleaseError(`${source}: TOOL_VERSION is "${stamped ?? '(not found)'}", package.json says "${version}": snapshots, the CLI's --version and the evidence would carry the wrong version`);
    }
  }
  process.stdout.write(`${tag} matches package.json version ${version}\n`);
});
