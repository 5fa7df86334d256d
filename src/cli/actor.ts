import { userInfo } from 'node:os';

/**
 * Who runs a CLI command when `--actor` is not given, for history and the decision log:
 * $ROLLOUT_GATE_ACTOR, else the login ($USER, $LOGNAME, %USERNAME%), else the operating system's
 * account name (`os.userInfo()`, which needs no environment), else "unknown"; never null.
 */
export function defaultActor(env: NodeJS.ProcessEnv, account: () => string = () => userInfo().username): string {
  for (const name of ['ROLLOUT_GATE_ACTOR', 'USER', 'LOGNAME', 'USERNAME']) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  try {
    const name = account().trim();
    if (name) return name;
  } catch {
    // A uid with no account entry (some containers): os.userInfo() throws.
  }
  return 'unknown';
}
