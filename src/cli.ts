// Operator commands: `vitrine <command>`. Output meant for scripts (a token, a client id)
// goes alone on stdout; everything else on stderr. Bad usage exits with code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { applyMigrations, migrationStatus } from './db/migrate.js';
import { createStorefrontToken, listStorefrontTokens, revokeStorefrontToken } from './auth/storefront-tokens.js';
import { seedCommand } from '../prisma/seed/index.js';
import { ClientRegistrationError, createOAuthClient, listOAuthClients } from './auth/oauth/clients.js';
import { listSigningKeys, rotateSigningKeys } from './auth/oauth/keys.js';
import { purgeExpiredOAuthRows } from './auth/oauth/grants.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface Command {
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Positional arguments allowed. */
  positionals?: number;
  run(args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[]; config: Config; db: () => Promise<Database>; io: Io }): Promise<number | void>;
}

const commands: Record<string, Command> = {
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
        io.out([t.id, t.prefix + '…', t.kind.toLowerCase(), t.revokedAt ? 'revoked' : 'active', t.createdAt.toISOString(), t.name].join('\t'));
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

function usage(): string {
  return ['Usage:', ...Object.values(commands).map((c) => `  ${c.usage}`), '', 'Database: DATABASE_URL (PostgreSQL) or the embedded one in PGLITE_DIR (default ./.data/pglite).'].join('\n');
}

/** Registers more commands (the OAuth module adds `client` and `keys`). */
export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

export interface MainDeps {
  io?: Io;
  /** Defaults to the environment's configuration. */
  config?: Config;
  /** An open database to use (and leave open) instead of opening config.database. */
  database?: Database;
}

const stdio: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const io = deps.io ?? stdio;
  const name = [argv.slice(0, 2).join(' '), argv[0] ?? ''].find((candidate) => Object.hasOwn(commands, candidate));
  if (!name || argv[0] === 'help' || argv[0] === '--help') {
    io.err(usage());
    return argv[0] === 'help' || argv[0] === '--help' ? 0 : 2;
  }
  const command = commands[name]!;
  let opened: Database | undefined;
  try {
    const parsed = parseArgs({
      args: argv.slice(name.split(' ').length),
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
    if (parsed.positionals.length > (command.positionals ?? 0)) throw new UsageError(`unexpected argument "${parsed.positionals[command.positionals ?? 0]}"`);
    const config = deps.config ?? loadConfig();
    const code = await command.run({
      values: parsed.values as Record<string, string | boolean | string[] | undefined>,
      positionals: parsed.positionals,
      config,
      db: async () => deps.database ?? (opened ??= await openDatabase(config.database)),
      io,
    });
    return code ?? 0;
  } catch (error) {
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`vitrine ${name}: ${(error as Error).message}`);
    if (isUsage) {
      io.err(`Usage: ${command.usage}`);
      return 2;
    }
    return 1;
  } finally {
    await opened?.close();
  }
}
