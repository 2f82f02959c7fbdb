// Counting the statements a request makes, from PostgreSQL's own log.
//
// The runner turns on `log_statement = 'all'` for the bench database only (ALTER DATABASE,
// so only sessions opened afterwards log), sends one request, and reads what the server
// appended to its log: every line "LOG:  statement: ..." or "LOG:  execute <name>: ..."
// whose prefix names the bench database is one statement sent by a client.
import { access, open, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import type pg from 'pg';

export interface LogSource {
  describe: string;
  size(): Promise<number>;
  read(from: number, to: number): Promise<string>;
}

function fileSource(file: string): LogSource {
  return {
    describe: file,
    size: async () => (await stat(file)).size,
    async read(from, to) {
      if (to <= from) return '';
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(to - from);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
        return buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await handle.close();
      }
    },
  };
}

/** The server's current log file, read through SQL (superuser): works when logging_collector is on. */
function sqlSource(admin: pg.Client, file: string): LogSource {
  return {
    describe: `${file} (through pg_read_file)`,
    size: async () => Number((await admin.query<{ size: string }>('SELECT (pg_stat_file($1)).size AS size', [file])).rows[0]!.size),
    async read(from, to) {
      if (to <= from) return '';
      const { rows } = await admin.query<{ text: string }>('SELECT pg_read_file($1, $2, $3) AS text', [file, from, to - from]);
      return rows[0]!.text;
    },
  };
}

/**
 * Where this PostgreSQL writes its log: BENCH_PG_LOG if set, the collector's current file
 * if the collector runs, else Debian's /var/log/postgresql/postgresql-<version>-<cluster>.log.
 * Returns null (with the reason) when none is readable.
 */
export async function locatePgLog(
  admin: pg.Client,
  override = process.env.BENCH_PG_LOG,
): Promise<{ source: LogSource | null; reason: string }> {
  if (override) {
    try {
      await access(override, constants.R_OK);
      return { source: fileSource(override), reason: 'BENCH_PG_LOG' };
    } catch {
      return { source: null, reason: `BENCH_PG_LOG=${override} is not readable` };
    }
  }
  try {
    const current = (await admin.query<{ file: string | null }>('SELECT pg_current_logfile() AS file')).rows[0]?.file;
    if (current) {
      const source = sqlSource(admin, current);
      await source.size();
      return { source, reason: 'logging collector' };
    }
  } catch {
    // not superuser, or no collector: try the file below
  }
  const cluster = (await admin.query<{ c: string }>(`SELECT current_setting('cluster_name') AS c`)).rows[0]?.c ?? '';
  const major = (await admin.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]!.v.slice(0, -4);
  const candidates = [
    cluster ? `/var/log/postgresql/postgresql-${cluster.replace('/', '-')}.log` : null,
    `/var/log/postgresql/postgresql-${major}-main.log`,
  ].filter((f): f is string => f !== null);
  for (const file of candidates) {
    try {
      await access(file, constants.R_OK);
      return { source: fileSource(file), reason: 'Debian cluster log' };
    } catch {
      // next
    }
  }
  return { source: null, reason: `no readable PostgreSQL log (tried ${candidates.join(', ')}; set BENCH_PG_LOG)` };
}

const STATEMENT = /LOG:\s+(?:statement|execute [^:]*):\s?(.*)$/;

/** The statements of `database` in a chunk of log text (first line of each). */
export function statementsIn(text: string, database: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const match = STATEMENT.exec(line);
    if (!match) continue;
    const prefix = line.slice(0, match.index);
    if (!prefix.includes(database)) continue;
    out.push(match[1]!.trim());
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs fn and returns the statements the bench database logged meanwhile. Waits until the
 * log has been quiet for a moment, since the server writes it asynchronously to us.
 */
export async function statementsDuring<T>(
  log: LogSource,
  database: string,
  fn: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  const before = await log.size();
  const result = await fn();
  let size = await log.size();
  for (let quiet = 0; quiet < 3;) {
    await sleep(100);
    const next = await log.size();
    if (next === size) quiet++;
    else {
      quiet = 0;
      size = next;
    }
  }
  return { result, statements: statementsIn(await log.read(before, size), database) };
}
