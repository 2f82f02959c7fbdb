// `vitrine client …`, `vitrine keys …`, `vitrine oauth purge`: OAuth clients, signing keys, housekeeping.
import { ClientRegistrationError, createOAuthClient, listOAuthClients } from '../auth/oauth/clients.js';
import { listSigningKeys, rotateSigningKeys } from '../auth/oauth/keys.js';
import { purgeExpiredOAuthRows } from '../auth/oauth/grants.js';
import { UsageError, type Commands } from './command.js';

export const oauthCommands: Commands = {
  'client create': {
    usage: 'vitrine client create --name <app> --redirect-uri <uri> [--redirect-uri <uri>...]',
    options: { name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true } },
    async run({ values, db, io }) {
      if (typeof values.name !== 'string' || !values.name.trim()) throw new UsageError('--name is required');
      const uris = Array.isArray(values['redirect-uri']) ? values['redirect-uri'] : [];
      if (uris.length === 0) throw new UsageError('at least one --redirect-uri is required');
      try {
        const client = await createOAuthClient((await db()).prisma, { name: values.name, redirectUris: uris });
        io.err(`Registered public OAuth client "${client.name}" with redirect URIs: ${client.redirectUris.join(' ')}`);
        io.out(client.clientId);
      } catch (error) {
        if (error instanceof ClientRegistrationError) throw new UsageError(error.message);
        throw error;
      }
    },
  },
  'client list': {
    usage: 'vitrine client list',
    async run({ db, io }) {
      for (const c of await listOAuthClients((await db()).prisma)) {
        io.out([c.clientId, c.revokedAt ? 'revoked' : 'active', c.createdAt.toISOString(), c.name, c.redirectUris.join(' ')].join('\t'));
      }
    },
  },
  'keys rotate': {
    usage: 'vitrine keys rotate',
    async run({ config, db, io }) {
      const { kid, retired } = await rotateSigningKeys((await db()).prisma, { accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds });
      io.err(`New signing key ${kid}.${retired.length ? ` Retired ${retired.join(', ')}: still published until their tokens expire.` : ''}`);
      io.out(kid);
    },
  },
  'oauth purge': {
    usage: 'vitrine oauth purge',
    async run({ db, io }) {
      const counts = await purgeExpiredOAuthRows((await db()).prisma);
      io.err(`Deleted expired OAuth rows: ${JSON.stringify(counts)}`);
    },
  },
  'keys list': {
    usage: 'vitrine keys list',
    async run({ db, io }) {
      for (const k of await listSigningKeys((await db()).prisma)) {
        const state = k.retiredAt ? `retired, published until ${k.expiresAt?.toISOString() ?? '?'}` : 'signing';
        io.out([k.kid, k.alg, k.createdAt.toISOString(), state].join('\t'));
      }
    },
  },
};
