/** A `pull_request` event payload as the runner writes it to GITHUB_EVENT_PATH (the fields rollout-gate reads). */
export function pullRequestEvent(opts: { owner: string; repo: string; number: number; headSha: string; body: string; author: string; fork?: string | null }) {
  const full = `${opts.owner}/${opts.repo}`;
  return {
    action: 'synchronize',
    number: opts.number,
    pull_request: {
      number: opts.number,
      body: opts.body,
      user: { login: opts.author },
      head: { sha: opts.headSha, ref: 'release/v1.1', repo: { full_name: opts.fork ? `${opts.fork}/${opts.repo}` : full } },
      base: { ref: 'main', repo: { full_name: full } },
    },
    repository: { full_name: full },
  };
}
