// The one place that opens an embedded PGlite database (the app, the migration runner,
// the schema-engine stand-in and the tests all come through here).
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { lockDataDir } from './folder-lock.js';

export type { PGlite };

/** Contrib extensions loaded into every embedded database, so migrations may
 * `CREATE EXTENSION pg_trgm` / `unaccent` (the shadow database gets them too). */
export const pgliteExtensions = { pg_trgm, unaccent };

/**
 * Opens (creating it if needed) the embedded database kept in `dataDir`, or a fresh
 * in-memory one when `dataDir` is null. Only one opener at a time: the folder is locked
 * (src/db/folder-lock.ts) until `close()`, and a second opener gets DatabaseLockedError.
 * A new or in-memory database costs 2–5 s (initdb); an existing folder ~0.6 s; starting
 * from `loadDataDir` (a `dumpDataDir()` tarball: test templates) ~1.5 s.
 */
export async function createPGlite(dataDir: string | null, options: { loadDataDir?: Blob } = {}): Promise<PGlite> {
  if (dataDir === null) return PGlite.create({ extensions: pgliteExtensions, loadDataDir: options.loadDataDir });
  const lock = lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir, extensions: pgliteExtensions, loadDataDir: options.loadDataDir });
  } catch (error) {
    lock.release();
    throw error;
  }
  const close = pglite.close.bind(pglite);
  pglite.close = async () => {
    try {
      await close();
    } finally {
      lock.release();
    }
  };
  return pglite;
}
