// `vitrine token …`: storefront access tokens.
import { createStorefrontToken, listStorefrontTokens, revokeStorefrontToken } from '../auth/storefront-tokens.js';
import { UsageError, type Commands } from './command.js';

export const tokenCommands: Commands = {
  'token create': {
    usage: 'vitrine token create --name <app> [--private]',
    options: { name: { type: 'string' }, private: { type: 'boolean' } },
    async run({ values, db, io }) {
      if (typeof values.name !== 'string' || !values.name.trim()) throw new UsageError('--name is required');
      const { token, record } = await createStorefrontToken((await db()).prisma, {
        name: values.name,
        kind: values.private ? 'PRIVATE' : 'PUBLIC',
      });
      io.err(`Created ${record.kind.toLowerCase()} storefront token ${record.id} (${record.name}). It is shown only once:`);
      io.out(token);
    },
  },
  'token list': {
    usage: 'vitrine token list',
    async run({ db, io }) {
      const tokens = await listStorefrontTokens((await db()).prisma);
      for (const t of tokens) {
        io.out(
          [t.id, t.prefix + '…', t.kind.toLowerCase(), t.revokedAt ? 'revoked' : 'active', t.createdAt.toISOString(), t.name].join('\t'),
        );
      }
    },
  },
  'token revoke': {
    usage: 'vitrine token revoke <id>',
    positionals: 1,
    async run({ positionals, db, io }) {
      const id = positionals[0];
      if (!id) throw new UsageError('the token id is required');
      if (!(await revokeStorefrontToken((await db()).prisma, id))) {
        io.err(`No active storefront token ${id}`);
        return 1;
      }
      io.err(`Revoked storefront token ${id}`);
    },
  },
};
