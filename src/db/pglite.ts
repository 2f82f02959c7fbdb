// The one place that opens an embedded PGlite database (the app, the migration runner,
// the schema-engine stand-in and the tests all come through here).
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

export type { PGlite };

/** Contrib extensions loaded into every embedded database, so migrations may
 * `CREATE EXTENSION pg_trgm` / `unaccent` (the shadow database gets them too). */
export const pgliteExtensions = { pg_trgm, unaccent };

/**
 * Opens (creating it if needed) the embedded database kept in `dataDir`, or a fresh
 * in-memory one when `dataDir` is null. Only one process may open a folder at a time.
 * A new or in-memory database costs 2–5 s (initdb); an existing folder ~0.6 s; starting
 * from `loadDataDir` (a `dumpDataDir()` tarball: test templates) ~1.5 s.
 */
export async function createPGlite(dataDir: string | null, options: { loadDataDir?: Blob } = {}): Promise<PGlite> {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  return PGlite.create({ dataDir: dataDir ?? undefined, extensions: pgliteExtensions, loadDataDir: options.loadDataDir });
}
