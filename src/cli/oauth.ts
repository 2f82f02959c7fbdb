// `vitrine client …`, `vitrine keys …`, `vitrine oauth purge`: OAuth clients, signing keys, housekeeping.
import { ClientRegistrationError, createOAuthClient, listOAuthClients } from '../auth/oauth/clients.js';
import { keyEncryption } from '../auth/oauth/key-encryption.js';
import { listSigningKeys, revokeSigningKey, rotateSigningKeys } from '../auth/oauth/keys.js';
import { purgeExpiredOAuthRows } from '../auth/oauth/grant-housekeeping.js';
import { UsageError, type Commands } from './command.js';

export const oauthCommands: Commands = {
  'client create': {
    usage: 'vitrine client create --name <app> --redirect-uri <uri> [--redirect-uri <uri>...] [--post-logout-redirect-uri <uri>...]',
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
    },
    async run({ values, db, io }) {
      if (typeof values.name !== 'string' || !values.name.trim()) throw new UsageError('--name is required');
      const uris = Array.isArray(values['redirect-uri']) ? values['redirect-uri'] : [];
      if (uris.length === 0) throw new UsageError('at least one --redirect-uri is required');
      try {
        const postLogout = Array.isArray(values['post-logout-redirect-uri']) ? values['post-logout-redirect-uri'] : [];
        const client = await createOAuthClient((await db()).prisma, {
          name: values.name,
          redirectUris: uris,
          postLogoutRedirectUris: postLogout,
        });
        io.err(`Registered public OAuth client "${client.name}" with redirect URIs: ${client.redirectUris.join(' ')}`);
        if (postLogout.length) io.err(`Post-logout redirect URIs: ${client.postLogoutRedirectUris.join(' ')}`);
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
      const { kid, retired } = await rotateSigningKeys((await db()).prisma, {
        accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
        encryption: keyEncryption(config),
      });
      io.err(
        `New signing key ${kid}.${retired.length ? ` Retired ${retired.join(', ')}: still published until their tokens expire.` : ''}`,
      );
      io.out(kid);
    },
  },
  'keys revoke': {
    usage: 'vitrine keys revoke <kid>',
    positionals: 1,
    async run({ positionals, config, db, io }) {
      const kid = positionals[0];
      if (!kid) throw new UsageError('the key id (kid) is required; see `vitrine keys list`');
      const result = await revokeSigningKey((await db()).prisma, kid, { encryption: keyEncryption(config) });
      if (!result) {
        io.err(`No signing key ${kid}`);
        return 1;
      }
      const seconds = Math.ceil(config.signingKeys.verifyCacheTtlMs / 1000);
      io.err(
        `Revoked signing key ${kid}: its tokens are refused by every process within ${seconds} s.${result.replacedBy ? ` New signing key ${result.replacedBy}.` : ''}`,
      );
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
        const ended = k.expiresAt !== null && k.expiresAt.getTime() <= Date.now();
        const state = ended
          ? `expired or revoked at ${k.expiresAt!.toISOString()}`
          : k.retiredAt
            ? `retired, published until ${k.expiresAt?.toISOString() ?? '?'}`
            : 'signing';
        io.out([k.kid, k.alg, k.createdAt.toISOString(), state].join('\t'));
      }
    },
  },
};
