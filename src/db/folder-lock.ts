// One process at a time in an embedded database folder: a lock file holding the owner's
// PID, taken when the folder is opened, released when it is closed or the process exits,
// taken over when the process that wrote it is gone. PGlite itself does not guard against
// a second process, and two writers silently lose or corrupt each other's data.
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'vitrine.lock';

/** A takeover that crashed half-way leaves its marker folder; older than this, it is ignored. */
const STALE_TAKEOVER_MS = 30_000;

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by ${pid === null ? 'another process' : `process ${pid}`} (a running server?). ` +
        'Stop that process first, or set DATABASE_URL to use a PostgreSQL server, which many processes can share.',
    );
  }
}

export interface FolderLock {
  readonly file: string;
  /** Deletes the lock file if this process still owns it. Idempotent. */
  release(): void;
}

/** Lock files this process holds (a PID match alone could be a previous process's leftover). */
const held = new Set<string>();

process.once('exit', () => {
  for (const file of held) removeIfOurs(file);
});

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

function readPid(file: string): number | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function removeIfOurs(file: string): void {
  try {
    if (readPid(file) === process.pid) unlinkSync(file);
  } catch {
    // already gone
  }
  held.delete(file);
}

/** Creates the lock file only if there is none; false if one exists. */
function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Whether the lock file's owner is gone: a dead PID, an unreadable file, or our own PID
 * left behind by an earlier process (PID reuse, e.g. PID 1 in containers). */
function isStale(file: string, pid: number | null | undefined): boolean {
  if (pid === undefined) return true;
  if (pid === null) return true;
  if (pid === process.pid) return !held.has(file);
  return !pidAlive(pid);
}

/**
 * Takes the lock on `dataDir` (created if missing) or throws DatabaseLockedError naming
 * the process that holds it. A stale lock is taken over; a marker folder makes sure only
 * one of several processes racing for a stale lock takes it.
 */
export function lockDataDir(dataDir: string): FolderLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  if (!tryCreate(file)) {
    const pid = readPid(file);
    if (!isStale(file, pid)) throw new DatabaseLockedError(dataDir, pid ?? null);
    const marker = `${file}.takeover`;
    try {
      if (Date.now() - statSync(marker).mtimeMs > STALE_TAKEOVER_MS) rmdirSync(marker);
    } catch {
      // no marker
    }
    try {
      mkdirSync(marker);
    } catch {
      throw new DatabaseLockedError(dataDir, null); // another process is taking it over right now
    }
    try {
      const again = readPid(file);
      if (!isStale(file, again)) throw new DatabaseLockedError(dataDir, again ?? null);
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (!tryCreate(file)) throw new DatabaseLockedError(dataDir, readPid(file) ?? null);
    } finally {
      rmdirSync(marker);
    }
  }
  held.add(file);
  return {
    file,
    release: () => {
      if (held.has(file)) removeIfOurs(file);
    },
  };
}
