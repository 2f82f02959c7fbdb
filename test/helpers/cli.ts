// Runs `vitrine …` in-process against a test database and collects what it prints.
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import type { TestDatabase } from './db.js';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** `env`: extra settings for the command's config (e.g. NODE_ENV=test for the test key-encryption secret). */
export function cliRunner(database: () => TestDatabase, env: Record<string, string> = {}) {
  return async (...argv: string[]): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      config: loadConfig({ LOG_LEVEL: 'silent', ...env }),
      database: database(),
    });
    return { code, out, err };
  };
}
