// The shape of an operator command and the error for bad usage, shared by src/cli/*.
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CommandArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  config: Config;
  db: () => Promise<Database>;
  io: Io;
}

export interface Command {
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Positional arguments allowed. */
  positionals?: number;
  run(args: CommandArgs): Promise<number | void>;
}

export type Commands = Record<string, Command>;
