// WEB_CONCURRENCY=N: this process becomes a node:cluster primary that forks N identical
// workers sharing one listening port (the primary hands out connections). The primary
// opens no database: a server database is migrated and seeded by `vitrine migrate`/`seed`,
// never implicitly, and the embedded one is refused for N > 1 (src/config.ts), so there is
// no first-start work to do before forking. SIGTERM/SIGINT are forwarded to every worker,
// which drains (src/lifecycle/drain.ts); the primary exits when the last one has.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** A worker that dies within this long of its start is not forked again (a crash loop). */
const MIN_UPTIME_MS = 5_000;

export function runPrimary(config: Config, logger: Logger): void {
  const started = new Map<Worker, number>();
  let stopping = false;
  const listening = new Set<Worker>();

  const fork = () => started.set(cluster.fork(), Date.now());
  for (let i = 0; i < config.lifecycle.workers; i++) fork();

  // Announced once every worker listens, so whoever waits for the line can use them all.
  cluster.on('listening', (worker, address) => {
    if (listening.size === config.lifecycle.workers) return; // a worker forked again
    listening.add(worker);
    if (listening.size < config.lifecycle.workers) return;
    const host = address.address?.includes(':') ? `[${address.address}]` : (address.address ?? config.host);
    process.stdout.write(
      `Vitrine storefront API on http://${host}:${address.port}/graphql with ${config.lifecycle.workers} worker processes\n`,
    );
  });

  cluster.on('exit', (worker, code, signal) => {
    const since = started.get(worker) ?? 0;
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) process.exit(exitCode);
      return;
    }
    logger.error('worker exited', { pid: worker.process.pid, code, signal });
    if (Date.now() - since < MIN_UPTIME_MS) {
      logger.error('a worker failed right after starting: stopping', {});
      shutdown(1);
      return;
    }
    fork();
  });

  let exitCode = 0;
  const shutdown = (code: number) => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    logger.info('forwarding shutdown to workers', { workers: started.size });
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
    if (started.size === 0) process.exit(exitCode);
    // Workers bound their own drain; this only catches one that hangs.
    const grace = config.lifecycle.shutdownDelayMs + config.lifecycle.shutdownTimeoutMs + 5_000;
    setTimeout(() => {
      for (const worker of started.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, grace).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutdown(0));
}
