// Entry point: config -> database -> app -> listen, and a graceful shutdown. With
// WEB_CONCURRENCY > 1 this process becomes the primary of that many workers (src/lifecycle/cluster.ts).
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createServerAdapter } from '@whatwg-node/server';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { applyMigrations } from './db/migrate.js';
import { DatabaseLockedError } from './db/folder-lock.js';
import { createApp } from './app.js';
import { CLIENT_IP_HEADER, resolveClientAddress } from './auth/client-address.js';
import { createStorefrontToken, StorefrontTokenVerifier } from './auth/storefront-tokens.js';
import { createLogger, type Logger } from './logger.js';
import { timeRequestQuery } from './observability/request-scope.js';
import { Drain } from './lifecycle/drain.js';
import { runPrimary } from './lifecycle/cluster.js';
import { startHousekeeping } from './auth/oauth/housekeeping-schedule.js';

/**
 * The embedded database's development token: created on first start, kept beside the
 * data folder (never in git) so GraphiQL and the printed hint stay valid across restarts.
 */
async function developmentToken(config: Config, db: Database, logger: Logger): Promise<string | undefined> {
  if (config.env === 'production' || config.database.kind !== 'pglite') return undefined;
  if (!config.database.dataDir) return (await createStorefrontToken(db.prisma, { name: 'development' })).token;
  const file = path.join(path.dirname(config.database.dataDir), 'dev-storefront-token');
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (await new StorefrontTokenVerifier(db.prisma).verify(saved)) return saved;
  } catch {
    // no token yet
  }
  const { token } = await createStorefrontToken(db.prisma, { name: 'development' });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, token + '\n', { mode: 0o600 });
  logger.info('created a development storefront token', { file });
  return token;
}

export async function start(config: Config = loadConfig(), options: { demoProducts?: number } = {}) {
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config.database, { timeQuery: timeRequestQuery });
  if (config.database.kind === 'pglite') {
    const applied = await applyMigrations(db);
    if (applied.length) logger.info('applied migrations', { applied });
    if (config.seedDemoOnEmpty && (await db.prisma.product.count()) === 0) {
      // The demo-catalog generator is loaded only here, on the first start of an empty
      // embedded database: it is not part of the server's static module graph.
      const { seedCommand } = await import('../prisma/seed/index.js');
      const started = Date.now();
      const summary = await seedCommand(db.prisma, { products: options.demoProducts ?? 1000, replace: false });
      logger.info('loaded the demo catalog', { ...summary, ms: Date.now() - started });
    }
  }
  const devStorefrontToken = await developmentToken(config, db, logger);
  const drain = new Drain();
  const app = createApp({ config, db, logger, devStorefrontToken, draining: () => drain.draining });
  await app.ready();
  const housekeeping = startHousekeeping({ db, intervalMs: config.lifecycle.housekeepingIntervalMs, logger });

  const adapter = createServerAdapter<{ req: import('node:http').IncomingMessage }>((request, { req }) => {
    // The client address for throttling comes from the socket, and from X-Forwarded-For
    // only as far as TRUST_PROXY trusts the proxies in front of us.
    request.headers.set(
      CLIENT_IP_HEADER,
      resolveClientAddress(req.socket.remoteAddress, request.headers.get('x-forwarded-for'), config.auth.trustProxyHops),
    );
    return app.fetch(request);
  });
  // The adapter answers every request itself, errors included (500); the drain counts
  // requests until their handler settles, so a shutdown closes the pools only after them.
  const server = createServer(drain.track(async (req, res) => adapter(req, res)));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let closing: Promise<void> | undefined;
  /** Graceful: /ready 503, stop accepting, in-flight requests finish (bounded), then the pools close. */
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down: draining', { inFlight: drain.inFlight });
      const finished = await drain.stop(server, {
        delayMs: config.lifecycle.shutdownDelayMs,
        timeoutMs: config.lifecycle.shutdownTimeoutMs,
      });
      if (!finished) logger.warn('shutdown timeout: connections cut', { timeoutMs: config.lifecycle.shutdownTimeoutMs });
      await housekeeping.stop();
      await app.close(); // Redis, before the database pools
      await db.close();
      logger.info('shut down');
    })());
  return { server, url: base, close, devStorefrontToken, logger, housekeeping, drain, db };
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
/** One server process: listens, prints where (unless a cluster primary does), drains on SIGTERM/SIGINT. */
function runServer(config: Config) {
  const started = start(config);
  // Registered before the start completes: a signal while starting still ends in a drain.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void started.then(({ close, logger }) =>
        close().then(
          () => process.exit(0),
          (error) => {
            logger.error('shutdown failed', { error });
            process.exit(1);
          },
        ),
      );
    });
  }
  started
    .then(({ url, devStorefrontToken }) => {
      if (!cluster.isPrimary) return;
      const lines = [`Vitrine storefront API on ${url}/graphql (GraphiQL: open it in a browser)`];
      if (devStorefrontToken)
        lines.push(
          `Development storefront token: ${devStorefrontToken}`,
          `  curl -H 'X-Storefront-Access-Token: ${devStorefrontToken}' -H 'content-type: application/json' -d '{"query":"{ products(first: 3) { nodes { title } } }"}' ${url}/graphql`,
        );
      process.stdout.write(lines.join('\n') + '\n');
    })
    .catch((error: unknown) => {
      const detail = error instanceof DatabaseLockedError ? error.message : error instanceof Error ? error.stack : String(error);
      process.stderr.write(`Vitrine failed to start: ${detail}\n`);
      process.exit(1);
    });
}

if (isEntry) {
  let config: Config | undefined;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`Vitrine failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (config.lifecycle.workers > 1 && cluster.isPrimary) runPrimary(config, createLogger(config.logLevel));
  else runServer(config);
}
