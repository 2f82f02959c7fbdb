// `vitrine migrate`, `vitrine seed`: schema migrations and the demo catalog.
import { applyMigrations, migrationStatus } from '../db/migrate.js';
import { seedCommand } from '../../prisma/seed/index.js';
import { Redis } from 'ioredis';
import { createRedisResponseCacheStore, responseCachePrefix } from '../graphql/response-cache-redis.js';
import { UsageError, type Commands } from './command.js';

export const databaseCommands: Commands = {
  migrate: {
    usage: 'vitrine migrate [--status]',
    options: { status: { type: 'boolean' } },
    async run({ values, db, io }) {
      const database = await db();
      if (values.status) {
        const status = await migrationStatus(database);
        io.out(JSON.stringify(status, null, 2));
        return;
      }
      const applied = await applyMigrations(database);
      io.err(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
    },
  },
  seed: {
    usage: 'vitrine seed [--products N] [--replace]',
    options: { products: { type: 'string' }, replace: { type: 'boolean' } },
    async run({ values, db, io, config }) {
      const products = values.products === undefined ? 1000 : Number(values.products);
      if (!Number.isInteger(products) || products < 1 || products > 1_000_000) {
        throw new UsageError('--products must be an integer between 1 and 1000000');
      }
      const started = Date.now();
      const database = await db();
      const summary = await seedCommand(database.prisma, { products, replace: values.replace === true });
      io.err(`Seeded ${JSON.stringify(summary)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (config.redisUrl) {
        // Running processes share their cached answers in Redis: none may show the old catalog.
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
        try {
          await redis.ping();
          await createRedisResponseCacheStore(redis, { prefix: responseCachePrefix(database), maxEntryBytes: 0 }).clear();
          io.err('Purged the shared response cache.');
        } catch (error) {
          io.err(
            `Could not purge the shared response cache in Redis (${String(error)}); cached answers expire within RESPONSE_CACHE_TTL_MS.`,
          );
        } finally {
          redis.disconnect();
        }
      }
    },
  },
};
