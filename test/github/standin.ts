import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubGraphqlError, runGraphql, type GraphqlRequest } from './graphql.js';
import { completeResponse, validateRequest, validateResponse } from './openapi.js';

/**
 * A stateful stand-in for the parts of GitHub's REST and GraphQL APIs rollout-gate uses. Every
 * REST request is first validated against GitHub's OpenAPI description, and every GraphQL query
 * (POST /graphql) against GitHub's GraphQL schema; a request either refuses is recorded in
 * `violations` and answered as GitHub would (400, or GraphQL `errors`). Then it behaves like
 * GitHub: git objects hashed the way git hashes them, refs that only move forward unless forced,
 * comments owned by their authors, GitHub's size limits and GitHub's error messages.
 */

export interface TokenInfo {
  login: string;
  /** `installation`: GITHUB_TOKEN or an app token, for which GET /user is refused. */
  kind: 'user' | 'installation';
  /** Every write is answered 403 "Resource not accessible by integration" (fork pull requests). */
  readOnly?: boolean;
  /** `none`: a token without the contents permission; reading the repository's git data is refused too. */
  contents?: 'none';
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  operation: string | null;
  body: unknown;
  status: number;
  /** Whether the request asks GitHub to change something: a REST method other than GET, or a GraphQL mutation (a query is a read, though sent as a POST). */
  write: boolean;
  /** Bytes of the request body and of the answer's body: what the exchange moved. */
  bytesIn: number;
  bytesOut: number;
  /** The `type` of each GraphQL error in the answer (a GraphQL request answered 200 with errors). */
  errorTypes: string[];
  /**
   * How many round trips the client had waited for when it sent this one: 1 + the deepest request
   * answered before this one arrived. With `latencyMs`, requests sent together overlap and share a depth.
   */
  depth: number;
}

export interface Violation {
  method: string;
  path: string;
  errors: string[];
}

interface Blob {
  type: 'blob';
  content: Buffer;
}
interface TreeEntry {
  name: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
}
interface Tree {
  type: 'tree';
  entries: TreeEntry[];
}
interface Commit {
  type: 'commit';
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
}
type GitObject = Blob | Tree | Commit;

export interface Comment {
  id: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

export interface Review {
  id: number;
  login: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string;
  submittedAt: string;
}

export interface PullRequest {
  number: number;
  author: string;
  headSha: string;
  body: string | null;
  /** The head branch and the login owning it (a fork's owner for a fork PR); default `release` in the base repository. */
  headRef?: string;
  headOwner?: string;
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  detailsUrl: string | null;
}

export interface Reaction {
  id: number;
  commentId: number;
  login: string;
  content: string;
}

export interface Deployment {
  id: number;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  creator: string;
  productionEnvironment: boolean;
  statuses: DeploymentStatus[];
}

export interface DeploymentStatus {
  id: number;
  state: string;
  description: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
}

export interface Repo {
  owner: string;
  name: string;
  defaultBranch: string;
  objects: Map<string, GitObject>;
  refs: Map<string, string>;
  comments: Map<number, Comment[]>;
  checkRuns: CheckRun[];
  pulls: Map<number, PullRequest>;
  reviews: Map<number, Review[]>;
  reactions: Reaction[];
  /** login → role (`admin`, `maintain`, `write`, `triage`, `read`); anyone else is no collaborator (404). */
  collaborators: Map<string, string>;
  deployments: Deployment[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const COMMENT_LIMIT = 65_536;
const SUMMARY_LIMIT = 65_535;
/** The contents API inlines files up to 1 MB; larger ones come back with encoding "none". */
const CONTENTS_INLINE_LIMIT = 1024 * 1024;
const DOCS = 'https://docs.github.com/rest';

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');
const gitHash = (type: string, body: Buffer) => sha1(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]));

export interface StandinOptions {
  tokens?: Record<string, TokenInfo>;
  /** Random delay before each answer, to shuffle concurrent requests like a network does. */
  jitterMs?: number;
  /** A fixed delay before each answer: requests sent one after the other then never overlap, parallel ones do. */
  latencyMs?: number;
  contentsInlineLimit?: number;
  /** GraphQL's Blob.text stops here (isTruncated); GitHub cuts at 512,000 bytes. */
  graphqlTextLimit?: number;
}

/** What a test may make the stand-in answer instead of routing the request. */
export type Fault =
  | { status: number; message: string; headers?: Record<string, string> }
  /** A GraphQL query answered 200 with GitHub's typed error, e.g. RATE_LIMITED. */
  | { graphql: { type: string; message: string }; headers?: Record<string, string> };

const GRAPHQL_TEXT_LIMIT = 512_000;
/** Mutations the stand-in performs; any other is answered as not implemented. */
const MODELLED_MUTATIONS = new Set(['createCommitOnBranch']);
const GIT_DOCS = 'https://docs.github.com/graphql';

export class GitHubStandin {
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  /** Answers of the stand-in that GitHub's description would not promise: a stand-in defect. */
  readonly responseViolations: Violation[] = [];
  readonly repos = new Map<string, Repo>();
  /** Commits made through createCommitOnBranch: the ones GitHub signs. */
  readonly signed = new Set<string>();
  readonly tokens: Map<string, TokenInfo>;
  /** org/team-slug → member logins; a missing team is 404. */
  readonly teams = new Map<string, string[]>();
  /** Teams the token may not read (403), as GitHub answers a GITHUB_TOKEN. */
  teamsForbidden = false;
  /** Answers GET /search/issues: a count, or an error GitHub would give (422 for a bad query). */
  search: (q: string) => number | { status: number; message: string } = () => 0;
  /** Runs just before an operation is answered: lets a test act as a concurrent writer at the worst moment. */
  beforeRoute: ((operation: string) => void | 'hang' | Fault) | null = null;
  private server: Server | null = null;
  private ids = 1000;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  private readonly jitterMs: number;
  private readonly latencyMs: number;
  /** The deepest round trip answered so far (see RecordedRequest.depth). */
  private answeredDepth = 0;
  private readonly inlineLimit: number;
  private readonly textLimit: number;
  url = '';

  constructor(opts: StandinOptions = {}) {
    this.tokens = new Map(Object.entries(opts.tokens ?? {}));
    this.jitterMs = opts.jitterMs ?? 0;
    this.latencyMs = opts.latencyMs ?? 0;
    this.inlineLimit = opts.contentsInlineLimit ?? CONTENTS_INLINE_LIMIT;
    this.textLimit = opts.graphqlTextLimit ?? GRAPHQL_TEXT_LIMIT;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `stand-in failure: ${(e as Error).message}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  // ---- fixtures and inspection -------------------------------------------------------------

  /** A repository whose default branch holds one commit (a README), like any real project. */
  repo(owner: string, name: string): Repo {
    const key = `${owner}/${name}`.toLowerCase();
    let r = this.repos.get(key);
    if (r) return r;
    r = { owner, name, defaultBranch: 'main', objects: new Map(), refs: new Map(), comments: new Map(), checkRuns: [], pulls: new Map(), reviews: new Map(), reactions: [], collaborators: new Map([[owner.toLowerCase(), 'admin']]), deployments: [] };
    this.repos.set(key, r);
    const tree = this.buildTree(r, new Map([['README.md', this.putBlob(r, Buffer.from('# project\n'))]]));
    const commit = this.putCommit(r, { type: 'commit', tree, parents: [], message: 'initial', author: this.author() });
    r.refs.set('refs/heads/main', commit);
    return r;
  }

  headOf(r: Repo, branch: string): string | null {
    return r.refs.get(`refs/heads/${branch}`) ?? null;
  }

  commitOf(r: Repo, sha: string): Commit {
    const c = r.objects.get(sha);
    if (!c || c.type !== 'commit') throw new Error(`no commit ${sha}`);
    return c;
  }

  /** Every file of a commit (or branch), path → content. */
  files(r: Repo, refOrSha: string): Map<string, string> {
    const sha = this.resolveCommit(r, refOrSha);
    const out = new Map<string, string>();
    if (!sha) return out;
    for (const [path, blob] of this.flatten(r, this.commitOf(r, sha).tree)) out.set(path, (r.objects.get(blob.sha) as Blob).content.toString('utf8'));
    return out;
  }

  /** Commits reachable from a branch head, newest first along first parents. */
  history(r: Repo, branch: string): string[] {
    const out: string[] = [];
    for (let sha = this.headOf(r, branch); sha; sha = this.commitOf(r, sha).parents[0] ?? null) out.push(sha);
    return out;
  }

  addComment(r: Repo, issue: number, login: string, body: string): Comment {
    const c: Comment = { id: this.ids++, body, login, createdAt: this.now(), updatedAt: this.now() };
    const list = r.comments.get(issue) ?? [];
    list.push(c);
    r.comments.set(issue, list);
    return c;
  }

  addPull(r: Repo, pr: PullRequest): void {
    r.pulls.set(pr.number, pr);
    r.comments.set(pr.number, r.comments.get(pr.number) ?? []);
  }

  addReview(r: Repo, pr: number, review: Omit<Review, 'id' | 'submittedAt'>): Review {
    const full: Review = { ...review, id: this.ids++, submittedAt: this.now() };
    const list = r.reviews.get(pr) ?? [];
    list.push(full);
    r.reviews.set(pr, list);
    return full;
  }

  /** Writes a commit on a branch directly, as another writer (a concurrent run) would. */
  commitFiles(r: Repo, branch: string, files: Record<string, string>, message = 'another writer'): string {
    const head = this.headOf(r, branch);
    const base = head ? this.flatten(r, this.commitOf(r, head).tree) : new Map<string, TreeEntry>();
    const blobs = new Map<string, string>([...base].map(([p, e]) => [p, e.sha]));
    for (const [p, content] of Object.entries(files)) blobs.set(p, this.putBlob(r, Buffer.from(content)));
    const tree = this.buildTree(r, blobs);
    const sha = this.putCommit(r, { type: 'commit', tree, parents: head ? [head] : [], message, author: this.author() });
    r.refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  /** The requests that asked for a change (see RecordedRequest.write). */
  writes(): RecordedRequest[] {
    return this.requests.filter((q) => q.write);
  }

  /** The round trips a client waited for one after the other since `from` (an index into `requests`). */
  sequentialRoundTrips(from = 0): number {
    const since = this.requests.slice(from);
    if (!since.length) return 0;
    const base = Math.min(...since.map((q) => q.depth)) - 1;
    return Math.max(...since.map((q) => q.depth)) - base;
  }

  count(operation: string): number {
    return this.requests.filter((q) => q.operation === operation).length;
  }

  // ---- git objects -------------------------------------------------------------------------

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private author() {
    return { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com', date: this.now() };
  }

  private putBlob(r: Repo, content: Buffer): string {
    const sha = gitHash('blob', content);
    r.objects.set(sha, { type: 'blob', content });
    return sha;
  }

  private putTree(r: Repo, entries: TreeEntry[]): string {
    // Git orders entries by name, a tree's name compared as if it ended in "/".
    const key = (e: TreeEntry) => (e.type === 'tree' ? `${e.name}/` : e.name);
    const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]));
    const sha = gitHash('tree', body);
    r.objects.set(sha, { type: 'tree', entries: sorted });
    return sha;
  }

  private putCommit(r: Repo, c: Commit): string {
    const text = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`), `author ${c.author.name} <${c.author.email}> ${Date.parse(c.author.date) / 1000} +0000`, `committer ${c.author.name} <${c.author.email}> ${Date.parse(c.author.date) / 1000} +0000`, '', c.message].join('\n');
    const sha = gitHash('commit', Buffer.from(text));
    r.objects.set(sha, c);
    return sha;
  }

  /** path → blob entry, recursively. */
  private flatten(r: Repo, treeSha: string, prefix = '', out = new Map<string, TreeEntry>()): Map<string, TreeEntry> {
    const t = r.objects.get(treeSha);
    if (!t || t.type !== 'tree') throw new HttpError(422, 'Invalid tree info');
    for (const e of t.entries) {
      const path = `${prefix}${e.name}`;
      if (e.type === 'tree') this.flatten(r, e.sha, `${path}/`, out);
      else out.set(path, { ...e, name: path });
    }
    return out;
  }

  /** Builds nested trees from path → blob sha. */
  private buildTree(r: Repo, files: Map<string, string>, modes = new Map<string, string>()): string {
    const build = (paths: [string, string][]): string => {
      const entries: TreeEntry[] = [];
      const dirs = new Map<string, [string, string][]>();
      for (const [p, sha] of paths) {
        const slash = p.indexOf('/');
        if (slash === -1) entries.push({ name: p, mode: modes.get(p) ?? '100644', type: 'blob', sha });
        else {
          const d = p.slice(0, slash);
          const list = dirs.get(d) ?? [];
          list.push([p.slice(slash + 1), sha]);
          dirs.set(d, list);
        }
      }
      for (const [d, list] of dirs) entries.push({ name: d, mode: '040000', type: 'tree', sha: build(list) });
      return this.putTree(r, entries);
    };
    return build([...files]);
  }

  private resolveCommit(r: Repo, ref: string): string | null {
    if (/^[0-9a-f]{40}$/.test(ref)) return r.objects.get(ref)?.type === 'commit' ? ref : null;
    return r.refs.get(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`) ?? r.refs.get(`refs/tags/${ref}`) ?? null;
  }

  private isAncestor(r: Repo, ancestor: string, of: string): boolean {
    const seen = new Set<string>();
    const queue = [of];
    while (queue.length) {
      const sha = queue.shift()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const c = r.objects.get(sha);
      if (c?.type === 'commit') queue.push(...c.parents);
    }
    return false;
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), operation: null, body: undefined, status: 0, write: method !== 'GET' && method !== 'HEAD', bytesIn: Buffer.byteLength(raw), bytesOut: 0, errorTypes: [], depth: this.answeredDepth + 1 };
    this.requests.push(record);
    if (this.jitterMs) await new Promise((r) => setTimeout(r, Math.random() * this.jitterMs));
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      const text = status === 204 ? undefined : JSON.stringify(data);
      record.bytesOut = text === undefined ? 0 : Buffer.byteLength(text);
      this.answeredDepth = Math.max(this.answeredDepth, record.depth);
      const errors = (data as { errors?: { type?: string }[] } | null)?.errors;
      if (Array.isArray(errors)) record.errorTypes = errors.map((e) => e.type ?? 'ERROR');
      res.end(text);
    };
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
      }
    }
    record.body = body;
    // GitHub serves GraphQL at /graphql (/api/graphql on GitHub Enterprise Server).
    if (method === 'POST' && (url.pathname === '/graphql' || url.pathname === '/api/graphql')) {
      record.operation = 'POST /graphql';
      record.write = false;
      return this.handleGraphql(req, (body ?? {}) as GraphqlRequest, record, send);
    }
    const check = validateRequest(method, url.pathname, url.searchParams, body, raw.length > 0);
    record.operation = check.operation;
    if (check.errors.length) {
      this.violations.push({ method, path: url.pathname + url.search, errors: check.errors });
      return send(400, { message: `Invalid request.\n\n${check.errors.join('\n')}`, documentation_url: DOCS, status: '400' });
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.replace(/^(token|bearer)\s+/i, '');
    const who = this.tokens.get(token);
    if (!who) return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    if (req.headers['user-agent'] === undefined) return send(403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header', status: '403' });
    try {
      const fault = this.beforeRoute?.(check.operation!);
      // A server that accepted the request and never answers.
      if (fault === 'hang') return;
      if (fault && 'graphql' in fault) throw new Error('a GraphQL fault for a REST operation');
      if (fault) return send(fault.status, { message: fault.message, documentation_url: DOCS, status: String(fault.status) }, fault.headers);
      const out = this.route(method, check.operation!, check.params, url.searchParams, body as Record<string, unknown> | undefined, who);
      const data = completeResponse(check.operation!, out.status, out.data);
      const wrong = validateResponse(check.operation!, out.status, data);
      if (wrong.length) this.responseViolations.push({ method, path: url.pathname, errors: wrong });
      send(out.status, data, out.headers);
    } catch (e) {
      if (e instanceof HttpError) return send(e.status, { message: e.message, documentation_url: DOCS, status: String(e.status), ...e.extra });
      throw e;
    }
  }

  // ---- GraphQL -----------------------------------------------------------------------------

  private async handleGraphql(
    req: IncomingMessage,
    body: GraphqlRequest,
    record: RecordedRequest,
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const who = this.tokens.get(auth.replace(/^(token|bearer)\s+/i, ''));
    // GitHub checks credentials before it reads the query.
    if (!who) return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    if (req.headers['user-agent'] === undefined) return send(403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header', status: '403' });
    const fault = this.beforeRoute?.('POST /graphql');
    if (fault === 'hang') return;
    if (fault && 'graphql' in fault) return send(200, { errors: [{ type: fault.graphql.type, message: fault.graphql.message }] }, fault.headers);
    if (fault) return send(fault.status, { message: fault.message, documentation_url: GIT_DOCS, status: String(fault.status) }, fault.headers);
    const outcome = await runGraphql(body, this.graphqlRoot(who));
    if (outcome.kind === 'invalid') {
      this.violations.push({ method: 'POST', path: '/graphql', errors: outcome.errors });
      return send(200, outcome.body);
    }
    const mutations = outcome.operation.selectionSet.selections.flatMap((f) => (f.kind === 'Field' ? [f.name.value] : []));
    if (outcome.operation.operation === 'mutation' && mutations.every((m) => MODELLED_MUTATIONS.has(m))) {
      record.write = true;
      if (outcome.defects.length) this.responseViolations.push({ method: 'POST', path: '/graphql', errors: outcome.defects });
      return send(200, outcome.body);
    }
    if (outcome.operation.operation !== 'query') {
      record.write = outcome.operation.operation === 'mutation';
      // No mutation is modelled; a read-only token would be refused each one.
      const fields = outcome.operation.selectionSet.selections.flatMap((f) => (f.kind === 'Field' ? [f.alias?.value ?? f.name.value] : []));
      const message = who.readOnly ? 'Resource not accessible by integration' : `stand-in: ${outcome.operation.operation}s are not implemented`;
      return send(200, { data: Object.fromEntries(fields.map((f) => [f, null])), errors: fields.map((f) => ({ type: 'FORBIDDEN', path: [f], message })) });
    }
    if (outcome.defects.length) this.responseViolations.push({ method: 'POST', path: '/graphql', errors: outcome.defects });
    send(200, outcome.body);
  }

  /** Query's fields over the stored repositories; nodes are plain objects, fields functions of their arguments. */
  private graphqlRoot(who: TokenInfo): Record<string, unknown> {
    const nodeId = (kind: string, key: string) => Buffer.from(`${kind}:${key}`).toString('base64');
    const guard = () => {
      if (who.contents === 'none') throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration');
    };
    const objectNode = (r: Repo, sha: string): Record<string, unknown> | null => {
      const o = r.objects.get(sha);
      if (!o) return null;
      const common = { id: nodeId(o.type, sha), oid: sha, abbreviatedOid: sha.slice(0, 7) };
      if (o.type === 'blob') {
        const binary = o.content.subarray(0, 8000).includes(0);
        return {
          __typename: 'Blob',
          ...common,
          byteSize: o.content.length,
          isBinary: binary,
          isTruncated: o.content.length > this.textLimit,
          text: binary ? null : o.content.subarray(0, this.textLimit).toString('utf8'),
        };
      }
      if (o.type === 'tree') return { __typename: 'Tree', ...common, entries: () => o.entries.map((e) => entryNode(r, e, e.name)) };
      return {
        __typename: 'Commit',
        ...common,
        message: o.message,
        messageHeadline: o.message.split('\n')[0],
        tree: () => objectNode(r, o.tree),
        file: ({ path }: { path: string }) => {
          let tree = r.objects.get(o.tree) as Tree;
          const parts = path.replace(/^\/+|\/+$/g, '').split('/');
          for (let i = 0; i < parts.length; i++) {
            const entry = tree.entries.find((e) => e.name === parts[i]);
            if (!entry) return null;
            if (i === parts.length - 1) return entryNode(r, entry, parts.join('/'));
            if (entry.type !== 'tree') return null;
            tree = r.objects.get(entry.sha) as Tree;
          }
          return null;
        },
      };
    };
    const entryNode = (r: Repo, e: TreeEntry, path: string) => {
      const target = r.objects.get(e.sha);
      return {
        __typename: 'TreeEntry',
        name: e.name.split('/').pop(),
        path,
        oid: e.sha,
        type: e.type,
        mode: parseInt(e.mode, 8),
        size: target?.type === 'blob' ? target.content.length : 0,
        extension: /\.[^./]+$/.exec(e.name)?.[0] ?? null,
        isGenerated: false,
        object: () => objectNode(r, e.sha),
      };
    };
    const refNode = (r: Repo, qualifiedName: string) => {
      const sha = r.refs.get(qualifiedName);
      if (!sha) return null;
      const prefix = qualifiedName.replace(/[^/]+$/, '');
      return { __typename: 'Ref', id: nodeId('ref', qualifiedName), name: qualifiedName.slice(prefix.length), prefix, target: () => objectNode(r, sha) };
    };
    return {
      // Mutation.createCommitOnBranch: one commit on an existing branch, refused unless the branch
      // is still at expectedHeadOid (GitHub signs these commits).
      createCommitOnBranch: ({ input }: { input: { branch: { repositoryNameWithOwner?: string; branchName?: string; id?: string }; expectedHeadOid: string; message: { headline: string; body?: string | null }; fileChanges?: { additions?: { path: string; contents: string }[]; deletions?: { path: string }[] } } }) => {
        if (who.contents === 'none' || who.readOnly) throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration');
        const full = input.branch.repositoryNameWithOwner ?? '';
        const r = this.repos.get(full.toLowerCase());
        if (!r || !input.branch.branchName) throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${full}'.`);
        const refName = `refs/heads/${input.branch.branchName}`;
        const head = r.refs.get(refName);
        if (!head) throw new GitHubGraphqlError('NOT_FOUND', `A ref named "${refName}" does not exist.`);
        if (head !== input.expectedHeadOid) throw new GitHubGraphqlError('STALE_DATA', `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`);
        const blobs = new Map<string, string>([...this.flatten(r, this.commitOf(r, head).tree)].map(([p, e]) => [p, e.sha]));
        for (const d of input.fileChanges?.deletions ?? []) blobs.delete(d.path);
        for (const a of input.fileChanges?.additions ?? []) {
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.contents)) throw new GitHubGraphqlError('UNPROCESSABLE', `contents of ${a.path} is not valid base64`);
          blobs.set(a.path, this.putBlob(r, Buffer.from(a.contents, 'base64')));
        }
        const tree = this.buildTree(r, blobs);
        const message = input.message.body ? `${input.message.headline}\n\n${input.message.body}` : input.message.headline;
        const sha = this.putCommit(r, { type: 'commit', tree, parents: [head], message, author: this.author() });
        r.refs.set(refName, sha);
        this.signed.add(sha);
        return { __typename: 'CreateCommitOnBranchPayload', clientMutationId: null, commit: objectNode(r, sha), ref: refNode(r, refName) };
      },
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const r = this.repos.get(`${owner}/${name}`.toLowerCase());
        if (!r) throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
        return {
          __typename: 'Repository',
          id: nodeId('repo', `${r.owner}/${r.name}`),
          name: r.name,
          nameWithOwner: `${r.owner}/${r.name}`,
          // Fully qualified names first, then short names, as GitHub resolves them.
          ref: ({ qualifiedName }: { qualifiedName: string }) => {
            guard();
            return refNode(r, qualifiedName) ?? (qualifiedName.startsWith('refs/') ? null : (refNode(r, `refs/heads/${qualifiedName}`) ?? refNode(r, `refs/tags/${qualifiedName}`)));
          },
          object: ({ oid, expression }: { oid?: string; expression?: string }) => {
            guard();
            if (expression !== undefined) throw new Error('stand-in: Repository.object(expression:) is not implemented');
            return oid ? objectNode(r, oid) : null;
          },
          defaultBranchRef: () => refNode(r, `refs/heads/${r.defaultBranch}`),
        };
      },
    };
  }

  private repoOf(params: Record<string, string>): Repo {
    const r = this.repos.get(`${params.owner}/${params.repo}`.toLowerCase());
    if (!r) throw new HttpError(404, 'Not Found');
    return r;
  }

  private page<T>(items: T[], query: URLSearchParams, path: string): { data: T[]; headers: Record<string, string> } {
    const perPage = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    const data = items.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(path, this.url);
      for (const [k, v] of query) u.searchParams.set(k, v);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return { data, headers: links.length ? { link: links.join(', ') } : {} };
  }

  private user(login: string) {
    const bot = login.endsWith('[bot]');
    return { login, id: [...login].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) % 1e8, type: bot ? 'Bot' : 'User', site_admin: false };
  }

  private commentJson(r: Repo, issue: number, c: Comment) {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.url}/repos/${r.owner}/${r.name}/issues/comments/${c.id}`,
      html_url: `https://github.com/${r.owner}/${r.name}/pull/${issue}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${r.owner}/${r.name}/issues/${issue}`,
      body: c.body,
      user: this.user(c.login),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: 'NONE',
    };
  }

  private deploymentJson(r: Repo, d: Deployment) {
    return {
      id: d.id,
      node_id: `DE_${d.id}`,
      url: `${this.url}/repos/${r.owner}/${r.name}/deployments/${d.id}`,
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: d.payload,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: this.user(d.creator),
      created_at: this.now(),
      updated_at: this.now(),
      statuses_url: `${this.url}/repos/${r.owner}/${r.name}/deployments/${d.id}/statuses`,
      repository_url: `${this.url}/repos/${r.owner}/${r.name}`,
      transient_environment: false,
      production_environment: d.productionEnvironment,
    };
  }

  private commitJson(r: Repo, sha: string) {
    const c = this.commitOf(r, sha);
    return {
      sha,
      node_id: `C_${sha}`,
      url: `${this.url}/repos/${r.owner}/${r.name}/git/commits/${sha}`,
      html_url: `https://github.com/${r.owner}/${r.name}/commit/${sha}`,
      author: c.author,
      committer: c.author,
      message: c.message,
      tree: { sha: c.tree, url: `${this.url}/repos/${r.owner}/${r.name}/git/trees/${c.tree}` },
      parents: c.parents.map((p) => ({ sha: p, url: `${this.url}/repos/${r.owner}/${r.name}/git/commits/${p}`, html_url: `https://github.com/${r.owner}/${r.name}/commit/${p}` })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  }

  private route(
    method: string,
    operation: string,
    params: Record<string, string>,
    query: URLSearchParams,
    body: Record<string, unknown> | undefined,
    who: TokenInfo,
  ): { status: number; data: unknown; headers?: Record<string, string> } {
    const template = operation.slice(method.length + 1);
    if (method !== 'GET' && who.readOnly) throw new HttpError(403, 'Resource not accessible by integration');
    if (who.contents === 'none' && /^\/repos\/\{owner\}\/\{repo\}\/(branches|contents|git)\//.test(template)) throw new HttpError(403, 'Resource not accessible by integration');
    const b = body ?? {};
    switch (operation) {
      case 'GET /user': {
        if (who.kind === 'installation') throw new HttpError(403, 'Resource not accessible by integration');
        return { status: 200, data: this.user(who.login) };
      }
      case 'GET /repos/{owner}/{repo}/branches/{branch}': {
        const r = this.repoOf(params);
        const sha = this.headOf(r, params.branch!);
        if (!sha) throw new HttpError(404, 'Branch not found');
        return {
          status: 200,
          data: {
            name: params.branch,
            commit: { sha, node_id: `C_${sha}`, url: `${this.url}/repos/${r.owner}/${r.name}/commits/${sha}`, commit: this.commitJson(r, sha), parents: this.commitOf(r, sha).parents.map((p) => ({ sha: p })) },
            _links: { self: `${this.url}/repos/${r.owner}/${r.name}/branches/${params.branch}`, html: `https://github.com/${r.owner}/${r.name}/tree/${params.branch}` },
            protected: false,
            protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [] } },
            protection_url: `${this.url}/repos/${r.owner}/${r.name}/branches/${params.branch}/protection`,
          },
        };
      }
      case 'GET /repos/{owner}/{repo}/git/ref/{ref}': {
        const r = this.repoOf(params);
        const sha = r.refs.get(`refs/${params.ref}`);
        if (!sha) throw new HttpError(404, 'Not Found');
        return { status: 200, data: { ref: `refs/${params.ref}`, node_id: 'REF', url: `${this.url}/placeholder`, object: { sha, type: 'commit', url: `${this.url}/placeholder` } } };
      }
      case 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}': {
        const r = this.repoOf(params);
        if (r.objects.get(params.commit_sha!)?.type !== 'commit') throw new HttpError(404, 'Not Found');
        return { status: 200, data: this.commitJson(r, params.commit_sha!) };
      }
      case 'GET /repos/{owner}/{repo}/contents/{path}': {
        const r = this.repoOf(params);
        const sha = this.resolveCommit(r, query.get('ref') ?? r.defaultBranch);
        if (!sha) throw new HttpError(404, `No commit found for the ref ${query.get('ref')}`);
        const files = this.flatten(r, this.commitOf(r, sha).tree);
        const entry = files.get(params.path!);
        if (!entry) {
          const prefix = `${params.path}/`;
          const inDir = [...files.keys()].filter((p) => p.startsWith(prefix));
          if (inDir.length) throw new HttpError(422, 'stand-in: directory listings are not implemented');
          throw new HttpError(404, 'Not Found');
        }
        const content = (r.objects.get(entry.sha) as Blob).content;
        const inline = content.length <= this.inlineLimit;
        return {
          status: 200,
          data: {
            type: 'file',
            encoding: inline ? 'base64' : 'none',
            size: content.length,
            name: params.path!.split('/').pop(),
            path: params.path,
            content: inline ? (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + (content.length ? '\n' : '') : '',
            sha: entry.sha,
            url: `${this.url}/repos/${r.owner}/${r.name}/contents/${params.path}?ref=${sha}`,
            git_url: `${this.url}/repos/${r.owner}/${r.name}/git/blobs/${entry.sha}`,
            html_url: `https://github.com/${r.owner}/${r.name}/blob/${sha}/${params.path}`,
            download_url: `https://raw.githubusercontent.com/${r.owner}/${r.name}/${sha}/${params.path}`,
            _links: { self: `${this.url}/placeholder`, git: `${this.url}/placeholder`, html: `${this.url}/placeholder` },
          },
        };
      }
      case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': {
        const r = this.repoOf(params);
        const blob = r.objects.get(params.file_sha!);
        if (!blob || blob.type !== 'blob') throw new HttpError(404, 'Not Found');
        return { status: 200, data: { sha: params.file_sha, node_id: 'B', size: blob.content.length, url: `${this.url}/placeholder`, content: blob.content.toString('base64'), encoding: 'base64' } };
      }
      case 'POST /repos/{owner}/{repo}/git/blobs': {
        const r = this.repoOf(params);
        const enc = (b.encoding as string | undefined) ?? 'utf-8';
        if (enc !== 'utf-8' && enc !== 'base64') throw new HttpError(422, `encoding must be one of utf-8, base64`);
        const sha = this.putBlob(r, Buffer.from(b.content as string, enc === 'base64' ? 'base64' : 'utf8'));
        return { status: 201, data: { sha, url: `${this.url}/repos/${r.owner}/${r.name}/git/blobs/${sha}` } };
      }
      case 'POST /repos/{owner}/{repo}/git/trees': {
        const r = this.repoOf(params);
        const files = new Map<string, string>();
        const modes = new Map<string, string>();
        if (b.base_tree !== undefined) {
          for (const [p, e] of this.flatten(r, b.base_tree as string)) {
            files.set(p, e.sha);
            modes.set(p, e.mode);
          }
        }
        for (const e of b.tree as { path?: string; mode?: string; type?: string; sha?: string | null; content?: string }[]) {
          if (!e.path || !e.mode || !e.type) throw new HttpError(422, 'Must supply a valid tree.path, tree.mode and tree.type');
          if (e.path.startsWith('/') || e.path.split('/').some((s) => s === '' || s === '.' || s === '..')) throw new HttpError(422, `tree.path contains a malformed path component`);
          if (e.sha !== undefined && e.content !== undefined) throw new HttpError(422, 'Only tree.sha or tree.content may be provided');
          if (e.type !== 'blob') throw new HttpError(422, 'stand-in: only blob entries are implemented');
          if (e.sha === null) {
            files.delete(e.path);
            continue;
          }
          let sha: string;
          if (e.content !== undefined) sha = this.putBlob(r, Buffer.from(e.content, 'utf8'));
          else {
            if (r.objects.get(e.sha ?? '')?.type !== 'blob') throw new HttpError(422, `tree.sha ${e.sha} is not a valid blob`);
            sha = e.sha!;
          }
          files.set(e.path, sha);
          modes.set(e.path, e.mode);
        }
        const sha = this.buildTree(r, files, modes);
        const tree = r.objects.get(sha) as Tree;
        return {
          status: 201,
          data: { sha, url: `${this.url}/repos/${r.owner}/${r.name}/git/trees/${sha}`, truncated: false, tree: tree.entries.map((e) => ({ path: e.name, mode: e.mode, type: e.type, sha: e.sha, url: `${this.url}/placeholder` })) },
        };
      }
      case 'POST /repos/{owner}/{repo}/git/commits': {
        const r = this.repoOf(params);
        if (r.objects.get(b.tree as string)?.type !== 'tree') throw new HttpError(422, 'Tree SHA does not exist');
        const parents = (b.parents as string[] | undefined) ?? [];
        for (const p of parents) if (r.objects.get(p)?.type !== 'commit') throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
        const sha = this.putCommit(r, { type: 'commit', tree: b.tree as string, parents, message: b.message as string, author: this.author() });
        return { status: 201, data: this.commitJson(r, sha) };
      }
      case 'POST /repos/{owner}/{repo}/git/refs': {
        const r = this.repoOf(params);
        const ref = b.ref as string;
        if (!/^refs\/[^/]+\/.+/.test(ref)) throw new HttpError(422, 'Reference name must start with refs/ and have at least two slashes.');
        if (r.objects.get(b.sha as string)?.type !== 'commit') throw new HttpError(422, 'Object does not exist');
        if (r.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
        r.refs.set(ref, b.sha as string);
        return { status: 201, data: { ref, node_id: 'REF', url: `${this.url}/placeholder`, object: { sha: b.sha, type: 'commit', url: `${this.url}/placeholder` } } };
      }
      case 'PATCH /repos/{owner}/{repo}/git/refs/{ref}': {
        const r = this.repoOf(params);
        const ref = `refs/${params.ref}`;
        const current = r.refs.get(ref);
        if (!current) throw new HttpError(422, 'Reference does not exist');
        const sha = b.sha as string;
        if (r.objects.get(sha)?.type !== 'commit') throw new HttpError(422, 'Object does not exist');
        if (b.force !== true && !this.isAncestor(r, current, sha)) throw new HttpError(422, 'Update is not a fast forward');
        r.refs.set(ref, sha);
        return { status: 200, data: { ref, node_id: 'REF', url: `${this.url}/placeholder`, object: { sha, type: 'commit', url: `${this.url}/placeholder` } } };
      }
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        const r = this.repoOf(params);
        const n = Number(params.issue_number);
        const list = r.comments.get(n);
        if (!list) throw new HttpError(404, 'Not Found');
        const p = this.page(list, query, `/repos/${params.owner}/${params.repo}/issues/${n}/comments`);
        return { status: 200, data: p.data.map((c) => this.commentJson(r, n, c)), headers: p.headers };
      }
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        const r = this.repoOf(params);
        const n = Number(params.issue_number);
        if (!r.comments.has(n)) throw new HttpError(404, 'Not Found');
        const text = b.body as string;
        if ([...text].length > COMMENT_LIMIT) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${COMMENT_LIMIT} characters)` }] });
        const c = this.addComment(r, n, who.login, text);
        return { status: 201, data: this.commentJson(r, n, c) };
      }
      case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
        const r = this.repoOf(params);
        const id = Number(params.comment_id);
        for (const [n, list] of r.comments) {
          const c = list.find((x) => x.id === id);
          if (!c) continue;
          if (c.login !== who.login) throw new HttpError(403, 'You must be the author of this comment to edit it');
          const text = b.body as string;
          if ([...text].length > COMMENT_LIMIT) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${COMMENT_LIMIT} characters)` }] });
          c.body = text;
          c.updatedAt = this.now();
          return { status: 200, data: this.commentJson(r, n, c) };
        }
        throw new HttpError(404, 'Not Found');
      }
      case 'POST /repos/{owner}/{repo}/check-runs': {
        const r = this.repoOf(params);
        const headSha = b.head_sha as string;
        if (!/^[0-9a-f]{40}$/.test(headSha)) throw new HttpError(422, `No commit found for SHA: ${headSha}`);
        const output = b.output as { title?: string; summary?: string } | undefined;
        if (output?.summary !== undefined && [...output.summary].length > SUMMARY_LIMIT) throw new HttpError(422, 'Invalid request.\n\nOnly 65535 characters are allowed; 65536 were supplied.');
        if (b.status === 'completed' && b.conclusion === undefined) throw new HttpError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
        const run: CheckRun = {
          id: this.ids++,
          name: b.name as string,
          headSha,
          status: (b.status as string | undefined) ?? 'queued',
          conclusion: (b.conclusion as string | undefined) ?? null,
          title: output?.title ?? null,
          summary: output?.summary ?? null,
          detailsUrl: (b.details_url as string | undefined) ?? null,
        };
        r.checkRuns.push(run);
        return {
          status: 201,
          data: {
            id: run.id,
            head_sha: run.headSha,
            node_id: `CR_${run.id}`,
            external_id: null,
            url: `${this.url}/repos/${r.owner}/${r.name}/check-runs/${run.id}`,
            html_url: `https://github.com/${r.owner}/${r.name}/runs/${run.id}`,
            details_url: run.detailsUrl,
            status: run.status,
            conclusion: run.conclusion,
            started_at: this.now(),
            completed_at: this.now(),
            output: { title: run.title, summary: run.summary, text: null, annotations_count: 0, annotations_url: `${this.url}/placeholder` },
            name: run.name,
            check_suite: { id: 1 },
            app: null,
            pull_requests: [],
          },
        };
      }
      case 'GET /search/issues': {
        const q = query.get('q') ?? '';
        const answer = this.search(q);
        if (typeof answer !== 'number') throw new HttpError(answer.status, answer.message);
        return { status: 200, data: { total_count: answer, incomplete_results: false, items: [] } };
      }
      case 'GET /repos/{owner}/{repo}/pulls': {
        const r = this.repoOf(params);
        const head = query.get('head');
        const state = query.get('state') ?? 'open';
        const all = [...r.pulls.values()].filter((pr) => state !== 'closed' && (!head || head === `${pr.headOwner ?? r.owner}:${pr.headRef ?? 'release'}`));
        const p = this.page(all, query, `/repos/${params.owner}/${params.repo}/pulls`);
        return {
          status: 200,
          data: p.data.map((pr) => ({
            number: pr.number,
            state: 'open',
            user: this.user(pr.author),
            body: pr.body,
            head: { sha: pr.headSha, ref: pr.headRef ?? 'release', label: `${pr.headOwner ?? r.owner}:${pr.headRef ?? 'release'}`, user: this.user(pr.headOwner ?? r.owner), repo: null },
            base: { sha: '0'.repeat(40), ref: r.defaultBranch, label: `${r.owner}:${r.defaultBranch}`, user: this.user(r.owner), repo: null },
          })),
          headers: p.headers,
        };
      }
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}': {
        const r = this.repoOf(params);
        const pr = r.pulls.get(Number(params.pull_number));
        if (!pr) throw new HttpError(404, 'Not Found');
        return { status: 200, data: { number: pr.number, state: 'open', user: this.user(pr.author), body: pr.body, head: { sha: pr.headSha, ref: 'release', label: '' } } };
      }
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews': {
        const r = this.repoOf(params);
        const n = Number(params.pull_number);
        if (!r.pulls.has(n)) throw new HttpError(404, 'Not Found');
        const p = this.page(r.reviews.get(n) ?? [], query, `/repos/${params.owner}/${params.repo}/pulls/${n}/reviews`);
        return {
          status: 200,
          data: p.data.map((v) => ({ id: v.id, node_id: `PRR_${v.id}`, user: this.user(v.login), body: '', state: v.state, commit_id: v.commitId, submitted_at: v.submittedAt, html_url: `${this.url}/placeholder`, pull_request_url: `${this.url}/placeholder`, author_association: 'MEMBER', _links: {} })),
          headers: p.headers,
        };
      }
      case 'GET /orgs/{org}/teams/{team_slug}/members': {
        if (this.teamsForbidden) throw new HttpError(403, 'Resource not accessible by integration');
        const members = this.teams.get(`${params.org}/${params.team_slug}`.toLowerCase());
        if (!members) throw new HttpError(404, 'Not Found');
        const p = this.page(members, query, `/orgs/${params.org}/teams/${params.team_slug}/members`);
        return { status: 200, data: p.data.map((m) => this.user(m)), headers: p.headers };
      }
      case 'GET /repos/{owner}/{repo}/collaborators/{username}/permission': {
        const r = this.repoOf(params);
        const role = r.collaborators.get(params.username!.toLowerCase());
        if (!role) throw new HttpError(404, `${params.username} is not a user`);
        // `permission` folds maintain into write and triage into read; `role_name` keeps them apart.
        const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
        return { status: 200, data: { permission, role_name: role, user: { ...this.user(params.username!), permissions: { admin: role === 'admin', maintain: role === 'admin' || role === 'maintain', push: permission === 'admin' || permission === 'write', triage: role !== 'read', pull: true }, role_name: role } } };
      }
      case 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': {
        const r = this.repoOf(params);
        const id = Number(params.comment_id);
        if (![...r.comments.values()].some((list) => list.some((c) => c.id === id))) throw new HttpError(404, 'Not Found');
        const content = b.content as string;
        const existing = r.reactions.find((x) => x.commentId === id && x.login === who.login && x.content === content);
        // GitHub answers 200 with the reaction the user already left, 201 for a new one.
        const reaction = existing ?? { id: this.ids++, commentId: id, login: who.login, content };
        if (!existing) r.reactions.push(reaction);
        return { status: existing ? 200 : 201, data: { id: reaction.id, node_id: `REA_${reaction.id}`, user: this.user(who.login), content, created_at: this.now() } };
      }
      case 'GET /repos/{owner}/{repo}/deployments': {
        const r = this.repoOf(params);
        const list = r.deployments
          .filter((d) => (!query.get('environment') || d.environment === query.get('environment')) && (!query.get('task') || d.task === query.get('task')) && (!query.get('sha') || d.sha === query.get('sha')) && (!query.get('ref') || d.ref === query.get('ref')))
          .reverse();
        const p = this.page(list, query, `/repos/${params.owner}/${params.repo}/deployments`);
        return { status: 200, data: p.data.map((d) => this.deploymentJson(r, d)), headers: p.headers };
      }
      case 'POST /repos/{owner}/{repo}/deployments': {
        const r = this.repoOf(params);
        const ref = b.ref as string;
        const sha = /^[0-9a-f]{40}$/.test(ref) ? ref : this.resolveCommit(r, ref);
        if (!sha) throw new HttpError(422, `No ref found for: ${ref}`);
        const contexts = b.required_contexts as string[] | undefined;
        // Without required_contexts: [] GitHub waits for the ref's status checks; the stand-in has none to wait for.
        if (contexts === undefined) throw new HttpError(409, 'Conflict: Commit status checks failed for ' + ref);
        const d: Deployment = {
          id: this.ids++,
          ref,
          sha,
          task: (b.task as string | undefined) ?? 'deploy',
          environment: (b.environment as string | undefined) ?? 'production',
          description: (b.description as string | undefined) ?? null,
          payload: typeof b.payload === 'string' ? JSON.parse(b.payload as string) : (b.payload ?? {}),
          creator: who.login,
          productionEnvironment: (b.production_environment as boolean | undefined) ?? ((b.environment as string | undefined) ?? 'production') === 'production',
          statuses: [],
        };
        r.deployments.push(d);
        return { status: 201, data: this.deploymentJson(r, d) };
      }
      case 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': {
        const r = this.repoOf(params);
        const d = r.deployments.find((x) => x.id === Number(params.deployment_id));
        if (!d) throw new HttpError(404, 'Not Found');
        const state = b.state as string;
        const status: DeploymentStatus = { id: this.ids++, state, description: (b.description as string | undefined) ?? '', logUrl: (b.log_url as string | undefined) ?? '', environmentUrl: (b.environment_url as string | undefined) ?? '', creator: who.login };
        d.statuses.push(status);
        // auto_inactive (default true): a new success marks the environment's earlier successful deployments inactive.
        if (state === 'success' && b.auto_inactive !== false) {
          for (const other of r.deployments) {
            if (other !== d && other.environment === d.environment && other.statuses.at(-1)?.state === 'success') {
              other.statuses.push({ id: this.ids++, state: 'inactive', description: 'superseded', logUrl: '', environmentUrl: '', creator: who.login });
            }
          }
        }
        return {
          status: 201,
          data: {
            id: status.id,
            node_id: `DES_${status.id}`,
            url: `${this.url}/repos/${r.owner}/${r.name}/deployments/${d.id}/statuses/${status.id}`,
            state,
            creator: this.user(who.login),
            description: status.description,
            environment: d.environment,
            target_url: status.logUrl || '',
            ...(status.logUrl ? { log_url: status.logUrl } : {}),
            ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
            created_at: this.now(),
            updated_at: this.now(),
            deployment_url: `${this.url}/repos/${r.owner}/${r.name}/deployments/${d.id}`,
            repository_url: `${this.url}/repos/${r.owner}/${r.name}`,
            performed_via_github_app: null,
          },
        };
      }
      default:
        throw new HttpError(501, `stand-in: ${method} ${template} is valid for GitHub but not implemented here`);
    }
  }
}

/** Starts a stand-in with the usual cast: a user token, an installation token, a read-only token. */
export async function startStandin(opts: StandinOptions = {}): Promise<GitHubStandin> {
  return new GitHubStandin({
    ...opts,
    tokens: {
      'ghp_usertoken1234567890': { login: 'octo-user', kind: 'user' },
      'ghs_installationtoken123456': { login: 'github-actions[bot]', kind: 'installation' },
      'ghs_readonlytoken1234567': { login: 'github-actions[bot]', kind: 'installation', readOnly: true },
      ...opts.tokens,
    },
  }).start();
}

export const USER_TOKEN = 'ghp_usertoken1234567890';
export const ACTIONS_TOKEN = 'ghs_installationtoken123456';
export const READONLY_TOKEN = 'ghs_readonlytoken1234567';

/** A client of the product, pointed at the stand-in the way GITHUB_API_URL points it at GitHub. */
export async function clientFor(standin: GitHubStandin, token: string, extra: { fetch?: typeof fetch; retries?: number } = {}) {
  const { createOctokit } = await import('../../src/github/octokit.js');
  return createOctokit({ token, baseUrl: standin.url, retries: extra.retries ?? 0, retryAfterBaseMs: 10, ...(extra.fetch ? { fetch: extra.fetch } : {}) });
}
