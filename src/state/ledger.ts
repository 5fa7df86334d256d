import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { describeGitHubError, githubFailure, type GitHubClient } from '../github/octokit.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Redactor } from '../secrets.js';
import { decisionRows, renderStatusPage } from '../report/status-page.js';
import { chainLine, lastLine, sha256 } from '../ledger/chain.js';
import { decisionLogShard, shardDay, shardsOf } from '../ledger/layout.js';
import { evidenceDirOf, lastDecisionOf, readStatusData, withoutStatusData, withStatusData } from '../ledger/status-data.js';
import { parseStateDocument, serializeState } from './document.js';
import { StateConflictError, StateError, type StateRead, type StateStore, type StateWrite, type WriteResult } from './types.js';

/** The status page at the ledger's root, and the directory of the per-rollout sections it is built from. */
export const STATUS_PAGE = 'README.md';
export const STATUS_DIR = 'status';

export interface LedgerOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The ledger branch; created on the first write as a root commit, never from another branch. */
  branch?: string;
  /** The state file on the ledger branch; default `state/<rollout>.json`. */
  path?: string;
  /**
   * The decision log the read fetches with the state, so the append costs no request of its
   * own; default today's shard `decision-log/<rollout>/<YYYY-MM-DD>.jsonl`.
   */
  decisionLog?: string;
  rollout: string;
  logger?: Logger;
  /** Commits attempted before giving up when other runs keep moving the branch (default 10). */
  maxAttempts?: number;
  /** Base of the randomised exponential back-off between attempts, in ms. */
  backoffMs?: number;
  redactor?: Redactor;
  /** Bytes of file contents above which a commit goes through the git data API (default GRAPHQL_COMMIT_LIMIT). */
  graphqlCommitLimit?: number;
}

interface Head {
  sha: string;
  tree: string;
}

interface FileAt {
  blobSha: string;
  content: string;
}

/** A file of a commit as the GraphQL query returns it (null: no such path). */
interface FileEntry {
  type: string;
  oid: string;
  object: { oid?: string; text?: string | null; isTruncated?: boolean; isBinary?: boolean | null; byteSize?: number } | null;
}

interface CommitNode {
  __typename: string;
  oid?: string;
  tree?: { oid: string };
  state?: FileEntry | null;
  log?: FileEntry | null;
  legacy?: { type: string; oid: string } | null;
  shards?: { type: string } | null;
  status?: { type: string; object: { entries?: (FileEntry & { name: string })[] } | null } | null;
}

const LEDGER_FILES = `
  fragment LedgerFile on TreeEntry {
    type
    oid
    object {
      ... on Blob { oid text isTruncated isBinary byteSize }
    }
  }
  fragment LedgerCommit on GitObject {
    __typename
    ... on Commit {
      oid
      tree { oid }
      state: file(path: $state) { ...LedgerFile }
      log: file(path: $log) { ...LedgerFile }
      legacy: file(path: $legacy) { type oid }
      shards: file(path: $shards) { type }
      status: file(path: "${STATUS_DIR}") {
        type
        object { ... on Tree { entries { name ...LedgerFile } } }
      }
    }
  }`;

/** The branch head, its tree, the two files a run needs and the status sections: one request instead of four. */
const HEAD_QUERY = `query RolloutLedgerHead($owner: String!, $repo: String!, $ref: String!, $state: String!, $log: String!, $legacy: String!, $shards: String!) {
  repository(owner: $owner, name: $repo) {
    ref(qualifiedName: $ref) {
      target { ...LedgerCommit }
    }
  }
}
${LEDGER_FILES}`;

/** The same, at a commit the run was handed instead of read (a write without a read first). */
const COMMIT_QUERY = `query RolloutLedgerCommit($owner: String!, $repo: String!, $oid: GitObjectID!, $state: String!, $log: String!, $legacy: String!, $shards: String!) {
  repository(owner: $owner, name: $repo) {
    object(oid: $oid) { ...LedgerCommit }
  }
}
${LEDGER_FILES}`;

/** The names of a rollout's day shards: read only when neither today's shard nor the status page knows the chain's head. */
const SHARDS_QUERY = `query RolloutLedgerShards($owner: String!, $repo: String!, $oid: GitObjectID!, $dir: String!) {
  repository(owner: $owner, name: $repo) {
    object(oid: $oid) {
      ... on Commit { file(path: $dir) { object { ... on Tree { entries { name type oid } } } } }
    }
  }
}`;

/** One commit through GraphQL, GitHub-signed; `expectedHeadOid` is the compare-and-swap. */
const COMMIT_MUTATION = `mutation RolloutLedgerCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid tree { oid } } }
}`;

/**
 * Above this many bytes of file contents a commit goes through the git data API: a GraphQL
 * request carries the files base64-encoded in one body, which GitHub caps well below the blob API.
 */
export const GRAPHQL_COMMIT_LIMIT = 20 * 1024 * 1024;

const payloadBytes = (files: { content: string }[]) => files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);

/** createCommitOnBranch refused because the branch is no longer at expectedHeadOid. */
function isStaleHead(e: unknown): boolean {
  const errors = (e as { errors?: { type?: string; message?: string }[] })?.errors;
  // A branch deleted meanwhile is a moved branch too: the write is re-applied on what is there now.
  return Array.isArray(errors) && errors.some((x) => x.type === 'STALE_DATA' || /expected branch to point to|a ref named .* does not exist/i.test(x.message ?? ''));
}

/** Files up to this size travel inline in the tree request; larger ones as their own blob. */
const INLINE_CONTENT_LIMIT = 256 * 1024;

/** The id git gives a file's content: lets the store compare states without fetching them again. */
export function gitBlobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body])).digest('hex');
}

function checkPath(path: string, what: string): string {
  const p = path.replace(/\\/g, '/');
  if (!p || p.startsWith('/') || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new StateError(`${what} "${path}" must be a relative path inside the ledger (no "..", no leading "/")`);
  }
  return p;
}

/** A ref update another writer beat us to: re-read and re-apply, never force. */
function isRefConflict(e: unknown): boolean {
  const f = githubFailure(e);
  if (!f) return false;
  // 409 "Git Repository is empty" is no race: retrying cannot help.
  if (f.status === 409) return !/repository is empty/i.test(f.message);
  return f.status === 422 && /fast forward|reference already exists|reference does not exist/i.test(f.message);
}

function commonDir(paths: string[]): string {
  const dirs = paths.map((p) => posix.dirname(p).split('/'));
  const first = dirs[0] ?? [];
  let n = first.length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && d[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join('/') || '.';
}

/**
 * Rollout state, evidence and the decision log on a branch of the repository. Every write is one
 * commit through the git data API whose parent is the head the write builds on, published with a
 * non-forced ref update: the ref update is the compare-and-swap. When another run moved the
 * branch first, an evidence-only write is rebuilt on the new head; a state write is rebuilt only
 * if the state file is still the one the run read, and otherwise refused with StateConflictError.
 */
export function githubLedgerStore(opts: LedgerOptions): StateStore {
  const { octokit, owner, repo, rollout } = opts;
  const branch = opts.branch ?? 'rollout-ledger';
  const path = checkPath(opts.path ?? `state/${rollout}.json`, 'the state path');
  const logger = opts.logger ?? silentLogger;
  // Every failed attempt means another writer landed; 10 lets 10 runs write at once, each landing.
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 10);
  const backoffMs = opts.backoffMs ?? 200;
  const where = `${branch}:${path}`;
  const defaultLog = () => checkPath(opts.decisionLog ?? decisionLogShard(rollout, Date.now()), 'the decision log');
  const legacyOf = (logPath: string) => shardsOf(logPath)?.legacy ?? logPath;
  /** commit SHA → the one-file log from before the day shards there (its blob), or null. */
  const legacyBlobs = new Map<string, string | null>();
  /** commit SHA → whether the rollout's shard directory exists there. */
  const shardDirs = new Map<string, boolean>();
  /** commit SHA → blob SHA of the state file there (null: no state file). */
  const stateBlobs = new Map<string, string | null>();
  /** commit SHA → its tree SHA. */
  const trees = new Map<string, string>();

  const fail = (doing: string, e: unknown): StateError => {
    const err = new StateError(`github ledger ${where}: ${doing}: ${describeGitHubError(e, opts.redactor)}`);
    // Keeps the status for writeRefusal(); the RequestError carries no credentials.
    Object.defineProperty(err, 'cause', { value: e, enumerable: false });
    return err;
  };

  /** commit SHA → path → the file there (null: none), as the last query returned it. */
  const files = new Map<string, Map<string, FileAt | null>>();
  /** commit SHA → the status sections there (file name → entry), read only when a write needs them. */
  const statusEntries = new Map<string, Map<string, FileEntry>>();

  const files_ = (commit: string): Map<string, FileAt | null> => files.get(commit) ?? new Map();
  const files_set = (commit: string, known: Map<string, FileAt | null>) => {
    files.set(commit, known);
    if (known.has(path)) stateBlobs.set(commit, known.get(path)?.blobSha ?? null);
  };
  const remember = (commit: string, file: string, f: FileAt | null) => {
    let known = files.get(commit);
    if (!known) files.set(commit, (known = new Map()));
    known.set(file, f);
    if (file === path) stateBlobs.set(commit, f?.blobSha ?? null);
  };

  /** The text of a file the query returned, or its blob through REST when GraphQL gave no exact text. */
  async function contentOf(file: string, entry: FileEntry): Promise<FileAt> {
    if (entry.type !== 'blob' || !entry.object) throw new StateError(`github ledger ${branch}:${file} is not a file`);
    const blob = entry.object;
    const sha = blob.oid ?? entry.oid;
    // Blob.text is cut at about 500 KB (isTruncated) and null for binary content; the hash check
    // catches any other text that is not the file byte for byte.
    if (typeof blob.text === 'string' && !blob.isTruncated && gitBlobSha(blob.text) === sha) return { blobSha: sha, content: blob.text };
    try {
      const answer = (await octokit.rest.git.getBlob({ owner, repo, file_sha: sha })).data as unknown;
      // Octokit hands a body of several megabytes back as text when its own JSON parser gives up on it.
      const data = (typeof answer === 'string' ? JSON.parse(answer) : answer) as { content: string; encoding: string };
      return { blobSha: sha, content: Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8') };
    } catch (e) {
      throw fail(`reading ${file}`, e);
    }
  }

  /**
   * One GraphQL query: the branch head (or a given commit), its tree, and the state file and
   * decision log there. Null when the branch does not exist.
   */
  async function snapshot(at: { branch: string } | { commit: string }, logPath: string): Promise<Head | null> {
    let node: CommitNode | null | undefined;
    try {
      if ('branch' in at) {
        const data = await octokit.graphql<{ repository: { ref: { target: CommitNode | null } | null } | null }>(HEAD_QUERY, {
          owner,
          repo,
          ref: `refs/heads/${at.branch}`,
          state: path,
          log: logPath,
          legacy: legacyOf(logPath),
          shards: shardsOf(logPath)?.dir ?? logPath,
        });
        if (!data.repository) throw new StateError(`github ledger ${where}: repository ${owner}/${repo} not found`);
        if (!data.repository.ref) return null;
        node = data.repository.ref.target;
      } else {
        const data = await octokit.graphql<{ repository: { object: CommitNode | null } | null }>(COMMIT_QUERY, { owner, repo, oid: at.commit, state: path, log: logPath, legacy: legacyOf(logPath), shards: shardsOf(logPath)?.dir ?? logPath });
        if (!data.repository) throw new StateError(`github ledger ${where}: repository ${owner}/${repo} not found`);
        node = data.repository.object;
        if (!node) throw new StateError(`github ledger ${where}: commit ${at.commit} not found`);
      }
    } catch (e) {
      if (e instanceof StateError) throw e;
      throw fail('reading the ledger', e);
    }
    if (!node || node.__typename !== 'Commit' || !node.oid || !node.tree) {
      throw new StateError(`github ledger ${where}: ${'branch' in at ? `refs/heads/${at.branch}` : at.commit} is a ${node?.__typename ?? 'missing object'}, not a commit`);
    }
    const h = { sha: node.oid, tree: node.tree.oid };
    trees.set(h.sha, h.tree);
    const sections = new Map<string, FileEntry>();
    if (node.status?.type === 'tree') for (const e of node.status.object?.entries ?? []) if (e.type === 'blob' && e.name.endsWith('.md')) sections.set(e.name, e);
    statusEntries.set(h.sha, sections);
    legacyBlobs.set(h.sha, node.legacy?.type === 'blob' ? node.legacy.oid : null);
    shardDirs.set(h.sha, node.shards?.type === 'tree');
    const [state, log] = await Promise.all([
      node.state ? contentOf(path, node.state) : null,
      logPath !== path && node.log ? contentOf(logPath, node.log) : null,
    ]);
    remember(h.sha, path, state);
    if (logPath !== path) remember(h.sha, logPath, log);
    return h;
  }

  const head = (logPath = defaultLog()) => snapshot({ branch }, logPath);

  async function treeOf(sha: string, logPath = defaultLog()): Promise<string> {
    const known = trees.get(sha);
    if (known) return known;
    return (await snapshot({ commit: sha }, logPath))!.tree;
  }

  async function fileAt(commit: string, file: string): Promise<FileAt | null> {
    const known = files.get(commit);
    if (known?.has(file)) return known.get(file)!;
    await snapshot({ commit }, file === path ? defaultLog() : file);
    return files.get(commit)!.get(file) ?? null;
  }

  async function stateBlobAt(commit: string | null): Promise<string | null> {
    if (commit === null) return null;
    if (stateBlobs.has(commit)) return stateBlobs.get(commit)!;
    return (await fileAt(commit, path))?.blobSha ?? null;
  }

  /** The state in force at a commit, for the status page: null when there is none or it cannot be read. */
  async function stateAt(commit: string): Promise<StateWrite['state']> {
    const f = await fileAt(commit, path);
    if (!f) return null;
    try {
      return parseStateDocument(JSON.parse(f.content), where, rollout);
    } catch {
      return null;
    }
  }

  /** The one-file log from before the day shards at a commit, read only when the chain's head is known nowhere else. */
  const legacyTexts = new Map<string, Promise<string>>();
  async function legacyLog(commit: string, logPath: string): Promise<string | null> {
    if (!legacyBlobs.has(commit)) await snapshot({ commit }, logPath);
    const blob = legacyBlobs.get(commit);
    if (!blob) return null;
    const legacy = legacyOf(logPath);
    let text = legacyTexts.get(blob);
    if (!text) {
      logger.debug(`ledger ${branch}: reading ${legacy} once, to continue its chain in the day shards`);
      text = contentOf(legacy, { type: 'blob', oid: blob, object: { oid: blob } }).then((f) => f.content);
      legacyTexts.set(blob, text);
    }
    return text;
  }

  /** Own status section at a commit (with its data), or null. */
  async function ownSection(commit: string): Promise<string | null> {
    if (!statusEntries.has(commit)) await snapshot({ commit }, defaultLog());
    const entry = statusEntries.get(commit)?.get(`${rollout}.md`);
    return entry ? (await contentOf(`${STATUS_DIR}/${rollout}.md`, entry)).content : null;
  }

  /**
   * The last line of the log before `logPath`'s text at `commit` when that text is empty: the
   * status section's record of it, else the one-file log from before the shards, else the newest
   * earlier shard. Returns its SHA-256 (the next line's `prev`) and the line when it was read.
   */
  async function headBefore(commit: string, logPath: string): Promise<{ hash: string | null; line: string | null; section: string | null }> {
    const shards = shardsOf(logPath);
    const section = shards ? await ownSection(commit) : null;
    if (!shards) return { hash: null, line: null, section };
    const data = readStatusData(section);
    if (data) return { hash: data.head, line: null, section };
    const legacy = await legacyLog(commit, logPath);
    let line = legacy === null ? null : lastLine(legacy);
    if (line === null && shardDirs.get(commit) !== false) {
      // Shards without a status record (the page was removed): the newest shard before this one.
      let entries: { name: string; type: string; oid: string }[] = [];
      try {
        const data = await octokit.graphql<{ repository: { object: { file: { object: { entries?: { name: string; type: string; oid: string }[] } | null } | null } | null } | null }>(SHARDS_QUERY, { owner, repo, oid: commit, dir: shards.dir });
        entries = data.repository?.object?.file?.object?.entries ?? [];
      } catch (e) {
        throw fail('listing the decision log', e);
      }
      const earlier = entries.filter((e) => e.type === 'blob' && (shardDay(e.name) ?? '') < shards.day && shardDay(e.name) !== null).sort((a, b) => (a.name < b.name ? -1 : 1)).at(-1);
      if (earlier) line = lastLine((await contentOf(`${shards.dir}/${earlier.name}`, { type: 'blob', oid: earlier.oid, object: { oid: earlier.oid } })).content);
    }
    return { hash: line === null ? null : sha256(line), line, section };
  }

  /** What the read tells a watch about the last decision: today's shard, else the status section's record, else the older log. */
  async function lastDecisionAt(commit: string): Promise<StateRead['lastDecision']> {
    const logPath = defaultLog();
    const today = await fileAt(commit, logPath);
    const line = today ? lastLine(today.content) : null;
    if (line !== null) return lastDecisionOf(line);
    if (!shardsOf(logPath)) return undefined;
    const section = await ownSection(commit);
    const data = readStatusData(section);
    if (data) return data.last;
    const before = await headBefore(commit, logPath);
    return before.hash === null ? null : lastDecisionOf(before.line);
  }

  /**
   * This rollout's section of the status page, updated from the section before and the new
   * line, and the page rebuilt from every rollout's section, as the commit on `parent` will hold them.
   */
  async function statusFiles(parent: Head | null, change: StateWrite, line: string, previous: string | null, olderLine: string | null): Promise<{ path: string; content: string }[]> {
    const state = change.state ?? (parent ? await stateAt(parent.sha) : null);
    const own = `${rollout}.md`;
    const data = readStatusData(previous);
    const lastEvidence = data ? data.lastEvidence : evidenceDirOf(olderLine);
    const section = change.statusPage!({ state, decisionLog: `${line}\n`, previousRows: previous ? decisionRows(withoutStatusData(previous)) : [], lastEvidence });
    const sections = new Map<string, string>();
    sections.set(rollout, withoutStatusData(section));
    if (parent) {
      if (!statusEntries.has(parent.sha)) await snapshot({ commit: parent.sha }, defaultLog());
      for (const [name, entry] of statusEntries.get(parent.sha) ?? []) {
        if (name === own) continue;
        sections.set(name.slice(0, -'.md'.length), withoutStatusData((await contentOf(`${STATUS_DIR}/${name}`, entry)).content));
      }
    }
    const record = withStatusData(section, { head: sha256(line), last: lastDecisionOf(line), lastEvidence: evidenceDirOf(line) ?? lastEvidence });
    return [
      { path: checkPath(`${STATUS_DIR}/${own}`, 'the status section'), content: record },
      { path: STATUS_PAGE, content: renderStatusPage(sections) },
    ];
  }

  /** The files of the commit for `change` on top of `parent`: the state, the evidence, the log with its new chained line, the page. */
  async function commitFiles(parent: Head | null, change: StateWrite, stateText: string | null, logPath: string | null, line: string | null): Promise<{ path: string; content: string }[]> {
    const files: { path: string; content: string }[] = [
      ...(stateText !== null ? [{ path, content: stateText }] : []),
      ...change.evidence.map((f) => ({ path: checkPath(f.path, 'the evidence file'), content: f.content })),
    ];
    if (logPath === null || line === null) return files;
    const current = parent ? await fileAt(parent.sha, logPath) : null;
    const before = current?.content ?? '';
    const last = lastLine(before);
    const older = last === null && parent ? await headBefore(parent.sha, logPath) : { hash: null, line: null, section: null };
    const chained = chainLine(line, last !== null ? sha256(last) : older.hash, change.evidence);
    files.push({ path: logPath, content: `${before}${before && !before.endsWith('\n') ? '\n' : ''}${chained}\n` });
    if (change.statusPage) {
      const previous = parent ? (older.section ?? (shardsOf(logPath) ? await ownSection(parent.sha) : null)) : null;
      files.push(...(await statusFiles(parent, change, chained, previous, older.line)));
    }
    return files;
  }

  /** Builds the commit for `change` on top of `parent` (null: a root commit for a new branch). */
  /**
   * The commit through the git data API (tree, commit; the ref is moved by the caller): for the
   * root commit that creates the branch, and for a commit over the GraphQL size limit.
   */
  async function buildCommit(parent: Head | null, change: StateWrite, files: { path: string; content: string }[]): Promise<string> {
    const entries = [];
    for (const f of files) {
      if (Buffer.byteLength(f.content) <= INLINE_CONTENT_LIMIT) {
        entries.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, content: f.content });
        continue;
      }
      try {
        const { data } = await octokit.rest.git.createBlob({ owner, repo, content: Buffer.from(f.content).toString('base64'), encoding: 'base64' });
        entries.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, sha: data.sha });
      } catch (e) {
        throw fail(`storing ${f.path}`, e);
      }
    }
    let treeSha: string;
    try {
      const { data } = await octokit.rest.git.createTree({ owner, repo, tree: entries, ...(parent ? { base_tree: parent.tree } : {}) });
      treeSha = data.sha;
    } catch (e) {
      throw fail('creating the tree', e);
    }
    try {
      const { data } = await octokit.rest.git.createCommit({ owner, repo, message: change.message, tree: treeSha, parents: parent ? [parent.sha] : [] });
      trees.set(data.sha, treeSha);
      return data.sha;
    } catch (e) {
      throw fail('creating the commit', e);
    }
  }

  /**
   * The commit through GraphQL `createCommitOnBranch` (GitHub signs it), with `expectedHeadOid`
   * as the compare-and-swap. Null when the branch moved: the caller re-applies on the new head.
   */
  async function commitOnBranch(parent: Head, change: StateWrite, files: { path: string; content: string }[]): Promise<string | null> {
    const [headline, ...body] = change.message.split('\n');
    try {
      const data = await octokit.graphql<{ createCommitOnBranch: { commit: { oid: string; tree: { oid: string } } | null } | null }>(COMMIT_MUTATION, {
        input: {
          branch: { repositoryNameWithOwner: `${owner}/${repo}`, branchName: branch },
          expectedHeadOid: parent.sha,
          message: { headline: headline ?? '', ...(body.join('\n').trim() ? { body: body.join('\n').trim() } : {}) },
          fileChanges: { additions: files.map((f) => ({ path: f.path, contents: Buffer.from(f.content, 'utf8').toString('base64') })) },
        },
      });
      const commit = data.createCommitOnBranch?.commit;
      if (!commit) throw new StateError(`github ledger ${where}: createCommitOnBranch returned no commit`);
      trees.set(commit.oid, commit.tree.oid);
      return commit.oid;
    } catch (e) {
      if (e instanceof StateError) throw e;
      if (isStaleHead(e)) return null;
      throw fail('committing', e);
    }
  }

  /** What the new commit holds, remembered so a write right after it (the evidence after a state change) reads nothing. */
  function rememberCommit(commit: string, parent: Head | null, files: { path: string; content: string }[]): void {
    const known = new Map(parent ? files_(parent.sha) : []);
    const sections = new Map(parent ? statusEntries.get(parent.sha) ?? [] : []);
    for (const f of files) {
      const blobSha = gitBlobSha(f.content);
      known.set(f.path, { blobSha, content: f.content });
      if (f.path.startsWith(`${STATUS_DIR}/`) && f.path.endsWith('.md') && f.path.indexOf('/', STATUS_DIR.length + 1) < 0) {
        sections.set(f.path.slice(STATUS_DIR.length + 1), { type: 'blob', oid: blobSha, object: { oid: blobSha, text: f.content, isTruncated: false } });
      }
    }
    files_set(commit, known);
    if (!parent || statusEntries.has(parent.sha)) statusEntries.set(commit, sections);
    if (parent && legacyBlobs.has(parent.sha)) legacyBlobs.set(commit, legacyBlobs.get(parent.sha)!);
    else if (!parent) legacyBlobs.set(commit, null);
    const wroteShard = files.some((f) => shardsOf(f.path) !== null);
    if (wroteShard) shardDirs.set(commit, true);
    else if (parent && shardDirs.has(parent.sha)) shardDirs.set(commit, shardDirs.get(parent.sha)!);
    else if (!parent) shardDirs.set(commit, false);
  }

  return {
    description: `github ${where}`,

    async read(): Promise<StateRead> {
      const h = await head();
      if (!h) return { state: null, version: null, lastDecision: null };
      const f = await fileAt(h.sha, path);
      if (!f) return { state: null, version: h.sha, lastDecision: await lastDecisionAt(h.sha) };
      let doc: unknown;
      try {
        doc = JSON.parse(f.content);
      } catch (e) {
        throw new StateError(`${where} (commit ${h.sha.slice(0, 7)}): not valid JSON: ${(e as Error).message}`);
      }
      return { state: parseStateDocument(doc, where, rollout), version: h.sha, lastDecision: await lastDecisionAt(h.sha) };
    },

    async write(change: StateWrite): Promise<WriteResult> {
      const logPath = change.decisionLog ? checkPath(change.decisionLog.path, 'the decision log') : null;
      const line = change.decisionLog ? change.decisionLog.line.replace(/\r?\n+$/, '') : null;
      if (line !== null && /[\r\n]/.test(line)) throw new StateError('a decision-log entry must be a single line');
      const stateText = change.state ? serializeState(change.state) : null;
      const evidencePath = `${branch}:${change.evidence.length ? commonDir(change.evidence.map((f) => checkPath(f.path, 'the evidence file'))) : posix.dirname(logPath ?? path)}`;

      // The first attempt builds on the commit the run read: that is the compare-and-swap.
      let parent: Head | null = change.expectedVersion === null ? null : { sha: change.expectedVersion, tree: await treeOf(change.expectedVersion, logPath ?? undefined) };
      for (let attempt = 1; ; attempt++) {
        if (stateText !== null && parent?.sha !== (change.expectedVersion ?? undefined)) {
          const [then, now] = await Promise.all([stateBlobAt(change.expectedVersion), stateBlobAt(parent?.sha ?? null)]);
          if (then !== now) {
            throw new StateConflictError(
              `${where} changed since this run read it (read at ${change.expectedVersion?.slice(0, 7) ?? 'no ledger yet'}, now ${parent?.sha.slice(0, 7) ?? 'no ledger'}): decide again on the new state`,
            );
          }
        }
        const started = Date.now();
        const files = await commitFiles(parent, change, stateText, logPath, line);
        let commit: string | null = null;
        let moved: unknown = null;
        if (parent && payloadBytes(files) <= (opts.graphqlCommitLimit ?? GRAPHQL_COMMIT_LIMIT)) {
          commit = await commitOnBranch(parent, change, files);
          if (commit === null) moved = `${branch} is no longer at ${parent.sha.slice(0, 7)}`;
        } else {
          const built = await buildCommit(parent, change, files);
          try {
            if (parent) await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: built, force: false });
            else await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: built });
            commit = built;
          } catch (e) {
            if (!isRefConflict(e)) throw fail(parent ? 'moving the branch' : 'creating the branch', e);
            moved = describeGitHubError(e, opts.redactor);
          }
        }
        if (commit === null) {
          if (attempt >= maxAttempts) {
            throw new StateError(`github ledger ${where}: other runs kept moving ${branch}; gave up after ${attempt} attempts (${String(moved)})`);
          }
          // Full jitter over a span that grows with the attempt and with how long one attempt takes,
          // so racing writers spread out instead of colliding again in lockstep.
          const span = Math.min(20_000, Math.max(backoffMs, Date.now() - started) * 3 ** attempt);
          const delay = span * Math.random();
          logger.debug(`ledger ${branch} moved while writing (${String(moved)}); re-applying on the new head in ${Math.round(delay)} ms (attempt ${attempt + 1}/${maxAttempts})`);
          await new Promise((r) => setTimeout(r, delay));
          parent = await head(logPath ?? undefined);
          continue;
        }
        rememberCommit(commit, parent, files);
        if (stateText !== null) stateBlobs.set(commit, gitBlobSha(stateText));
        else if (!parent) stateBlobs.set(commit, null);
        else if (stateBlobs.has(parent.sha)) stateBlobs.set(commit, stateBlobs.get(parent.sha)!);
        logger.debug(`ledger ${branch}: committed ${commit.slice(0, 7)} (${change.evidence.length} evidence file(s), attempt ${attempt})`);
        return { evidencePath, commit, version: commit };
      }
    },
  };
}
