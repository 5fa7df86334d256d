import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../run.js';
import { INIT_PROVIDERS, initFiles, nextSteps, type InitAnswers, type InitProvider } from './init-templates.js';

export interface InitOptions {
  provider: string | undefined;
  rollout: string | undefined;
  stages: string | undefined;
  force: boolean;
  extra: string[];
  cwd: string;
  stdout: (s: string) => void;
  /** Asks on a terminal; null when stdin is not one (then flags and defaults decide). */
  ask: ((question: string, fallback: string) => Promise<string>) | null;
}

const ROLLOUT_NAME = /^[a-z0-9._-]+$/;

/** `--stages 5,25,100`: ascending traffic percentages, 1 to 100. */
export function parseStages(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (p === '' || !Number.isInteger(n) || n < 1 || n > 100) {
      throw new UsageError(`--stages: "${p}" is not a traffic percentage (a whole number from 1 to 100); e.g. --stages 5,25,100`);
    }
    if (out.length && n <= out[out.length - 1]!) throw new UsageError(`--stages: ${n} after ${out[out.length - 1]}: the stages go up, e.g. 5,25,100`);
    out.push(n);
  }
  return out;
}

export function parseProvider(text: string): InitProvider {
  const p = text.trim().toLowerCase();
  if (!(INIT_PROVIDERS as readonly string[]).includes(p)) throw new UsageError(`--provider: "${text}" is not one of ${INIT_PROVIDERS.join(', ')}`);
  return p as InitProvider;
}

/** A rollout name from the directory's: lower case, other characters as "-". */
export function defaultRolloutName(cwd: string): string {
  const name = basename(cwd).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return name ? `${name}-rollout` : 'my-rollout';
}

function checkRollout(name: string): string {
  if (!ROLLOUT_NAME.test(name)) throw new UsageError(`--rollout: "${name}" is not a rollout name (lower-case letters, digits, ".", "_" and "-")`);
  return name;
}

async function answers(o: InitOptions): Promise<InitAnswers> {
  const rolloutDefault = defaultRolloutName(o.cwd);
  if (o.ask) {
    const provider = o.provider ?? (await o.ask(`Where are the metrics? (${INIT_PROVIDERS.join(', ')})`, 'prometheus'));
    const rollout = o.rollout ?? (await o.ask('Rollout name', rolloutDefault));
    const stages = o.stages ?? (await o.ask('Stages, as traffic percentages', '5,25,100'));
    return { provider: parseProvider(provider), rollout: checkRollout(rollout.trim()), stages: parseStages(stages) };
  }
  if (o.provider === undefined) throw new UsageError(`init needs --provider (${INIT_PROVIDERS.join(', ')}) when it cannot ask on a terminal`);
  return { provider: parseProvider(o.provider), rollout: checkRollout(o.rollout ?? rolloutDefault), stages: parseStages(o.stages ?? '5,25,100') };
}

/**
 * `rollout-gate init`: writes the config and the workflows for one metrics store. Existing files
 * are never overwritten without --force: then nothing is written at all.
 */
export async function initCommand(o: InitOptions): Promise<number> {
  if (o.extra.length) throw new UsageError(`unexpected argument "${o.extra[0]}"`);
  const a = await answers(o);
  const files = initFiles(a);
  const existing = files.filter((f) => existsSync(join(o.cwd, f.path))).map((f) => f.path);
  if (existing.length && !o.force) {
    throw new UsageError(`init would overwrite ${existing.join(', ')}; nothing was written (--force overwrites)`);
  }
  for (const f of files) {
    const target = join(o.cwd, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.text);
    o.stdout(`${existing.includes(f.path) ? 'overwrote' : 'wrote'} ${f.path}\n`);
  }
  o.stdout(nextSteps(a));
  return 0;
}

/** Questions on a terminal, answered on stdin; an empty answer takes the default. */
export async function terminalAsk(): Promise<{ ask: (q: string, fallback: string) => Promise<string>; close: () => void }> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return {
    ask: async (q, fallback) => {
      const answer = (await rl.question(`${q} [${fallback}]: `)).trim();
      return answer === '' ? fallback : answer;
    },
    close: () => rl.close(),
  };
}

/** The CLI's `init`: flags, and questions on stdin when it is a terminal (or the caller's `ask`). */
export async function runInit(
  o: { provider?: string; rollout?: string; stages?: string; force?: boolean },
  extra: string[],
  io: { cwd: string; stdout: (s: string) => void; ask?: ((q: string, fallback: string) => Promise<string>) | null },
): Promise<number> {
  const terminal = io.ask === undefined && process.stdin.isTTY === true ? await terminalAsk() : null;
  try {
    return await initCommand({ provider: o.provider, rollout: o.rollout, stages: o.stages, force: o.force === true, extra, cwd: io.cwd, stdout: io.stdout, ask: io.ask ?? terminal?.ask ?? null });
  } finally {
    terminal?.close();
  }
}
