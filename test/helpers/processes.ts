// Real Vitrine server processes for tests that need more than one process or a real
// signal: each is `node --import tsx src/server.ts` on a port the OS picks (PORT=0), its
// output kept for assertions. Plus a tiny round-robin proxy standing in for a load
// balancer. Cases across processes (tokens, keys, sign-in) use multiProcessEnv: one
// PostgreSQL database and Redis shared by every process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { databaseFromEnv } from '../../src/config.ts';
import { withDatabase } from '../../src/db/engine-adapters.ts';
import type { TestDatabase } from './db.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Settings every spawned process gets unless the test overrides them. */
const BASE_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
  SEED_DEMO: 'false',
  HOUSEKEEPING_INTERVAL_MS: '0',
};

/** Variables of the test runner's own environment a child must not inherit by accident. */
const ISOLATED = ['DATABASE_URL', 'DATABASE_REPLICA_URL', 'REDIS_URL', 'PGLITE_DIR', 'WEB_CONCURRENCY', 'PORT', 'PUBLIC_URL'];

export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` (SIGTERM: a graceful drain) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the process has exited (whoever stopped it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a server process and resolves once it listens (it prints `… on http://host:port/graphql`). */
export async function startServerProcess(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of ISOLATED) delete childEnv[name];
  Object.assign(childEnv, BASE_ENV, env);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = () => {
      const match = /on (http:\/\/[^\s]+)\/graphql/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Whether the cross-process cases can run: they need a PostgreSQL server and Redis. */
export const sharedBackends = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** The environment that puts a process on the test file's PostgreSQL database and on Redis. */
export function multiProcessEnv(db: TestDatabase): Record<string, string> {
  const server = databaseFromEnv();
  if (server.kind !== 'postgres' || !process.env.REDIS_URL) throw new Error('multiProcessEnv needs DATABASE_URL and REDIS_URL');
  return { DATABASE_URL: withDatabase(server.url, db.name), REDIS_URL: process.env.REDIS_URL, DATABASE_POOL_MAX: '4' };
}

export interface Proxy {
  url: string;
  /** Requests the proxy could not get an answer for (a backend cut them off): should stay 0. */
  failures: { path: string; error: string }[];
  close(): Promise<void>;
}

/**
 * A load balancer in miniature: each request goes to the next backend in turn, on a new
 * connection. Like a real one it health-checks `GET /ready` every `readyPollMs` and sends
 * nothing to a backend that answers 503 (draining) until it is ready again; a backend that
 * refuses the connection (stopped, restarting) is skipped, since nothing was sent. Any
 * other error is a request cut off: answered 502 and recorded in `failures`.
 */
export async function roundRobinProxy(backends: () => string[], options: { readyPollMs?: number } = {}): Promise<Proxy> {
  const failures: Proxy['failures'] = [];
  const notReady = new Set<string>();
  let next = 0;
  const poll = setInterval(() => {
    for (const target of backends())
      fetch(`${target}/ready`, { signal: AbortSignal.timeout(1000) }).then(
        (res) => {
          if (res.status === 200) notReady.delete(target);
          else notReady.add(target);
          return res.body?.cancel();
        },
        () => notReady.add(target),
      );
  }, options.readyPollMs ?? 100);
  const forward = (target: string, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest(new URL(path, target), { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void answer());
    const answer = async () => {
      const all = backends();
      const ready = all.filter((target) => !notReady.has(target));
      const list = ready.length ? ready : all;
      const headers = { ...req.headers, connection: 'close' };
      let lastError = 'no backend';
      for (let attempt = 0; attempt < list.length; attempt++) {
        const target = list[next++ % list.length]!;
        try {
          const answer = await forward(target, req.method ?? 'GET', req.url ?? '/', headers, Buffer.concat(chunks));
          delete answer.headers.connection;
          delete answer.headers['transfer-encoding'];
          res.writeHead(answer.status, answer.headers).end(answer.body);
          return;
        } catch (error) {
          lastError = (error as NodeJS.ErrnoException).code ?? String(error);
          if (lastError !== 'ECONNREFUSED') break;
        }
      }
      failures.push({ path: req.url ?? '/', error: lastError });
      res.writeHead(502).end(lastError);
    };
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    failures,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(poll);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
