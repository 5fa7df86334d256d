import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Whether a server binary is installed. Under CI=true a missing binary is a failure (thrown),
 * never a skip; locally the suite is skipped with a message saying what to install.
 */
export function requireBinary(name: string, pkg: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  const message = `${name} is not installed (Debian package "${pkg}"; scripts/ensure-servers.sh installs it)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${message}: integration tests cannot run under CI=true`);
  console.warn(`skipping: ${message}`);
  return false;
}

/** A free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => done(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `rollout-gate-${prefix}-`));
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits until `readyPath` answers 200. Fails with the tail of the
 * process' output when it exits early or is not ready in time. `stop` kills it and removes `dirs`.
 */
export async function startProcess(opts: {
  command: string;
  args: string[];
  port: number;
  readyPath: string;
  dirs: string[];
  readyTimeoutMs?: number;
}): Promise<RunningServer> {
  const child = spawn(opts.command, opts.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null = null;
  const exitedPromise = new Promise<void>((done) =>
    child.on('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : 0);
      done();
    }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exitedPromise;
      clearTimeout(timer);
    }
    for (const d of opts.dirs) rmSync(d, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`${opts.command} exited with ${exited} before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(url + opts.readyPath, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${opts.command} was not ready within ${opts.readyTimeoutMs ?? 30_000}ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, process: child, stop };
}
