/** The CLI's exit codes (SPEC §6); the Action fails its step where these are not 0. */
export const EXIT = { ok: 0, error: 1, usage: 2, hold: 3, rollback: 4 } as const;
