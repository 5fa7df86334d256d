import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOctokit, USER_AGENT, writeRefusal } from '../../src/github/octokit.js';
import { Redactor } from '../../src/secrets.js';
import { validateResponse } from './openapi.js';
import { ACTIONS_TOKEN, clientFor, READONLY_TOKEN, startStandin, type GitHubStandin } from './standin.js';

let standin: GitHubStandin;

beforeAll(async () => {
  standin = await startStandin();
  standin.repo('acme', 'svc');
});
afterAll(async () => {
  // Every answer the stand-in gave matched what GitHub's description promises.
  expect(standin.responseViolations).toEqual([]);
  await standin.stop();
});

/** Runs a request the description should refuse; returns the violations it recorded. */
async function refused(send: () => Promise<unknown>) {
  const before = standin.violations.length;
  const err = await send().then(() => null, (e: unknown) => e);
  const added = standin.violations.splice(before);
  return { status: (err as { status?: number } | null)?.status ?? null, violations: added };
}

describe('the GitHub stand-in validates every request against the OpenAPI description', () => {
  it('refuses a check run with a conclusion GitHub does not know', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const r = await refused(() =>
      octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'acme', repo: 'svc', name: 'x', head_sha: 'c'.repeat(40), status: 'completed', conclusion: 'passed' as never }),
    );
    expect(r.status).toBe(400);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.errors.join('\n')).toMatch(/body\/conclusion must be equal to one of the allowed values/);
    expect(standin.repo('acme', 'svc').checkRuns).toEqual([]);
  });

  it('refuses a tree entry with an invalid mode, a missing required field, and an unknown query parameter', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const mode = await refused(() => octokit.request('POST /repos/{owner}/{repo}/git/trees', { owner: 'acme', repo: 'svc', tree: [{ path: 'a', mode: '644' as never, type: 'blob', content: 'x' }] }));
    expect(mode.violations[0]!.errors.join('\n')).toMatch(/body\/tree\/0\/mode must be equal to one of the allowed values/);
    const missing = await refused(() => octokit.request('POST /repos/{owner}/{repo}/git/commits', { owner: 'acme', repo: 'svc', tree: 'd'.repeat(40) } as never));
    expect(missing.violations[0]!.errors.join('\n')).toMatch(/must have required property 'message'/);
    const query = await refused(() => octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'svc', issue_number: 1, perpage: 100 } as never));
    expect(query.violations[0]!.errors.join('\n')).toMatch(/query must NOT have additional properties \(perpage\)/);
    const typed = await refused(() => octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'svc', issue_number: 'seven' as never }));
    expect(typed.violations[0]!.errors.join('\n')).toMatch(/path\/issue_number must be integer/);
  });

  it('refuses an operation that is not in GitHub\'s REST API', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const r = await refused(() => octokit.request('POST /repos/{owner}/{repo}/git/commit', { owner: 'acme', repo: 'svc' }));
    expect(r.status).toBe(400);
    expect(r.violations[0]!.errors).toEqual(['POST /repos/acme/svc/git/commit is not an operation of GitHub\'s REST API']);
  });

  it('answers a valid request and records it', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const before = standin.requests.length;
    const { data } = await octokit.rest.repos.getBranch({ owner: 'acme', repo: 'svc', branch: 'main' });
    expect(data.commit.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(standin.requests.slice(before).map((r) => [r.operation, r.status])).toEqual([['GET /repos/{owner}/{repo}/branches/{branch}', 200]]);
    expect(standin.violations).toEqual([]);
  });
});

describe('the GitHub stand-in validates every GraphQL query against GitHub\'s schema', () => {
  const FILE = `query($owner: String!, $repo: String!, $path: String!) {
    repository(owner: $owner, name: $repo) {
      ref(qualifiedName: "refs/heads/main") {
        target { ... on Commit { oid tree { oid } file(path: $path) { type oid object { ... on Blob { oid text isTruncated isBinary byteSize } } } } }
      }
    }
  }`;

  it('answers a valid query from the stored repository and records it as POST /graphql', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const r = standin.repo('acme', 'svc');
    const before = standin.requests.length;
    const data = await octokit.graphql<{ repository: { ref: { target: { oid: string; tree: { oid: string }; file: unknown } } } }>(FILE, { owner: 'acme', repo: 'svc', path: 'README.md' });
    const head = standin.headOf(r, 'main')!;
    expect(data.repository.ref.target.oid).toBe(head);
    expect(data.repository.ref.target.tree.oid).toBe(standin.commitOf(r, head).tree);
    expect(data.repository.ref.target.file).toMatchObject({ type: 'blob', object: { text: '# project\n', isTruncated: false, isBinary: false, byteSize: 10 } });
    expect(standin.requests.slice(before).map((q) => [q.operation, q.status])).toEqual([['POST /graphql', 200]]);
    const missing = await octokit.graphql<{ repository: { ref: { target: { file: unknown } } } }>(FILE, { owner: 'acme', repo: 'svc', path: 'nope.txt' });
    expect(missing.repository.ref.target.file).toBeNull();
    expect(standin.violations).toEqual([]);
  });

  it('refuses a field the schema does not have, and records the violation like a REST one', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const before = standin.violations.length;
    const err = (await octokit.graphql('query { repository(owner: "acme", name: "svc") { ref(qualifiedName: "refs/heads/main") { target { ... on Commit { oid contents } } } } }').catch((e: unknown) => e)) as {
      name: string;
      errors: { message: string }[];
    };
    const added = standin.violations.splice(before);
    expect(err.name).toBe('GraphqlResponseError');
    expect(err.errors[0]!.message).toMatch(/Cannot query field "contents" on type "Commit"/);
    expect(added).toEqual([{ method: 'POST', path: '/graphql', errors: [expect.stringMatching(/Cannot query field "contents" on type "Commit"/)] }]);
  });

  it('refuses an argument of the wrong type, a missing variable, a misplaced fragment and a syntax error', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['query { repository(owner: "acme", name: 7) { id } }', {}, /String cannot represent a non string value: 7/],
      ['query($oid: GitObjectID!) { repository(owner: "acme", name: "svc") { object(oid: $oid) { id } } }', {}, /Variable "\$oid" of required type "GitObjectID!" was not provided/],
      ['query { repository(owner: "acme", name: "svc") { ref(qualifiedName: "main") { target { ... on Blob { text } ... on Repository { id } } } } }', {}, /Fragment cannot be spread here/],
      ['query { repository(owner: "acme" name: "svc") { id }', {}, /Syntax Error/],
      ['query { repository(owner: "acme", name: "svc") { ref(qualifiedName: "main") { target { file(path: "a") { oid } } } } }', {}, /Cannot query field "file" on type "GitObject"/],
    ];
    for (const [query, variables, message] of cases) {
      const before = standin.violations.length;
      await expect(octokit.graphql(query, variables)).rejects.toMatchObject({ name: 'GraphqlResponseError' });
      const added = standin.violations.splice(before);
      expect(added).toHaveLength(1);
      expect(added[0]!.errors.join('\n')).toMatch(message);
    }
  });

  it('answers NOT_FOUND beside partial data for a repository that does not exist, as GitHub does', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const err = (await octokit.graphql(FILE, { owner: 'acme', repo: 'gone', path: 'x' }).catch((e: unknown) => e)) as { errors: unknown[]; data: unknown };
    expect(err.errors).toEqual([{ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 2, column: 5 }], message: "Could not resolve to a Repository with the name 'acme/gone'." }]);
    expect(err.data).toEqual({ repository: null });
    expect(standin.violations).toEqual([]);
  });

  it('refuses an unknown token with 401 and lets a read-only token query but not mutate', async () => {
    const bad = await clientFor(standin, 'ghs_notatoken');
    await expect(bad.graphql(FILE, { owner: 'acme', repo: 'svc', path: 'README.md' })).rejects.toMatchObject({ status: 401 });
    const readOnly = await clientFor(standin, READONLY_TOKEN);
    await expect(readOnly.graphql(FILE, { owner: 'acme', repo: 'svc', path: 'README.md' })).resolves.toBeTruthy();
    const mutation = 'mutation { addStar(input: { starrableId: "R_1" }) { clientMutationId } }';
    await expect(readOnly.graphql(mutation)).rejects.toMatchObject({ errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] });
    // A query is a read and a mutation a write, though both are POSTs.
    expect(standin.requests.slice(-2).map((q) => [q.operation, q.write])).toEqual([['POST /graphql', false], ['POST /graphql', true]]);
  });

  it('serves GitHub Enterprise Server\'s /api/graphql, where octokit sends queries for an /api/v3 base URL', async () => {
    const ghes = createOctokit({ token: ACTIONS_TOKEN, baseUrl: `${standin.url}/api/v3`, retries: 0 });
    const before = standin.requests.length;
    await ghes.graphql(FILE, { owner: 'acme', repo: 'svc', path: 'README.md' });
    expect(standin.requests.slice(before).map((q) => [q.path, q.operation, q.status])).toEqual([['/api/graphql', 'POST /graphql', 200]]);
  });

  it('cuts Blob.text at the text limit and says so', async () => {
    const small = await startStandin({ graphqlTextLimit: 4 });
    try {
      small.repo('acme', 'svc');
      const octokit = await clientFor(small, ACTIONS_TOKEN);
      const data = await octokit.graphql<{ repository: { ref: { target: { file: { object: unknown } } } } }>(FILE, { owner: 'acme', repo: 'svc', path: 'README.md' });
      expect(data.repository.ref.target.file.object).toMatchObject({ text: '# pr', isTruncated: true, byteSize: 10 });
    } finally {
      await small.stop();
    }
  });

  it('counts a field it does not model as its own defect, not as the caller\'s violation', async () => {
    const octokit = await clientFor(standin, ACTIONS_TOKEN);
    const before = standin.responseViolations.length;
    await expect(octokit.graphql('query { viewer { login } }')).rejects.toMatchObject({ name: 'GraphqlResponseError' });
    const added = standin.responseViolations.splice(before);
    expect(added[0]!.errors.join('\n')).toMatch(/stand-in: Query.viewer is not implemented/);
    expect(standin.violations).toEqual([]);
  });
});

describe('the stand-in\'s own answers', () => {
  it('are checked against the documented response, so a wrong answer would be caught', () => {
    expect(validateResponse('POST /repos/{owner}/{repo}/check-runs', 201, { id: 'one' })).toEqual(
      expect.arrayContaining(['response/id must be integer', "response must have required property 'head_sha'"]),
    );
  });
});

describe('createOctokit', () => {
  it('talks to the configured base URL with the rollout-gate user agent through an injected fetch', async () => {
    const seen: { url: string; agent: string | null }[] = [];
    const spy: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ url: String(input), agent: headers.get('user-agent') });
      return fetch(input, init);
    };
    const octokit = createOctokit({ token: ACTIONS_TOKEN, baseUrl: `${standin.url}/`, fetch: spy, retries: 0 });
    await octokit.rest.repos.getBranch({ owner: 'acme', repo: 'svc', branch: 'main' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${standin.url}/repos/acme/svc/branches/main`);
    expect(seen[0]!.agent).toMatch(new RegExp(`^${USER_AGENT}`));
  });

  it('retries a server error and then succeeds, but never retries a refusal', async () => {
    const octokit = createOctokit({ token: ACTIONS_TOKEN, baseUrl: standin.url, retries: 2, retryAfterBaseMs: 1 });
    let failures = 1;
    standin.beforeRoute = (op) => (op === 'GET /repos/{owner}/{repo}/branches/{branch}' && failures-- > 0 ? { status: 502, message: 'Server Error' } : undefined);
    try {
      const before = standin.requests.length;
      await octokit.rest.repos.getBranch({ owner: 'acme', repo: 'svc', branch: 'main' });
      expect(standin.requests.slice(before).map((r) => r.status)).toEqual([502, 200]);
      standin.beforeRoute = (op) => (op === 'GET /repos/{owner}/{repo}/branches/{branch}' ? { status: 409, message: 'Conflict' } : undefined);
      const mid = standin.requests.length;
      await expect(octokit.rest.repos.getBranch({ owner: 'acme', repo: 'svc', branch: 'main' })).rejects.toMatchObject({ status: 409 });
      expect(standin.requests.length - mid).toBe(1);
    } finally {
      standin.beforeRoute = null;
    }
  });

  it('registers the token with the redactor', () => {
    const redactor = new Redactor();
    createOctokit({ token: ACTIONS_TOKEN, baseUrl: standin.url, redactor });
    expect(redactor.redact(`Authorization: token ${ACTIONS_TOKEN}`)).toBe('Authorization: token ***');
  });
});

describe('writeRefusal', () => {
  const failure = (status: number, message: string) => Object.assign(new Error(message), { status, response: { data: { message } }, request: { method: 'POST', url: 'https://api.github.com/x' } });

  it.each([
    ['GITHUB_TOKEN of a fork pull request', 'Resource not accessible by integration'],
    ['fine-grained token without the permission', 'Resource not accessible by personal access token'],
  ])('recognises a %s', (_, message) => {
    expect(writeRefusal(failure(403, message))).toEqual({ status: 403, message });
    expect(writeRefusal(new Error('wrapped', { cause: failure(403, message) }))).toEqual({ status: 403, message });
  });

  it.each([
    [403, 'You have exceeded a secondary rate limit'],
    [404, 'Not Found'],
    [422, 'Update is not a fast forward'],
  ])('does not mistake %i "%s" for a read-only token', (status, message) => {
    expect(writeRefusal(failure(status, message))).toBeNull();
  });
});
