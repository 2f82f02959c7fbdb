// `vitrine migrate`, `vitrine seed`: schema migrations and the demo catalog.
import { applyMigrations, migrationStatus } from '../db/migrate.js';
import { seedCommand } from '../../prisma/seed/index.js';
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
    async run({ values, db, io }) {
      const products = values.products === undefined ? 1000 : Number(values.products);
      if (!Number.isInteger(products) || products < 1 || products > 1_000_000) {
        throw new UsageError('--products must be an integer between 1 and 1000000');
      }
      const started = Date.now();
      const summary = await seedCommand((await db()).prisma, { products, replace: values.replace === true });
      io.err(`Seeded ${JSON.stringify(summary)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  },
};
