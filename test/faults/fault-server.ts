import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

/** What the server does with the next request: answer, stall, or stream a huge body. */
export type Fault =
  | { kind: 'answer'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'huge'; bytes: number; declare: boolean };

export interface FaultServer {
  url: string;
  /** Requests seen, with the time each arrived. */
  requests: { path: string; at: number; headers: IncomingMessage['headers'] }[];
  /** One fault per request in order; the last one repeats. */
  script(faults: Fault[]): void;
  stop(): Promise<void>;
}

/** A local HTTP server that misbehaves on cue: errors with Retry-After, silence, 50 MB bodies. */
export async function startFaultServer(): Promise<FaultServer> {
  let faults: Fault[] = [{ kind: 'answer', status: 200, body: '{}' }];
  const requests: FaultServer['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const fault = faults[Math.min(requests.length, faults.length - 1)]!;
    requests.push({ path: req.url ?? '', at: Date.now(), headers: req.headers });
    if (fault.kind === 'hang') return;
    if (fault.kind === 'answer') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...(fault.declare ? { 'content-length': String(fault.bytes) } : {}) });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < fault.bytes) {
        const n = Math.min(chunk.length, fault.bytes - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (sent = fault.bytes));
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next) {
      faults = next;
      requests.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const srv = createTcpServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A TCP server that accepts connections and never says a word (HTTP or Postgres alike). */
export async function startSilentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const srv = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  return {
    port,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}
