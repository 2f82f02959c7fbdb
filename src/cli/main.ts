// Operator commands: `vitrine <command>`. Output meant for scripts (a token, a client id)
// goes alone on stdout; everything else on stderr. Bad usage exits with code 2.
// Each command group lives in its own file and is listed in `commands` below.
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { UsageError, type Commands, type Io } from './command.js';
import { tokenCommands } from './tokens.js';
import { oauthCommands } from './oauth.js';
import { databaseCommands } from './database.js';
import { commerceCommands } from './commerce.js';

export { UsageError, type Command, type Io } from './command.js';

const commands: Commands = { ...tokenCommands, ...oauthCommands, ...databaseCommands, ...commerceCommands };

function usage(): string {
  return [
    'Usage:',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    '',
    'Database: DATABASE_URL (PostgreSQL) or the embedded one in PGLITE_DIR (default ./.data/pglite).',
  ].join('\n');
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
    const rest = argv.slice(name.split(' ').length);
    const parsed = parseArgs({
      // A command without options takes every argument as an operand, even one that begins
      // with "-" (a signing key's id may: `vitrine keys revoke -Xb…`).
      args: command.options || rest[0] === '--help' ? rest : ['--', ...rest],
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
    if (parsed.positionals.length > (command.positionals ?? 0))
      throw new UsageError(`unexpected argument "${parsed.positionals[command.positionals ?? 0]}"`);
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
