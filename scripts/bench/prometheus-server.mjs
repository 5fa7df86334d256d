// A real Prometheus for the benchmarks: on a free loopback port, over a TSDB directory the
// caller has filled (promtool backfill), stopped and its directory removed when the process exits.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Starts Prometheus over `${work}/tsdb` and waits until it is ready; `work` is removed on exit. */
export async function startPrometheus(work, { extraArgs = [] } = {}) {
  writeFileSync(join(work, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
  const port = await new Promise((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = srv.address().port;
      srv.close(() => done(p));
    });
  });
  const prom = spawn('prometheus', [
    `--config.file=${join(work, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(work, 'tsdb')}`,
    ...extraArgs,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  let cleaned = false;
  const stop = () => {
    if (cleaned) return;
    cleaned = true;
    prom.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  };
  process.on('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // starting
    }
    if (i > 300) throw new Error('Prometheus did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop };
}
