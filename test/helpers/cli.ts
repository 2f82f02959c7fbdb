// Runs `vitrine …` in-process against a test database and collects what it prints.
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import type { TestDatabase } from './db.js';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

export function cliRunner(database: () => TestDatabase) {
  return async (...argv: string[]): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      database: database(),
    });
    return { code, out, err };
  };
}
