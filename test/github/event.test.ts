import { describe, expect, it } from 'vitest';
import { isForkPullRequest, pullRequestOf } from '../../src/github/event.js';

const payload = (over: Record<string, unknown> = {}) => ({
  action: 'synchronize',
  number: 42,
  pull_request: {
    number: 42,
    body: '- [x] Rollback command verified',
    user: { login: 'dev' },
    head: { sha: '1'.repeat(40), ref: 'release/1.1', repo: { full_name: 'acme/svc' } },
    base: { sha: '2'.repeat(40), ref: 'main', repo: { full_name: 'acme/svc' } },
    ...over,
  },
});

describe('pull request of a workflow event', () => {
  it('takes the head commit of the pull request, not the merge commit', () => {
    expect(pullRequestOf('pull_request', payload())).toEqual({ number: 42, headSha: '1'.repeat(40), author: 'dev', body: undefined });
    expect(pullRequestOf('pull_request_review', payload())?.headSha).toBe('1'.repeat(40));
  });

  it('leaves the description to be fetched: a re-run replays an old payload', () => {
    expect(pullRequestOf('pull_request_target', payload())?.body).toBeUndefined();
  });

  it.each(['push', 'workflow_dispatch', 'schedule', 'workflow_run'])('is null for %s', (event) => {
    expect(pullRequestOf(event, payload())).toBeNull();
  });

  it('is null for a payload without a usable pull request', () => {
    expect(pullRequestOf('pull_request', {})).toBeNull();
    expect(pullRequestOf('pull_request', payload({ head: {} }))).toBeNull();
  });

  it('recognises a fork by its head repository', () => {
    expect(isForkPullRequest(payload())).toBe(false);
    expect(isForkPullRequest(payload({ head: { sha: '1'.repeat(40), repo: { full_name: 'mallory/svc' } } }))).toBe(true);
    expect(isForkPullRequest({})).toBe(false);
  });
});
